"""Layout of text made by converters (``pdftotext``, ``catdoc``, ``docx2txt``), made readable.

* Page furniture: page numbers (``- 1 -``, ``第 1 页 共 3 页``, ``1/3``) and form feeds cut table
  rows in two; they are removed.
* Columns aligned by runs of spaces (``pdftotext -layout``): each table row is put back on one line,
  its wrapped label joined and its values in column order (:func:`unwrap_aligned_rows`).
* Tab-separated Word text (``catdoc``): rows wrapped at a fixed width are joined, an empty cell
  printed as an empty paragraph keeps its place (:func:`join_tab_rows`).
* ``docx2txt`` spells the em dash placeholder ``--`` (:func:`dashes_restored`).

Layout only: nothing here knows the template (text printed column by column needs the template's
shape and is rebuilt on the pipeline side, :mod:`report_extract.flat.columns`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line that is only a page number: "- 1 -", "—2—", "第 3 页", "第3页 共9页", "3 / 9".
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
FORM_FEED = "\f"


# docx2txt writes an em dash (a placeholder for "none") as two hyphens.
_DOUBLE_HYPHEN = re.compile(r"(?<![-\w])--(?![-\w])")


def dashes_restored(text: str) -> str:
    """``text`` with a standalone ``--`` (a converter's spelling of the em dash) as ``—``."""
    return _DOUBLE_HYPHEN.sub("—", text) if "--" in text else text


def strip_page_furniture(text: str) -> tuple[str, int]:
    """``text`` without form feeds and page-number lines; also the number of lines removed.

    A line kept by the converter as page furniture is replaced by nothing (lines after it move
    up), so that a table row cut by a page break reads as one run again.
    """
    lines = text.split("\n")
    keep: list[str] = []
    removed = 0
    for line in lines:
        body = line.replace(FORM_FEED, "")
        # (a bare number next to a page break may be the page's last value: it stays)
        if _PAGE_NUMBER.match(body):
            removed += 1
            continue
        if FORM_FEED in line and not body.strip():
            removed += 1
            continue
        keep.append(body)
    return "\n".join(keep), removed



# ----------------------------------------------------------------------------------------------
# Columns aligned by runs of spaces (pdftotext -layout)

# A printed number or placeholder as a token of its own ("1." and "2、" are list markers, not numbers).
_NUMBER_TOKEN = re.compile(
    r"^(?:[-−]?[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?(?:[%％]|万元|元|件|个|项|条|次|人次)?|/|—+|-|无)$"
)
_TOKEN = re.compile(r"\S+")
_NUMBERED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])")
# Aligned text: a line with a gap of this many spaces between two tokens.
_WIDE_GAP = re.compile(r"\S {3,}\S")
MIN_ALIGNED_LINES = 8
MERGE_WINDOW = 8


@dataclass
class _Line:
    text: str
    labels: list[tuple[int, str]]  # (column, text) of the label tokens
    numbers: list[tuple[int, str]]  # (column, text) of the number tokens


def _tokens(line: str) -> _Line:
    labels: list[tuple[int, str]] = []
    numbers: list[tuple[int, str]] = []
    for m in _TOKEN.finditer(line):
        (numbers if _NUMBER_TOKEN.match(m.group()) else labels).append((m.start(), m.group()))
    # a number run only counts as table values when it is set apart from the label by a wide gap
    # (or when several values stand on the line): prose keeps its numbers
    if numbers and len(numbers) < 2:
        first = numbers[0][0]
        before = line[:first]
        if labels and not before.endswith("   "):
            labels = sorted(labels + numbers)
            numbers = []
    if numbers and labels and labels[-1][0] > numbers[0][0]:
        # label text after the values (a wrapped label printed right of them): keep as label
        pass
    return _Line(line, labels, numbers)


def is_aligned_text(lines: list[str]) -> bool:
    """Whether ``lines`` are a converter's column-aligned rendering (tables set out by space runs)."""
    return sum(1 for ln in lines if _WIDE_GAP.search(ln.strip())) >= MIN_ALIGNED_LINES


def _disjoint(a: list[tuple[int, str]], b: list[tuple[int, str]], tol: int = 2) -> bool:
    return all(abs(x - y) > tol for x, _ in a for y, _ in b)


