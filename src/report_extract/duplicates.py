"""Duplicate reports in a dataset: one primary per publisher and year.

A dataset often holds the same report twice: the same publisher's report of one year saved as a web
page and as scraped text, or two crawls of one page. Summing both would count its applications
twice, so every summary (:mod:`report_extract.compare`) keeps only the *primary* of each group.

Grouping (a report joins a group when either holds; groups are closed transitively):

* ``same_publisher_year``: the same publisher and the same year. The publisher is
  ``publisher_key`` when the reports frame has it (see
  :func:`report_extract.publishers.publisher_info`: 洪泽区人民政府 = 淮安市洪泽区人民政府), else
  ``agency_normalized``, else the agency name normalised by
  :func:`report_extract.publishers.normalize_agency`. Reports without a publisher or a year are
  not grouped by this rule.
* ``same_cells``: the same report in two renderings whose publisher name was read differently (or
  not at all): identical printed values in every cell (same table, row, column and value), with at
  least :data:`MIN_NONZERO` non-zero values (all-zero reports of different townships are common
  and are never merged), and the same year when both years are known.

Choosing the primary (the rule, applied in this order; the first difference decides):

1. fewest extraction issues of severity ``error`` (a value could not be placed);
2. fewest failed arithmetic checks;
3. fewest ``ambiguous`` cells, then fewest ``inferred`` cells;
4. the better-structured source format: spreadsheet (xlsx/xls) < docx/doc/wps/rtf < html < pdf <
   text < anything else (a table's cells are explicit in the first, recovered in the last);
5. the most cells with a value;
6. the smallest ``report_id`` (string order) — so the choice is deterministic.
"""

from __future__ import annotations

import hashlib
import math

import pandas as pd

from .publishers import normalize_agency
from .report import severity_of

DUPLICATE_COLUMNS = ["report_id", "duplicate_of", "is_primary", "duplicate_reason"]
MIN_NONZERO = 5
FORMAT_RANK = {"xlsx": 0, "xls": 0, "docx": 1, "doc": 1, "wps": 1, "rtf": 1, "html": 2, "pdf": 3, "text": 4}


def _publisher(reports: pd.DataFrame) -> pd.Series:
    """The publisher identity of every report (None when unknown)."""
    if "publisher_key" in reports:
        col = reports["publisher_key"]
    elif "agency_normalized" in reports:
        col = reports["agency_normalized"]
    elif "agency" in reports:
        col = reports["agency"].map(lambda a: normalize_agency(a) if isinstance(a, str) else None)
    else:
        col = pd.Series([None] * len(reports), index=reports.index)
    return col.map(lambda v: v if isinstance(v, str) and v else None)


def _year(v) -> int | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else int(f)


def _error_issues(codes) -> int:
    if not isinstance(codes, str) or not codes:
        return 0
    return sum(1 for c in codes.split(";") if c and severity_of(c) == "error")


