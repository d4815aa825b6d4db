"""Dataset assembly: the finished output tables of a set of reports.

This is where a set of reports becomes a dataset: publisher metadata and duplicates are added to
``reports``, the wide tables are pivoted from the long cells (primary reports only), the prose
sections are tabled and the cross-report checks are made. Every table is typed by its spec
(:func:`report_extract.writers.fields.table_specs`): counts as nullable integers, amounts as
decimals, codes as strings. The writers (:mod:`report_extract.writers`) only serialise these frames.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol

import pandas as pd

from .crosscheck import crosscheck
from .duplicates import mark_duplicates
from .publishers import publisher_info
from .schema import TABLES, TEMPLATES, template_schema
from .writers.fields import TableSpec, table_specs

SECTION_COLUMNS = ["report_id", "section", "heading", "text"]
# repeated codes of the long frames a set holds, kept as categoricals (a fraction of the memory)
CODE_COLUMNS = ("report_id", "table", "row", "column", "confidence", "check", "code", "severity")


def compact_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its code columns (:data:`CODE_COLUMNS`) as categoricals: what a
    :class:`~report_extract.api.ReportSet` holds. Written outputs do not change (:func:`typed`
    turns every code back into text); a frame's deep memory drops to about a quarter."""
    out = frame
    for col in CODE_COLUMNS:
        if col in frame and not isinstance(frame[col].dtype, pd.CategoricalDtype):
            if out is frame:
                out = frame.copy()
            out[col] = frame[col].astype("category")
    return out


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its categorical columns back as the text columns they were made from
    (:func:`compact_frame` undone)."""
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return frame
    out = frame.copy()
    for col in cats:
        out[col] = frame[col].astype(frame[col].cat.categories.dtype)
    return out


class FrameSet(Protocol):
    """What :func:`dataset_frames` needs of a set of reports (a :class:`~report_extract.api.ReportSet`)."""

    cells: pd.DataFrame
    checks: pd.DataFrame
    issues: pd.DataFrame
    reports: pd.DataFrame
    errors: pd.DataFrame
    sections: pd.DataFrame


def _as_int(v: Any) -> Any:
    """A value for a nullable integer column: integral numbers as int, anything else missing."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return pd.NA
    if math.isnan(f) or not f.is_integer():
        return pd.NA
    return int(f)


