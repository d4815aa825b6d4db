"""Summaries and comparisons of a dataset: one row per publisher and year, rankings, year-on-year.

:func:`summary` gives one row per publisher and year with every indicator of
``data/indicators.csv`` (:mod:`report_extract.indicators`); duplicate reports (the same publisher
and year twice, the same report in two renderings) are counted once, the primary chosen by
:func:`report_extract.duplicates.mark_duplicates`. :func:`compare` ranks the publishers on one
indicator within their peer group (same year and level, optionally the same parent government) and
gives each publisher's change since its previous report.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .duplicates import mark_duplicates
from .indicators import evaluate, indicator_defs
from .publishers import PUBLISHER_COLUMNS, normalize_agency, publisher_info

ID_COLUMNS = ["publisher", "publisher_key", "level", "parent", "year", "template", "report_id", "source_format"]
QUALITY_COLUMNS = ["quality", "n_failed_checks", "failed_checks", "n_ambiguous_cells", "duplicates_excluded"]
COMPARE_COLUMNS = [
    "year", "level", "parent", "publisher", "indicator", "value", "rank", "n_peers", "previous_year",
    "previous_value", "change", "quality", "failed_checks", "ambiguous_cells", "cells", "report_id",
    "duplicates_excluded", "publisher_key",
]


def with_publishers(reports: pd.DataFrame) -> pd.DataFrame:
    """``reports`` with the publisher columns of :func:`publisher_info` (added when missing)."""
    if reports.empty or "publisher_key" in reports:
        return reports.reset_index(drop=True)
    pubs = pd.DataFrame([publisher_info(a) for a in reports["agency"]],
                        columns=PUBLISHER_COLUMNS).drop(columns=["agency"])
    return pd.concat([reports.reset_index(drop=True), pubs], axis=1)


def _parts(rs: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return with_publishers(rs.reports), rs.cells, rs.checks


def summary(rs: Any) -> pd.DataFrame:
    """One row per publisher and year (primary reports only), every indicator a column.

    ``rs`` is a :class:`~report_extract.api.ReportSet` (or anything with ``reports``, ``cells``
    and ``checks`` frames). Columns: ``publisher`` (the name as printed), ``publisher_key``,
    ``level``, ``parent``, ``year``, ``template``, ``report_id``, ``source_format``, the indicator
    codes, then the report's data quality: ``quality`` (``check_failed``, ``ambiguous`` or ``ok``),
    ``n_failed_checks``, ``failed_checks``, ``n_ambiguous_cells`` and ``duplicates_excluded`` (the
    ``report_id`` of the other renderings not counted). Sorted by level, parent, publisher_key, year.
    """
    reports, cells, checks = _parts(rs)
    codes = list(indicator_defs())
    if reports.empty:
        return pd.DataFrame(columns=ID_COLUMNS + codes + QUALITY_COLUMNS)
    dups = mark_duplicates(reports, cells)
    excluded = dups[~dups["is_primary"]].groupby("duplicate_of")["report_id"].agg(lambda s: ";".join(sorted(s)))
    primary = set(dups.loc[dups["is_primary"], "report_id"])
    long = evaluate(cells, checks)
    wide = long.pivot(index="report_id", columns="indicator", values="value") if not long.empty else pd.DataFrame()
    amb = cells[cells["confidence"] == "ambiguous"].groupby("report_id").size() if not cells.empty else pd.Series(dtype=int)
    rows = []
    for rep in reports.to_dict("records"):
        rid = str(rep["report_id"])
        if rid not in primary:
            continue
        nfail = rep.get("n_failed_checks")
        nfail = 0 if nfail is None or pd.isna(nfail) else int(nfail)
        failed = rep.get("failed_checks")
        namb = int(amb.get(rid, 0))
        row = {
            "publisher": rep.get("agency"),
            "publisher_key": rep.get("publisher_key"),
            "level": rep.get("level"),
            "parent": rep.get("parent"),
            "year": rep.get("year"),
            "template": rep.get("template"),
            "report_id": rid,
            "source_format": rep.get("source_format"),
        }
        for c in codes:
            row[c] = wide.at[rid, c] if rid in wide.index and c in wide.columns else float("nan")
        row.update({
            "quality": "check_failed" if nfail else ("ambiguous" if namb else "ok"),
            "n_failed_checks": nfail,
            "failed_checks": failed if isinstance(failed, str) else "",
            "n_ambiguous_cells": namb,
            "duplicates_excluded": excluded.get(rid, ""),
        })
        rows.append(row)
    out = pd.DataFrame(rows, columns=ID_COLUMNS + codes + QUALITY_COLUMNS)
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    for c in codes:
        out[c] = out[c].astype("float64")
    out = out.sort_values(["level", "parent", "publisher_key", "year"], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _in_parent(frame: pd.DataFrame, parent: str) -> pd.Series:
    """Publishers whose parent government is ``parent`` (or whose name starts with it)."""
    p = normalize_agency(parent)
    par = frame["parent"].map(lambda v: normalize_agency(v) if isinstance(v, str) else "")
    name = frame["publisher"].map(lambda v: normalize_agency(v) if isinstance(v, str) else "")
    return (par == p) | (name.str.startswith(p) & (name != p))


def select(summ: pd.DataFrame, level: str | None = None, parent: str | None = None) -> pd.DataFrame:
    """The rows of a :func:`summary` of one ``level`` and under one ``parent`` government (None: all)."""
    if level:
        summ = summ[summ["level"] == level]
    if parent:
        summ = summ[_in_parent(summ, parent)]
    return summ.reset_index(drop=True)


def compare(rs: Any, year: int | None = None, level: str | None = None, parent: str | None = None,
            indicator: str = "denied_share", *, summary_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank publishers on ``indicator`` within their peer group and show year-on-year changes.

    The peer group is the publishers of the same ``year`` and ``level`` (province, city, county,
    township, department); ``parent`` keeps only the publishers under one government (e.g.
    ``芷江侗族自治县``: its townships and departments). ``year``/``level`` keep one year / level.
    Rank 1 is the highest value (ties share the smaller rank; empty values are not ranked).

    One row per publisher and year: ``value``, ``rank``, ``n_peers`` (ranked publishers in the
    group), ``previous_year``/``previous_value``/``change`` (the publisher's previous report in
    the data, any gap), the figure's data quality (``quality``, ``failed_checks``,
    ``ambiguous_cells``), ``cells`` (the cells it is computed from, as printed), ``report_id``
    and ``duplicates_excluded``. ``summary_frame``: ``summary(rs)`` when already computed.
    """
    defs = indicator_defs()
    if indicator not in defs:
        raise ValueError(f"unknown indicator {indicator!r}; choose from {', '.join(defs)}")
    s = select(summary(rs) if summary_frame is None else summary_frame, level, parent)
    if s.empty:
        return pd.DataFrame(columns=COMPARE_COLUMNS)
    long = evaluate(rs.cells[rs.cells["report_id"].isin(set(s["report_id"]))], rs.checks, [indicator])
    fig = long.set_index("report_id")
    out = s[["year", "level", "parent", "publisher", "publisher_key", "report_id", "duplicates_excluded"]].copy()
    out["indicator"] = indicator
    out["value"] = s[indicator].astype("float64")
    for c in ("quality", "failed_checks", "ambiguous_cells", "cells"):
        out[c] = out["report_id"].map(lambda r, c=c: fig.at[r, c] if r in fig.index else ("no_data" if c == "quality" else ""))
    # year-on-year, per publisher, over every year in the data
    out = out.sort_values(["publisher_key", "year"], kind="stable")
    key = out["publisher_key"].fillna(out["publisher"])
    out["previous_year"] = out.groupby(key, sort=False)["year"].shift(1).astype("Int64")
    out["previous_value"] = out.groupby(key, sort=False)["value"].shift(1).astype("float64")
    out["change"] = out["value"] - out["previous_value"]
    if year is not None:
        out = out[out["year"] == int(year)]
    group = [out["year"].astype("float64").fillna(-1), out["level"].fillna("")]
    out["rank"] = out.groupby(group)["value"].rank(method="min", ascending=False).astype("Int64")
    out["n_peers"] = out.groupby(group)["value"].transform(lambda v: int(v.notna().sum())).astype("Int64")
    out = out.sort_values(["year", "level", "rank", "publisher"], kind="stable", na_position="last")
    return out[COMPARE_COLUMNS].reset_index(drop=True)


def format_value(value: float, unit: str) -> str:
    """A figure for people: shares as percentages, counts as integers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "share":
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


__all__ = ["summary", "compare", "select", "with_publishers", "format_value", "COMPARE_COLUMNS", "ID_COLUMNS", "QUALITY_COLUMNS"]
