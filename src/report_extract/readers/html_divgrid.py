"""HTML tables made of ``<div>``/``<span>`` grids styled as tables, turned into the grid model.

Some newer CMSs print a report's tables without ``<table>``: as a CSS grid (``display: grid`` with
``grid-template-columns`` and ``grid-column``/``grid-row`` spans), as CSS tables (``display:
table``/``table-row``/``table-cell``) or as rows of fixed-width blocks (``width: 64px`` inline
blocks, a wider block spanning columns). Each is read into the same rows of
:class:`~report_extract.grid.CellSpec` as an HTML table, then :func:`~report_extract.grid.build_table`.
Layout only: nothing here knows the template.
"""

from __future__ import annotations

import re

from ..grid import CellSpec, Table, build_table
from .html_tables import Element, cell_text, classes

MIN_CELLS = 6  # fewer cells than this is page layout, not a table
MIN_ROWS = 2
_DISPLAY = re.compile(r"display\s*:\s*([a-z-]+)", re.I)
_COLUMNS = re.compile(r"grid-template-columns\s*:\s*([^;]+)", re.I)
_REPEAT = re.compile(r"repeat\(\s*(\d+)\s*,", re.I)
_SPAN = re.compile(r"grid-(column|row)\s*:\s*(?:span\s+(\d+)|(\d+)\s*/\s*(?:span\s+(\d+)|(-?\d+)))", re.I)
_WIDTH = re.compile(r"(?<![-\w])width\s*:\s*([\d.]+)\s*(px|%|em|rem|pt)", re.I)
_CLASS_HINTS = {"table": ("table", "tbl"), "row": ("row", "tr"), "cell": ("cell", "td", "col")}


def _style(el: Element) -> str:
    return str(el.get("style") or "")


def _display(el: Element) -> str | None:
    m = _DISPLAY.search(_style(el))
    return m.group(1).lower() if m else None


def _children(el: Element) -> list[Element]:
    return [c for c in el if isinstance(c.tag, str) and c.tag not in ("script", "style", "br")]


def divgrid_table(el: Element, hidden: set[Element] | None = None) -> Table | None:
    """The table a ``<div>`` grid ``el`` prints, or None when ``el`` is not one (``hidden``: the
    page's hidden elements, see :func:`~.html_tables.text_pieces`)."""
    for style, reader in (("grid", _css_grid), ("css-table", _css_table), ("blocks", _fixed_blocks)):
        rows = reader(el, hidden)
        if rows and len(rows) >= MIN_ROWS and sum(len(r) for r in rows) >= MIN_CELLS:
            return build_table(rows, source={"layout": f"div-{style}", "tag": el.tag})
    return None


# -- CSS grid -------------------------------------------------------------------------------------


def _track_count(style: str) -> int | None:
    m = _COLUMNS.search(style)
    if not m:
        return None
    value = m.group(1).strip()
    rep = _REPEAT.search(value)
    if rep:
        return int(rep.group(1))
    tracks = re.findall(r"[\d.]+(?:fr|px|%|em|rem)|auto|min-content|max-content|minmax\([^)]*\)", value)
    return len(tracks) or None


def _spans(el: Element) -> tuple[int, int]:
    rowspan = colspan = 1
    for m in _SPAN.finditer(_style(el)):
        kind, span, start, span2, end = m.groups()
        n = int(span or span2 or 0) or (int(end) - int(start) if end and start and int(end) > int(start) else 1)
        if kind.lower() == "column":
            colspan = max(1, n)
        else:
            rowspan = max(1, n)
    return rowspan, colspan


def _css_grid(el: Element, hidden: set[Element] | None) -> list[list[CellSpec]] | None:
    if _display(el) not in ("grid", "inline-grid"):
        return None
    n = _track_count(_style(el))
    items = _children(el)
    if not n or len(items) < MIN_CELLS:
        return None
    # auto-placement, row by row: each item takes the first free place wide enough for it
    taken: set[tuple[int, int]] = set()
    rows: list[list[CellSpec]] = []
    r = c = 0
    for item in items:
        rowspan, colspan = _spans(item)
        colspan = min(colspan, n)
        while True:
            if c + colspan > n:
                r, c = r + 1, 0
                continue
            if all((r + dr, c + dc) not in taken for dr in range(rowspan) for dc in range(colspan)):
                break
            c += 1
        for dr in range(rowspan):
            for dc in range(colspan):
                taken.add((r + dr, c + dc))
        while len(rows) <= r:
            rows.append([])
        rows[r].append(CellSpec(cell_text(item, hidden), rowspan, colspan, {"div_grid": "grid"}))
        c += colspan
    return [row for row in rows if row]


# -- CSS table ------------------------------------------------------------------------------------


def _is_kind(el: Element, kind: str, display: str) -> bool:
    d = _display(el)
    if d is not None:
        return d == display
    names = [c.lower() for c in classes(el)]
    return any(c == h or c.endswith("-" + h) or c.startswith(h + "-") for c in names for h in _CLASS_HINTS[kind])


def _css_table(el: Element, hidden: set[Element] | None) -> list[list[CellSpec]] | None:
    if not (_display(el) == "table" or (_display(el) is None and _is_kind(el, "table", "table"))):
        return None
    row_tags = [c for c in _children(el) if _is_kind(c, "row", "table-row")]
    # a row group (display: table-row-group / tbody-like wrapper)
    if not row_tags:
        for g in _children(el):
            row_tags += [c for c in _children(g) if _is_kind(c, "row", "table-row")]
    rows = []
    for tr in row_tags:
        cells = [c for c in _children(tr) if _display(c) in (None, "table-cell")]
        rows.append([CellSpec(cell_text(c, hidden), source={"div_grid": "table"}) for c in cells])
    return rows or None


# -- rows of fixed-width blocks -------------------------------------------------------------------


def _width(el: Element) -> tuple[float, str] | None:
    m = _WIDTH.search(_style(el))
    return (float(m.group(1)), m.group(2).lower()) if m else None


def _fixed_blocks(el: Element, hidden: set[Element] | None) -> list[list[CellSpec]] | None:
    row_tags = _children(el)
    if len(row_tags) < MIN_ROWS:
        return None
    widths: list[list[tuple[Element, float]]] = []
    unit_kind = None
    for tr in row_tags:
        cells = _children(tr)
        if len(cells) < 1:
            return None
        row = []
        for c in cells:
            w = _width(c)
            if w is None or (unit_kind is not None and w[1] != unit_kind):
                return None
            unit_kind = w[1]
            row.append((c, w[0]))
        widths.append(row)
    if sum(len(r) for r in widths) < MIN_CELLS or max(len(r) for r in widths) < 2:
        return None
    unit = min(w for row in widths for _, w in row if w > 0)
    totals = {round(sum(w for _, w in row) / unit) for row in widths}
    if len(totals) != 1:
        return None  # rows that do not line up are not a table
    return [[CellSpec(cell_text(c, hidden), 1, max(1, round(w / unit)), {"div_grid": "blocks"}) for c, w in row] for row in widths]


__all__ = ["divgrid_table"]
