"""Render a :class:`~report_synth.SynthReport` as a born-digital PDF with ruled tables.

Needs reportlab (the ``test`` extra); text uses reportlab's built-in CID font ``STSong-Light``
(no font file needed; pdfplumber extracts its text). Layout features, as found in real reports:

* tables drawn with ruling lines, merged cells as single boxes, long labels wrapped, the
  ``三、本年度办理结果`` label stacked one character per line in a narrow column;
* page breaks inside tables at chosen rows (``breaks``), with or without repeated header rows;
  cells spanning the break are drawn as two boxes, and with ``split_labels`` a wrapped label
  crossing the break is cut in two (``（四）无`` / ``法提供``); a break ``inside`` a row cuts the
  row itself (label start on one page, the rest with the values on the next);
* white background boxes behind prose lines (``white_boxes``), banner rows shaded, numbers
  printed in a larger font a few points off their labels' baselines, page footers ``- n -``.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from report_extract.grid import CellSpec, build_table

from . import SECTION_HEADINGS, SynthReport, prose, standard_layout

FONT = "STSong-Light"
PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72.0, 72.0, 72.0
LABEL_SIZE, VALUE_SIZE, BODY_SIZE, TITLE_SIZE = 9.0, 10.5, 12.0, 18.0
PAD = 3.0
HEADER_ROWS = {2: 0, 3: 3, 4: 3}


def _col_widths(section: int, n_cols: int) -> list[float]:
    if section == 2:
        return [140.0, 103.0, 104.0, 104.0]
    if section == 3:
        return [16.0, 45.0, 152.0] + [34.0] * 7
    return [30.0] * n_cols


@dataclass
class _Ops:
    pages: list[list[tuple]] = field(default_factory=lambda: [[]])

    def add(self, *op) -> None:
        self.pages[-1].append(op)


class _Writer:
    def __init__(self, rep: SynthReport, rng: random.Random, white_boxes: bool | str):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.width = pdfmetrics.stringWidth
        self.rep = rep
        self.rng = rng
        self.white_boxes = white_boxes
        self.ops = _Ops()
        self.y = MARGIN_TOP  # distance from the page top

    # -- pages and prose ----------------------------------------------------------------------
    def new_page(self) -> None:
        self.ops.pages.append([])
        self.y = MARGIN_TOP

    def room(self) -> float:
        return PAGE_H - MARGIN_BOTTOM - self.y

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        lines, cur = [], ""
        for ch in text:
            if cur and self.width(cur + ch, FONT, size) > width:
                lines.append(cur)
                cur = ""
            cur += ch
        if cur or not lines:
            lines.append(cur)
        return lines

    def paragraph(self, text: str, size: float = BODY_SIZE, indent: float = 2, centre: bool = False) -> None:
        usable = PAGE_W - 2 * MARGIN_X
        lead = size * 1.6
        first = self.wrap(text, usable - indent * size, size)[0]
        lines = [first] + (self.wrap(text[len(first):], usable, size) if len(first) < len(text) else [])
        for i, line in enumerate(lines):
            if self.room() < lead:
                self.new_page()
            x = MARGIN_X + (indent * size if i == 0 and indent else 0)
            if centre:
                x = (PAGE_W - self.width(line, FONT, size)) / 2
            if self.white_boxes:
                self.ops.add("rect", MARGIN_X, self.y, usable, lead, "frame" if self.white_boxes == "framed" else "white")
            self.ops.add("text", x, self.y + lead * 0.7, line, size)
            self.y += lead

    # -- tables -------------------------------------------------------------------------------
    def table(self, section: int, rows: list[list[CellSpec]], brk: tuple[int, bool] | None, repeat: bool, split_labels: bool) -> None:
        grid = build_table(rows)
        widths = _col_widths(section, grid.n_cols)
        xs = [MARGIN_X]
        for w in widths:
            xs.append(xs[-1] + w)
        origins = {}
        for row in grid.rows:
            for c in row:
                if not c.continued and not c.padding:
                    origins[(c.row, c.col)] = c
        # text lines of each cell and the height each row needs
        lines: dict[tuple[int, int], list[str]] = {}
        heights = [18.0] * grid.n_rows
        for (r, c), cell in origins.items():
            w = xs[c + cell.colspan] - xs[c] - 2 * PAD
            size = VALUE_SIZE if _is_value(cell) else LABEL_SIZE
            lines[(r, c)] = self.wrap(cell.text, w, size) if cell.text else []
            need = len(lines[(r, c)]) * size * 1.25 + 2 * PAD + 4
            if cell.rowspan == 1:
                heights[r] = max(heights[r], need)
        for (r, c), cell in origins.items():  # tall spanning cells (the vertical label) stretch their rows
            if cell.rowspan > 1:
                need = len(lines[(r, c)]) * LABEL_SIZE * 1.25 + 2 * PAD
                have = sum(heights[r : r + cell.rowspan])
                if need > have:
                    for rr in range(r, r + cell.rowspan):
                        heights[rr] += (need - have) / cell.rowspan
        # place the rows: segments (page, top, bottom) for each row
        segs: list[list[tuple[int, float, float]]] = []
        header_rows = HEADER_ROWS.get(section, 0)
        for r in range(grid.n_rows):
            h = heights[r]
            if brk is not None and r == brk[0]:
                if brk[1]:  # cut inside this row: a first slice here, the rest on the next page
                    part = LABEL_SIZE * 1.25 + 2 * PAD + 2
                    if self.room() < part:
                        self._continue_page(section, grid, origins, lines, xs, heights, header_rows, repeat)
                    segs.append([(len(self.ops.pages) - 1, self.y, self.y + part)])
                    self._continue_page(section, grid, origins, lines, xs, heights, header_rows, repeat)
                    segs[-1].append((len(self.ops.pages) - 1, self.y, self.y + h))
                    self.y += h
                    continue
                self._continue_page(section, grid, origins, lines, xs, heights, header_rows, repeat)
            elif h > self.room():
                self._continue_page(section, grid, origins, lines, xs, heights, header_rows, repeat)
            segs.append([(len(self.ops.pages) - 1, self.y, self.y + h)])
            self.y += h
        for (r, c), cell in origins.items():
            parts: dict[int, list[float]] = {}
            for rr in range(r, r + cell.rowspan):
                for page, top, bottom in segs[rr]:
                    p = parts.setdefault(page, [top, bottom])
                    p[0], p[1] = min(p[0], top), max(p[1], bottom)
            self._cell(cell, lines[(r, c)], xs[c], xs[c + cell.colspan], sorted(parts.items()), split_labels, section)
        self.y += 10

    def _continue_page(self, section, grid, origins, lines, xs, heights, header_rows, repeat) -> None:
        self.new_page()
        if repeat and header_rows:
            top = self.y
            ys = [top]
            for r in range(header_rows):
                ys.append(ys[-1] + heights[r])
            for (r, c), cell in origins.items():
                if r < header_rows:
                    self._cell(cell, lines[(r, c)], xs[c], xs[c + cell.colspan], [(len(self.ops.pages) - 1, [ys[r], ys[r + cell.rowspan]])], False, section)
            self.y = ys[-1]

    def _cell(self, cell, lines: list[str], x0: float, x1: float, parts, split_labels: bool, section: int) -> None:
        value = _is_value(cell)
        size = VALUE_SIZE if value else LABEL_SIZE
        lead = size * 1.25
        banner = section == 2 and cell.colspan == 4
        for page, (top, bottom) in parts:
            self.ops.pages[page].append(("box", x0, top, x1 - x0, bottom - top, banner))
        # distribute the text lines over the parts
        chunks: list[list[str]] = [[] for _ in parts]
        if len(parts) == 1:
            chunks[0] = lines
        elif value:
            biggest = max(range(len(parts)), key=lambda i: (parts[i][1][1] - parts[i][1][0], i))
            chunks[biggest] = lines
        elif split_labels and len(lines) >= 2:
            half = (len(lines) + 1) // 2
            chunks[0], chunks[-1] = lines[:half], lines[half:]
        else:
            rest = list(lines)
            for i, (_page, (top, bottom)) in enumerate(parts):
                cap = max(0, int((bottom - top - 2 * PAD) // lead))
                chunks[i], rest = rest[:cap], rest[cap:]
            chunks[-1] += rest
        for (page, (top, bottom)), chunk in zip(parts, chunks):
            if not chunk:
                continue
            block = len(chunk) * lead
            y = top + (bottom - top - block) / 2 + lead * 0.8
            if value:
                y += self.rng.uniform(-2.5, 2.5)  # numbers off their labels' baselines
            for line in chunk:
                w = self.width(line, FONT, size)
                x = (x0 + x1 - w) / 2 if value or cell.colspan > 1 or len(line) <= 6 else x0 + PAD
                self.ops.pages[page].append(("text", x, y, line, size))
                y += lead

    # -- output -------------------------------------------------------------------------------
    def render_scan(self, vector: bytes, searchable: bool, resolution: int = 200, jpeg: int | None = None) -> bytes:
        """The pages of ``vector`` as grey images (a scan) at ``resolution`` dpi, JPEG-compressed
        at quality ``jpeg`` when given; ``searchable`` adds the text as an invisible layer over
        the image, as OCR software and scanners produce."""
        import pdfplumber
        from PIL import Image
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        cv = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
        with pdfplumber.open(io.BytesIO(vector)) as pdf:
            for page, ops in zip(pdf.pages, self.ops.pages):
                image = page.to_image(resolution=resolution).original.convert("L")
                if jpeg is not None:
                    compressed = io.BytesIO()
                    image.save(compressed, "JPEG", quality=jpeg)
                    image = Image.open(io.BytesIO(compressed.getvalue()))
                cv.drawImage(ImageReader(image), 0, 0, width=PAGE_W, height=PAGE_H)
                if searchable:
                    for op in ops:
                        if op[0] == "text":
                            _, x, y, text, size = op
                            t = cv.beginText(x, PAGE_H - y)
                            t.setTextRenderMode(3)  # invisible
                            t.setFont(FONT, size)
                            t.textOut(text)
                            cv.drawText(t)
                page.close()
                cv.showPage()
        cv.save()
        return buf.getvalue()

    def render(self) -> bytes:
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        cv = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
        cv.setTitle(self.rep.title)
        cv.setAuthor(self.rep.agency)
        cv.setCreator("report_synth.pdf")
        n = len(self.ops.pages)
        for i, ops in enumerate(self.ops.pages, 1):
            for op in ops:
                kind = op[0]
                if kind == "text":
                    _, x, y, text, size = op
                    cv.setFillColorRGB(0, 0, 0)
                    cv.setFont(FONT, size)
                    cv.drawString(x, PAGE_H - y, text)
                elif kind == "rect":
                    _, x, y, w, h, style = op
                    cv.setFillColorRGB(1, 1, 1)
                    cv.setLineWidth(0.5)
                    cv.rect(x, PAGE_H - y - h, w, h, stroke=1 if style == "frame" else 0, fill=1)
                elif kind == "box":
                    _, x, y, w, h, shaded = op
                    cv.setLineWidth(0.5)
                    if shaded:
                        cv.setFillColorRGB(0.78, 0.85, 0.95)
                    cv.rect(x, PAGE_H - y - h, w, h, stroke=1, fill=1 if shaded else 0)
            cv.setFillColorRGB(0, 0, 0)
            cv.setFont(FONT, 10)
            footer = f"- {i} -"
            cv.drawString((PAGE_W - self.width(footer, FONT, 10)) / 2, 40, footer)
            if i < n:
                cv.showPage()
        cv.save()
        return buf.getvalue()


def _is_value(cell) -> bool:
    return "key" in cell.source


def render_pdf(
    rep: SynthReport,
    *,
    breaks: dict[int, tuple[int, bool]] | None = None,
    repeat_header: bool = False,
    split_labels: bool = False,
    white_boxes: bool | str = True,
    seed: int = 0,
    scan: str | None = None,
    scan_dpi: int = 200,
    scan_jpeg: int | None = None,
) -> bytes:
    """The report as PDF bytes.

    ``breaks`` maps a section (2, 3, 4) to ``(row, inside)``: start a new page before grid row
    ``row`` of that section's table (``inside=True``: cut the row itself). Tables that do not fit
    break where the page ends. ``repeat_header`` repeats a table's header rows on the new page.
    ``white_boxes``: True puts an invisible white box behind each prose line, ``"framed"`` a
    visible frame (which the table below touches), False nothing. ``scan="image"`` returns the
    pages as images only (needs a CJK system font to render the text), ``scan="searchable"`` the
    images with the text as an invisible layer; ``scan_dpi`` is their resolution and
    ``scan_jpeg`` a JPEG quality to compress them with (None: lossless).
    """
    w = _Writer(rep, random.Random(seed), white_boxes)
    w.paragraph(rep.title, TITLE_SIZE, indent=0, centre=True)
    tables = standard_layout(rep)
    for n in range(1, 7):
        w.paragraph(SECTION_HEADINGS[n])
        for text in prose(rep, n):
            w.paragraph(text)
        if n in tables:
            w.table(n, tables[n], (breaks or {}).get(n), repeat_header, split_labels)
    vector = w.render()
    if scan is None:
        return vector
    if scan not in ("image", "searchable"):
        raise ValueError("scan must be None, 'image' or 'searchable'")
    return w.render_scan(vector, searchable=scan == "searchable", resolution=scan_dpi, jpeg=scan_jpeg)


__all__ = ["render_pdf"]
