"""Flattened text: table cells glued together in running text (``规章000规范性文件898989``).

Crawl archives keep only a page's text, with the cells of its tables run together and no
separator. This package finds the template's row labels in the prose (:mod:`.locate`), cuts the
digit run after each label into the row's cells (:mod:`.splits`) and chooses among the possible
cuts with the report's own arithmetic (:mod:`.solve`). The pipeline runs it after the label
mapper (:func:`report_extract.pipeline.glued_step`); it takes over when the mapper found (almost)
no table cells.
"""

from __future__ import annotations

import bisect
import re

from ..grid import Block, Document, Paragraph
from ..mapper import Issue, MappedCell, Mapping
from ..meta import parse_title, year_from_text
from ..options import DEFAULT_OPTIONS, FlatSettings, ReadOptions
from ..prose import cell_values, find_statements
from ..schema import TEMPLATES, template_info, template_schema
from ..sections import SECTION_NAMES, Section, heading_number
from ..templates import detect_in_text, undecided
from .columns import column_streams
from .locate import Found, LabelText, attach_runs, locate_rows, value_prefix
from .solve import (
    RowRun,
    column_kinds,
    emit,
    prose_issues,
    solve_proactive,
    solve_requests,
    solve_review,
    split_row,
)
from .splits import MAX_BLANKS

# cheap test before the label search: section 三's outcome labels must be printed somewhere
_MARKERS = re.compile(r"予以\s*公[开開]|不予\s*公[开開]|本年\s*新收|上年\s*结转|上年\s*結轉")
_SUBROWS_2021 = ("other_overdue_correction", "other_overdue_fee", "other_other")


def _doc_text(doc: Document) -> tuple[str, list[int], list[int | None]]:
    parts, starts, lines = [], [], []
    pos = 0
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            starts.append(pos)
            lines.append(b.source.get("line"))
            parts.append(b.text)
            pos += len(b.text) + 1
    return "\n".join(parts), starts, lines


