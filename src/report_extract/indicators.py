"""Indicators computed from the schema cells, defined as data in ``data/indicators.csv``.

Each indicator has a ``formula`` over the cells of the standard schema (``data/cells.csv``):

* a *term* is ``table.row.column`` (``requests.granted.total``); each part may use shell wildcards
  (``requests.denied_*.total`` is the eight 不予公开 reasons), or ``@code``, another indicator;
* a *sum* is terms joined by ``+``; a formula is a sum, or a ratio ``sum / sum``.

A term matches the cells the report prints, so a formula may name the cells of both templates
(``proactive.rules.issued + proactive.rules.produced``): each report has only its template's.

Blanks (``blank`` column): ``zero`` — a blank or placeholder cell counts as 0 (as in the template's
own checks) when at least one cell of the sum prints a number; the value is empty when none does;
``missing`` — the value is empty when any cell of the sum is blank. A ratio is empty when its
denominator is empty or 0.

Data quality travels with every figure: ``failed_checks`` lists the report's failed arithmetic
checks that involve one of the figure's cells, ``ambiguous_cells`` the figure's cells whose reading
the text did not settle, and ``quality`` sums it up: ``check_failed``, ``ambiguous``, ``ok`` or
``no_data``.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from fnmatch import translate
from functools import cache
from importlib import resources

import pandas as pd

from .checks import check_families

INDICATOR_COLUMNS = [
    "report_id", "indicator", "value", "cells", "n_blank", "failed_checks", "ambiguous_cells", "quality",
]
QUALITY_ORDER = ("ok", "ambiguous", "check_failed", "no_data")

CellKey = tuple[str, str, str]


@dataclass(frozen=True)
class Indicator:
    """One row of ``data/indicators.csv``, its formula parsed."""

    code: str
    group: str
    label_zh: str
    label_en: str
    formula: str
    blank: str
    unit: str
    description: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] | None

    @property
    def is_share(self) -> bool:
        """True for a ratio (a share between 0 and 1)."""
        return self.denominator is not None


def _terms(text: str) -> tuple[str, ...]:
    terms = tuple(t.strip() for t in text.split("+"))
    for t in terms:
        if not (t.startswith("@") or t.count(".") == 2):
            raise ValueError(f"indicator formula term {t!r} is neither table.row.column nor @indicator")
    return terms


@cache
def indicator_defs() -> dict[str, Indicator]:
    """The indicators of ``data/indicators.csv`` by code, in file order."""
    out: dict[str, Indicator] = {}
    with resources.files("report_extract.data").joinpath("indicators.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            num, _, den = r["formula"].partition("/")
            if r["blank"] not in ("zero", "missing"):
                raise ValueError(f"indicator {r['code']}: blank must be 'zero' or 'missing', not {r['blank']!r}")
            out[r["code"]] = Indicator(
                code=r["code"], group=r["group"], label_zh=r["label_zh"], label_en=r["label_en"],
                formula=r["formula"], blank=r["blank"], unit=r["unit"], description=r["description"],
                numerator=_terms(num), denominator=_terms(den) if den.strip() else None,
            )
    for ind in out.values():
        for t in ind.numerator + (ind.denominator or ()):
            if t.startswith("@") and t[1:] not in out:
                raise ValueError(f"indicator {ind.code} refers to unknown indicator {t}")
    return out


@cache
def _pattern(term: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    return tuple(re.compile(translate(p)) for p in term.split("."))  # type: ignore[return-value]


@cache
def _check_cells(check_id: str) -> frozenset[CellKey]:
    """The cells one check (``requests.balance.total``) adds up."""
    family, _, key = check_id.rpartition(".")
    for fam in check_families():
        if fam.family == family:
            parts = fam.lhs + fam.rhs
            if fam.axis == "column":
                return frozenset((fam.table, p, key) for p in parts)
            return frozenset((fam.table, key, p) for p in parts)
    return frozenset()


def _isnan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


class _ReportCells:
    """One report's cells, for evaluating formulas."""

    def __init__(self, cells: pd.DataFrame, failed: list[str]) -> None:
        self.values: dict[CellKey, float] = {}
        self.raw: dict[CellKey, str] = {}
        self.ambiguous: set[CellKey] = set()
        conf = cells["confidence"] if "confidence" in cells else [None] * len(cells)
        raws = cells["raw"] if "raw" in cells else [None] * len(cells)
        for t, r, c, v, cf, raw in zip(cells["table"], cells["row"], cells["column"], cells["value"], conf, raws):
            key = (t, r, c)
            if key in self.values:  # the first printing of a cell counts, as in the wide tables
                continue
            self.values[key] = float("nan") if _isnan(v) else float(v)
            self.raw[key] = "" if _isnan(raw) else str(raw)
            if cf == "ambiguous":
                self.ambiguous.add(key)
        self.failed = failed
        self.memo: dict[str, tuple[float, list[CellKey]]] = {}

    def match(self, term: str) -> list[CellKey]:
        pt, pr, pc = _pattern(term)
        return [k for k in self.values if pt.fullmatch(k[0]) and pr.fullmatch(k[1]) and pc.fullmatch(k[2])]

    def total(self, terms: tuple[str, ...], blank: str) -> tuple[float, list[CellKey]]:
        value, printed, any_blank, used = 0.0, False, False, []
        for term in terms:
            if term.startswith("@"):
                v, keys = self.indicator(indicator_defs()[term[1:]])
                used += keys
                if math.isnan(v):
                    any_blank = True
                else:
                    printed = True
                    value += v
                continue
            for k in self.match(term):
                used.append(k)
                v = self.values[k]
                if math.isnan(v):
                    any_blank = True
                else:
                    printed = True
                    value += v
        if not printed or (blank == "missing" and any_blank):
            return float("nan"), used
        return value, used

    def indicator(self, ind: Indicator) -> tuple[float, list[CellKey]]:
        if ind.code in self.memo:
            return self.memo[ind.code]
        num, used = self.total(ind.numerator, ind.blank)
        if ind.denominator is not None:
            den, used_den = self.total(ind.denominator, ind.blank)
            used = used + [k for k in used_den if k not in used]
            num = float("nan") if math.isnan(den) or den == 0 or math.isnan(num) else num / den
        self.memo[ind.code] = (num, used)
        return num, used


