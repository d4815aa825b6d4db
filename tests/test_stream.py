"""Streamed batches (issue 12): ``write_reports`` writes, row for row and value for value, what
``read_reports(...).write(...)`` writes for the same batch, in every format; only what
cross-report work needs is kept per report; a failed run leaves no half-written file."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import report_extract as rx
from report_extract import stream
from report_extract.writers.fields import table_specs
from report_synth import make_report
from report_synth.flat import render_flat
from report_synth.html import render_html
from report_synth.text import render_text

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "examples"
ALL = "csv,parquet,xlsx,jsonl,sqlite,datapackage"


def _set(rep, row: str, values: dict[str, float]) -> None:
    for col, v in values.items():
        rep.values[("proactive", row, col)] = v
        rep.raw[("proactive", row, col)] = f"{v:g}"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """The bundled examples, a glued pair that settles across years, a report saved as text and
    as HTML (a duplicate rendering), a glued rendering paired with its HTML, and a bad file."""
    d = tmp_path_factory.mktemp("stream_in")
    for f in EXAMPLES.iterdir():
        if f.is_file():
            shutil.copy(f, d / f.name)
    earlier = make_report(11, "2019", agency="楠木坪镇", year=2019)
    later = make_report(12, "2019", agency="楠木坪镇", year=2020)
    _set(earlier, "penalty", {"previous_year_items": 2648, "change": 0, "decisions": 430})
    _set(later, "penalty", {"previous_year_items": 2648, "change": -18, "decisions": 538})
    (d / "pair_2019.txt").write_text(render_flat(earlier, "glued"), encoding="utf-8")
    (d / "pair_2020.txt").write_text(render_flat(later, "glued"), encoding="utf-8")
    dup = make_report(1, agency="芷江侗族自治县罗旧镇", year=2023, busy=0.6)
    (d / "dup.txt").write_text(render_text(dup), encoding="utf-8")
    (d / "dup_copy.html").write_bytes(render_html(dup))
    other = make_report(3, "2019", agency="洪江市", year=2021, busy=0.6)
    _set(other, "penalty", {"previous_year_items": 2648, "change": 0, "decisions": 430})
    (d / "flat_glued.txt").write_text(render_flat(other, "glued"), encoding="utf-8")
    (d / "flat_page.html").write_bytes(render_html(other))
    (d / "bad.txt").write_text("hello\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def outputs(batch, tmp_path_factory) -> tuple[Path, Path, rx.ReportSet, stream.StreamedSet]:
    held, streamed = tmp_path_factory.mktemp("held"), tmp_path_factory.mktemp("streamed")
    rs = rx.read_reports(batch, jobs=1)
    rs.write(held, ALL)
    chunk, stream.CHUNK_REPORTS = stream.CHUNK_REPORTS, 3  # several chunks per table
    try:
        res = stream.write_reports(batch, streamed, ALL, jobs=2)
    finally:
        stream.CHUNK_REPORTS = chunk
    return held, streamed, rs, res


def test_the_batch_exercises_cross_report_work(outputs):
    _held, _streamed, rs, _res = outputs
    codes = set(rs.issues["code"])
    assert "inferred_across_years" in codes  # settled across years
    assert "inferred_from_rendering" in codes or "renderings_disagree" in codes  # paired renderings
    assert (~rs.reports["is_primary"]).sum() >= 1  # a duplicate
    assert len(rs.errors) == 1


@pytest.mark.parametrize("name", list(table_specs()))
def test_csv_and_jsonl_are_byte_identical(outputs, name):
    held, streamed, _rs, _res = outputs
    for ext in ("csv", "jsonl"):
        assert (streamed / f"{name}.{ext}").read_bytes() == (held / f"{name}.{ext}").read_bytes(), f"{name}.{ext}"


@pytest.mark.parametrize("name", list(table_specs()))
def test_parquet_values_equal(outputs, name):
    pq = pytest.importorskip("pyarrow.parquet")
    held, streamed, _rs, _res = outputs
    a = pq.read_table(held / f"{name}.parquet")
    b = pq.read_table(streamed / f"{name}.parquet")
    assert a.schema.remove_metadata() == b.schema.remove_metadata()
    assert a.num_rows == b.num_rows
    assert a.to_pylist() == b.to_pylist()


def test_sqlite_values_equal(outputs):
    held, streamed, _rs, _res = outputs
    dbs = [sqlite3.connect(d / "reports.db") for d in (held, streamed)]
    try:
        schema = [sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=str) for db in dbs]
        assert schema[0] == schema[1]
        for name in table_specs():
            rows = [db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall() for db in dbs]
            assert rows[0] == rows[1], name
        hits = [db.execute("SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '政府信息'").fetchone() for db in dbs]
        assert hits[0] == hits[1] and hits[0][0] > 0
    finally:
        for db in dbs:
            db.close()


def test_xlsx_datapackage_and_manifest(outputs):
    openpyxl = pytest.importorskip("openpyxl")
    held, streamed, _rs, _res = outputs
    books = [openpyxl.load_workbook(d / "reports.xlsx", read_only=True) for d in (held, streamed)]
    assert books[0].sheetnames == books[1].sheetnames
    for sheet in books[0].sheetnames:
        rows = [list(b[sheet].iter_rows(values_only=True)) for b in books]
        assert rows[0] == rows[1], sheet
    assert (held / "datapackage.json").read_bytes() == (streamed / "datapackage.json").read_bytes()
    man = [json.loads((d / "manifest.json").read_text(encoding="utf-8")) for d in (held, streamed)]
    assert man[0]["tables"] == man[1]["tables"]
    assert [f["path"] for f in man[0]["files"]] == [f["path"] for f in man[1]["files"]]


def test_returned_tables_match(outputs):
    _held, _streamed, rs, res = outputs
    pd.testing.assert_frame_equal(res.reports, rs.reports)
    assert list(res.errors["path"]) == list(rs.errors["path"])
    assert res.counts["cells"] == len(rs.cells)


def test_compact_keeps_only_identity_and_alternative_cells(batch):
    rep = rx.read_report(batch / "pair_2019.txt")
    c = stream.compact("x", rep, None, (None, None))
    names = {f"{t}.{r}.{col}" for _p, t, r, col, *_rest in c.cells}
    alt = {n for a in rep.meta["alternatives"] for n in a["cells"]}
    assert alt <= names <= alt | stream.identity_cells()
    assert len(c.cells) < len(rep.cells) / 2
    assert [a[1] for a in c.ambiguous] == ["ambiguous_split"] * len(c.ambiguous) and c.ambiguous


def test_a_failed_run_leaves_the_earlier_outputs(batch, tmp_path, monkeypatch):
    out = tmp_path / "out"
    stream.write_reports(batch, out, "csv,sqlite", jobs=1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(stream, "_write_chunk", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        stream.write_reports(batch, out, "csv,sqlite", jobs=1)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporary file left either


def test_dask_engine_streams_the_same_files(batch, outputs, tmp_path):
    pytest.importorskip("dask.distributed")
    held, _streamed, _rs, _res = outputs
    out = tmp_path / "dask"
    stream.write_reports(batch, out, "csv", engine="dask", jobs=1)
    for name in table_specs():
        assert (out / f"{name}.csv").read_bytes() == (held / f"{name}.csv").read_bytes(), name


def test_compact_is_the_same_from_rows_and_from_frames(batch):
    """A report fresh from the pipeline (plain rows) and the same report with its frames built
    give the same summary."""
    for f in sorted(batch.iterdir()):
        try:
            lazy, built = rx.read_report(f), rx.read_report(f)
        except rx.ReportError:
            continue
        _ = built.cells, built.checks, built.issues
        a, b = (stream.compact("r", r, None, (None, None)) for r in (lazy, built))
        assert repr(a) == repr(b), f.name  # repr: NaN equal to NaN
