"""Checks across the reports of a dataset.

* ``carry_over``: a publisher's 上年结转政府信息公开申请数量 (``carried_over``) this year should equal
  its 结转下年度继续办理 (``carried_forward``) in the report of the year before, column by column.
* ``duplicate``: several reports of the same publisher and year.

Publishers are matched on the normalised name (``agency_normalized``). Blank cells count as 0,
as in the template's own checks.
"""

from __future__ import annotations

import math

import pandas as pd

from .writers.fields import CROSSCHECK_FIELDS

CROSSCHECK_COLUMNS = [f.name for f in CROSSCHECK_FIELDS]
APPLICANT_COLUMNS = [
    "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
    "legal_service_org", "other_org", "total",
]


def _num(v) -> float:
    return 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def crosscheck(reports: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """The cross-report checks of a dataset (``reports`` with ``report_id, agency[, agency_normalized], year``
    and the long ``cells`` frame), one row per check, sorted by publisher, year and check."""
    if reports.empty or "year" not in reports:
        return pd.DataFrame(columns=CROSSCHECK_COLUMNS)
    pub_col = "agency_normalized" if "agency_normalized" in reports else "agency"
    reps = reports[["report_id", pub_col, "year"]].rename(columns={pub_col: "publisher"})
    reps = reps[reps["publisher"].notna() & reps["year"].notna()].copy()
    reps["year"] = reps["year"].astype(int)
    rows: list[dict] = []
    first: dict[tuple[str, int], str] = {}
    for rid, pub, year in zip(reps["report_id"], reps["publisher"], reps["year"]):
        key = (pub, year)
        if key in first:
            rows.append({"crosscheck": "duplicate", "publisher": pub, "year": year, "column": None,
                         "report_id": rid, "other_report_id": first[key], "expected": None, "actual": None,
                         "passed": False})
        else:
            first[key] = rid
    if not cells.empty:
        req = cells[(cells["table"] == "requests") & cells["row"].isin(["carried_over", "carried_forward"])]
        vals = {(r, row, col): v for r, row, col, v in zip(req["report_id"], req["row"], req["column"], req["value"])}
        for (pub, year), rid in first.items():
            prev = first.get((pub, year - 1))
            if prev is None:
                continue
            for col in APPLICANT_COLUMNS:
                now_key, prev_key = (rid, "carried_over", col), (prev, "carried_forward", col)
                if now_key not in vals or prev_key not in vals:
                    continue
                actual, expected = _num(vals[now_key]), _num(vals[prev_key])
                rows.append({"crosscheck": "carry_over", "publisher": pub, "year": year, "column": col,
                             "report_id": rid, "other_report_id": prev, "expected": expected, "actual": actual,
                             "passed": abs(actual - expected) < 1e-9})
    out = pd.DataFrame(rows, columns=CROSSCHECK_COLUMNS)
    if out.empty:
        return out
    out["_c"] = out["column"].map(lambda c: APPLICANT_COLUMNS.index(c) if c in APPLICANT_COLUMNS else -1)
    out = out.sort_values(["publisher", "year", "crosscheck", "_c", "report_id"], kind="stable").drop(columns="_c")
    out["year"] = out["year"].astype("Int64")
    out["passed"] = out["passed"].astype(bool)
    return out.reset_index(drop=True)


__all__ = ["crosscheck", "CROSSCHECK_COLUMNS"]