def solve_document(doc: Document, template: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Mapping | None:
    """Map a document whose tables are flattened into its prose; None when it holds no such table.

    ``template`` is taken when the printed labels leave the templates tied."""
    fs = options.flat
    min_rows = fs.min_request_rows
    text, starts, lines = _doc_text(doc)
    if not text or len(_MARKERS.findall(text)) < 2:
        return None
    lt = LabelText.of(text)
    year = None
    if doc.title:
        year = parse_title(doc.title)[1]
    year = year or year_from_text(text[:5000])
    tpl, evidence = detect_in_text(lt.key, year)
    if template in TEMPLATES and undecided(evidence):
        tpl = template
    schema = template_schema(tpl)

    def locate_line(offset: int) -> tuple[int | None, int]:
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        return lines[i], offset - starts[i]

    # section 二
    anchor = next((p for p in (lt.find("第二十条第(一)项"), lt.find("第二十条"), lt.find("信息内容")) if p >= 0), 0)
    pro_rows = list(schema.rows["proactive"])
    pro = locate_rows(lt, schema, "proactive", pro_rows, anchor, fs)
    # section 三 (searched from the same anchor: a section-二 label found past it is not in section 二)
    req_rows = [r for r in schema.rows["requests"] if not schema.rows["requests"][r].variant]
    req = locate_rows(lt, schema, "requests", req_rows, pro[-1].end if pro else anchor, fs)
    if len(req) < min_rows and pro:
        req = locate_rows(lt, schema, "requests", req_rows, anchor, fs)
        pro = [f for f in pro if req and f.end <= req[0].start]
    if tpl == "2021" and not any(f.row in _SUBROWS_2021 for f in req):
        req = _single_other(lt, schema, req, fs)
    if len(req) < min_rows:
        return None
    found = pro + req
    attach_runs(lt, pro, req[0].start if req else None)
    attach_runs(lt, req)
    pro, req, review_stream = column_streams(text, pro, req, schema)
    # prose evidence: what sections 一…四 state in words (the tables masked out)
    table_start = lt.orig_start(found[0].start) if found else len(text)
    table_end = (req[-1].run_start + len(req[-1].run)) if req else table_start
    statements = find_statements(_mask(text, table_start, table_end), tpl)

    def row_run(f: Found) -> RowRun:
        rd = schema.rows[f.table][f.row]
        label = lt.text[lt.orig_start(f.start) : lt.orig_end(f.end)]
        return RowRun(f.table, f.row, list(rd.columns), f.run, f.run_start, (label + f.tail).strip(), blank=f.blank)

    pro_runs = [row_run(f) for f in pro]
    req_runs = [row_run(f) for f in req]
    for rr in pro_runs + req_runs:
        split_row(rr, column_kinds(schema, rr.table, rr.columns), fs)
    solve_proactive(pro_runs, cell_values(statements), tpl)
    solve_requests({rr.row: rr for rr in req_runs}, statements, fs)
    # section 四: the first run of numbers after the section's header words
    review = _review_run(lt, found[-1] if found else None, tpl, fs) or review_stream
    cells: list[MappedCell] = []
    issues: list[Issue] = []
    alternatives: list[dict] = []
    for rr in pro_runs + req_runs:
        emit(rr, schema, locate_line, cells, issues, alternatives, fs)
    if review is not None:
        emit_review(review, schema, locate_line, cells, issues, alternatives, fs)
    else:
        issues.append(Issue("review_litigation_layout", "section 四: no run of 15 numbers found after its header"))
    issues += prose_issues(statements, cells)
    return Mapping(tpl, cells, issues, evidence, alternatives)


def _mask(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` blanked (offsets kept)."""
    return text[:start] + " " * max(end - start, 0) + text[end:]


def _single_other(lt: LabelText, schema, req: list[Found], settings: FlatSettings) -> list[Found]:
    """The 2021 variant printing （六）其他处理 as one row: look for it between its neighbours."""
    try:
        i = next(k for k, f in enumerate(req) if f.row == "total_processed")
    except StopIteration:
        return req
    prev = req[i - 1].end if i else 0
    hit = locate_rows(lt, schema, "requests", ["other"], prev, settings)
    if hit and hit[0].end <= req[i].start:
        return req[:i] + hit + req[i:]
    return req


def _review_run(lt: LabelText, last: Found | None, template: str, settings: FlatSettings) -> RowRun | None:
    start = last.end if last is not None else 0
    head = -1
    for word in ("复议", "诉讼"):
        p = lt.find(word, start)
        if p >= 0 and (head < 0 or p < head):
            head = p
    if head < 0:
        return None
    begin = lt.orig_start(head)
    if last is not None and last.run:
        begin = max(begin, last.run_start + len(last.run))
    text = lt.text
    # the first run of at least 15 numbers: prose between the heading and the table (a year,
    # a count: ``2023年，没有…行政复议…``) is passed over
    k = begin
    while k < len(text) and k - begin <= settings.review_window:
        if not (text[k].isdigit() or text[k] in "—/-"):
            k += 1
            continue
        s = k
        while s > begin and text[s - 1].isspace():
            s -= 1
        run, _ = value_prefix(text, s)
        if sum(ch.isdigit() or ch in "—/-" for ch in run) >= 15 - MAX_BLANKS:  # blank cells
            break
        k = s + max(len(run), 1)
        while k < len(text) and (text[k].isdigit() or text[k].isspace()):
            k += 1
    else:
        return None
    info = template_info(template)
    return RowRun("review_litigation", "*", [f"{r}.{c}" for r in info.review_rows for c in info.review_columns], run, s, "")


def emit_review(
    rr: RowRun, schema, locate_line, cells: list[MappedCell], issues: list[Issue], alternatives: list[dict] | None = None,
    settings: FlatSettings = DEFAULT_OPTIONS.flat,
) -> None:
    """Solve and emit the 15 section-四 cells as three rows of five."""
    solve_review(rr, settings)
    tmp: list[MappedCell] = []
    emit(rr, schema, locate_line, tmp, issues, alternatives, settings)
    info = template_info(schema.template)
    labels = dict(zip(info.review_rows, info.review_row_labels))
    for c in tmp:
        row, col = c.column.split(".")
        cd = schema.cell("review_litigation", row, col)
        c.row, c.column, c.row_label = row, col, labels[row]
        c.column_label = cd.column_label if cd else col
        cells.append(c)
    for i in issues:
        if i.message.startswith("review_litigation.*"):
            i.message = i.message.replace("review_litigation.*.", "review_litigation.")


_HEADING_START = re.compile(r"([一二三四五六])\s*[、.．]")


def find_sections(doc: Document, max_heading_chars: int = DEFAULT_OPTIONS.match.max_heading_chars) -> dict[int, Section]:
    """The six sections of a document whose body runs on in few paragraphs (headings mid-line).

    A heading is a numeral ``一、`` … ``六、`` followed, before the next digit, by the words of that
    section's heading; headings are taken in increasing order only.
    """
    found: list[tuple[int, int, int, int]] = []  # (number, paragraph index, start, heading end)
    last = 0
    paras = [b for b in doc.blocks if isinstance(b, Paragraph)]
    for pi, para in enumerate(paras):
        text = para.text
        for m in _HEADING_START.finditer(text):
            n = "一二三四五六".index(m.group(1)) + 1
            if n <= last:
                continue
            end = m.end()
            while end < len(text) and end - m.start() < 24 and not text[end].isdigit():
                end += 1
            if heading_number(text[m.start() : end], max_heading_chars) == n:
                found.append((n, pi, m.start(), _heading_end(text, m.end(), end, n, max_heading_chars)))
                last = n
    out: dict[int, Section] = {}
    for k, (n, pi, start, end) in enumerate(found):
        nxt = found[k + 1] if k + 1 < len(found) else None
        blocks: list[Block] = []
        for pj in range(pi, (nxt[1] if nxt else len(paras) - 1) + 1):
            text = paras[pj].text
            a = end if pj == pi else 0
            b = nxt[2] if nxt and pj == nxt[1] else len(text)
            if text[a:b].strip():
                blocks.append(Paragraph(text[a:b].strip(), dict(paras[pj].source)))
        out[n] = Section(n, paras[pi].text[start:end].strip(), blocks)
    return out


def _heading_end(text: str, start: int, limit: int, n: int, max_heading_chars: int) -> int:
    """End of a heading: the shortest text still read as the heading, extended over the rest of
    the section's standard name (四、政府信息公开行政复议、行政诉讼情况)."""
    head = start - 2
    end = start + 1
    while end < limit and heading_number(text[head:end], max_heading_chars) != n:
        end += 1
    name = SECTION_NAMES[n]
    k = name.find(text[end - 1]) + 1 if text[end - 1] in name else 0
    while k and end < limit and k < len(name) and text[end] == name[k]:
        end += 1
        k += 1
    return end


def flattened_step(
    doc: Document, sections: dict[int, Section], template: str | None, mapping: Mapping, options: ReadOptions = DEFAULT_OPTIONS
) -> tuple[Mapping, dict[int, Section]] | None:
    """When the label mapper found (almost) no table cells, solve the prose.

    Returns None when the label mapper's ``mapping`` stands, else the solver's mapping and the
    sections found in the running text (for the headings the block-level splitter could not see).
    Nothing passed in is changed.
    """
    if len(mapping.cells) >= options.flat.min_table_cells:
        return None
    result = solve_document(doc, template, options)
    if result is None or not result.cells:
        return None
    if len(result.cells) <= len(mapping.cells):
        return None
    return result, find_sections(doc, options.match.max_heading_chars)


__all__ = ["solve_document", "flattened_step", "find_sections"]
