"""Workbook limits (issue 13): a damaged spreadsheet is refused before its grid is built, with a
LimitExceededError naming the file, the limit and its ``--set`` key, and a merged range reaching
past a sheet's content (a damaged MERGEDCELLS record or ``<mergeCell ref>``) costs nothing."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest

import report_extract as rx
from report_extract.errors import LimitExceededError
from report_extract.grid import Table
from report_extract.options import ReadOptions, SheetSettings, parse_setting
from report_synth import make_report

openpyxl = pytest.importorskip("openpyxl")
from report_synth.xlsx import render_xls, render_xlsx  # noqa: E402


def _xlwt():
    return pytest.importorskip("xlwt")


def _xls(fill) -> bytes:
    """An .xls workbook written by ``fill(workbook)`` (xlwt)."""
    xlwt = _xlwt()
    pytest.importorskip("xlrd")
    wb = xlwt.Workbook(encoding="utf-8")
    fill(wb, xlwt)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx(fill) -> bytes:
    wb = openpyxl.Workbook()
    fill(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_merge_ref(data: bytes, ref_end: str) -> bytes:
    """The XLSX package with its first ``<mergeCell ref="X:Y">`` changed to end at ``ref_end``
    (what a damaged or hostile part holds); the other parts as they were."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    done = False
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            body = src.read(name)
            if not done and name.startswith("xl/worksheets/") and b"<mergeCell " in body:
                body = re.sub(rb'(<mergeCell ref="[A-Z]+\d+:)[A-Z]+\d+"', rb"\g<1>" + ref_end.encode() + b'"', body, count=1)
                done = True
            dst.writestr(name, body)
    assert done
    return out.getvalue()


def _tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


# -- the limits ------------------------------------------------------------------------------------


def test_sheet_settings_defaults_and_validation():
    s = SheetSettings()
    assert s.max_rows >= 10_000 and s.max_cols >= 500 and s.max_cells >= 100_000 and s.max_merged >= 10_000
    assert s.max_sheets >= 100
    for key in ("max_sheets", "max_rows", "max_cols", "max_cells", "max_merged"):
        with pytest.raises(ValueError, match=key):
            SheetSettings(**{key: 0})
    assert parse_setting("sheet.max_rows", "123") == 123
    assert ReadOptions().replace(**{"sheet.max_cells": 7}).sheet.max_cells == 7


def test_xls_table_limits_name_file_sheet_and_setting(tmp_path):
    def fill(wb, xlwt):
        ws = wb.add_sheet("数据")
        ws.write(0, 0, "标题")
        for r in range(1, 601):
            ws.write(r, 0, r)
            ws.write(r, 3, r)
        ws.write(700, 9, "远处")  # a table of its own (row 700 follows an empty row)

    f = tmp_path / "tall.xls"
    f.write_bytes(_xls(fill))
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, sheet=SheetSettings(max_rows=500))
    msg = str(ei.value)
    assert str(f) in msg and "数据" in msg and "from row 1" in msg and "--set sheet.max_rows=N" in msg
    assert (ei.value.limit, ei.value.value, ei.value.allowed) == ("sheet.max_rows", 601, 500)
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, sheet=SheetSettings(max_cols=3))
    assert (ei.value.limit, ei.value.value) == ("sheet.max_cols", 4)
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, sheet=SheetSettings(max_cells=2000))  # the cells xlrd holds, before any table
    assert (ei.value.limit, ei.value.value) == ("sheet.max_cells", 1 + 600 * 4 + 10)  # a row's cells up to its last
    assert "cells read from the sheet" in str(ei.value)


def test_xlsx_table_positions_limit(tmp_path):
    """Sparse cells far apart in adjacent rows make a wide table: refused before its grid is built."""
    def fill(wb):
        ws = wb.active
        for r in range(1, 301):
            ws.cell(r, 1, r)
            ws.cell(r, 1000, r)

    f = tmp_path / "sparse.xlsx"
    f.write_bytes(_xlsx(fill))
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, sheet=SheetSettings(max_cells=100_000))
    assert (ei.value.limit, ei.value.value) == ("sheet.max_cells", 300 * 1000)
    assert "the table of the sheet 'Sheet' from row 1" in str(ei.value)


def test_xls_merged_range_limits(tmp_path):
    rep = make_report(3, "2021")
    f = tmp_path / "r.xls"
    f.write_bytes(render_xls(rep))
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, sheet=SheetSettings(max_merged=2))
    assert ei.value.limit == "sheet.max_merged" and ei.value.value > 2
    # under the defaults the same workbook reads
    assert rx.read_report(f).meta["template"] == "2021"


def test_xls_sheet_count_limit(tmp_path):
    def fill(wb, xlwt):
        for i in range(4):
            wb.add_sheet(f"s{i}").write(0, 0, i)

    f = tmp_path / "many.xls"
    f.write_bytes(_xls(fill))
    with pytest.raises(LimitExceededError, match="sheet.max_sheets") as ei:
        rx.read_report(f, sheet=SheetSettings(max_sheets=3))
    assert ei.value.value == 4


