"""Checks across the reports of a dataset.

* ``carry_over``: a publisher's 上年结转政府信息公开申请数量 (``carried_over``) this year should equal
  its 结转下年度继续办理 (``carried_forward``) in the report of the year before, column by column.
* ``duplicate``: several reports of the same publisher and year.

Publishers are matched on ``publisher_key`` (see :func:`report_extract.publishers.publisher_info`:
the division code, body and department when the division is resolved, else the normalised name),
so 洪泽区人民政府 and 淮安市洪泽区人民政府 are one publisher. Blank cells count as 0, as in the
template's own checks.
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
    """The cross-report checks of a dataset, one row per check, sorted by publisher, year and check.

    ``reports`` needs ``report_id``, ``agency_normalized`` (or ``agency``), ``year`` and optionally
    ``publisher_key``; ``cells`` is the long cells frame with ``report_id``.
    """
    if reports.empty or "year" not in reports:
        return pd.DataFrame(columns=CROSSCHECK_COLUMNS)
    name_col = "agency_normalized" if "agency_normalized" in reports else "agency"
    key_col = "publisher_key" if "publisher_key" in reports else name_col
    reps = reports[["report_id", name_col, key_col, "year"]].set_axis(["report_id", "name", "key", "year"], axis=1)
    reps = reps[reps["key"].notna() & reps["year"].notna()].copy()
    reps["year"] = reps["year"].astype(int)
    rows: list[dict] = []
    first: dict[tuple[str, int], str] = {}
    names = dict(zip(reps["report_id"], reps["name"]))
    for rid, pub, year in zip(reps["report_id"], reps["key"], reps["year"]):
        key = (pub, year)
        if key in first:
            rows.append({"crosscheck": "duplicate", "publisher": names[rid], "year": year, "column": None,
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
                rows.append({"crosscheck": "carry_over", "publisher": names[rid], "year": year, "column": col,
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
