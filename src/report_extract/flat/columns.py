"""Column-by-column text (plain ``pdftotext``): a table's labels in one chunk, its values in another.

Without layout, ``pdftotext`` writes a table a column (or a block of cells) at a time: the row labels
of a page, then all their values, one per line. Located row labels then have no values after them
except one, whose run holds the values of the whole block. The template's known shape (how many
values each row has, :mod:`..schema`) settles which values are whose: when the value count of the
block is exactly what its rows hold, the values are dealt to the rows in label order, row by row.
Anything else is left as it is (the solver then flags the rows it cannot fill).
"""

from __future__ import annotations

import re

from ..schema import TemplateSchema
from ..sections import heading_number
from .locate import Found
from .solve import REVIEW_COLUMNS, REVIEW_ROWS, RowRun

_TOKEN = re.compile(r"\S+")
_NUMBERED_HEADING = re.compile(r"^\s*([一二三四五六])\s*[、.．]")
# a whole value standing alone between spaces: a number (thousands separators, decimals, a unit) or
# a placeholder
_VALUE = re.compile(r"^(?:[-−]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?:万元|元|件|个|项|条)?|/|—+|-|－)$")


def _tokens(f: Found) -> list[re.Match]:
    return list(_TOKEN.finditer(f.run))


def spread_column_runs(found: list[Found], schema: TemplateSchema) -> int:
    """Deal the values of a block printed after (or before) several row labels to those rows.

    ``found`` are the located rows of one table in reading order, with their runs attached. A row
    whose run holds more whitespace-separated values than its columns, next to rows with no values,
    shares them out when the count matches the rows' columns exactly. Returns the rows filled.
    """
    width = [len(schema.rows[f.table][f.row].columns) for f in found]
    counts = [len(_tokens(f)) for f in found]
    spilled = any(c > w for c, w in zip(counts, width))
    filled = 0
    i = 0
    while i < len(found):
        if counts[i] <= width[i]:
            i += 1
            continue
        lo = i
        while lo > 0 and counts[lo - 1] == 0:
            lo -= 1
        hi = i
        while hi + 1 < len(found) and counts[hi + 1] == 0:
            hi += 1
        for a, b in ((lo, i), (lo, hi), (i, hi)):
            if sum(width[a : b + 1]) == counts[i]:
                filled += _deal(found[i], found[a : b + 1], width[a : b + 1])
                for k in range(a, b + 1):
                    counts[k] = width[k]
                break
        i = hi + 1
    if spilled:
        # the table is printed column by column (a row's run holds other rows' values): a row
        # with no values after its label is not known to be blank, its values may be elsewhere
        for f in found:
            if not _tokens(f):
                f.blank = False
    return filled


def section_values(text: str) -> dict[int, list[tuple[int, str]]]:
    """Section number -> the values standing alone in it, as (offset, text), in reading order."""
    out: dict[int, list[tuple[int, str]]] = {}
    section = 0
    pos = 0
    for line in text.split("\n"):
        numbered = _NUMBERED_HEADING.match(line)
        n = heading_number(line) if numbered else None
        if n is not None and "一二三四五六".index(numbered.group(1)) + 1 != n:
            n = None
        if n is not None and n > section:
            section = n
        elif section:
            for m in _TOKEN.finditer(line):
                if _VALUE.match(m.group()):
                    out.setdefault(section, []).append((pos + m.start(), m.group()))
        pos += len(line) + 1
    return out


def rows_from_stream(
    found: list[Found], rows: list[str], values: list[tuple[int, str]], schema: TemplateSchema, table: str
) -> list[Found] | None:
    """The rows of ``table`` rebuilt from its section's value stream when located labels and runs do
    not fit the template (labels and values printed apart) but the stream holds exactly the values
    of ``rows`` (the template's rows, in order): values dealt row by row. None otherwise."""
    width = {r: len(schema.rows[table][r].columns) for r in rows}
    have = {f.row: f for f in found}
    if all(f.row in width and len(_tokens(f)) == width[f.row] for f in found) and len(found) == len(rows):
        return None
    if len(values) != sum(width.values()):
        return None
    out: list[Found] = []
    k = 0
    for r in rows:
        mine = values[k : k + width[r]]
        k += width[r]
        old = have.get(r)
        f = Found(table, r, old.start if old else 0, old.end if old else 0)
        f.run = " ".join(v for _, v in mine)
        f.run_start = mine[0][0] if mine else 0
        out.append(f)
    return out


def column_streams(
    text: str, pro: list[Found], req: list[Found], schema: TemplateSchema
) -> tuple[list[Found], list[Found], RowRun | None]:
    """Rows of sections 二 and 三 and the 15 values of 四 rebuilt from text printed column by column.

    Values shared out inside a block first (:func:`spread_column_runs`); then, for a table whose
    located rows still do not fit, the whole section's values when they are exactly the template's
    (:func:`rows_from_stream`). Returns the rows of 二 and 三 and a section-四 run (or None).
    """
    spread_column_runs(pro, schema)
    spread_column_runs(req, schema)
    values = section_values(text)
    pro_rows = list(schema.rows["proactive"])
    req_rows = [r for r, d in schema.rows["requests"].items() if not d.variant]
    if any(f.row == "other" for f in req) and "other" not in req_rows:
        subs = [r for r in req_rows if r.startswith("other_")]
        at = req_rows.index(subs[0]) if subs else len(req_rows)
        req_rows = [r for r in req_rows if r not in subs]
        req_rows.insert(at, "other")
    pro = rows_from_stream(pro, pro_rows, values.get(2, []), schema, "proactive") or pro
    req = rows_from_stream(req, req_rows, values.get(3, []), schema, "requests") or req
    review = None
    four = values.get(4, [])
    if len(four) == len(REVIEW_ROWS) * len(REVIEW_COLUMNS):
        columns = [f"{r}.{c}" for r in REVIEW_ROWS for c in REVIEW_COLUMNS]
        review = RowRun("review_litigation", "*", columns, " ".join(v for _, v in four), four[0][0], "")
    return pro, req, review


def _deal(source: Found, rows: list[Found], widths: list[int]) -> int:
    tokens = _tokens(source)
    run, base = source.run, source.run_start
    k = 0
    for f, w in zip(rows, widths):
        mine = tokens[k : k + w]
        k += w
        f.run = " ".join(m.group() for m in mine)
        f.run_start = base + mine[0].start() if mine else base
    del run
    return len(rows)


__all__ = ["column_streams", "spread_column_runs", "section_values", "rows_from_stream"]
