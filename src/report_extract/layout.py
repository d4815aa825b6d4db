"""The format-neutral layout pass: the domain decisions readers used to make, made once.

Readers stop at layout (:mod:`report_extract.readers`): blocks, title candidates and neutral facts.
:func:`layout_pass` then decides, the same way for every format:

* which sheet-name lines are worth keeping (a section heading or a title, see :func:`_prune_labels`);
* where a table holds a section heading as a full-width row (``三、收到和处理政府信息公开申请情况``
  in a table that carries sections 二–四), or a sparse table (a spreadsheet's) holds a heading or
  a title as the one text of a row: the table is split there and the row becomes a
  :class:`~report_extract.grid.Paragraph`, so the section splitter sees it;
* the document's title, from the reader's :class:`~report_extract.grid.TitleCandidate`\\ s
  (:func:`choose_title`), and the report title from that and the preamble (:func:`document_title`);
* whether the document cannot be a report (no text at all; a web page without tables).
"""

from __future__ import annotations

import dataclasses
import re

from .errors import NotAReportError
from .grid import Block, Document, GridCell, Paragraph, Table, TitleCandidate
from .meta import find_title, parse_title, title_in
from .options import DEFAULT_OPTIONS, ReadOptions
from .sections import heading_number
from .textnorm import clean_cell

_HEADING_NUMERALS = "一二三四五六"
NUMBERED_HEADING = re.compile(rf"^[{_HEADING_NUMERALS}][、.，,．]")
MAX_TITLE_CHARS = 80  # a lead line longer than this is prose, not a title
MAX_TITLE_HEAD = 30  # the first half of a title printed over two lines is at most this long
_FIELD_PUNCT = "：:。；;，,"
_NOUN = {"html": "HTML page"}
# A document of these formats without a single table is not a report; the reason names what is missing.
_NO_TABLES = {"html": "the HTML page has no tables of the national annual-report template"}


