"""Scraped text: pipe renderings, Markdown pipe tables, tab-separated tables and prose lines.

Three table layouts are recognised:

* the *pipe rendering* of scraped pages (``../shared/corpus/docs/s001.txt``): each cell on its own
  line ending in ``|``, a bare ``|`` line starting a row, and lines of ``|`` standing for cells
  covered by merged cells (their position is lost, so such tables are ``aligned=False``);
* Markdown pipe tables (``| a | b |`` per row, ``|---|`` separator rows skipped);
* tab-separated lines.

Everything else is prose, one :class:`~report_extract.grid.Paragraph` per non-empty line. A
crawler header (``标题: …`` lines up to ``==== 正文 ====``) is kept in ``Document.properties``.
"""

from __future__ import annotations

import re

from ..encoding import decode_text
from ..grid import (
    Block,
    CellSpec,
    Document,
    GridCell,
    Paragraph,
    ReaderIssue,
    Table,
    TitleCandidate,
    build_table,
)
from ..options import DEFAULT_OPTIONS, ReadOptions
from .text_layout import converter_layout

_PIPES_ONLY = re.compile(r"^\|+$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_HEADER_END = re.compile(r"^=+\s*正文\s*=+$")
_HEADER_LINE = re.compile(r"^([^:：\s]{1,12})\s*[:：]\s?(.*)$")


def read_text(data: bytes, path: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Read a text file (any common encoding) into a :class:`Document`."""
    dec = decode_text(data, path, max_bad_ratio=options.text.max_bad_ratio, max_bad_bytes=options.text.max_bad_bytes)
    doc = parse_text(dec.text, path, properties={"encoding": dec.encoding}, options=options)
    if dec.replaced:
        doc.reader_issues.append(ReaderIssue(
            "bytes_replaced", f"{dec.replaced} undecodable bytes in the {dec.encoding} text were replaced by U+FFFD"))
    return doc


def parse_text(text: str, path: str | None = None, properties: dict | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Parse already-decoded text into a :class:`Document` (a crawler header's title is the
    fallback title candidate)."""
    props = dict(properties or {})
    text, layout = converter_layout(text)
    props.update(layout)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _crawler_header(lines, props, options.text.max_header_lines)
    blocks: list[Block] = []
    i = start
    n = len(lines)
    while i < n:
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if _PIPES_ONLY.match(line) or (line.endswith("|") and not line.startswith("|") and _next_is_pipe(lines, i)):
            j = _pipe_block_end(lines, i)
            if j - i >= 2:
                blocks.append(_pipe_table(lines, i, j, len(blocks)))
                i = j
                continue
        if line.startswith("|") and line.count("|") >= 2 and not _PIPES_ONLY.match(line):
            j = i
            while j < n and lines[j].strip().startswith("|") and lines[j].strip().count("|") >= 2:
                j += 1
            blocks.append(_markdown_table(lines, i, j, len(blocks)))
            i = j
            continue
        if "\t" in lines[i].strip("\n") and lines[i].strip():
            j = i
            while j < n and "\t" in lines[j] and lines[j].strip():
                j += 1
            if j - i >= 2:
                blocks.append(_tsv_table(lines, i, j, len(blocks)))
                i = j
                continue
        blocks.append(Paragraph(line, {"line": i + 1}))
        i += 1
    _number_tables(blocks)
    candidates = [TitleCandidate(props["title"], "fallback")] if props.get("title") else []
    return Document(blocks=blocks, source_format="text", path=path, properties=props, title_candidates=candidates)


def _number_tables(blocks: list[Block]) -> None:
    k = 0
    for b in blocks:
        if isinstance(b, Table):
            b.index = k
            k += 1


def _crawler_header(lines: list[str], props: dict, max_lines: int) -> int:
    """Parse a scraper's ``key: value`` header ending in ``==== 正文 ====``; return the body start."""
    for i, line in enumerate(lines[:max_lines]):
        if _HEADER_END.match(line.strip()):
            for prev in lines[:i]:
                m = _HEADER_LINE.match(prev.strip())
                if m:
                    props.setdefault("header", {})[m.group(1)] = m.group(2).strip()
            hdr = props.get("header", {})
            if hdr.get("标题"):
                props["title"] = hdr["标题"]
            return i + 1
    return 0


def _next_is_pipe(lines: list[str], i: int) -> bool:
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and lines[j].strip().endswith("|")


def _pipe_block_end(lines: list[str], i: int) -> int:
    """End (exclusive) of a run of pipe-rendering lines starting at ``i``."""
    n = len(lines)
    j = i
    while j < n:
        s = lines[j].strip()
        if s.endswith("|") and not (s.startswith("|") and s.count("|") >= 2 and not _PIPES_ONLY.match(s)):
            j += 1
            continue
        if s == "" and j + 1 < n and lines[j + 1].strip().endswith("|"):
            j += 1
            continue
        # a cell whose text wraps onto several lines: join while a later line closes it
        k = j
        while k < n and lines[k].strip() and not lines[k].strip().endswith("|") and k - j < 5:
            k += 1
        if k > j and k < n and lines[k].strip().endswith("|") and not _PIPES_ONLY.match(lines[k].strip()):
            j = k + 1
            continue
        break
    return j


def _pipe_table(lines: list[str], i: int, j: int, index: int) -> Table:
    """Rows of a pipe rendering: cells ``text |``, row openers ``|``, covered cells ``||…``."""
    tokens: list[tuple[str, str | int, int]] = []  # ("cell", text, line) or ("pipes", count, line)
    pending: list[str] = []
    for k in range(i, j):
        s = lines[k].strip()
        if not s:
            continue
        if _PIPES_ONLY.match(s) and not _is_blank_cell(lines[k]):
            tokens.append(("pipes", len(s), k + 1))
        elif s.endswith("|"):
            pending.append(s[:-1])
            tokens.append(("cell", " ".join(p.strip() for p in pending).strip(), k + 1))
            pending = []
        else:
            pending.append(s)
    rows: list[list[tuple[str, int]]] = []
    covered: list[int] = []
    cur: list[tuple[str, int]] | None = None
    t = 0
    while t < len(tokens):
        kind, val, line = tokens[t]
        if kind == "cell":
            if cur is None:
                cur = []
                rows.append(cur)
                covered.append(0)
            cur.append((str(val), line))
            t += 1
            continue
        run = []
        while t < len(tokens) and tokens[t][0] == "pipes":
            run.append(int(tokens[t][1]))
            t += 1
        at_end = t >= len(tokens)
        if at_end:
            if rows:
                covered[-1] += sum(run)
            break
        # the run's last pipe opens the next row; the rest are covered cells of the current row
        extra = sum(run) - 1
        if rows:
            covered[-1] += extra
        cur = []
        rows.append(cur)
        covered.append(0)
    grid: list[list[GridCell]] = []
    for r, (cells, cov) in enumerate(zip(rows, covered)):
        row = [GridCell(text, r, c, (r, c), source={"line": line}) for c, (text, line) in enumerate(cells)]
        for extra in range(cov):
            c = len(cells) + extra
            row.append(GridCell("", r, c, (r, -1), covered=True))
        grid.append(row)
    grid = [row for row in grid if row]
    return Table(rows=grid, index=index, aligned=False, source={"line": i + 1, "layout": "pipe"})


def _is_blank_cell(line: str) -> bool:
    """A line such as ``' |'`` or ``'\u3000|'``: a blank cell, not a covered-cell marker."""
    body = line.rstrip("\r\n")
    return body.endswith("|") and body.count("|") == 1 and body[:-1] != "" and body[:-1].strip() == ""


def _split_md(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


def _markdown_table(lines: list[str], i: int, j: int, index: int) -> Table:
    specs = []
    for k in range(i, j):
        if _MD_SEPARATOR.match(lines[k].strip()):
            continue
        specs.append([CellSpec(c.replace("\\|", "|").replace("<br>", " "), source={"line": k + 1}) for c in _split_md(lines[k])])
    table = build_table(specs, index=index, source={"line": i + 1, "layout": "markdown"})
    return table


def _tsv_table(lines: list[str], i: int, j: int, index: int) -> Table:
    specs = [[CellSpec(c.strip(), source={"line": k + 1}) for c in lines[k].rstrip("\n").split("\t")] for k in range(i, j)]
    return build_table(specs, index=index, source={"line": i + 1, "layout": "tsv"})
