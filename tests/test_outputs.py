"""Outputs that open right in every tool (issue 15): integer counts in every format, duplicates
marked and counted once, a manifest and no stale files, writer dependencies checked before any file
is read, rs.reports = reports.csv, Chinese labels (XLSX, show, Datasette metadata), the sections
table with full-text search, CLI messages that name the fix, show --json/--csv and --tables."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import report_extract as rx
from conftest import DOCS, requires_corpus
from report_extract import cli
from report_extract.cli import main
from report_extract.dataset import dataset_frames
from report_extract.schema import template_schema
from report_extract.writers import MANIFEST, MissingWriterError, check_formats, write_dataset
from report_extract.writers.fields import table_specs
from report_synth import make_report
from report_synth.html import render_html
from report_synth.text import render_text

ALL = "csv,parquet,xlsx,jsonl,sqlite,datapackage"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Four distinct reports (one 2019), one of them also saved as HTML (a duplicate), a bad file."""
    d = tmp_path_factory.mktemp("o15")
    reps = [make_report(1, agency="芷江侗族自治县罗旧镇", year=2023, busy=0.6),
            make_report(2, agency="鹤城区人民政府", year=2023, busy=0.6),
            make_report(3, agency="洪江市", year=2023, busy=0.6),
            make_report(4, "2019", agency="芷江侗族自治县罗旧镇", year=2020, busy=0.6)]
    for i, rep in enumerate(reps):
        (d / f"r{i}.txt").write_text(render_text(rep), encoding="utf-8")
    (d / "r0_copy.html").write_bytes(render_html(reps[0]))
    (d / "bad.txt").write_text("hello\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def rs(folder):
    return rx.read_reports(folder, jobs=1)


@pytest.fixture(scope="module")
def out(rs, tmp_path_factory) -> Path:
    o = tmp_path_factory.mktemp("out")
    rs.write(o, ALL)
    return o


def _count_columns(table: str) -> list[str]:
    return [f.name for f in table_specs()[table].fields[3:] if f.type == "integer"]


# 1. types -----------------------------------------------------------------------------------------

def test_counts_are_integers_in_every_format(out):
    for table in ("proactive", "requests", "review_litigation"):
        counts = _count_columns(table)
        assert counts, table
        text = (out / f"{table}.csv").read_text(encoding="utf-8")
        frame = pd.read_csv(out / f"{table}.csv", dtype_backend="numpy_nullable")
        for c in counts:
            assert str(frame[c].dtype) == "Int64", (table, c)
        assert ".0," not in text and ".0\n" not in text
        pq = pd.read_parquet(out / f"{table}.parquet")
        assert all(str(pq[c].dtype) == "Int64" for c in counts)
        row = json.loads((out / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()[0])
        assert all(isinstance(row[c], int) or row[c] is None for c in counts)
        assert any(isinstance(row[c], int) for c in counts)
    # requests has every cell printed in these reports: plain read_csv gives int64 columns
    plain = pd.read_csv(out / "requests.csv")
    assert all(plain[c].dtype == "int64" for c in _count_columns("requests"))
    # the amount column is a decimal, the others integers (the schema's dtype column says which)
    types = {f.name: f.type for f in table_specs()["proactive"].fields}
    assert types["amount"] == "number" and types["issued"] == "integer"
    con = sqlite3.connect(out / "reports.db")
    try:
        decl = {r[1]: r[2] for r in con.execute("PRAGMA table_info(requests)")}
        assert decl["total"] == "INTEGER" and decl["row"] == "TEXT"
        assert {r[0] for r in con.execute("SELECT DISTINCT typeof(total) FROM requests")} == {"integer"}
        assert {r[0] for r in con.execute("SELECT DISTINCT typeof(division_code) FROM reports")} <= {"text", "null"}
    finally:
        con.close()
    pkg = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f["type"] for r in pkg["resources"] if r["name"] == "requests" for f in r["schema"]["fields"]}
    assert fields["total"] == "integer"


def test_division_codes_keep_their_digits(out):
    csv = pd.read_csv(out / "reports.csv", dtype=str)
    codes = csv["division_code"].dropna()
    assert len(codes) and codes.str.fullmatch(r"\d{12}").all()
    assert pd.read_parquet(out / "reports.parquet")["division_code"].dropna().str.fullmatch(r"\d{12}").all()
    first = json.loads((out / "reports.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert isinstance(first["division_code"], str)


def test_frictionless_validates_integer_fields(out):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


# 2. duplicates ------------------------------------------------------------------------------------

def test_duplicates_marked_and_counted_once(rs, folder, out):
    rep = rs.reports.set_index("report_id")
    # the same report as HTML and as text: HTML, the better-structured source, is the primary
    html, txt = str(folder / "r0_copy.html"), str(folder / "r0.txt")
    assert rep.loc[txt, "duplicate_of"] == html and not rep.loc[txt, "is_primary"]
    assert rep.loc[txt, "duplicate_reason"]
    assert rep.loc[html, "is_primary"] and pd.isna(rep.loc[html, "duplicate_of"])
    assert rep["is_primary"].sum() == len(rep) - 1
    req = pd.read_csv(out / "requests.csv")
    assert txt not in set(req["report_id"]) and html in set(req["report_id"])
    # a plain sum over the wide table counts each report once
    cells = rs.cells
    total = cells[(cells["table"] == "requests") & (cells["row"] == "new_received") & (cells["column"] == "total")]
    once = total.loc[total["report_id"] != txt, "value"].sum()
    assert once < total["value"].sum()
    assert req.loc[req["row"] == "new_received", "total"].sum() == once
    # with duplicates=True they are all there
    assert txt in set(rs.frames(duplicates=True)["requests"]["report_id"])


# 3. output folder hygiene -------------------------------------------------------------------------

def test_manifest_and_stale_files(rs, tmp_path):
    o = tmp_path / "S"
    first = rs.write(o, "csv,xlsx,sqlite")
    (o / "my_notes.txt").write_text("mine", encoding="utf-8")
    manifest = json.loads((o / MANIFEST).read_text(encoding="utf-8"))
    assert {f["path"] for f in manifest["files"]} == {p.name for p in first if p.name != MANIFEST}
    assert manifest["tables"]["reports"] == len(rs.reports)
    one = rx.read_reports([rs.reports["report_id"].iloc[0]], jobs=1)
    second = one.write(o, "csv")
    assert not (o / "reports.db").exists() and not (o / "reports.xlsx").exists() and not (o / "metadata.json").exists()
    assert {p.name for p in second.removed} == {"reports.db", "reports.xlsx", "metadata.json"}
    assert (o / "my_notes.txt").read_text(encoding="utf-8") == "mine"  # never a file no manifest lists
    assert len(pd.read_csv(o / "reports.csv")) == 1
    names = {p.name for p in o.iterdir()}
    assert names == {p.name for p in second} | {"my_notes.txt"}


def test_cli_reports_removed_files(folder, tmp_path):
    o = tmp_path / "S"
    assert CliRunner().invoke(main, [str(folder), "-o", str(o), "--to", "csv,sqlite", "-j", "1"]).exit_code == 0
    res = CliRunner().invoke(main, [str(folder / "r1.txt"), "-o", str(o), "--to", "csv", "-j", "1"])
    assert res.exit_code == 0 and "removed 2 files of an earlier run" in res.stderr
    assert not (o / "reports.db").exists()


# 4. fail fast ------------------------------------------------------------------------------------

def test_missing_writer_dependency_fails_before_reading(folder, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    with pytest.raises(MissingWriterError, match="pyarrow"):
        check_formats("csv,parquet")
    assert check_formats("csv,jsonl") == ["csv", "jsonl"]
    from report_extract import batch

    def no_reading(*a, **k):
        raise AssertionError("a file was read")

    monkeypatch.setattr(batch, "run", no_reading)
    res = CliRunner().invoke(main, [str(folder), "-o", str(tmp_path / "o"), "--to", "csv,parquet,xlsx"])
    assert res.exit_code == cli.EXIT_USAGE
    assert "pyarrow" in res.stderr and "report_extract[parquet]" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "o" / "reports.csv").exists()


# 5. rs.reports = reports.csv, short repr -----------------------------------------------------------

def test_reports_frame_equals_reports_csv(rs, out):
    csv = pd.read_csv(out / "reports.csv", dtype_backend="numpy_nullable", dtype={"division_code": "string"})
    assert list(rs.reports.columns) == list(csv.columns) == table_specs()["reports"].columns
    assert list(rs.reports["report_id"]) == list(csv["report_id"])
    for col in ("division_code", "publisher_key", "level", "year", "n_cells", "is_primary"):
        assert [None if pd.isna(v) else v for v in rs.reports[col]] == [None if pd.isna(v) else v for v in csv[col]], col


def test_reportset_repr_is_short(rs):
    text = repr(rs)
    assert "\n" not in text and len(text) < 200
    assert f"{len(rs.reports)} reports" in text and "1 duplicates" in text and f"{len(rs.errors)} errors" in text


# 6. labels ---------------------------------------------------------------------------------------

def test_wide_tables_carry_chinese_row_labels(out):
    req = pd.read_csv(out / "requests.csv")
    labels = dict(zip(req["row"], req["row_label_zh"]))
    assert labels["unable_unclear"] == template_schema("2021").rows["requests"]["unable_unclear"].label
    assert "补正后申请内容仍不明确" in labels["unable_unclear"]


def test_xlsx_every_table_autofilter_frozen_header(rs, out, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(out / "reports.xlsx")
    assert wb.sheetnames == list(table_specs())
    frames = rs.frames()
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert ws.max_row == len(frames[name]) + 1, name
        assert [c.value for c in ws[1]] == list(frames[name].columns), name
    # a count is an integer cell
    req = wb["requests"]
    col = [c.value for c in req[1]].index("total")
    assert isinstance(req.cell(row=2, column=col + 1).value, int)
    # Chinese headers on request
    rs.write(tmp_path / "zh", "xlsx", labels="zh")
    head = [c.value for c in openpyxl.load_workbook(tmp_path / "zh" / "reports.xlsx")["requests"][1]]
    assert "自然人" in head and "总计" in head and "natural_person" not in head


def test_xlsx_splits_a_table_over_the_row_limit(rs, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from report_extract.writers.excel import write_excel

    frames = rs.frames(tables=["cells"])
    n = len(frames["cells"])
    write_excel(frames, tmp_path / "x.xlsx", max_rows=n // 2 + 1)
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert wb.sheetnames == ["cells", "cells_2"]
    assert wb["cells"].max_row - 1 + wb["cells_2"].max_row - 1 == n


def test_show_labels_zh(folder):
    res = CliRunner().invoke(main, ["show", str(folder / "r1.txt"), "--labels", "zh", "--tables", "requests"])
    assert res.exit_code == 0, res.stderr
    assert "自然人" in res.stdout and "一、本年新收政府信息公开申请数量" in res.stdout
    assert "natural_person" not in res.stdout and "proactive" not in res.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_shows_chinese_labels_and_searches_sections(out):
    pytest.importorskip("datasette")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(out / "reports.db"), "--metadata", str(out / "metadata.json"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def get(path: str):
        return json.loads(urllib.request.urlopen(base + path, timeout=10).read())

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("datasette did not start within 60 s")
                time.sleep(0.3)
        meta = get("/-/metadata.json")
        tables = meta["databases"]["reports"]["tables"]
        assert set(tables) == set(table_specs())
        assert "补正后申请内容仍不明确" not in json.dumps(meta, ensure_ascii=False)  # row labels are in the data
        assert "自然人" in tables["requests"]["columns"]["natural_person"]
        assert tables["reports"]["columns"]["is_primary"]
        rows = get("/reports/requests.json?" + urllib.parse.urlencode({"row": "unable_unclear", "_shape": "array"}))
        assert rows and all("补正后申请内容仍不明确" in r["row_label_zh"] for r in rows)
        hits = get("/reports/sections.json?" + urllib.parse.urlencode({"_search": "主动公开", "_shape": "array"}))
        assert hits and all("主动公开" in (r["text"] + (r["heading"] or "")) for r in hits)
    finally:
        proc.kill()
        proc.wait(10)


# 7. sections -------------------------------------------------------------------------------------

def test_sections_table_in_every_format_with_fts(rs, out):
    secs = pd.read_csv(out / "sections.csv")
    assert list(secs.columns) == ["report_id", "section", "heading", "text"]
    assert set(secs["report_id"]) == set(rs.reports["report_id"])
    assert secs["section"].between(1, 6).all() and secs["text"].str.len().gt(0).all()
    assert 1 in set(secs["section"])
    assert len(pd.read_parquet(out / "sections.parquet")) == len(secs)
    assert len((out / "sections.jsonl").read_text(encoding="utf-8").splitlines()) == len(secs)
    con = sqlite3.connect(out / "reports.db")
    try:
        word = secs["text"].iloc[0][:4]
        hits = con.execute("SELECT s.report_id FROM sections_fts f JOIN sections s ON s.rowid = f.rowid "
                           "WHERE sections_fts MATCH ?", (f'"{word}"',)).fetchall()
        assert secs["report_id"].iloc[0] in {h[0] for h in hits}
    finally:
        con.close()
    # the set keeps the prose: a report taken out of it has its sections back
    rid = rs.reports["report_id"].iloc[0]
    assert rs.report(rid).sections[1] == secs.loc[(secs["report_id"] == rid) & (secs["section"] == 1), "text"].iloc[0]


# 8. messages -------------------------------------------------------------------------------------

def test_messages_name_the_fix(folder, tmp_path):
    res = CliRunner().invoke(main, ["show", str(folder)])
    assert res.exit_code == cli.EXIT_USAGE and "is a folder" in res.stderr and "-o OUTDIR" in res.stderr
    assert "read_reports" not in res.stderr
    jpg = tmp_path / "scan.jpg"
    jpg.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200))
    res = CliRunner().invoke(main, ["show", str(jpg)])
    assert res.exit_code == cli.EXIT_NOTHING_READ and "an image (JPEG): not supported" in res.stderr
    with pytest.raises(rx.ReportError, match="image"):
        rx.read_report(jpg)
    named_html = tmp_path / "report.html"
    named_html.write_text((folder / "r1.txt").read_text(encoding="utf-8"), encoding="utf-8")
    # a text report saved under a web page's name has no markup: it is sniffed as text and read
    as_html, as_text = rx.read_report(named_html), rx.read_report(folder / "r1.txt")
    assert as_html.meta["source_format"] == "text"
    pd.testing.assert_series_equal(as_html.cells["value"], as_text.cells["value"])
    assert CliRunner().invoke(main, ["show", str(named_html)]).exit_code == 0


# 9. show --json / --csv, --tables -----------------------------------------------------------------

def test_show_json_and_csv_to_stdout(folder):
    res = CliRunner().invoke(main, ["show", str(folder / "r1.txt"), "--json"])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert set(data) == set(table_specs())
    assert data["reports"][0]["agency"] == "鹤城区人民政府" and isinstance(data["reports"][0]["n_cells"], int)
    assert all(isinstance(r["total"], int) for r in data["requests"] if r["total"] is not None)
    res = CliRunner().invoke(main, ["show", str(folder / "r1.txt"), "--json", "--tables", "reports,sections"])
    assert set(json.loads(res.stdout)) == {"reports", "sections"}
    res = CliRunner().invoke(main, ["show", str(folder / "r1.txt"), "--csv", "--tables", "requests"])
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].startswith("report_id,row,row_label_zh,natural_person")
    rid = str(folder / "r1.txt")
    cells = rx.read_report(rid).cells
    assert len(lines) == 1 + cells.loc[cells["table"] == "requests", "row"].nunique()
    res = CliRunner().invoke(main, ["show", str(folder / "r1.txt"), "--csv", "--tables", "requests,cells"])
    assert res.exit_code == cli.EXIT_USAGE and "one table" in res.stderr


def test_extract_tables_option(folder, tmp_path):
    o = tmp_path / "t"
    res = CliRunner().invoke(main, [str(folder), "-o", str(o), "--to", "csv,sqlite,datapackage", "--tables", "requests,sections", "-j", "1"])
    assert res.exit_code == 0, res.stderr
    assert {p.name for p in o.glob("*.csv")} == {"requests.csv", "sections.csv"}
    con = sqlite3.connect(o / "reports.db")
    try:
        assert {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sections_fts%'")} == {"requests", "sections"}
    finally:
        con.close()
    frictionless = pytest.importorskip("frictionless")
    assert frictionless.validate(str(o / "datapackage.json")).valid
    res = CliRunner().invoke(main, [str(folder), "-o", str(o), "--tables", "nope"])
    assert res.exit_code == cli.EXIT_USAGE and "choose from" in res.stderr


def test_writers_take_finished_frames(rs, tmp_path):
    frames = dataset_frames(rs, tables=["reports", "requests"])
    written = write_dataset(frames, tmp_path, "csv")
    assert [p.name for p in written] == ["reports.csv", "requests.csv", MANIFEST]


# real corpus ---------------------------------------------------------------------------------------

@requires_corpus
def test_corpus_outputs_are_typed(tmp_path):
    files = sorted(str(p) for p in DOCS.iterdir() if p.is_file())[:12]
    rs = rx.read_reports(files, jobs=1)
    assert len(rs.reports)
    rs.write(tmp_path, "csv,parquet,sqlite,datapackage")
    req = pd.read_csv(tmp_path / "requests.csv", dtype_backend="numpy_nullable")
    assert all(str(req[c].dtype) == "Int64" for c in _count_columns("requests"))
    assert list(rs.reports.columns) == list(pd.read_csv(tmp_path / "reports.csv").columns)
    assert rs.reports["is_primary"].notna().all()
    secs = pd.read_csv(tmp_path / "sections.csv")
    assert len(secs) and set(secs["report_id"]) <= set(rs.reports["report_id"])
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_writers_import_nothing_from_the_pipeline():
    """Writers serialise finished frames: no import (even inside a function) of the API, the
    dataset assembly, the batch runner, the CLI or the package root — no api <-> writers cycle."""
    import ast

    forbidden = {"api", "dataset", "batch", "cli", "crosscheck", "publishers", "dictionary", "duplicates", "crossyear"}
    folder = Path(__file__).resolve().parents[1] / "src" / "report_extract" / "writers"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                target = (node.module or "").split(".")[0]
                assert target and target not in forbidden, (path.name, node.module)
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert not node.module.startswith("report_extract"), (path.name, node.module)