def layout_pass(doc: Document, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """The reader's document with the format-neutral decisions made (a new :class:`Document`;
    ``doc`` and its blocks are not changed). Raises :class:`NotAReportError` for a web page without
    any text. ``options`` are the call's settings (the pass has no tuning of its own yet)."""
    blocks = split_heading_rows(_prune_labels(doc.blocks))
    if not blocks and doc.source_format in _NOUN:
        raise NotAReportError(doc.path, f"the {_NOUN[doc.source_format]} has no text")
    title = choose_title(doc.title_candidates)
    reason = doc.not_a_report_reason
    if reason is None and doc.source_format in _NO_TABLES and not any(isinstance(b, Table) for b in blocks):
        reason = _NO_TABLES[doc.source_format]
        if doc.attachments:
            reason += f"; the report may be in the attached file(s): {', '.join(doc.attachments[:3])}"
        elif doc.images:
            reason += " (its tables may be printed as images)"
    return dataclasses.replace(doc, blocks=blocks, title=title, not_a_report_reason=reason)


# -- labels -----------------------------------------------------------------------------------


def _prune_labels(blocks: list[Block]) -> list[Block]:
    """Drop label paragraphs (``source["role"] == "label"``: a sheet's name) that are neither a
    section heading nor a report title."""
    out = []
    for b in blocks:
        if isinstance(b, Paragraph) and b.source.get("role") == "label":
            if heading_number(b.text) is None and not title_in(b.text):
                continue
            b = Paragraph(b.text, {k: v for k, v in b.source.items() if k != "role"})
        out.append(b)
    return out


# -- section headings inside tables -----------------------------------------------------------


def is_heading_row(row: list[GridCell], r: int) -> bool:
    """A row that is one cell starting in it (the rest padding) holding a numbered section heading."""
    origin = text = None
    for c in row:
        if c.padding:
            continue
        if origin is None:
            origin, text = c.origin, c.text
        elif c.origin != origin:  # a second cell: most rows stop here
            return False
    if origin is None or origin[0] != r:
        return False
    # the first character rules most rows out before the pattern is tried
    return text[:1] in _HEADING_NUMERALS and bool(NUMBERED_HEADING.match(text)) and heading_number(text) is not None


def split_heading_rows(blocks: list[Block]) -> list[Block]:
    """Tables cut at their section-heading rows (the rows become paragraphs), tables numbered in
    order (a new list; the tables given are not changed)."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Table) and b.sparse:
            out.extend(_split_sparse(b))
        elif isinstance(b, Table) and b.aligned:
            out.extend(_split_table(b))
        else:
            out.append(b)
    tables = (b for b in out if isinstance(b, Table))
    renumbered = {id(t): k for k, t in enumerate(tables)}
    return [dataclasses.replace(b, index=renumbered[id(b)]) if isinstance(b, Table) and b.index != renumbered[id(b)] else b for b in out]


def _split_table(table: Table) -> list[Block]:
    cuts = [r for r, row in enumerate(table.rows) if r > 0 and is_heading_row(row, r)]
    if not cuts:
        return [table]
    out: list[Block] = []
    start = 0
    for r in cuts:
        out.extend(_piece(table, start, r))
        cell = next(c for c in table.rows[r] if not c.padding)
        out.append(Paragraph(cell.text, {**table.source, "table_row": r + 1}))
        start = r + 1
    out.extend(_piece(table, start, len(table.rows)))
    return out


def _piece(table: Table, start: int, end: int) -> list[Table]:
    """Rows ``start:end`` as a table of their own (as wide as their widest real cell)."""
    rows = table.rows[start:end]
    if not any(c.text for row in rows for c in row if not c.padding):
        return []
    width = max((c.col + 1 for row in rows for c in row if not c.padding), default=0)
    grid = [
        [dataclasses.replace(c, row=c.row - start, origin=(c.origin[0] - start, c.origin[1])) for c in row[:width]]
        for row in rows
    ]
    return [Table(rows=grid, index=table.index, aligned=table.aligned, source=dict(table.source))]


def _lone_text(row: list[GridCell], r: int) -> str | None:
    """The text of a sparse table's row holding one text (no cell merged from a row above)."""
    if any(c.origin[0] != r for c in row):
        return None
    texts = [c.text for c in row if c.text and c.origin == (c.row, c.col)]
    return texts[0] if len(texts) == 1 else None


def _split_sparse(table: Table) -> list[Block]:
    """A spreadsheet table cut at the rows whose one text is a section heading or a title."""
    cuts: list[tuple[int, str]] = []
    for r, row in enumerate(table.rows):
        text = _lone_text(row, r)
        if text is not None:
            t = clean_cell(text)
            if heading_number(t) is not None or title_in(t):
                cuts.append((r, text))
    if not cuts:
        return [table]
    out: list[Block] = []
    start = 0
    for r, text in cuts:
        out.extend(_sparse_piece(table, start, r))
        source = {k: v for k, v in table.rows[r][0].source.items() if k != "cell"}
        out.extend(Paragraph(line.strip(), {**source, "row": table.source.get("first_row", 1) + r}) for line in text.splitlines() if line.strip())
        start = r + 1
    out.extend(_sparse_piece(table, start, len(table.rows)))
    return out


def _sparse_piece(table: Table, start: int, end: int) -> list[Table]:
    """Rows ``start:end`` of a sparse table as a table trimmed to the columns they use (leading
    rows without text or merged cells dropped: a table starts at its first real row)."""
    while start < end and all(not c.text and c.origin[0] >= start for c in table.rows[start]):
        start += 1
    if start >= end:
        return []
    rows = table.rows[start:end]
    used = [c.col for row in rows for c in row if c.text and c.origin == (c.row, c.col)]
    used += [c.origin[1] + k for row in rows for c in row if c.rowspan > 1 or c.colspan > 1 for k in (0, c.colspan - 1)]
    lo, hi = (min(used), max(used)) if used else (0, max(len(r) for r in rows) - 1)
    grid: list[list[GridCell]] = []
    for i, row in enumerate(rows):
        out = []
        for j, c in enumerate(row[lo : hi + 1]):
            o = c.origin
            if o[0] < start or o[1] < lo:  # a merge starting outside this part: a cell of its own
                own = c.origin == (c.row, c.col)
                out.append(dataclasses.replace(c, text=c.text if own else "", row=i, col=j, origin=(i, j), rowspan=1, colspan=1))
                continue
            cs = min(c.colspan, hi + 1 - o[1])
            rs = sum(1 for rr in range(start, end) if o[0] <= rr < o[0] + c.rowspan)
            out.append(dataclasses.replace(c, row=i, col=j, origin=(o[0] - start, o[1] - lo), rowspan=rs, colspan=cs))
        grid.append(out)
    source = {**table.source, "first_row": table.source.get("first_row", 1) + start} if "first_row" in table.source else dict(table.source)
    return [Table(rows=grid, index=table.index, aligned=table.aligned, source=source, sparse=True)]


# -- titles -----------------------------------------------------------------------------------


def choose_title(candidates: list[TitleCandidate]) -> str | None:
    """The document's title from the reader's candidates, in their order.

    The first candidate that reads like a report title wins. Lines of the lead (``kind ==
    "line"``) count up to the first section heading and only when short enough to be a title; a
    title printed over two lines (``平潭综合实验区2019年`` / ``政府信息公开工作年度报告``) is joined when
    the line above is a short title head and the joined text names more (publisher, year). A
    ``"fallback"`` candidate is the title when nothing reads like one.
    """
    fallback = None
    prev: str | None = None  # the previous lead line
    lead_over = False
    for cand in candidates:
        text = cand.text
        if cand.kind == "fallback":
            fallback = fallback or text or None
            continue
        if cand.kind != "line":
            prev = None
            if text and title_in(text):
                return text
            continue
        if lead_over or heading_number(text) is not None:
            lead_over = True
            continue
        line = text
        if len(line) <= MAX_TITLE_CHARS and title_in(line):
            joined = _two_line_title(prev, line)
            return joined or line
        prev = line
    return fallback


def _two_line_title(head: str | None, line: str) -> str | None:
    if not head or len(head) > MAX_TITLE_HEAD or any(ch in head for ch in _FIELD_PUNCT):
        return None
    agency, year = parse_title(line)
    if agency is not None and year is not None:
        return None
    joined = head + line
    more = parse_title(joined)
    if title_in(joined) and sum(x is not None for x in more) > (agency is not None) + (year is not None):
        return joined
    return None


def _line_text(block: Block) -> str | None:
    """A preamble block's text as a line: a paragraph, or a table holding a single text cell
    (a spreadsheet row or a one-cell box with the publisher's name)."""
    if isinstance(block, Paragraph):
        return block.text
    texts = {c.text.strip() for row in block.rows for c in row if c.text.strip()}
    return texts.pop() if len(texts) == 1 else None


def document_title(doc: Document, preamble: list[Block]) -> str | None:
    """The report's title: the document's title (:func:`choose_title`) checked against the
    preamble's first lines and the document's first paragraphs."""
    texts = [doc.title] if doc.title else []
    texts += [t for t in (_line_text(b) for b in preamble) if t is not None][:12]
    texts += [b.text for b in doc.blocks[:3] if isinstance(b, Paragraph)]
    return find_title([t for t in texts if t]) or doc.title


__all__ = ["layout_pass", "choose_title", "document_title", "split_heading_rows", "is_heading_row"]