def _open(label: str) -> bool:
    """A label that goes on: it ends with a comma or 、, or leaves a bracket open."""
    return label.endswith(("，", ",", "、")) or label.count("（") + label.count("(") > label.count("）") + label.count(")")


def _closes(label: str) -> bool:
    return label.count("）") + label.count(")") > label.count("（") + label.count("(")


def unwrap_aligned_rows(text: str) -> tuple[str, int]:
    """Column-aligned text with each table row on one line: ``label values…``.

    A row whose label wraps onto lines above or below its values, or whose values are spread over
    two lines (a value printed at the height of the first label line, the others at the middle),
    is joined back: value lines that complement each other's columns are merged (values in
    column order), label-only lines go to the nearest row (a numbered label starts a new row),
    and the label fragments are written before the values, as a converter without layout prints
    them. Single characters stacked at the left edge (a vertical group label) stay lines of their
    own. Returns the text and the number of rows rebuilt; text that is not aligned is returned as is.
    """
    lines = text.split("\n")
    if not is_aligned_text(lines):
        return text, 0
    toks = [_tokens(ln) for ln in lines]
    n = len(lines)
    # 1. merge value lines that complement each other (a row's values spread over two lines)
    width = [len(t.numbers) for t in toks]
    has_label = [bool(t.labels) for t in toks]
    merged_into: dict[int, int] = {}
    for i in range(n):
        if not toks[i].numbers or i in merged_into:
            continue
        k = max(width[max(0, i - MERGE_WINDOW): i + MERGE_WINDOW + 1])
        for j in (i + 1, i + 2):
            if j >= n or not toks[j].numbers or j in merged_into:
                continue
            if j == i + 2 and (toks[i + 1].numbers or not lines[i + 1].strip()):
                continue
            if len(toks[i].numbers) + len(toks[j].numbers) <= k and _disjoint(toks[i].numbers, toks[j].numbers):
                toks[i].numbers = sorted(toks[i].numbers + toks[j].numbers)
                merged_into[j] = i
            break
    anchors = [i for i in range(n) if toks[i].numbers and i not in merged_into]
    if not anchors:
        return text, 0
    # 2. the label-only lines between anchors go to the nearest anchor of their block
    owner: dict[int, int] = {}
    for i in range(n):
        t = toks[i]
        if t.numbers or i in merged_into or not t.labels:
            continue
        prev = next((a for a in reversed(anchors) if a < i), None)
        nxt = next((a for a in anchors if a > i), None)
        # never across a blank line
        if prev is not None and any(not lines[x].strip() for x in range(prev + 1, i)):
            prev = None
        if nxt is not None and any(not lines[x].strip() for x in range(i + 1, nxt)):
            nxt = None
        if prev is None and nxt is None:
            continue
        label = "".join(s for _, s in t.labels)
        if prev is None or (nxt is not None and (i - prev > nxt - i or _NUMBERED.match(label))):
            owner[i] = nxt
        else:
            owner[i] = prev
    for j, i in merged_into.items():
        owner[j] = i
    # 3. write the rows: stacked edge characters as lines, label lines, values after the label
    out: list[str] = []
    done: set[int] = set()
    rows = 0
    for i in range(n):
        if i in done:
            continue
        if i in owner or i in anchors:
            a = owner.get(i, i)
            members = sorted([a] + [x for x, o in owner.items() if o == a])
            stacked: list[str] = []
            before: list[str] = []
            after: list[str] = []
            own = ""
            for x in members:
                done.add(x)
                labels = toks[x].labels
                if labels and len(labels[0][1]) == 1 and labels[0][0] <= 2 and (len(labels) > 1 or toks[x].numbers or x != a):
                    stacked.append(labels[0][1])
                    labels = labels[1:]
                text_ = " ".join(s for _, s in labels)
                if x == a or merged_into.get(x) == a:
                    own = f"{own} {text_}".strip()
                elif text_:
                    (before if x < a else after).append(text_)
            values = " ".join(s for _, s in toks[a].numbers)
            # the line holding most of the values: when it has no label, the label is all around it
            main = max([a] + [x for x, o in merged_into.items() if o == a], key=lambda x: width[x])
            if not has_label[main] and own:
                before.append(own)
                own = ""
            # label lines below the values continue the label when it is left open (a comma, an
            # unclosed bracket) or when they close a bracket, or when the values line has no label
            label_lines = before + ([own] if own else [])
            while after and (not own or _open(label_lines[-1] if label_lines else "") or _closes(after[0])):
                label_lines.append(after.pop(0))
            out += stacked
            if label_lines:
                out += label_lines[:-1]
                out.append(f"{label_lines[-1]} {values}")
            else:
                out.append(values)
            out += after
            rows += 1
            continue
        out.append(lines[i].strip())
    return "\n".join(out), rows


