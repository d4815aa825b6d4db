"""Duplicate reports: grouping and the primary-choosing rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from report_extract.duplicates import DUPLICATE_COLUMNS, mark_duplicates

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs"


def _cells(rid: str, values: list[float], confidence: str = "certain") -> list[dict]:
    cols = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
            "legal_service_org", "other_org", "total"]
    return [{"report_id": rid, "table": "requests", "row": "new_received", "column": c, "value": v,
             "confidence": confidence} for c, v in zip(cols, values)]


def _reports(rows: list[dict]) -> pd.DataFrame:
    base = {"issues": "", "n_failed_checks": 0, "source_format": "text", "n_values": 7}
    return pd.DataFrame([{**base, **r} for r in rows])


def _row(out: pd.DataFrame, rid: str) -> dict:
    return out.set_index("report_id").loc[rid].to_dict()


def test_same_publisher_year_grouped_and_format_decides():
    reports = _reports([
        {"report_id": "b.txt", "publisher_key": "K1", "year": 2024, "source_format": "text"},
        {"report_id": "a.html", "publisher_key": "K1", "year": 2024, "source_format": "html"},
        {"report_id": "c.txt", "publisher_key": "K1", "year": 2023},
        {"report_id": "d.txt", "publisher_key": "K2", "year": 2024},
    ])
    cells = pd.DataFrame(_cells("b.txt", [1, 0, 0, 0, 0, 0, 1]) + _cells("a.html", [1, 0, 0, 0, 0, 0, 1]))
    out = mark_duplicates(reports, cells)
    assert list(out.columns) == DUPLICATE_COLUMNS
    assert list(out["report_id"]) == ["b.txt", "a.html", "c.txt", "d.txt"]
    assert _row(out, "a.html") == {"duplicate_of": None, "is_primary": True, "duplicate_reason": ""}
    assert _row(out, "b.txt") == {"duplicate_of": "a.html", "is_primary": False, "duplicate_reason": "same_publisher_year"}
    assert out.loc[out["report_id"].isin(["c.txt", "d.txt"]), "is_primary"].tolist() == [True, True]


def test_rule_order_errors_then_checks_then_ambiguous():
    # the html has an error issue: the text rendering wins despite its format
    reports = _reports([
        {"report_id": "x.html", "agency": "某县人民政府", "year": 2022, "source_format": "html", "issues": "unplaced_value"},
        {"report_id": "x.txt", "agency": "某县人民政府 ", "year": 2022, "source_format": "text", "issues": "missing_section"},
    ])
    out = mark_duplicates(reports, pd.DataFrame(columns=["report_id", "table", "row", "column", "value", "confidence"]))
    assert _row(out, "x.txt")["is_primary"] and _row(out, "x.html")["duplicate_of"] == "x.txt"

    # same issues, fewer failed checks wins
    reports = _reports([
        {"report_id": "a", "agency": "甲镇", "year": 2021, "n_failed_checks": 2},
        {"report_id": "b", "agency": "甲镇", "year": 2021, "n_failed_checks": 0},
    ])
    out = mark_duplicates(reports, pd.DataFrame(columns=["report_id", "table", "row", "column", "value", "confidence"]))
    assert _row(out, "a")["duplicate_of"] == "b"

    # same checks, fewer ambiguous cells wins over report_id order
    reports = _reports([{"report_id": "a", "agency": "甲镇", "year": 2021}, {"report_id": "b", "agency": "甲镇", "year": 2021}])
    cells = pd.DataFrame(_cells("a", [1, 2, 0, 0, 0, 0, 3], "ambiguous") + _cells("b", [1, 2, 0, 0, 0, 0, 3]))
    out = mark_duplicates(reports, cells)
    assert _row(out, "a")["duplicate_of"] == "b"

    # everything equal: report_id order, whatever the input order
    reports = _reports([{"report_id": "z", "agency": "甲镇", "year": 2021}, {"report_id": "m", "agency": "甲镇", "year": 2021}])
    out = mark_duplicates(reports, pd.DataFrame(columns=["report_id", "table", "row", "column", "value", "confidence"]))
    assert _row(out, "z")["duplicate_of"] == "m"
    out2 = mark_duplicates(reports.iloc[::-1].reset_index(drop=True), pd.DataFrame(columns=["report_id", "table", "row", "column", "value", "confidence"]))
    assert _row(out2, "z")["duplicate_of"] == "m"


def test_same_cells_groups_differently_named_renderings_but_not_all_zero_reports():
    reports = _reports([
        {"report_id": "r1", "agency": "甲县财政局", "year": 2023},
        {"report_id": "r2", "agency": None, "year": 2023, "source_format": "html"},
        {"report_id": "z1", "agency": "乙镇", "year": 2023},
        {"report_id": "z2", "agency": "丙镇", "year": 2023},
        {"report_id": "r3", "agency": "丁县", "year": 2022},
    ])
    vals = [3, 1, 1, 1, 1, 0, 7]
    cells = pd.DataFrame(_cells("r1", vals) + _cells("r2", vals) + _cells("z1", [0] * 7) + _cells("z2", [0] * 7)
                         + _cells("r3", vals))
    out = mark_duplicates(reports, cells)
    assert _row(out, "r1") == {"duplicate_of": "r2", "is_primary": False, "duplicate_reason": "same_cells"}
    assert _row(out, "r2")["is_primary"]
    # all-zero reports of two townships, and identical values in another year, are not duplicates
    assert out.set_index("report_id").loc[["z1", "z2", "r3"], "is_primary"].all()


def test_groups_are_transitive():
    vals = [5, 1, 1, 1, 1, 0, 9]
    reports = _reports([
        {"report_id": "a", "agency": "甲镇", "year": 2024, "source_format": "pdf"},
        {"report_id": "b", "agency": "甲镇", "year": 2024, "source_format": "text"},
        {"report_id": "c", "agency": None, "year": None, "source_format": "docx"},
    ])
    cells = pd.DataFrame(_cells("b", vals) + _cells("c", vals) + _cells("a", [5, 1, 1, 1, 1, 0, 8]))
    out = mark_duplicates(reports, cells)
    assert out.set_index("report_id")["duplicate_of"].to_dict() == {"a": "c", "b": "c", "c": None}
    assert _row(out, "b")["duplicate_reason"] == "same_cells"
    assert _row(out, "a")["duplicate_reason"] == "same_publisher_year"


def test_empty():
    out = mark_duplicates(pd.DataFrame(columns=["report_id", "year"]), pd.DataFrame())
    assert list(out.columns) == DUPLICATE_COLUMNS and out.empty


@pytest.mark.skipif(not (CORPUS / "h008.html").exists(), reason="shared corpus not available (../shared/corpus)")
def test_corpus_two_renderings_of_one_report():
    import report_extract as rx

    rs = rx.read_reports([CORPUS / "h007.txt", CORPUS / "h008.html", CORPUS / "h006.txt"], jobs=1)
    frames = rs.frames()
    out = mark_duplicates(frames["reports"], frames["cells"]).set_index("report_id")
    h7, h8, h6 = (str(CORPUS / n) for n in ("h007.txt", "h008.html", "h006.txt"))
    assert out.loc[h8, "is_primary"] and out.loc[h6, "is_primary"]
    assert out.loc[h7, "duplicate_of"] == h8
    assert set(out.loc[h7, "duplicate_reason"].split(";")) == {"same_publisher_year", "same_cells"}


def test_many_copies_of_one_page_link_linearly():
    """A crawl that saved one page thousands of times: one primary, every copy points to it, with the
    reasons of a pair (the links are kept per report, not per pair of copies: 3,000 copies were
    4.5 million pairs before)."""
    from report_extract.duplicates import mark_duplicates

    n = 3000
    ids = [f"r{i:05d}" for i in range(n)]
    reports = pd.DataFrame({"report_id": ids, "publisher_key": ["P"] * n, "year": [2021] * (n - 1) + [None],
                            "source_format": ["txt"] * n})
    stats = {rid: (b"same", 0, 0, 40) for rid in ids}
    out = mark_duplicates(reports, stats=stats)
    assert out["is_primary"].sum() == 1 and out.loc[0, "is_primary"]
    dups = out[~out["is_primary"]]
    assert set(dups["duplicate_of"]) == {"r00000"}
    assert set(dups["duplicate_reason"][:-1]) == {"same_cells;same_publisher_year"}
    assert dups["duplicate_reason"].iloc[-1] == "same_cells"  # the copy without a year: equal cells only