def test_xls_merge_past_the_content_is_refused_or_cut(tmp_path, monkeypatch):
    """The damaged .xls of the fuzz run: a MERGEDCELLS record reaching row 5,000 and column 200
    of a sheet holding a 3 × 3 table. xlrd grows the sheet's used range to the merge's, so the
    used range is over sheet.max_cells (refused early); under raised limits the reader visits
    only the cells the file holds (xlrd's ragged rows, not 1,000,000 padded positions) and cuts
    the merge at the content, giving the 3 × 3 table."""
    import xlrd

    def fill(wb, xlwt):
        border = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin")
        ws = wb.add_sheet("表", cell_overwrite_ok=True)
        for r in range(3):
            for c in range(3):
                ws.write(r, c, f"{r}{c}", border)
        ws.merge(1, 2, 1, 2)

    record = b"\xe5\x00\x0a\x00\x01\x00"  # MERGEDCELLS, 10 bytes, one range: rows 1-2, columns 1-2
    data = _xls(fill)
    assert data.count(record + struct.pack("<4H", 1, 2, 1, 2)) == 1
    damaged = data.replace(record + struct.pack("<4H", 1, 2, 1, 2), record + struct.pack("<4H", 1, 4999, 1, 199))
    f = tmp_path / "merge.xls"
    f.write_bytes(damaged)
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, timeout=60)  # the timeout only bounds the failure of the unfixed reader
    assert ei.value.limit == "sheet.max_cells" and ei.value.value == 4999 * 199  # the positions the merge covers

    calls = []
    real_cell = xlrd.sheet.Sheet.cell
    monkeypatch.setattr(xlrd.sheet.Sheet, "cell", lambda self, r, c: calls.append((r, c)) or real_cell(self, r, c))
    from report_extract.readers.sheet import read_xls

    big = ReadOptions(sheet=SheetSettings(max_cells=10**7))
    doc = read_xls(f.read_bytes(), str(f), big)
    assert len(calls) <= 3 * 3 + 5000  # the stored cells (plus one empty cell a row at most), not 5000 × 200
    (table,) = _tables(doc)
    assert (table.n_rows, table.n_cols) == (3, 3)
    merged = table.rows[1][1]
    assert (merged.text, merged.rowspan, merged.colspan) == ("11", 2, 2)
    assert table.rows[2][2].origin == (1, 1)


def test_xlsx_merge_bomb_refused_before_openpyxl_loads(tmp_path, monkeypatch):
    """openpyxl makes one object per position of a merged range: a ``<mergeCell>`` reaching
    CZ20000 (2,080,000 positions) is refused from the sheet's XML, before openpyxl runs."""
    data = _with_merge_ref(render_xlsx(make_report(2, "2021")), "CZ20000")
    f = tmp_path / "bomb.xlsx"
    f.write_bytes(data)

    def no_load(*a, **k):
        raise AssertionError("openpyxl loaded the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", no_load)
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f)
    assert ei.value.limit == "sheet.max_cells" and 19_000 * 100 < ei.value.value <= 20_000 * 104
    assert str(f) in str(ei.value) and "xl/worksheets/" in str(ei.value) and "merged ranges cover" in str(ei.value)
    # a whole-sheet merge
    f.write_bytes(_with_merge_ref(render_xlsx(make_report(2, "2021")), "XFD1048576"))
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f)
    assert ei.value.limit == "sheet.max_cells" and ei.value.value > 16_000 * 1_000_000


def test_xlsx_merge_past_the_content_is_cut(tmp_path):
    """Under raised limits a merged range reaching past the content is cut at it: the table is
    the cells the sheet holds."""
    def fill(wb):
        ws = wb.active
        ws.title = "表"
        for r in range(1, 4):
            for c in range(1, 4):
                ws.cell(r, c, f"{r - 1}{c - 1}")
        ws.merge_cells("B2:C3")

    data = _with_merge_ref(_xlsx(fill), "T300")
    from report_extract.readers.sheet import read_xlsx

    (table,) = _tables(read_xlsx(data, "m.xlsx"))
    assert (table.n_rows, table.n_cols) == (3, 3)
    assert (table.rows[1][1].rowspan, table.rows[1][1].colspan) == (2, 2)


def test_xlsx_extent_and_sheet_count_limits(tmp_path):
    def fill(wb):
        wb.active.title = "一"
        wb.active.cell(1, 1, "标题")
        wb.active.cell(1, 700, "远")
        wb.create_sheet("二").cell(1, 1, 1)
        wb.create_sheet("三").cell(1, 1, 1)

    f = tmp_path / "wide.xlsx"
    f.write_bytes(_xlsx(fill))
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, sheet=SheetSettings(max_cols=500))
    assert ei.value.limit == "sheet.max_cols" and ei.value.value == 700 and "'一'" in str(ei.value)
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, sheet=SheetSettings(max_sheets=2))
    assert ei.value.limit == "sheet.max_sheets" and ei.value.value == 3


@pytest.mark.parametrize("layout", ["sheets", "single"])
def test_generated_workbooks_are_far_below_the_limits(layout):
    """A report's workbook reads under a hundredth of the default limits (a tenth for the sheet count)."""
    small = {k: getattr(SheetSettings(), k) // 100 for k in ("max_rows", "max_cols", "max_cells", "max_merged")}
    small["max_sheets"] = SheetSettings().max_sheets // 10
    rep = make_report(5, "2019")
    r = rx.read_report(render_xlsx(rep, layout=layout), sheet=SheetSettings(**small))
    assert r.meta["template"] == "2019"
