"""Spreadsheet formula injection (issue 13, finding 3): formula-like texts are neutralised in CSV
and XLSX, numbers stay numbers, and the option turns it off."""

from __future__ import annotations

import pandas as pd
import pytest

import report_extract as rx
from report_extract.writers.csv import frame_to_csv_bytes
from report_extract.writers.plain import safe_text
from report_synth import make_report
from report_synth.text import render_text

EVIL = '=HYPERLINK("http://example.invalid","click")'


@pytest.mark.parametrize("text", [EVIL, "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_texts_get_an_apostrophe(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", ["-3", "+4.5", "上海市", "", 12, -3.0, None])
def test_other_values_unchanged(value):
    assert safe_text(value) == value


def test_csv_escapes_texts_not_numbers():
    frame = pd.DataFrame({"title": [EVIL, "ok"], "value": [-5.0, 2.0]})
    text = frame_to_csv_bytes(frame).decode()
    assert "'=HYPERLINK" in text and "\n-5," not in text and ",-5\n" in text
    raw = frame_to_csv_bytes(frame, safe_text=False).decode()
    assert raw.splitlines()[1].startswith('"=HYPERLINK')


@pytest.fixture(scope="module")
def evil_set(tmp_path_factory):
    d = tmp_path_factory.mktemp("evil")
    text = render_text(make_report(7, "2021"))
    first = text.splitlines()[0]
    (d / "r.txt").write_text(text.replace(first, EVIL + first, 1), encoding="utf-8")
    rs = rx.read_reports(d, jobs=1)
    assert rs.frames()["reports"]["title"].iloc[0].startswith("=")
    return rs


def test_dataset_csv_and_xlsx_are_safe(evil_set, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    evil_set.write(tmp_path, "csv,xlsx")
    reports = pd.read_csv(tmp_path / "reports.csv", dtype=str)
    assert reports["title"].iloc[0].startswith("'=")
    wb = openpyxl.load_workbook(tmp_path / "reports.xlsx")
    ws = wb["reports"]
    col = [c.value for c in ws[1]].index("title")
    cell = ws.cell(row=2, column=col + 1)
    assert cell.data_type == "s" and cell.value.startswith("'=")
    # numbers are still numbers in the workbook
    cells = wb["cells"]
    vcol = [c.value for c in cells[1]].index("value")
    assert any(isinstance(cells.cell(row=r, column=vcol + 1).value, int | float) for r in range(2, 20))


def test_safe_text_off_keeps_text_but_never_a_formula(evil_set, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    evil_set.write(tmp_path, "csv,xlsx", safe_text=False)
    reports = pd.read_csv(tmp_path / "reports.csv", dtype=str)
    assert reports["title"].iloc[0].startswith("=HYPERLINK")
    ws = openpyxl.load_workbook(tmp_path / "reports.xlsx")["reports"]
    col = [c.value for c in ws[1]].index("title")
    cell = ws.cell(row=2, column=col + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
