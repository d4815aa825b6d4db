"""The real scraped archive (``../shared/archive/``) read end to end; skipped when it is absent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import report_extract as rx

ARCHIVE = Path(__file__).resolve().parents[1].parent / "shared" / "archive"

pytestmark = pytest.mark.skipif(not (ARCHIVE / "docs").is_dir(), reason="../shared/archive not present")


@pytest.fixture(scope="module")
def archive() -> tuple[rx.ReportSet, list[str]]:
    files = sorted(str(p) for p in (ARCHIVE / "docs").glob("*.txt"))
    with (ARCHIVE / "INDEX.csv").open(encoding="utf-8") as fh:
        unit = {row["file"]: row["unit"] for row in csv.DictReader(fh)}
    return rx.read_reports(files, group={f: unit[Path(f).name] for f in files}), files


def test_every_report_is_read_with_few_error_issues(archive):
    rs, files = archive
    assert len(rs.reports) == len(files) and rs.errors.empty
    err = rs.issues[rs.issues["severity"] == "error"]
    assert err["report_id"].nunique() <= 3


def test_evidence_is_named_for_every_cell_it_settles(archive):
    rs, _files = archive
    iss = rs.issues
    for code, marker in (("inferred_from_prose", "«"), ("inferred_across_years", " report (")):
        msgs = iss.loc[iss["code"] == code, "message"]
        assert len(msgs) > 0
        assert all(marker in m for m in msgs)
    # an ambiguous cell always has its ambiguous_split issue
    amb = rs.cells[rs.cells["confidence"] == "ambiguous"]
    named = iss[iss["code"] == "ambiguous_split"]
    for rid, table, row, col in zip(amb["report_id"], amb["table"], amb["row"], amb["column"]):
        msgs = named.loc[named["report_id"] == rid, "message"]
        assert any(f"{table}.{row}.{col}" in m.split(":", 1)[0] for m in msgs), (rid, row, col)


def test_cells_settled_by_a_bound_are_inferred_and_named(archive):
    rs, _files = archive
    iss = rs.issues
    notes = iss[iss["code"] == "inferred_from_bounds"]
    assert len(notes) > 0
    cells = rs.cells.set_index(["report_id", "table", "row", "column"])["confidence"]
    for rid, msg in zip(notes["report_id"], notes["message"]):
        assert "break what the columns count" in msg and (" <= " in msg or " >= " in msg)
        for name in msg.split(":", 1)[0].replace(" ", "").split(","):
            assert cells[(rid, *name.split("."))] == "inferred", (rid, name)


def test_only_cells_the_readings_disagree_on_are_ambiguous(archive):
    # a cell whose value is the same in every reading left (``88-720`` = 88|-7|20 or 88|-72|0: the
    # first cell is 88 either way) is determined by the text: the issue names only the others
    rs, _files = archive
    msgs = rs.issues.loc[rs.issues["code"] == "ambiguous_split", "message"]
    checked = 0
    for msg in msgs:
        names = msg.split(":", 1)[0].replace(" ", "").split(",")
        listed = msg.rsplit("; took ", 1)[0]
        if "more)" in listed:
            continue  # not every reading is listed
        readings = [r.split("|") for r in listed[listed.rindex("(") + 1 : -1].split("; ")]
        differ = sum(len({r[k] for r in readings}) > 1 for k in range(len(readings[0])))
        assert len(readings) >= 2 and differ == len(names), msg
        checked += 1
    assert checked >= 10


def test_the_archive_benchmark_figures_run_on_the_dataset(archive, monkeypatch):
    """benchmarks/archive.py's figures work on the ReportSet as it is (codes held as categoricals)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import archive as bench

    rs, files = archive
    with (ARCHIVE / "INDEX.csv").open(encoding="utf-8") as fh:
        unit = {row["file"]: row["unit"] for row in csv.DictReader(fh)}
    res = bench.figures(rs, {f: unit[Path(f).name] for f in files})
    kinds = res["ambiguous_by_kind"]
    assert res["reports_read"] == len(files)
    assert sum(kinds["by_row"].values()) == res["ambiguous_cells"]
    assert kinds["linked_to_another_year"] <= res["ambiguous_cells"]