def _as_bool(v: Any) -> bool | None:
    """True/False from a bool or its text (``"True"``, ``"false"``, ``"1"`` as read back from a CSV)."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, str):
        return {"true": True, "1": True, "false": False, "0": False}.get(v.strip().lower())
    return bool(v)


def typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """``frame`` with exactly the spec's columns, each of its type: ``integer`` -> Int64 (a value
    that is not a whole number becomes missing: the long ``cells`` table keeps it as printed),
    ``number`` -> float64, ``boolean`` -> boolean, ``string`` -> str or None."""
    out = frame.reindex(columns=spec.columns).copy()
    for f in spec.fields:
        col = out[f.name]
        if f.type == "integer":
            out[f.name] = pd.array([_as_int(v) for v in col], dtype="Int64")
        elif f.type == "number":
            out[f.name] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif f.type == "boolean":
            out[f.name] = pd.array([_as_bool(v) for v in col], dtype="boolean")
        else:
            out[f.name] = col.astype("object").where(col.notna(), None).map(lambda v: v if v is None else str(v))
    return out.reset_index(drop=True)


def report_frame(reports: pd.DataFrame, cells: pd.DataFrame | None, *, stats: dict | None = None,
                 publishers: list[dict] | None = None) -> pd.DataFrame:
    """The ``reports`` table: one row per report (as :meth:`Report.summary` gives it) plus
    publisher metadata (:func:`~report_extract.publishers.publisher_info`) and duplicates
    (``duplicate_of``, ``is_primary``, ``duplicate_reason``, see :mod:`report_extract.duplicates`),
    typed like ``reports.csv``. A streamed batch gives ``stats`` (report_id ->
    :func:`~report_extract.duplicates.cell_stats`) instead of ``cells``, and ``publishers``, the
    :func:`~report_extract.publishers.publisher_info` of each row (:func:`publisher_of_row`), made
    by its workers."""
    spec = table_specs()["reports"]
    reports = reports.reset_index(drop=True)
    if reports.empty:
        return typed(reports, spec)
    if publishers is None:
        publishers = [publisher_of_row(row) for row in reports.to_dict("records")]
    pubs = pd.DataFrame(publishers)
    pubs = pubs.drop(columns=["agency"])
    reports = reports.drop(columns=[c for c in pubs.columns if c in reports.columns])  # read back: recomputed
    out = pd.concat([reports, pubs], axis=1)
    out = typed(out, spec)
    dups = mark_duplicates(out, cells, stats=stats)
    dups = dups.set_index("report_id").reindex(out["report_id"])
    for col in ("duplicate_of", "is_primary", "duplicate_reason"):
        out[col] = dups[col].to_numpy()
    return typed(out, spec)


def publisher_of_row(row: dict) -> dict:
    """:func:`~report_extract.publishers.publisher_info` of one ``reports`` row (a report's
    :meth:`~report_extract.report.Report.summary`): its agency, with the region and place names
    the report gave as evidence."""
    return publisher_info(row.get("agency"), region=row.get("publisher_region"), text=row.get("publisher_places"))


def sections_frame(items: Iterable[tuple[str, Any]]) -> pd.DataFrame:
    """The ``sections`` table from (report_id, report) pairs: one row per section with prose
    (sections holding only a table are left out)."""
    rows = []
    for rid, rep in items:
        if rep is None:
            continue
        headings = rep.meta.get("section_headings") or {}
        for n, text in sorted((rep.sections or {}).items()):
            if not isinstance(text, str) or not text.strip():
                continue
            rows.append({"report_id": rid, "section": int(n), "heading": headings.get(n), "text": text})
    return pd.DataFrame(rows, columns=SECTION_COLUMNS)


@lru_cache(maxsize=8)
def row_labels(table: str) -> dict[tuple[str, str], str]:
    """(template, row code) -> the row's Chinese label in that template (made once per table: do
    not change the dict)."""
    return {(tpl, code): rd.label for tpl in TEMPLATES for code, rd in template_schema(tpl).rows[table].items()}


def wide_table(cells: pd.DataFrame, table: str, reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per report and row code of ``table``, one column per column code (values as
    printed), rows in the order of the long frame (input order of the reports, template order of
    the rows), with the row's Chinese label. Only the reports listed in ``reports`` (when given)."""
    spec = table_specs()[table]
    sub = cells[cells["table"] == table] if not cells.empty else cells
    if reports is not None:
        sub = sub[sub["report_id"].isin(set(reports["report_id"]))]
    sub = sub.drop_duplicates(["report_id", "row", "column"])
    if sub.empty:
        return typed(pd.DataFrame(columns=spec.columns), spec)
    first = sub.drop_duplicates(["report_id", "row"])[["report_id", "row"]].reset_index(drop=True)
    wide = sub.pivot(index=["report_id", "row"], columns="column", values="value")
    wide = wide.reindex(pd.MultiIndex.from_frame(first)).reset_index()
    if reports is not None and "template" in reports:
        tpl = dict(zip(reports["report_id"], reports["template"]))
        labels = row_labels(table)
        wide["row_label_zh"] = [labels.get((tpl.get(r), code)) for r, code in zip(wide["report_id"], wide["row"])]
    return typed(wide, spec)


def _sections_of(rs: FrameSet) -> pd.DataFrame:
    sections = getattr(rs, "sections", None)
    return sections if sections is not None else pd.DataFrame(columns=SECTION_COLUMNS)


def dataset_frames(rs: FrameSet, *, duplicates: bool = False, tables: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """The output tables of a set of reports (see :func:`~report_extract.writers.fields.table_specs`),
    typed and in a deterministic order (input order, then template order).

    The wide tables hold primary reports only (``reports.is_primary``) unless ``duplicates``;
    ``cells``, ``checks``, ``issues`` and ``sections`` hold every report. ``tables`` chooses
    tables (default: all, in spec order)."""
    specs = table_specs()
    wanted = list(specs) if tables is None else [t for t in specs if t in set(tables)]
    unknown = set(tables or ()) - set(specs)
    if unknown:
        raise ValueError(f"unknown table {', '.join(sorted(unknown))}; choose from {', '.join(specs)}")
    reports = rs.reports if "is_primary" in rs.reports else report_frame(rs.reports, rs.cells)
    shown = reports if duplicates or reports.empty else reports[reports["is_primary"].fillna(True).astype(bool)]
    issues = rs.issues.copy()
    if not issues.empty:
        issues.insert(1, "issue_no", issues.groupby("report_id", sort=False).cumcount() + 1)
    builders = {
        "reports": lambda: reports,
        "cells": lambda: rs.cells,
        **{t: (lambda t=t: wide_table(rs.cells, t, shown)) for t in TABLES},
        "checks": lambda: rs.checks,
        "issues": lambda: issues,
        "errors": lambda: rs.errors.rename(columns={"path": "file"}),
        "crosschecks": lambda: crosscheck(reports, rs.cells),
        "sections": lambda: _sections_of(rs),
    }
    return {name: typed(builders[name](), specs[name]) for name in wanted}


__all__ = ["compact_frame", "plain_frame", "CODE_COLUMNS", "dataset_frames", "report_frame", "sections_frame", "wide_table", "typed", "row_labels", "FrameSet"]
