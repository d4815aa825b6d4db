"""Render a report as HTML whose tables are grids of ``<div>``/``<span>`` styled as tables (newer CMSs).

Three styles: ``grid`` (CSS ``display: grid`` with ``grid-column``/``grid-row`` spans), ``table``
(``display: table``/``table-row``/``table-cell``: no spans, merged cells repeated empty) and
``blocks`` (rows of fixed-width inline blocks: widths carry the column spans, row spans are lost).
"""

from __future__ import annotations

from html import escape

from report_extract.grid import CellSpec, build_table

from . import SECTION_HEADINGS, SynthReport, prose, standard_layout

STYLES = ("grid", "table", "blocks")
UNIT_PX = 64


def _grid(rows: list[list[CellSpec]]) -> str:
    n = build_table(rows).n_cols
    out = [f'<div class="tbl" style="display:grid;grid-template-columns:repeat({n}, 1fr);border:1px solid #000">']
    for row in rows:
        for s in row:
            style = "border:1px solid #000;padding:2px"
            if s.colspan > 1:
                style += f";grid-column:span {s.colspan}"
            if s.rowspan > 1:
                style += f";grid-row:span {s.rowspan}"
            out.append(f'<div class="cell" style="{style}">{escape(s.text)}</div>')
    out.append("</div>")
    return "\n".join(out)


def _table(rows: list[list[CellSpec]]) -> str:
    grid = build_table(rows)
    out = ['<div class="table" style="display:table;border-collapse:collapse">']
    for row in grid.rows:
        cells = "".join(
            f'<span style="display:table-cell;border:1px solid #000">{"" if c.continued else escape(c.text)}</span>' for c in row
        )
        out.append(f'<div style="display:table-row">{cells}</div>')
    out.append("</div>")
    return "\n".join(out)


def _blocks(rows: list[list[CellSpec]]) -> str:
    grid = build_table(rows)
    out = [f'<div class="form" style="width:{UNIT_PX * grid.n_cols}px">']
    for row in grid.rows:
        parts = []
        for c in row:
            if c.continued and c.origin[0] != c.row:
                text = ""  # a row span: an empty block in its place
            elif c.continued:
                continue  # a column span: the block is wider
            else:
                text = escape(c.text)
            w = UNIT_PX * (c.colspan if not c.continued else 1)
            parts.append(f'<div style="display:inline-block;width:{w}px;border:1px solid #000;box-sizing:border-box">{text}</div>')
        out.append('<div class="row" style="white-space:nowrap">' + "".join(parts) + "</div>")
    out.append("</div>")
    return "\n".join(out)


RENDERERS = {"grid": _grid, "table": _table, "blocks": _blocks}


def _html_table(rows: list[list[CellSpec]]) -> str:
    out = ['<table border="1">']
    for row in rows:
        tds = []
        for s in row:
            attrs = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + (f' colspan="{s.colspan}"' if s.colspan > 1 else "")
            tds.append(f"<td{attrs}>{escape(s.text)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_divgrid_html(rep: SynthReport, style: str = "grid", sections: tuple[int, ...] = (3,)) -> bytes:
    """The report as an HTML page with the tables of ``sections`` as ``style`` div grids (the
    others as ordinary ``<table>``s)."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}")
    tables = standard_layout(rep)
    body = [f"<h1>{escape(rep.title)}</h1>"]
    for n in range(1, 7):
        body.append(f"<p>{escape(SECTION_HEADINGS[n])}</p>")
        body += [f"<p>{escape(t)}</p>" for t in prose(rep, n)]
        if n in tables:
            body.append(RENDERERS[style](tables[n]) if n in sections else _html_table(tables[n]))
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(rep.title)}</title></head>"
        f"<body><div class='article'>{''.join(body)}</div></body></html>"
    )
    return page.encode("utf-8")


__all__ = ["render_divgrid_html", "STYLES"]
