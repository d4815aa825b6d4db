"""Writers: deterministic bytes, atomic writes, SQLite layout, Data Package, data dictionary, crosschecks."""

from __future__ import annotations

import json
import os
import sqlite3
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

import report_extract as rx
from report_extract.crosscheck import crosscheck
from report_extract.dataset import dataset_frames
from report_extract.dictionary import data_dictionary
from report_extract.schema import template_schema
from report_extract.writers import atomic_path, parse_formats, write_dataset
from report_extract.writers.fields import table_specs
from report_synth import make_report
from report_synth.text import render_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rs(tmp_path_factory):
    d = tmp_path_factory.mktemp("w")
    for i in range(6):
        (d / f"r{i}.txt").write_text(render_text(make_report(i, "2019" if i == 0 else "2021", publisher_error=i == 2)), encoding="utf-8")
    (d / "bad.txt").write_text("hello\n", encoding="utf-8")
    return rx.read_reports(d, jobs=1)


def test_frames_typed_and_ordered(rs):
    frames = rs.frames()
    specs = table_specs()
    assert list(frames) == list(specs)
    for name, frame in frames.items():
        assert list(frame.columns) == specs[name].columns
    assert frames["reports"]["year"].dtype == "Int64"
    assert frames["checks"]["passed"].dtype == "boolean"
    # wide tables: template row order within each report, reports in input order
    req = frames["requests"]
    first = req[req["report_id"] == req["report_id"].iloc[0]]
    order = [r for r in template_schema("2019").rows["requests"] if r in set(first["row"])]
    assert list(first["row"]) == order
    assert list(dict.fromkeys(req["report_id"])) == list(frames["reports"]["report_id"])
    # wide values equal the long cells
    cells = frames["cells"]
    c = cells[(cells["table"] == "requests") & (cells["row"] == "new_received") & (cells["column"] == "total")]
    w = req[req["row"] == "new_received"]
    assert list(c["value"]) == list(w["total"])


def test_every_format_is_deterministic(rs, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    rs.write(a, "csv,parquet,xlsx,jsonl,sqlite,datapackage")
    rs.write(b, ["datapackage", "sqlite", "jsonl", "xlsx", "parquet", "csv"])
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n
    assert not [p for p in a.iterdir() if p.name.endswith(".tmp")]


def test_to_methods(rs, tmp_path):
    assert {p.name for p in rs.to_csv(tmp_path / "c", bom=True)} >= {"cells.csv", "requests.csv", "errors.csv"}
    assert (tmp_path / "c" / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert [p.name for p in rs.to_excel(tmp_path / "x")] == ["reports.xlsx", "manifest.json"]
    assert [p.name for p in rs.to_sqlite(tmp_path / "s")] == ["reports.db", "metadata.json", "manifest.json"]
    assert len(rs.to_parquet(tmp_path / "p")) == len(table_specs()) + 1
    assert len(rs.to_jsonl(tmp_path / "j")) == len(table_specs()) + 1
    assert "datapackage.json" in {p.name for p in rs.to_datapackage(tmp_path / "d")}


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["x.csv"]


def test_sqlite_layout(rs, tmp_path):
    write_dataset(rs.frames(), tmp_path, "sqlite")
    con = sqlite3.connect(tmp_path / "reports.db")
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {t for t in tables if not t.startswith("sections_fts")} == set(table_specs())
        for t in ("cells", "checks", "issues", "proactive", "requests", "review_litigation"):
            assert con.execute(f"PRAGMA foreign_key_list({t})").fetchall()[0][2:5] == ("reports", "report_id", "report_id")
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        n = con.execute("SELECT count(*) FROM cells JOIN reports USING (report_id)").fetchone()[0]
        assert n == len(rs.cells)
        assert con.execute("SELECT count(*) FROM errors").fetchone()[0] == 1
    finally:
        con.close()


def test_datapackage_descriptor(rs, tmp_path):
    write_dataset(rs.frames(), tmp_path, "datapackage")
    pkg = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    res = {r["name"]: r for r in pkg["resources"]}
    assert set(res) == set(table_specs())
    cells = res["cells"]["schema"]
    assert cells["primaryKey"] == ["report_id", "table", "row", "column"]
    assert cells["foreignKeys"][0]["reference"] == {"resource": "reports", "fields": ["report_id"]}
    assert all(f["description"] for r in res.values() for f in r["schema"]["fields"])
    assert (tmp_path / "cells.csv").exists()
    frictionless = pytest.importorskip("frictionless")
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_parse_formats():
    assert parse_formats("CSV, excel,db") == ["csv", "xlsx", "sqlite"]
    with pytest.raises(ValueError, match="unknown output format"):
        parse_formats("csv,docx")


def test_data_dictionary_is_current_and_complete():
    text = data_dictionary()
    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == text
    assert resources.files("report_extract.data").joinpath("data-dictionary.md").read_text(encoding="utf-8") == text
    for tpl in ("2021", "2019"):
        s = template_schema(tpl)
        for table, rows in s.rows.items():
            for code, rd in rows.items():
                assert f"| `{code}` |" in text and rd.label.split(" ")[-1] in text
            for col in s.column_order[table]:
                assert f"| `{col}` |" in text
    for spec in table_specs().values():
        assert f"### `{spec.name}`" in text
        for f in spec.fields:
            assert f"| `{f.name}` | {f.type} |" in text
    for fam in ("requests.balance", "requests.outcomes", "requests.row_total", "review_litigation.row_total"):
        assert f"| `{fam}` |" in text


def test_crosscheck_carry_over_and_duplicates():
    reports = pd.DataFrame({
        "report_id": ["a2023", "a2024", "a2024bis", "b2024"],
        "agency_normalized": ["甲镇", "甲镇", "甲镇", "乙镇"],
        "year": [2023, 2024, 2024, 2024],
    })
    cells = pd.DataFrame([
        ("a2023", "requests", "carried_forward", "natural_person", 3.0),
        ("a2023", "requests", "carried_forward", "total", 3.0),
        ("a2024", "requests", "carried_over", "natural_person", 3.0),
        ("a2024", "requests", "carried_over", "total", float("nan")),  # blank = 0 != 3
        ("b2024", "requests", "carried_over", "total", 1.0),
    ], columns=["report_id", "table", "row", "column", "value"])
    out = crosscheck(reports, cells)
    carry = out[out["crosscheck"] == "carry_over"]
    assert list(zip(carry["column"], carry["passed"])) == [("natural_person", True), ("total", False)]
    assert set(carry["other_report_id"]) == {"a2023"}
    dup = out[out["crosscheck"] == "duplicate"]
    assert list(zip(dup["report_id"], dup["other_report_id"])) == [("a2024bis", "a2024")]


def test_empty_set_writes_headers(tmp_path):
    empty = rx.read_reports([str(tmp_path / "missing.txt")], jobs=1)
    frames = dataset_frames(empty)
    assert all(len(f) == 0 for n, f in frames.items() if n != "errors")
    write_dataset(dataset_frames(empty), tmp_path / "o", "csv,sqlite,xlsx,jsonl,parquet,datapackage")
    assert (tmp_path / "o" / "cells.csv").read_text(encoding="utf-8").startswith("report_id,table,row,column")
    assert len(pd.read_csv(tmp_path / "o" / "errors.csv")) == 1
