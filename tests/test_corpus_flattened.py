"""Real scraped pages whose table cells run together (h001-h007, h017-h021) against their labels.

The labels mark each cell ``certain`` (one reading), ``inferred`` (the report's arithmetic or
prose settles it) or ``ambiguous`` (the text alone cannot). Some ``inferred`` cells of section 二
were settled by the labeller with identities ACROSS reports (last year's 对外公开总数量 + this
year's 新公开 = this year's total, read in the neighbouring document); one report read alone
cannot see them, so there those cells are held to the same rule as ambiguous ones: right, or
flagged. Read together (``read_reports``), every ``certain`` and ``inferred`` cell must match.
"""

from __future__ import annotations

import re

import pytest

import report_extract as rx
from conftest import DOCS, cell_mismatches, load_label, requires_corpus

FLAT_DOCS = [f"h{n:03d}.txt" for n in (1, 2, 3, 4, 5, 6, 7, 17, 18, 19, 20, 21)]
_OTHER_DOC = re.compile(r"\bh0\d\d(?!\.html)")


def _flagged(report, key: tuple[str, str, str]) -> bool:
    """True when the report says it is unsure of the cell: an issue names it or it is ambiguous."""
    name = ".".join(key)
    if any(name in m for m in report.issues["message"]):
        return True
    c = report.cells
    hit = c[(c["table"] == key[0]) & (c["row"] == key[1]) & (c["column"] == key[2])]
    return bool(len(hit)) and hit["confidence"].iloc[0] == "ambiguous"


def _needs_other_documents(note) -> bool:
    return isinstance(note, str) and bool(_OTHER_DOC.search(note))


@requires_corpus
@pytest.mark.parametrize("name", FLAT_DOCS)
def test_flattened_text_matches_label(name):
    label, meta = load_label(name)
    r = rx.read_report(DOCS / name)  # speed: benchmarks/flat_speed.py
    assert r.meta["template"] == meta["template"]
    assert r.meta["agency"] == meta["agency"]
    assert r.meta["year"] == meta["year"]
    assert len(r.cells) == len(label)  # h020 prints no 规章 row: missing stays missing
    assert r.failed_checks == sorted(meta["published_check_failures"])

    strict = label[label["confidence"].isin(["certain", "inferred"]) & ~label["note"].map(_needs_other_documents)]
    wrong = [m for m in cell_mismatches(r, strict, confidences=("certain", "inferred")) if not m.startswith("extra ")]
    assert wrong == []

    loose = label[~label.index.isin(strict.index)]
    got = {(t, ro, c): v for t, ro, c, v in zip(r.cells["table"], r.cells["row"], r.cells["column"], r.cells["value"])}
    for row in loose.itertuples(index=False):
        key = (row.table, row.row, row.column)
        assert key in got, f"missing {key}"
        if abs(got[key] - float(row.value)) > 1e-9:
            assert _flagged(r, key), f"{'.'.join(key)} = {got[key]} (label {row.value}) is wrong and not flagged"


@requires_corpus
def test_flattened_reports_read_together_settle_each_other():
    """All twelve read as one dataset: the reports of one publisher in adjacent years (h001 2019,
    h002 2020) settle each other's glued runs, so every labelled certain or inferred cell matches,
    every ambiguous one is right or still flagged, and the checks are those of the labels."""
    rs = rx.read_reports([DOCS / n for n in FLAT_DOCS])
    assert rs.errors.empty
    for rid, name in zip(rs.reports["report_id"], FLAT_DOCS):
        label, meta = load_label(name)
        r = rs.report(rid)
        sure = label[label["confidence"].isin(["certain", "inferred"])]
        wrong = [m for m in cell_mismatches(r, sure, confidences=("certain", "inferred")) if not m.startswith("extra ")]
        assert wrong == [], name
        assert len(r.cells) == len(label), name
        assert r.failed_checks == sorted(meta["published_check_failures"]), name
        unsure = label[label["confidence"] == "ambiguous"]
        got = {(t, ro, c): v for t, ro, c, v in zip(r.cells["table"], r.cells["row"], r.cells["column"], r.cells["value"])}
        for row in unsure.itertuples(index=False):
            key = (row.table, row.row, row.column)
            if abs(got[key] - float(row.value)) > 1e-9:
                assert _flagged(r, key), f"{name}: {'.'.join(key)} = {got[key]} (label {row.value}) wrong, not flagged"
    notes = rs.issues[rs.issues["code"] == "inferred_across_years"]
    assert any("proactive.penalty.previous_year_items" in m and "took 2648|0|430 (was 264|80|430)" in m for m in notes["message"])


@requires_corpus
@pytest.mark.parametrize("name", FLAT_DOCS)
def test_flattened_confidence_and_provenance(name):
    label, _ = load_label(name)
    r = rx.read_report(DOCS / name)
    assert set(r.cells["confidence"]) <= {"certain", "inferred", "ambiguous"}
    assert r.cells["line"].notna().all()
    # a cell the label calls certain (one reading of the text) is never called ambiguous
    certain = {(t, ro, c) for t, ro, c, k in zip(label["table"], label["row"], label["column"], label["confidence"]) if k == "certain"}
    amb = {(t, ro, c) for t, ro, c, k in zip(r.cells["table"], r.cells["row"], r.cells["column"], r.cells["confidence"]) if k == "ambiguous"}
    assert not (certain & amb)
    for code in r.issues["code"]:
        assert code != "unresolved_split"


@requires_corpus
def test_h021_total_row_read_by_column_sums():
    r = rx.read_report(DOCS / "h021.txt")
    wide = r.table("requests")
    assert wide.loc["total_processed", "natural_person"] == 19
    assert wide.loc["total_processed", "commercial_enterprise"] == 1
    assert wide.loc["total_processed", "total"] == 19


@requires_corpus
def test_h006_section_four_seventeen_digits():
    r = rx.read_report(DOCS / "h006.txt")
    rl = r.table("review_litigation")
    assert rl.loc["review"].tolist() == [2, 1, 3, 1, 7]
    assert rl.loc["litigation_after_review"].tolist() == [13, 2, 4, 0, 19]


@requires_corpus
def test_ambiguous_split_issue_names_cells():
    r = rx.read_report(DOCS / "h001.txt")
    msgs = r.issues.loc[r.issues["code"] == "ambiguous_split", "message"]
    assert any("proactive.procurement.projects" in m for m in msgs)
    amb = r.cells[r.cells["confidence"] == "ambiguous"]
    assert ("procurement", "amount") in set(zip(amb["row"], amb["column"]))


@requires_corpus
def test_pre_2019_flattened_report_is_refused():
    with pytest.raises(rx.NotAReportError):
        rx.read_report(DOCS / "h010.txt")
