"""The spreadsheet readers (XLSX with openpyxl, XLS with xlrd): generated workbooks in both layouts
read back exactly, merged cells, prose rows and sheet names, and bad input."""

from __future__ import annotations

import io
import math
import zipfile

import pandas as pd
import pytest

import report_extract as rx
from conftest import cell_mismatches
from report_extract.errors import CorruptInputError, EncryptedInputError, ReportError
from report_extract.grid import Paragraph
from report_extract.schema import template_schema
from report_synth import QUIRKS, make_report
from report_synth.docx import report_from_frame

openpyxl = pytest.importorskip("openpyxl")
from report_extract.layout import layout_pass  # noqa: E402
from report_extract.readers.sheet import read_xlsx as _read_xlsx  # noqa: E402
from report_synth.xlsx import LAYOUTS, render_xls, render_xlsx  # noqa: E402


def read_xlsx(data: bytes, path: str | None = None):
    """The XLSX reader followed by the layout pass (title, sheet-name headings), as read_report runs them."""
    return layout_pass(_read_xlsx(data, path))


def _xlwt():
    return pytest.importorskip("xlwt")


def _xlrd():
    return pytest.importorskip("xlrd")


def _quirks(seed: int, template: str) -> set[str]:
    q = set(QUIRKS) if seed % 2 else set()
    if template == "2019":
        q.discard("single_other")
    return q


CASES = [(seed, tpl, layout) for seed in range(3) for tpl in ("2021", "2019") for layout in LAYOUTS]


def _check(r, rep, fmt):
    assert cell_mismatches(r, rep.truth()) == []
    assert r.meta["template"] == rep.template
    assert r.meta["source_format"] == fmt
    assert r.meta["title"] == rep.title
    assert (r.meta["agency"], r.meta["year"]) == (rep.agency, rep.year)
    assert r.failed_checks == rep.failed_checks()
    assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(("seed", "template", "layout"), CASES)
def test_generated_xlsx_reads_back_exactly(seed, template, layout):
    rep = make_report(seed, template, quirks=_quirks(seed, template), publisher_error=(seed == 0))
    _check(rx.read_report(render_xlsx(rep, layout, seed=seed)), rep, "xlsx")


@pytest.mark.parametrize(("seed", "template", "layout"), CASES)
def test_generated_xls_reads_back_exactly(seed, template, layout, tmp_path):
    _xlwt(), _xlrd()
    rep = make_report(seed, template, quirks=_quirks(seed, template), publisher_error=(seed == 0))
    f = tmp_path / "report.xls"
    f.write_bytes(render_xls(rep, layout, seed=seed))
    _check(rx.read_report(f), rep, "xls")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_single_other_variant(layout):
    rep = make_report(5, "2021", quirks={"single_other"}, busy=0.9, publisher_error=True)
    _check(rx.read_report(render_xlsx(rep, layout, seed=5)), rep, "xlsx")


def _blank_frame(template: str = "2021") -> pd.DataFrame:
    cells = template_schema(template).cells
    return pd.DataFrame(
        {"table": [c.table for c in cells], "row": [c.row for c in cells], "column": [c.column for c in cells],
         "value": [math.nan] * len(cells), "raw": [""] * len(cells)}
    )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_blank_template_workbook(layout):
    rep = report_from_frame(_blank_frame(), "2021")
    r = rx.read_report(render_xlsx(rep, layout))
    assert len(r.cells) == 200 and r.cells["value"].isna().all()
    assert cell_mismatches(r, rep.truth()) == []


def test_merged_cells_and_sheet_names():
    rep = make_report(2, "2021")
    doc = read_xlsx(render_xlsx(rep, "sheets"), None)
    heads = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.source.get("row") is None]
    assert heads[0] == "一、总体情况" and heads[-1] == "六、其他需要报告的事项"
    assert doc.properties["sheets"][0] == "封面"
    sec3 = doc.tables[1]
    assert (sec3.n_rows, sec3.n_cols) == (28, 10)
    assert sec3.rows[2][2].origin == (0, 0) and sec3.rows[0][0].rowspan == 3 and sec3.rows[0][0].colspan == 3
    assert sec3.rows[26][0].origin == (5, 0) and sec3.rows[26][0].text == "三、本年度办理结果"


def test_single_sheet_tables_trimmed_to_their_columns():
    rep = make_report(3, "2021")
    doc = read_xlsx(render_xlsx(rep, "single"), None)
    assert [t.n_cols for t in doc.tables] == [4, 10, 15]
    assert doc.title == rep.title


def test_numbers_stored_as_numbers_keep_their_value():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["信息内容", "本年制发件数"])
    ws.append(["规章", 12])
    ws.append(["行政事业性收费", 1234.5678])
    buf = io.BytesIO()
    wb.save(buf)
    t = read_xlsx(buf.getvalue(), None).tables[0]
    assert t.texts() == [["信息内容", "本年制发件数"], ["规章", "12"], ["行政事业性收费", "1234.5678"]]


def test_xls_named_doc_is_read_as_a_workbook(tmp_path):
    _xlwt(), _xlrd()
    rep = make_report(4, "2021")
    f = tmp_path / "misnamed.doc"
    f.write_bytes(render_xls(rep, "single"))
    r = rx.read_report(f)
    assert r.meta["source_format"] == "xls"
    assert cell_mismatches(r, rep.truth()) == []


# -- bad input ----------------------------------------------------------------------------------


def test_truncated_xlsx(tmp_path):
    data = render_xlsx(make_report(1))
    f = tmp_path / "cut.xlsx"
    f.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptInputError, match="cut.xlsx"):
        rx.read_report(f)


def test_xlsx_with_damaged_sheet_xml(tmp_path):
    src = zipfile.ZipFile(io.BytesIO(render_xlsx(make_report(1))))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            blob = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                blob = blob[: len(blob) // 2]
            out.writestr(item, blob)
    f = tmp_path / "broken.xlsx"
    f.write_bytes(buf.getvalue())
    with pytest.raises(CorruptInputError, match="broken.xlsx"):
        rx.read_report(f)


def test_truncated_xls(tmp_path):
    _xlwt(), _xlrd()
    data = render_xls(make_report(1))
    f = tmp_path / "cut.xls"
    f.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReportError, match="cut.xls"):
        rx.read_report(f)


def test_garbage_xls(tmp_path):
    _xlrd()
    f = tmp_path / "junk.xls"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x01" * 400)
    with pytest.raises(CorruptInputError, match="junk.xls"):
        rx.read_report(f)


def test_encrypted_xlsx(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(render_xlsx(make_report(2)))).encrypt("secret", out)
    for name in ("locked.xlsx", "locked.xls"):
        f = tmp_path / name
        f.write_bytes(out.getvalue())
        with pytest.raises(EncryptedInputError, match=name):
            rx.read_report(f)


def test_a_stray_distant_cell_does_not_blow_up_the_grid():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["信息内容", "本年制发件数"])
    ws.append(["规章", 3])
    ws.cell(row=1_000_000, column=16_000).value = "备注"
    buf = io.BytesIO()
    wb.save(buf)
    doc = read_xlsx(buf.getvalue(), None)
    assert [t.texts() for t in doc.tables] == [[["信息内容", "本年制发件数"], ["规章", "3"]], [["备注"]]]
