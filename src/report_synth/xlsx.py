"""Render a :class:`~report_synth.SynthReport` as a spreadsheet: XLSX (openpyxl) or XLS (xlwt).

Two layouts: ``"sheets"`` — a cover sheet with the title, then one sheet per section named by its
heading; ``"single"`` — everything on one sheet, one heading or paragraph per row, tables below
their headings with a blank row after each. Merged cells are real merged ranges, table cells have
borders, plain numbers are stored as numbers and everything else (placeholders, ``1,234``, ``12元``,
full-width digits, U+3000-padded blanks) as text.
"""

from __future__ import annotations

import io
import random
import re

from report_extract.grid import CellSpec, build_table

from . import SECTION_HEADINGS, SynthReport, prose, standard_layout

LAYOUTS = ("sheets", "single")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell_value(text: str, is_value: bool, rng: random.Random) -> str | int | float:
    if is_value and _PLAIN_NUMBER.match(text):
        return float(text) if "." in text else int(text)
    if is_value and not text:
        return rng.choice(["", "\u3000", " "])
    return text


def _items(rep: SynthReport, layout: str) -> list[tuple[str, list[tuple[str, object]]]]:
    """[(sheet name, [("p", text) | ("t", rows) | ("gap", None)])]."""
    tables = standard_layout(rep)
    sheets: list[tuple[str, list[tuple[str, object]]]] = []
    if layout == "sheets":
        sheets.append(("封面", [("p", rep.title)]))
        for n in range(1, 7):
            items: list[tuple[str, object]] = [("p", t) for t in prose(rep, n)]
            if n in tables:
                items.append(("t", tables[n]))
            sheets.append((SECTION_HEADINGS[n], items))
    elif layout == "single":
        items = [("p", rep.title)]
        for n in range(1, 7):
            items.append(("p", SECTION_HEADINGS[n]))
            items += [("p", t) for t in prose(rep, n)]
            if n in tables:
                items += [("t", tables[n]), ("gap", None)]
        sheets.append(("Sheet1", items))
    else:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    return sheets


def render_xlsx(rep: SynthReport, layout: str = "sheets", seed: int = 0) -> bytes:
    """The report as XLSX bytes in ``layout`` (``"sheets"`` or ``"single"``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    rng = random.Random(seed)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = rep.title
    for name, items in _items(rep, layout):
        ws = wb.create_sheet(name)
        r = 1
        for kind, obj in items:
            if kind == "p":
                ws.cell(row=r, column=1, value=obj)
                r += 1
            elif kind == "gap":
                r += 1
            else:
                r = _xlsx_table(ws, obj, r, border, rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_table(ws, rows: list[list[CellSpec]], top: int, border, rng: random.Random) -> int:
    grid = build_table(rows)
    for row in grid.rows:
        for c in row:
            cell = ws.cell(row=top + c.row, column=1 + c.col)
            cell.border = border
            if not c.continued and not c.padding:
                cell.value = _cell_value(c.text, "key" in c.source, rng)
    for row in grid.rows:
        for c in row:
            if not c.continued and (c.rowspan > 1 or c.colspan > 1):
                ws.merge_cells(start_row=top + c.row, start_column=1 + c.col,
                               end_row=top + c.row + c.rowspan - 1, end_column=1 + c.col + c.colspan - 1)
    return top + grid.n_rows


def render_xls(rep: SynthReport, layout: str = "sheets", seed: int = 0) -> bytes:
    """The report as Excel 97-2003 (.xls) bytes (needs ``xlwt``)."""
    import xlwt

    rng = random.Random(seed)
    style = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin")
    wb = xlwt.Workbook(encoding="utf-8")
    for name, items in _items(rep, layout):
        ws = wb.add_sheet(name[:31])
        r = 0
        for kind, obj in items:
            if kind == "p":
                ws.write(r, 0, obj)
                r += 1
            elif kind == "gap":
                r += 1
            else:
                grid = build_table(obj)
                for row in grid.rows:
                    for c in row:
                        if c.continued or c.padding:
                            continue
                        value = _cell_value(c.text, "key" in c.source, rng)
                        if c.rowspan > 1 or c.colspan > 1:
                            ws.write_merge(r + c.row, r + c.row + c.rowspan - 1, c.col, c.col + c.colspan - 1, value, style)
                        else:
                            ws.write(r + c.row, c.col, value, style)
                r += grid.n_rows
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["render_xlsx", "render_xls", "LAYOUTS"]