class _Groups:
    """Union-find over report ids."""

    def __init__(self, ids: list[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, i: str) -> str:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


CellStats = tuple[bytes | None, int, int, int]  # (fingerprint, ambiguous, inferred, cells with a value)


def _fingerprint(table, row, column, value) -> bytes | None:
    """A digest of a report's printed values (None with fewer than :data:`MIN_NONZERO` non-zero)."""
    items = [(t, r, c, float(v) + 0.0) for t, r, c, v in zip(table, row, column, value) if v == v and v is not None]
    if sum(1 for it in items if it[3] != 0) < MIN_NONZERO:
        return None
    return hashlib.sha256(repr(sorted(items)).encode("utf-8")).digest()


def cell_stats_of_rows(rows: list[tuple]) -> CellStats:
    """:func:`cell_stats` of plain cell rows (``table, row, column, value, raw, unit, confidence``
    first, as :meth:`report_extract.report.Report.plain_rows` gives them)."""
    if not rows:
        return None, 0, 0, 0
    fp = _fingerprint(*zip(*(r[:4] for r in rows)))
    conf = [r[6] for r in rows]
    n_values = sum(1 for r in rows if r[3] is not None and r[3] == r[3])
    return fp, conf.count("ambiguous"), conf.count("inferred"), n_values


def cell_stats(cells: pd.DataFrame) -> CellStats:
    """What duplicate detection needs of one report's cells: the fingerprint of its printed values
    and its counts of ``ambiguous`` cells, ``inferred`` cells and cells with a value."""
    if cells.empty:
        return None, 0, 0, 0
    values = cells["value"]
    conf = cells["confidence"].astype("object") if "confidence" in cells else pd.Series("certain", index=cells.index)
    fp = _fingerprint(cells["table"], cells["row"], cells["column"], values)
    return fp, int((conf == "ambiguous").sum()), int((conf == "inferred").sum()), int(values.notna().sum())


def stats_by_report(cells: pd.DataFrame) -> dict[str, CellStats]:
    """report_id -> :func:`cell_stats` of its cells, for a long cells frame."""
    if cells.empty or "report_id" not in cells:
        return {}
    return {str(rid): cell_stats(sub) for rid, sub in cells.groupby("report_id", sort=False)}


def mark_duplicates(reports: pd.DataFrame, cells: pd.DataFrame | None = None, *,
                    stats: dict[str, CellStats] | None = None) -> pd.DataFrame:
    """Group duplicate reports and choose one primary per group.

    ``reports`` has one row per report (``report_id`` and ``year``; ``publisher_key``,
    ``agency_normalized`` or ``agency``; optionally ``issues``, ``n_failed_checks``,
    ``source_format``, ``n_values``); ``cells`` is the long cells frame with ``report_id``.

    Returns one row per report, in the order of ``reports``: ``report_id``, ``duplicate_of`` (the
    primary's ``report_id`` for a duplicate, None for a primary), ``is_primary`` (True for the one
    report of each group counted in summaries, and for every report without duplicates) and
    ``duplicate_reason`` (``same_publisher_year`` and/or ``same_cells`` joined by ``;`` for a
    duplicate, ``""`` for a primary). See the module docstring for the grouping and the rule that
    chooses the primary (fewest error issues, failed checks, ambiguous then inferred cells; better
    structured format; more values; then ``report_id``).
    """
    if reports.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in DUPLICATE_COLUMNS}).astype({"is_primary": bool})
    ids = [str(r) for r in reports["report_id"]]
    pubs = list(_publisher(reports))
    years = [_year(y) for y in reports["year"]] if "year" in reports else [None] * len(ids)
    groups = _Groups(ids)
    # Links are kept linear in the number of reports (a folder may hold one page hundreds of times):
    # same publisher and year links each report to the first of its (publisher, year); same cells
    # (an equal fingerprint, years equal or unknown) is an equivalence per fingerprint, kept as its
    # members by year, with the pair test done on demand for the reason.
    pubyear_first: dict[str, str] = {}  # a report -> the first report of its (publisher, year)
    first: dict[tuple[str, int], str] = {}
    for rid, pub, year in zip(ids, pubs, years):
        if pub is None or year is None:
            continue
        if (pub, year) in first:
            pubyear_first[rid] = first[(pub, year)]
            groups.union(first[(pub, year)], rid)
        else:
            first[(pub, year)] = rid
    linked_first = set(pubyear_first.values())
    if stats is None:
        stats = stats_by_report(cells if cells is not None else pd.DataFrame())
    fps = {rid: st[0] for rid, st in stats.items() if st[0] is not None}
    year_of = dict(zip(ids, years))
    by_fp: dict[tuple, dict[int | None, list[str]]] = {}
    for rid in ids:
        if rid in fps:
            by_fp.setdefault(fps[rid], {}).setdefault(year_of[rid], []).append(rid)
    same_cells_linked: set[str] = set()  # reports with another report of equal cells and a compatible year
    for by_year in by_fp.values():
        unknown = by_year.get(None, [])
        size = sum(map(len, by_year.values()))
        heads = []
        for year, members in by_year.items():
            for b in members[1:]:
                groups.union(members[0], b)
            heads.append(members[0])
            others = size - 1 if year is None else len(members) - 1 + len(unknown)
            if others > 0:
                same_cells_linked.update(members)
        if unknown:
            for h in heads:
                groups.union(unknown[0], h)

    def pair_reasons(a: str, b: str) -> set[str]:
        why = set()
        if pubyear_first.get(a) == b or pubyear_first.get(b) == a:
            why.add("same_publisher_year")
        fa, fb = fps.get(a), fps.get(b)
        if fa is not None and fa == fb:
            ya, yb = year_of[a], year_of[b]
            if ya is None or yb is None or ya == yb:
                why.add("same_cells")
        return why

    def own_reasons(a: str) -> set[str]:
        why = set()
        if a in pubyear_first or a in linked_first:
            why.add("same_publisher_year")
        if a in same_cells_linked:
            why.add("same_cells")
        return why

    conf = {rid: st[1:] for rid, st in stats.items()}
    issues = list(reports["issues"]) if "issues" in reports else [""] * len(ids)
    failed = list(reports["n_failed_checks"]) if "n_failed_checks" in reports else [0] * len(ids)
    formats = list(reports["source_format"]) if "source_format" in reports else [None] * len(ids)

    def rank(i: int) -> tuple:
        rid = ids[i]
        amb, inf, nval = conf.get(rid, (0, 0, 0))
        nfail = _year(failed[i]) or 0
        return (_error_issues(issues[i]), nfail, amb, inf, FORMAT_RANK.get(str(formats[i]), 9), -nval, rid)

    members: dict[str, list[int]] = {}
    for i, rid in enumerate(ids):
        members.setdefault(groups.find(rid), []).append(i)
    primary_of: dict[str, str] = {}
    for idx in members.values():
        best = ids[min(idx, key=rank)]
        for i in idx:
            primary_of[ids[i]] = best

    rows = []
    for rid in ids:
        prim = primary_of[rid]
        if prim == rid:
            rows.append({"report_id": rid, "duplicate_of": None, "is_primary": True, "duplicate_reason": ""})
            continue
        why = pair_reasons(rid, prim) or own_reasons(rid)
        rows.append({"report_id": rid, "duplicate_of": prim, "is_primary": False,
                     "duplicate_reason": ";".join(sorted(why))})
    out = pd.DataFrame({
        "report_id": pd.Series([r["report_id"] for r in rows], dtype="object"),
        "duplicate_of": pd.Series([r["duplicate_of"] for r in rows], dtype="object"),
        "is_primary": pd.Series([r["is_primary"] for r in rows], dtype=bool),
        "duplicate_reason": pd.Series([r["duplicate_reason"] for r in rows], dtype="object"),
    })
    return out


__all__ = ["mark_duplicates", "cell_stats", "cell_stats_of_rows", "stats_by_report", "CellStats", "DUPLICATE_COLUMNS", "FORMAT_RANK", "MIN_NONZERO"]
