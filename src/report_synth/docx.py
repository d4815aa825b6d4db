"""Render a :class:`~report_synth.SynthReport` as a DOCX document with python-docx.

Tables are built as Word builds the official template: merged cells are real ``w:gridSpan`` and
``w:vMerge`` restart/continue merges, blank and value cells carry U+3000 / space padding, and the
section-三 table can be split in two (as a page break or a paste does). ``wrap`` places the tables
in the containers real documents use:

* ``"sdt"`` — every table (and a heading) inside a content control (``w:sdt``);
* ``"textbox"`` — the section-四 table inside a text box (``mc:AlternateContent`` with both the
  DrawingML ``mc:Choice`` and its VML ``mc:Fallback`` copy, as Word writes it);
* ``"frame"`` — the whole report inside a one-cell layout table (nested tables);
* ``"grid_after"`` — full-width banner rows written as one cell plus ``w:gridAfter``.

:func:`report_from_frame` turns a labelled cells frame (e.g. a corpus label) into a SynthReport, so
real values can be rendered too.
"""

from __future__ import annotations

import copy
import io
import math
import random

import pandas as pd

from report_extract.grid import CellSpec, build_table
from report_extract.schema import template_schema
from report_extract.values import parse_value

from . import SECTION_HEADINGS, SynthReport, prose, standard_layout
from .html import split_rows

WRAPS = (None, "sdt", "textbox", "frame", "grid_after")
_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def render_docx(
    rep: SynthReport,
    *,
    split_requests: int | None = 12,
    padding: bool = True,
    wrap: str | None = None,
    seed: int = 0,
) -> bytes:
    """The whole report as DOCX bytes.

    ``split_requests`` cuts the section-三 table before that row (None: one table); ``padding``
    pads cells with U+3000 and spaces; ``wrap`` is one of :data:`WRAPS`.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if wrap not in WRAPS:
        raise ValueError(f"wrap must be one of {WRAPS}")
    rng = random.Random(seed)
    d = docx.Document()
    d.core_properties.title = rep.title
    d.core_properties.author = rep.agency
    title = d.add_paragraph(rep.title)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tables = standard_layout(rep)
    for n in range(1, 7):
        d.add_paragraph(SECTION_HEADINGS[n])
        for text in prose(rep, n):
            d.add_paragraph(text)
        if n not in tables:
            continue
        parts = [tables[n]]
        if n == 3 and split_requests:
            parts = list(split_rows(tables[n], split_requests))
        for k, rows in enumerate(parts):
            if k:
                d.add_paragraph("")  # what is left between the two halves of a split table
            tbl = _add_table(d, rows, rng if padding else None)
            if wrap == "grid_after":
                _banners_to_grid_after(tbl)
            elif wrap == "sdt":
                _wrap_sdt(tbl._tbl)
            elif wrap == "textbox" and n == 4:
                _into_textbox(d, tbl._tbl)
    body = d.element.body
    if wrap == "sdt":
        first_heading = next(p for p in body.iterchildren(_q("w:p")) if "总体情况" in "".join(p.itertext()))
        _wrap_sdt(first_heading)
    elif wrap == "frame":
        _into_frame(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pad(text: str, rng: random.Random | None, value: bool) -> str:
    if rng is None:
        return text
    if not text:
        return rng.choice(["", "\u3000", "\u3000\u3000", " "]) if value else text
    if value:
        return rng.choice([text, text, "\u3000" + text, text + " ", " " + text + "\u3000"])
    return rng.choice([text, text, text, "\u3000" + text, text + " "])


def _add_table(d, rows: list[list[CellSpec]], rng: random.Random | None):
    grid = build_table(rows)
    table = d.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    origins = [c for row in grid.rows for c in row if not c.continued and not c.padding]
    cells = [row.cells for row in table.rows]  # the plain grid, before any merge
    for c in origins:
        cells[c.row][c.col].text = _pad(c.text, rng, "key" in c.source)
    for c in origins:  # merging keeps the top-left cell's text (the covered cells are empty)
        if c.rowspan > 1 or c.colspan > 1:
            table.cell(c.row, c.col).merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
    return table


def _banners_to_grid_after(table) -> None:
    """Full-width single-cell rows become one grid column wide plus ``w:gridAfter`` (Word writes this
    when the cells right of a cell were deleted)."""
    n_cols = len(table._tbl.tblGrid.findall(_q("w:gridCol")))
    for tr in table._tbl.iterchildren(_q("w:tr")):
        tcs = tr.findall(_q("w:tc"))
        if len(tcs) != 1 or n_cols < 2:
            continue
        tcpr = tcs[0].get_or_add_tcPr()
        span = tcpr.find(_q("w:gridSpan"))
        if span is None or int(span.get(_q("w:val"))) != n_cols:
            continue
        tcpr.remove(span)
        trpr = tr.get_or_add_trPr()
        after = trpr.makeelement(_q("w:gridAfter"), {_q("w:val"): str(n_cols - 1)})
        trpr.insert(0, after)


def _wrap_sdt(el) -> None:
    parent = el.getparent()
    sdt = parent.makeelement(_q("w:sdt"), {})
    pr = sdt.makeelement(_q("w:sdtPr"), {})
    alias = pr.makeelement(_q("w:alias"), {_q("w:val"): "报告内容"})
    pr.append(alias)
    sdt.append(pr)
    content = sdt.makeelement(_q("w:sdtContent"), {})
    sdt.append(content)
    parent.replace(el, sdt)
    content.append(el)


def _into_textbox(d, tbl) -> None:
    """Move ``tbl`` into a text box anchored in a new paragraph at the table's place."""
    from lxml import etree

    body = tbl.getparent()
    p = etree.SubElement(body, _q("w:p"))
    body.remove(p)
    body.replace(tbl, p)
    r = etree.SubElement(p, _q("w:r"))
    alt = etree.SubElement(r, _q("mc:AlternateContent"))
    choice = etree.SubElement(alt, _q("mc:Choice"), Requires="wps")
    drawing = etree.SubElement(choice, _q("w:drawing"))
    anchor = etree.SubElement(drawing, _q("wp:inline"))
    etree.SubElement(anchor, _q("wp:extent"), cx="6000000", cy="2000000")
    etree.SubElement(anchor, _q("wp:docPr"), id="1", name="文本框 1")
    graphic = etree.SubElement(anchor, _q("a:graphic"))
    data = etree.SubElement(graphic, _q("a:graphicData"), uri=_NS["wps"])
    wsp = etree.SubElement(data, _q("wps:wsp"))
    etree.SubElement(wsp, _q("wps:cNvSpPr"), txBox="1")
    txbx = etree.SubElement(wsp, _q("wps:txbx"))
    content = etree.SubElement(txbx, _q("w:txbxContent"))
    content.append(tbl)
    etree.SubElement(content, _q("w:p"))
    etree.SubElement(wsp, _q("wps:bodyPr"))
    fallback = etree.SubElement(alt, _q("mc:Fallback"))
    pict = etree.SubElement(fallback, _q("w:pict"))
    rect = etree.SubElement(pict, _q("v:rect"), style="width:470pt;height:160pt")
    vbox = etree.SubElement(rect, _q("v:textbox"))
    vcontent = etree.SubElement(vbox, _q("w:txbxContent"))
    vcontent.append(copy.deepcopy(tbl))
    etree.SubElement(vcontent, _q("w:p"))