def _failed_by_report(checks: pd.DataFrame) -> dict[str, list[str]]:
    if checks is None or checks.empty:
        return {}
    failed = checks[~checks["passed"].astype(bool)]
    return {str(rid): sorted(sub["check"]) for rid, sub in failed.groupby("report_id", sort=False)}


def evaluate(cells: pd.DataFrame, checks: pd.DataFrame | None = None,
             codes: list[str] | None = None) -> pd.DataFrame:
    """Every indicator for every report: one row per report and indicator.

    ``cells`` is the long cells frame with ``report_id`` (``confidence`` and ``raw`` used when
    present); ``checks`` the checks frame with ``report_id`` (for the data-quality columns).
    Columns: ``report_id``, ``indicator``, ``value`` (float, NaN when empty), ``cells`` (the
    cells used, ``table.row.column=printed text`` joined by ``;``), ``n_blank`` (cells used that
    are blank), ``failed_checks`` (failed checks involving those cells), ``ambiguous_cells`` and
    ``quality`` (``check_failed``, ``ambiguous``, ``ok``, ``no_data``).
    """
    defs = indicator_defs()
    wanted = [defs[c] for c in (codes or list(defs))]
    failed = _failed_by_report(checks) if checks is not None else {}
    rows: list[dict] = []
    if cells is None or cells.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    for rid, sub in cells.groupby("report_id", sort=False):
        rc = _ReportCells(sub, failed.get(str(rid), []))
        for ind in wanted:
            value, used = rc.indicator(ind)
            used_set = set(used)
            fails = [c for c in rc.failed if _check_cells(c) & used_set]
            amb = [".".join(k) for k in used if k in rc.ambiguous]
            if math.isnan(value) and not any(not math.isnan(rc.values[k]) for k in used):
                quality = "no_data"
            elif fails:
                quality = "check_failed"
            elif amb:
                quality = "ambiguous"
            else:
                quality = "ok"
            rows.append({
                "report_id": rid,
                "indicator": ind.code,
                "value": value,
                "cells": ";".join(f"{'.'.join(k)}={rc.raw[k]}" for k in used),
                "n_blank": sum(1 for k in used if math.isnan(rc.values[k])),
                "failed_checks": ";".join(fails),
                "ambiguous_cells": ";".join(amb),
                "quality": quality,
            })
    out = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    out["value"] = out["value"].astype("float64")
    return out


def indicator_table(cells: pd.DataFrame, checks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per report (``report_id``), one column per indicator, in the order of the file."""
    long = evaluate(cells, checks)
    if long.empty:
        return pd.DataFrame(columns=["report_id", *indicator_defs()])
    wide = long.pivot(index="report_id", columns="indicator", values="value")
    order = list(dict.fromkeys(long["report_id"]))
    wide = wide.reindex(index=order, columns=list(indicator_defs()))
    wide.columns.name = None
    return wide.reset_index()


def dictionary_markdown() -> str:
    """The indicators section of the data dictionary (Markdown), generated from indicators.csv."""
    lines = [
        "## Indicators (`indicators.csv`, `report-extract compare`)",
        "",
        "Computed per report from the cells above by `report_extract.indicators` (formulas: "
        "`table.row.column` terms, `*` wildcards, `@indicator` references, `+` sums and one `/`). "
        "Blanks: `zero` counts a blank cell as 0 when another cell of the sum prints a number "
        "(empty when none does); `missing` leaves the figure empty when any cell is blank. A share is "
        "empty when its denominator is 0. Every figure carries `quality` (`check_failed`, `ambiguous`, "
        "`ok`, `no_data`), the failed checks and ambiguous cells it involves; summaries count each "
        "publisher and year once (duplicates: `report_extract.duplicates`).",
        "",
        "| code | 中文 | English | formula | blanks | unit | description |",
        "|---|---|---|---|---|---|---|",
    ]
    for ind in indicator_defs().values():
        lines.append(f"| `{ind.code}` | {ind.label_zh} | {ind.label_en} | `{ind.formula}` | {ind.blank} | {ind.unit} | {ind.description.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


__all__ = ["Indicator", "indicator_defs", "evaluate", "indicator_table", "dictionary_markdown",
           "INDICATOR_COLUMNS", "QUALITY_ORDER"]