# ----------------------------------------------------------------------------------------------
# Tab-separated Word text (catdoc): a table row per paragraph, wrapped at a fixed width

MIN_TAB_ROWS = 6
_NUM_END = re.compile(r"[0-9０-９]$")
_NUM_START = re.compile(r"^[0-9０-９]")
_VALUE_START = re.compile(r"^[\s\u3000]*(?:[0-9０-９]+(?:[.,][0-9０-９]+)*|[/—-])[\s\u3000]*(?:\t|$)")


def join_tab_rows(text: str) -> tuple[str, int]:
    """Tab-separated rows that a converter wrapped onto several lines joined back into one line each,
    and the blank lines between consecutive rows dropped, so that a table reads as one block.

    A wrap that fell on a tab (the continuation starts with a space, or a number follows a
    number) is a cell boundary; a wrap inside a cell joins the text. Returns the text and the
    number of rows joined; text with too few tab rows is returned as is.
    """
    lines = text.split("\n")
    if sum(1 for ln in lines if "\t" in ln) < MIN_TAB_ROWS:
        return text, 0
    # only text whose rows are paragraphs (a blank line after each, as catdoc writes them): a
    # tab-separated table with a row per line is read as it is
    pairs = list(zip(lines, lines[1:]))
    row_after_row = sum(1 for a, b in pairs if "\t" in a and "\t" in b)
    blank_after_row = sum(1 for a, b in pairs if "\t" in a and not b.strip())
    if row_after_row >= blank_after_row:
        return text, 0
    out: list[str] = []
    joined = 0
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if "\t" not in line:
            # the first cell of a row wrapped: its first line stands alone above the row
            if line.strip() and i + 1 < n and "\t" in lines[i + 1] and (i == 0 or not lines[i - 1].strip()):
                lines[i + 1] = line + lines[i + 1]
                joined += 1
            else:
                out.append(line)
            i += 1
            continue
        row = line
        j = i + 1
        # catdoc ends a row with a blank line: the lines up to it continue the row
        while j < n:
            nxt = lines[j]
            if not nxt.strip():
                # an empty cell printed as an empty paragraph: the row goes on after a blank line
                if j + 1 < n and _NUM_END.search(row.rstrip()) and _VALUE_START.match(lines[j + 1]):
                    row += "\t\t"
                    lines[j + 1] = lines[j + 1].lstrip()
                    j += 1
                    continue
                break
            if row.endswith("\t") or nxt.startswith("\t"):
                cut = False
            else:
                cut = nxt[:1].isspace() or (_NUM_END.search(row.rstrip()) is not None and _NUM_START.match(nxt.strip()) is not None)
            row = row + ("\t" if cut else "") + nxt
            joined += 1
            j += 1
        out.append(row)
        i = j
    return "\n".join(out), joined


def converter_layout(text: str) -> tuple[str, dict[str, int]]:
    """``text`` as a converter left it made readable: line ends unified, ``--`` dashes restored,
    page furniture dropped, aligned rows unwrapped, wrapped tab rows joined; with counts of what
    was done (``page_furniture_lines``, ``aligned_rows``, ``wrapped_tab_rows``; zeros left out)."""
    text = dashes_restored(text.replace("\r\n", "\n").replace("\r", "\n"))
    text, furniture = strip_page_furniture(text)
    text, aligned = unwrap_aligned_rows(text)
    text, joined = join_tab_rows(text)
    done = {"page_furniture_lines": furniture, "aligned_rows": aligned, "wrapped_tab_rows": joined}
    return text, {k: v for k, v in done.items() if v}


__all__ = ["converter_layout", "dashes_restored", "strip_page_furniture", "unwrap_aligned_rows", "is_aligned_text", "join_tab_rows"]
