"""Ruled tables of a PDF page as grids, built from the drawn lines and cell boxes.

The table structure comes from the ruling (pdfplumber's edge/intersection/cell machinery run on the
*visible* edges only: invisible white background boxes that word processors put behind text are
dropped), never from text baselines. A :class:`Fragment` is the part of a table on one page: its
cell boxes with their texts. Fragments that continue each other across a page break are joined
(:func:`join_fragments`) by their column geometry, and the cells cut by the break are glued back.
:func:`fragment_to_table` expands the boxes into a :class:`~report_extract.grid.Table` with
rowspans/colspans computed from the column and row boundaries.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils import obj_to_edges

from ..cellkind import is_label_text, is_number_text
from ..grid import GridCell, Table
from ..options import DEFAULT_OPTIONS, PdfSettings
from .pdf_text import cell_text, join_texts

# a line numbered like a part of a document (一、 二、 …): body text framed with the table, not a banner
_NUMBERED_LINE = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]")
_PDF = DEFAULT_OPTIONS.pdf  # geometry settings when none are given (snap, column_tol, prose_chars)
_NUMBERED_RE = re.compile(r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")


@dataclass
class Box:
    """A cell box: its bounds (in the fragment's coordinates), text and page."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    page: int = 0
    page_bbox: tuple[float, float, float, float] | None = None  # on its page, before any joining

    def __post_init__(self) -> None:
        if self.page_bbox is None:
            self.page_bbox = (self.x0, self.top, self.x1, self.bottom)


@dataclass
class Fragment:
    """The part of a ruled table drawn on one page (or several joined parts)."""

    page: int
    bbox: tuple[float, float, float, float]
    boxes: list[Box]
    xs: list[float] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def bottom(self) -> float:
        return self.bbox[3]

    @property
    def n_columns(self) -> int:
        return max(0, len(self.xs) - 1)


# -- edges ------------------------------------------------------------------------------------


def _is_white(color) -> bool:
    if color is None:
        return False
    if isinstance(color, int | float):
        color = (color,)
    if not isinstance(color, tuple | list) or not color or not all(isinstance(v, int | float) for v in color):
        return False
    if len(color) == 4:  # CMYK
        return all(v <= 0.05 for v in color)
    return all(v >= 0.95 for v in color)


def _visible(obj: dict) -> bool:
    if obj["object_type"] == "line":
        return not _is_white(obj.get("stroking_color"))
    if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
        return True
    return bool(obj.get("fill")) and not _is_white(obj.get("non_stroking_color"))


def visible_edges(objects: list[dict]) -> list[dict]:
    """Horizontal and vertical edges of the visible lines, rects and curves."""
    edges = []
    for obj in objects:
        if not _visible(obj):
            continue
        try:
            for e in obj_to_edges(obj):
                if e.get("orientation") in ("h", "v"):
                    edges.append(e)
        except (KeyError, TypeError, ValueError):
            continue
    return edges


def make_edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    """A pdfplumber-style ruling edge (``orientation`` "h" or "v") with these bounds, in points."""
    return {
        "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
        "orientation": orientation, "object_type": "line_edge",
    }


def _close_open_ends(edges: list[dict], snap: float) -> None:
    """Extend a horizontal rule to a vertical rule that ends on its line without meeting it.

    A table continued on a new page sometimes has a top border over part of its width only;
    the vertical rules still start at that line, so the border is completed.
    """
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    # no border at all where several vertical rules end together (a table cut by a page break)
    dangling: list[tuple[float, float]] = []
    for v in vs:
        for y in (v["top"], v["bottom"]):
            if not any(abs(h["top"] - y) <= snap and h["x0"] - snap <= v["x0"] <= h["x1"] + snap for h in hs):
                dangling.append((y, v["x0"]))
    for y in cluster([d[0] for d in dangling], snap):
        xs = [x for yy, x in dangling if abs(yy - y) <= snap]
        if len(xs) >= 3 and not any(abs(h["top"] - y) <= snap for h in hs):
            e = make_edge("h", min(xs), max(xs), y, y)
            hs.append(e)
            edges.append(e)
    for v in vs:
        x = v["x0"]
        for y in (v["top"], v["bottom"]):
            same_line = [h for h in hs if abs(h["top"] - y) <= snap]
            if not same_line or any(h["x0"] - snap <= x <= h["x1"] + snap for h in same_line):
                continue
            h = min(same_line, key=lambda h: min(abs(h["x0"] - x), abs(h["x1"] - x)))
            if x < h["x0"]:
                h["x0"] = x
            else:
                h["x1"] = x
            h["width"] = h["x1"] - h["x0"]


def _close_open_sides(edges: list[dict], snap: float) -> None:
    """Draw the missing outer side of a table whose rows end together without a border there.

    Open-sided tables (no left or right border) and scans whose faint border was lost leave the
    horizontal rules ending at one x with nothing joining them. Between two consecutive rules
    ending there, a side is added when a vertical rule elsewhere spans that band (so the band
    is inside a ruled table, not the gap between two tables).
    """
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    for side, far in (("x0", "x1"), ("x1", "x0")):
        for x in cluster([h[side] for h in hs], snap):
            ending = [h for h in hs if abs(h[side] - x) <= snap]
            ys = cluster([h["top"] for h in ending], snap)
            for a, b in zip(ys, ys[1:]):
                spans = [v for v in vs if v["top"] <= a + snap and v["bottom"] >= b - snap]
                if any(abs(v["x0"] - x) <= snap for v in spans):
                    continue  # already closed
                ends = [h[far] for h in ending if abs(h["top"] - a) <= snap or abs(h["top"] - b) <= snap]
                lo, hi = sorted((x, min(ends) if side == "x0" else max(ends)))
                if any(lo + snap < v["x0"] < hi - snap for v in spans):
                    edges.append(make_edge("v", x, x, a, b))


def find_cell_groups(edges: list[dict], snap: float = _PDF.snap) -> list[list[tuple[float, float, float, float]]]:
    """Cell bounding boxes grouped into tables, from ruling edges."""
    if not edges:
        return []
    merged = merge_edges([dict(e) for e in edges], snap, snap, snap, snap)
    merged = [e for e in merged if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 3]
    _close_open_ends(merged, snap)
    _close_open_sides(merged, snap)
    inter = edges_to_intersections(merged, snap, snap)
    cells = intersections_to_cells(inter)
    return cells_to_tables(cells)


def cluster(values: list[float], tol: float = 2.0) -> list[float]:
    """Sorted distinct values, those within ``tol`` of the previous one merged (their mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _index(bounds: list[float], v: float) -> int:
    i = bisect.bisect_left(bounds, v)
    if i == len(bounds):
        return i - 1
    if i > 0 and v - bounds[i - 1] < bounds[i] - v:
        return i - 1
    return i


# -- fragments of one page --------------------------------------------------------------------


def page_fragments(
    edges: list[dict], chars: list[dict], page_number: int, min_width: float = 0.0, min_rows: int = 1,
    settings: PdfSettings = _PDF,
) -> tuple[list[Fragment], list[dict]]:
    """The ruled tables drawn by ``edges`` on one page and the characters outside them.

    One-column "tables" (boxed body text) are not tables: their characters stay prose; nor are
    groups of cells narrower than ``min_width`` points or with fewer than ``min_rows`` rows.
    """
    groups = find_cell_groups(edges, settings.snap)
    frags: list[Fragment] = []
    for cells in groups:
        xs = cluster([c[0] for c in cells] + [c[2] for c in cells])
        if len(xs) < 3 or len(cells) < 2 or xs[-1] - xs[0] < min_width:
            continue
        if min_rows > 1 and len(cluster([c[1] for c in cells] + [c[3] for c in cells])) - 1 < min_rows:
            continue
        boxes = [Box(c[0], c[1], c[2], c[3], page=page_number) for c in cells]
        bbox = (min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes))
        frags.append(Fragment(page_number, bbox, boxes, xs, [page_number]))
    if not frags:
        return [], chars
    frags.sort(key=lambda f: f.top)
    per_box: list[list[list[dict]]] = [[[] for _ in f.boxes] for f in frags]
    rest: list[dict] = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        for fi, f in enumerate(frags):
            x0, t, x1, b = f.bbox
            if not (x0 <= cx <= x1 and t <= cy <= b):
                continue
            for bi, box in enumerate(f.boxes):
                if box.x0 <= cx <= box.x1 and box.top <= cy <= box.bottom:
                    per_box[fi][bi].append(ch)
                    break
            else:
                continue
            break
        else:
            rest.append(ch)
    kept: list[Fragment] = []
    for fi, f in enumerate(frags):
        for bi, box in enumerate(f.boxes):
            box.text = cell_text(per_box[fi][bi])
        prose = _framed_prose(f, settings)
        if prose:
            boxes = [b for b in f.boxes if id(b) not in prose]
            xs = cluster([b.x0 for b in boxes] + [b.x1 for b in boxes])
            if len(xs) < 3:  # nothing of a table is left
                prose = {id(b) for b in f.boxes}
            for bi, box in enumerate(f.boxes):
                if id(box) in prose:
                    rest.extend(per_box[fi][bi])
            if len(xs) < 3:
                continue
            f.boxes, f.xs = boxes, xs
            f.bbox = (min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes))
        kept.append(f)
    return kept, rest


def _framed_prose(frag: Fragment, settings: PdfSettings = _PDF) -> set[int]:
    """Boxes of framed body text the ruling glued to the top or bottom of a table.

    Word processors frame paragraphs (or whole lines) with boxes that touch the table below; the
    cell finder then makes them full-width one-cell rows of the table. Such rows at the table's
    top or bottom whose text reads like prose (long, or ending a sentence) are taken out.
    """
    rows = _rows(frag)
    x0, x1 = frag.xs[0], frag.xs[-1]
    out: set[int] = set()
    snap = settings.snap

    def prose_row(row: list[Box]) -> bool:
        if len(row) != 1:
            return False
        b = row[0]
        if abs(b.x0 - x0) > snap or abs(b.x1 - x1) > snap:
            return False
        t = b.text.strip()
        return not t or len(t) >= settings.prose_chars or "。" in t or _NUMBERED_LINE.match(t) is not None

    def full_width(row: list[Box]) -> bool:
        return len(row) == 1 and abs(row[0].x0 - x0) <= snap and abs(row[0].x1 - x1) <= snap

    for order in (rows, rows[::-1]):
        # the single full-width rows before the first real table row: banners right next to the
        # table stay, everything from the first prose-like row outwards is prose
        k = next((i for i, row in enumerate(order) if not full_width(row)), len(order))
        prose_from = None
        for i in range(k - 1, -1, -1):
            if prose_row(order[i]):
                prose_from = i
                break
        if prose_from is not None:
            for row in order[: prose_from + 1]:
                out.add(id(row[0]))
    return out


# -- joining fragments across pages -----------------------------------------------------------


def _matches(xs: list[float], ref: list[float], tol: float) -> bool:
    """Every boundary of ``xs`` is (within ``tol``) one of ``ref``."""
    return all(abs(ref[_index(ref, x)] - x) <= tol for x in xs)


def continues(a: Fragment, b: Fragment, settings: PdfSettings = _PDF) -> bool:
    """True when B (at the top of a page) has A's column geometry (A ending the page before):
    the same outer borders and one's column boundaries a subset of the other's."""
    if len(a.xs) < 2 or len(b.xs) < 2:
        return False
    tol = settings.column_tol
    if abs(b.xs[0] - a.xs[0]) > tol or abs(b.xs[-1] - a.xs[-1]) > tol:
        return False
    return _matches(b.xs, a.xs, tol) or _matches(a.xs, b.xs, tol)


def _rows(frag: Fragment) -> list[list[Box]]:
    """Boxes grouped by their top boundary, each row left to right."""
    ys = cluster([b.top for b in frag.boxes])
    rows: list[list[Box]] = [[] for _ in ys]
    for b in frag.boxes:
        rows[_index(ys, b.top)].append(b)
    for r in rows:
        r.sort(key=lambda b: b.x0)
    return rows


_is_number = is_number_text
_is_label = is_label_text


def join_fragments(a: Fragment, b: Fragment, settings: PdfSettings = _PDF) -> Fragment:
    """A with B appended below it; the cells cut by the page break are glued back together.

    Header rows B repeats from A are dropped. A cell of B's first row continues the cell above it
    when both have the same column extent and it is a group label: the cell to its right in B's
    row is a sub-label (or itself continues), e.g. a vertical ``三、本年度办理结果`` or a label
    broken as ``（四）无`` / ``法提供``. A whole row cut by the break (A's last row with a label
    and no values or only part of them, B's first row going on without a numbered label) is
    glued cell by cell.
    """

    tol, near = settings.column_tol, settings.snap

    def snap(x: float) -> float:
        j = _index(a.xs, x)
        return a.xs[j] if abs(a.xs[j] - x) <= tol else x

    b_rows = _rows(b)
    a_rows = _rows(a)
    # drop repeated header rows
    k = 0
    while k < len(b_rows) - 1 and k < len(a_rows) and _row_texts(b_rows[k], snap) == _row_texts(a_rows[k], lambda x: x):
        k += 1
    keep_b = [box for row in b_rows[k:] for box in row]
    if not keep_b:
        return a
    b_top = min(bx.top for bx in keep_b)
    shift = a.bottom - b_top
    moved = [Box(snap(bx.x0), bx.top + shift, snap(bx.x1), bx.bottom + shift, bx.text, bx.page, bx.page_bbox) for bx in keep_b]
    first_b = sorted([bx for bx in moved if abs(bx.top - a.bottom) <= near], key=lambda bx: bx.x0)
    last_a = sorted([bx for bx in a.boxes if abs(bx.bottom - a.bottom) <= near], key=lambda bx: bx.x0)
    pairs = _pairs(last_a, first_b, near)
    glue: set[int] = set()
    if _whole_row_cut(last_a, first_b, pairs):
        glue = set(range(len(first_b)))
    else:
        # from the right: a label continues when its right neighbour is a sub-label or continues
        for i in range(len(first_b) - 1, -1, -1):
            above = pairs.get(i)
            if above is None or _is_number(above.text) or _is_number(first_b[i].text):
                continue
            right = first_b[i + 1] if i + 1 < len(first_b) else None
            if right is None:
                continue
            if (i + 1) in glue or _is_label(right.text):
                if _is_label(above.text) or not above.text.strip():
                    glue.add(i)
    boxes = list(a.boxes)
    for i, bx in enumerate(first_b):
        if i in glue:
            above = pairs[i]
            above.bottom = bx.bottom
            above.text = join_texts([above.text, bx.text])
            moved.remove(bx)
    boxes += moved
    bottom = max(bx.bottom for bx in boxes)
    xs = cluster(a.xs + [snap(x) for x in b.xs], near)
    return Fragment(a.page, (a.bbox[0], a.bbox[1], a.bbox[2], bottom), boxes, xs, a.pages + b.pages)


def _row_texts(row: list[Box], snap) -> list[tuple[int, int, str]]:
    return [(round(snap(b.x0)), round(snap(b.x1)), b.text) for b in row]


def _pairs(last_a: list[Box], first_b: list[Box], snap: float) -> dict[int, Box]:
    out = {}
    for i, bx in enumerate(first_b):
        for ax in last_a:
            if abs(ax.x0 - bx.x0) <= snap and abs(ax.x1 - bx.x1) <= snap:
                out[i] = ax
                break
    return out


def _whole_row_cut(last_a: list[Box], first_b: list[Box], pairs: dict[int, Box]) -> bool:
    if not first_b or len(pairs) != len(first_b) or len(last_a) != len(first_b):
        return False
    a_numbers = sum(_is_number(bx.text) for bx in last_a)
    b_numbers = sum(_is_number(bx.text) for bx in first_b)
    if a_numbers and b_numbers:
        return False
    if not any(_is_label(bx.text) for bx in last_a):
        return False
    for i, bx in enumerate(first_b):
        above = pairs[i]
        if bx.text.strip() and above.text.strip() and (_is_number(bx.text) or _is_number(above.text)):
            return False
    b_labels = [bx.text for bx in first_b if _is_label(bx.text)]
    return not any(_NUMBERED_RE.match(t) for t in b_labels)


# -- grid -------------------------------------------------------------------------------------


def fragment_to_table(frag: Fragment, index: int = 0) -> Table:
    """Expand a fragment's cell boxes into a rectangular grid with spans."""
    xs = cluster([b.x0 for b in frag.boxes] + [b.x1 for b in frag.boxes])
    ys = cluster([b.top for b in frag.boxes] + [b.bottom for b in frag.boxes])
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    occupied: dict[tuple[int, int], GridCell] = {}
    for bx in sorted(frag.boxes, key=lambda b: (b.top, b.x0)):
        r0, r1 = _index(ys, bx.top), _index(ys, bx.bottom)
        c0, c1 = _index(xs, bx.x0), _index(xs, bx.x1)
        if r1 <= r0 or c1 <= c0:
            continue
        src = {"page": bx.page, "bbox": tuple(round(v, 1) for v in bx.page_bbox or ())}
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) in occupied:
                    continue
                occupied[(r, c)] = GridCell(bx.text, r, c, (r0, c0), r1 - r0, c1 - c0, src)
    rows = []
    for r in range(n_rows):
        row = []
        for c in range(n_cols):
            cell = occupied.get((r, c)) or GridCell("", r, c, (r, c), padding=True)
            row.append(cell)
        rows.append(row)
    return Table(rows=rows, index=index, source={"page": frag.page, "pages": list(frag.pages)})
