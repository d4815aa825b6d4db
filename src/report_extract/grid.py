"""The document model every reader returns: prose paragraphs and tables as plain grids.

Readers know nothing of the schema; they only turn markup into :class:`Document`.
A :class:`Table` is a rectangular grid of :class:`GridCell`; merged cells are expanded so that
every position knows its text and whether it continues a span that starts elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class GridCell:
    """One position of a table grid.

    ``origin`` is the (row, col) where the merged cell this position belongs to starts; for an
    unmerged cell it is the position itself. ``source`` keeps where the text came from
    (``line``, ``page``, ``table``, ``bbox`` ... whatever the reader knows): provenance only.
    ``padding`` marks a position no cell of the markup covers (a short row filled up to the grid's
    width); ``covered`` a position known to be covered by a merged cell whose origin is lost (a text
    rendering that prints ``|`` for it). Neither holds a cell of its own.
    """

    text: str
    row: int
    col: int
    origin: tuple[int, int]
    rowspan: int = 1
    colspan: int = 1
    source: dict[str, Any] = field(default_factory=dict)
    padding: bool = False
    covered: bool = False

    @property
    def continued(self) -> bool:
        """True when this position is covered by a span that starts at another position."""
        return self.origin != (self.row, self.col)


@dataclass(slots=True)
class CellSpec:
    """A cell as markup describes it, before span expansion (see :func:`build_table`)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    """A table as a grid of cells.

    ``aligned`` is False when the reader knows the cells of each row but not the exact column
    of every cell (e.g. a text rendering that drops merged cells); the mapper then relies on the
    order of cells within a row instead of their grid columns. ``sparse`` is True for a grid cut
    from a larger sheet (a spreadsheet): positions without text are not cells of their own, so a
    part of the table is as wide as the text and merged cells it holds.
    """

    rows: list[list[GridCell]]
    index: int = 0
    aligned: bool = True
    source: dict[str, Any] = field(default_factory=dict)
    sparse: bool = False

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        """The grid as plain texts (span continuations repeat their origin's text)."""
        return [[c.text for c in r] for r in self.rows]


@dataclass
class Paragraph:
    """A block of prose (a heading, a paragraph, a line of scraped text)."""

    text: str
    source: dict[str, Any] = field(default_factory=dict)


Block = Paragraph | Table


@dataclass(frozen=True)
class ReaderIssue:
    """A problem a reader met that did not stop it (e.g. a PDF page whose text is unreliable)."""

    code: str
    message: str
    where: str = ""


@dataclass(frozen=True)
class TitleCandidate:
    """A piece of text that may be the report's title, as the reader found it.

    ``kind`` says where it comes from: ``"line"`` (a line of the document's lead, in document
    order: consecutive lines may be one title printed over two lines), ``"metadata"`` (a title
    field of the file or page), ``"heading"`` (a heading/title element), ``"large"`` (the largest
    print at the top), ``"page"`` (a page/window title with site suffixes), or ``"fallback"`` (used
    as printed when nothing reads like a title). Candidates are listed in the reader's priority order.
    """

    text: str
    kind: str = "line"


@dataclass
class Document:
    """What a reader returns: blocks in reading order plus what it knows about the file.

    Readers stop at layout: they fill ``blocks``, ``title_candidates`` and neutral facts
    (``reader_issues``, ``attachments``, ``images``, ``properties`` for file metadata); the
    format-neutral :func:`report_extract.layout.layout_pass` then sets ``title`` (and, when the
    document cannot be a report, ``not_a_report_reason``). ``table_layout`` is ``"flattened"`` when
    the tables were cut from running text by the glued-text solver.
    """

    blocks: list[Block]
    source_format: str
    path: str | None = None
    title: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    title_candidates: list[TitleCandidate] = field(default_factory=list)
    reader_issues: list[ReaderIssue] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # linked document files (a web page's attachments)
    images: int = 0  # pictures in the document (tables may be printed as images)
    not_a_report_reason: str | None = None
    table_layout: str | None = None

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


def build_table(rows: list[list[CellSpec]], index: int = 0, source: dict[str, Any] | None = None) -> Table:
    """Expand rowspan/colspan markup rows into a rectangular :class:`Table`.

    Works like a browser's table layout: each spec takes the next free position in its row;
    positions covered by earlier rowspans are skipped. Rowspans that overrun the table are cut at
    its last row; short rows are padded with empty cells so the grid is rectangular.
    """
    n_rows = len(rows)
    grid: list[list[GridCell | None]] = [[] for _ in range(n_rows)]
    for r, specs in enumerate(rows):
        row = grid[r]
        c = 0
        for spec in specs:
            # the common cell: one new position at the row's end
            if spec.rowspan == 1 and spec.colspan == 1 and c == len(row):
                row.append(GridCell(spec.text, r, c, (r, c), 1, 1, spec.source))
                c += 1
                continue
            c = _place_span(grid, r, c, spec)
    n_cols = max(map(len, grid), default=0)
    for r, row in enumerate(grid):
        if len(row) < n_cols:
            row.extend([None] * (n_cols - len(row)))
        if not all(row):  # a free position (a GridCell is always true: no __len__ or __bool__)
            for c, cell in enumerate(row):
                if cell is None:
                    row[c] = GridCell("", r, c, (r, c), padding=True)
    return Table(rows=grid, index=index, source=dict(source or {}))  # type: ignore[arg-type]


def _place_span(grid: list[list[GridCell | None]], r: int, c: int, spec: CellSpec) -> int:
    """Put ``spec`` at the first free position of row ``r`` from column ``c`` on, over every position
    its spans cover (a rowspan cut at the last row; a position taken already stays with its first
    cell); return the column after it."""
    row = grid[r]
    while c < len(row) and row[c] is not None:
        c += 1
    rs = max(1, min(int(spec.rowspan or 1), len(grid) - r))
    cs = max(1, int(spec.colspan or 1))
    origin = (r, c)
    text, src = spec.text, spec.source
    if rs == 1 and cs == 1 and c == len(row):
        row.append(GridCell(text, r, c, origin, 1, 1, src))
        return c + 1
    end = c + cs
    for dr in range(rs):
        target = grid[r + dr]
        if len(target) < end:
            target.extend([None] * (end - len(target)))
        for col in range(c, end):
            if target[col] is None:  # overlapping spans: first one wins
                target[col] = GridCell(text, r + dr, col, origin, rs, cs, src)
    return end