def _into_frame(d) -> None:
    """Move the whole body into the single cell of a layout table."""
    body = d.element.body
    children = [el for el in body if el.tag != _q("w:sectPr")]
    frame = d.add_table(rows=1, cols=1)
    tc = frame._tbl.find(_q("w:tr")).find(_q("w:tc"))
    for p in tc.findall(_q("w:p")):
        tc.remove(p)
    for el in children:
        tc.append(el)
    tc.append(tc.makeelement(_q("w:p"), {}))  # a cell ends with a paragraph


# -- real values ---------------------------------------------------------------------------------


def _printed(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def report_from_frame(
    frame: pd.DataFrame,
    template: str,
    *,
    agency: str = "临江市人民政府",
    year: int | None = None,
) -> SynthReport | None:
    """A SynthReport holding the cells of a ``table,row,column,value[,raw]`` frame (e.g. a corpus
    label), or None when the frame lacks cells the standard layout prints.

    A cell's printed text is the frame's ``raw`` when that reads as the frame's value, else the value.
    """
    year = year or (2020 if template == "2019" else 2023)
    cells = {(t, r, c): v for t, r, c, v in zip(frame["table"], frame["row"], frame["column"], frame["value"])}
    raws = dict(zip(zip(frame["table"], frame["row"], frame["column"]), frame["raw"] if "raw" in frame else [None] * len(frame)))
    other_rows = 1 if any(k[0] == "requests" and k[1] == "other" for k in cells) else 3
    schema = template_schema(template)
    order = [(c.table, c.row, c.column) for c in schema.cells]
    if other_rows == 1 and template == "2021":
        order = [k for k in order if not k[1].startswith("other_")]
        idx = next(i for i, k in enumerate(order) if k[1] == "total_processed")
        order[idx:idx] = [("requests", "other", c) for c in schema.column_order["requests"]]
    rep = SynthReport(template, agency, year, other_rows)
    for key in order:
        if key not in cells:
            return None
        v = cells[key]
        value = None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
        raw = raws.get(key)
        raw = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw)
        parsed = parse_value(raw).value
        same = (value is None and math.isnan(parsed)) or (value is not None and not math.isnan(parsed) and abs(parsed - value) < 1e-9)
        rep.raw[key] = raw if same else _printed(value)
        rep.values[key] = value
    try:
        standard_layout(rep)
    except KeyError:
        return None
    return rep


__all__ = ["render_docx", "report_from_frame", "WRAPS"]
