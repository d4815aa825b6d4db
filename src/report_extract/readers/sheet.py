"""Spreadsheets: XLSX (openpyxl) and XLS (xlrd).

Every visible sheet is read in order. A sheet's name becomes a label paragraph (the layout pass
keeps it when it reads like a section heading or a report title). Within a sheet, a row holding
one piece of text outside bordered cells becomes a :class:`Paragraph` when it reads like prose (a
long line, or one with a full stop 。); the runs of rows between such rows become ``sparse``
tables (trimmed to the columns they use), with merged cells resolved into the grid. Other rows
holding one piece of text stay in their table and are title candidates: the layout pass takes
them out of the table when they are a section heading or a title. Empty rows end a table unless they carry cell borders (a blank row of a drawn table, e.g.
the value row of section 四 in a blank template)."""

from __future__ import annotations

import bisect
import datetime as dt
import io
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import CorruptInputError, EncryptedInputError, MissingDependencyError
from ..grid import Block, Document, GridCell, Paragraph, Table, TitleCandidate
from ..options import DEFAULT_OPTIONS, ReadOptions
from ..textnorm import clean_cell, squeeze
from .limits import check_sheet, check_sheet_count, check_table, check_xlsx_sheets, check_zip_parts
from .sniff import ENCRYPTED_PACKAGE, OLE_MAGIC


@dataclass
class SheetData:
    """A sheet as the readers see it: cell texts, merged ranges and bordered positions (0-based)."""

    name: str
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    bordered: set[tuple[int, int]] = field(default_factory=set)
    n_rows: int = 0
    n_cols: int = 0


def read_xlsx(data: bytes, path: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Read an XLSX workbook's bytes into a :class:`Document`."""
    if data[:8] == OLE_MAGIC:
        if ENCRYPTED_PACKAGE in data:
            raise EncryptedInputError(path, "the workbook is password-protected (encrypted); save an unprotected copy")
        return read_xls(data, path, options)
    try:
        import openpyxl
    except ImportError:
        raise MissingDependencyError(path, "reading .xlsx files needs openpyxl: pip install 'report_extract[excel]'") from None
    check_zip_parts(data, path, options, "XLSX")
    check_xlsx_sheets(data, path, options)  # before openpyxl expands merged ranges
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except zipfile.BadZipFile:
        raise CorruptInputError(path, "not a valid XLSX file: the ZIP container is damaged or truncated") from None
    except KeyError as exc:
        raise CorruptInputError(path, f"not a valid XLSX file: a part is missing ({exc})") from None
    except Exception as exc:  # lxml, zlib, openpyxl errors on damaged parts
        raise CorruptInputError(path, f"cannot parse the XLSX file: {type(exc).__name__}: {exc}") from None
    check_sheet_count(len(wb.worksheets), path, options)
    sheets = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        merges = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
        stored = getattr(ws, "_cells", None)  # only the cells the file holds, not the whole used range
        check_sheet(ws.title, len(stored) if isinstance(stored, dict) else 0, merges, path, options)
        sd = SheetData(ws.title, merges=merges)
        cells = stored.values() if isinstance(stored, dict) else (c for row in ws.iter_rows() for c in row)
        for cell in list(cells):
            r, c = cell.row - 1, cell.column - 1
            text = _text(cell.value)
            if text:
                sd.texts[(r, c)] = text
            b = cell.border
            if b is not None and any(getattr(side, "style", None) for side in (b.left, b.right, b.top, b.bottom)):
                sd.bordered.add((r, c))
        _finish(sd)
        sheets.append(sd)
    props = _xlsx_properties(wb)
    return sheets_document(sheets, "xlsx", path, props, options.sheet.prose_chars, options)


def read_xls(data: bytes, path: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Read an Excel 97-2003 (.xls) workbook's bytes into a :class:`Document`."""
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data, path, options)
    if data[:8] == OLE_MAGIC and ENCRYPTED_PACKAGE in data:
        raise EncryptedInputError(path, "the workbook is password-protected (encrypted); save an unprotected copy")
    try:
        import xlrd
    except ImportError:
        raise MissingDependencyError(path, "reading .xls files needs xlrd: pip install 'report_extract[excel]'") from None
    # ragged rows: xlrd would otherwise pad every row to the widest one, which a damaged merged
    # range can push to 256 columns × 65,536 rows
    try:
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False, ragged_rows=True)
        except NotImplementedError:  # formatting of old BIFF versions: read the values alone
            book = xlrd.open_workbook(file_contents=data, formatting_info=False, on_demand=False, ragged_rows=True)
    except xlrd.biffh.XLRDError as exc:
        msg = str(exc)
        if "encrypt" in msg.lower():
            raise EncryptedInputError(path, "the workbook is password-protected (encrypted); save an unprotected copy") from None
        raise CorruptInputError(path, f"not a valid XLS file: {msg}") from None
    except Exception as exc:  # truncated streams, struct errors
        raise CorruptInputError(path, f"cannot parse the XLS file: {type(exc).__name__}: {exc}") from None
    check_sheet_count(book.nsheets, path, options)
    sheets = []
    for sh in book.sheets():
        if getattr(sh, "visibility", 0) != 0:
            continue
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
        check_sheet(sh.name, sum(sh.row_len(r) for r in range(sh.nrows)), merges, path, options)
        sd = SheetData(sh.name, merges=merges)
        for r in range(sh.nrows):
            for c in range(sh.row_len(r)):  # the cells the file holds, not the padded used range
                cell = sh.cell(r, c)
                text = _xls_text(cell, book.datemode, xlrd)
                if text:
                    sd.texts[(r, c)] = text
                xf_index = cell.xf_index
                if xf_index is not None and 0 <= xf_index < len(book.xf_list or ()):
                    bd = book.xf_list[xf_index].border
                    if bd.left_line_style or bd.right_line_style or bd.top_line_style or bd.bottom_line_style:
                        sd.bordered.add((r, c))
        _finish(sd)
        sheets.append(sd)
    props: dict[str, Any] = {}
    if getattr(book, "user_name", None):
        props["last_modified_by"] = book.user_name
    return sheets_document(sheets, "xls", path, props, options.sheet.prose_chars, options)


# -- cell values --------------------------------------------------------------------------------


def _number(v: float) -> str:
    if math.isfinite(v) and float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(float(v))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _xls_text(cell, datemode: int, xlrd) -> str:
    ctype = cell.ctype
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if ctype == xlrd.XL_CELL_NUMBER:
        return _number(cell.value)
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode).isoformat()
        except Exception:  # noqa: BLE001 - an impossible date serial: keep the number
            return _number(cell.value)
    return str(cell.value).strip()


def _finish(sd: SheetData) -> None:
    positions = list(sd.texts) + list(sd.bordered) + [(m[2], m[3]) for m in sd.merges]
    sd.n_rows = max((p[0] + 1 for p in positions), default=0)
    sd.n_cols = max((p[1] + 1 for p in positions), default=0)


def _xlsx_properties(wb) -> dict[str, Any]:
    props: dict[str, Any] = {}
    p = getattr(wb, "properties", None)
    if p is None:
        return props
    for key, attr in (("title", "title"), ("author", "creator"), ("created", "created"), ("modified", "modified"),
                      ("last_modified_by", "lastModifiedBy")):
        value = getattr(p, attr, None)
        if value in (None, ""):
            continue
        props[key] = value.isoformat() if hasattr(value, "isoformat") else clean_cell(str(value))
    return props


# -- sheets to blocks ---------------------------------------------------------------------------


def sheets_document(sheets: list[SheetData], fmt: str, path: str | None, props: dict[str, Any], prose_chars: int = 40,
                    options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Turn read sheets into a :class:`Document`: prose rows as paragraphs, the rest as tables
    (each checked against the ``sheet`` limits of ``options`` before its grid is built)."""
    blocks: list[Block] = []
    lines: list[str] = []  # title candidates: sheet names, prose and lone texts, in order
    for sd in sheets:
        name = clean_cell(sd.name)
        if name:
            blocks.append(Paragraph(name, source={"sheet": sd.name, "role": "label"}))
            lines.append(name)
        def check(first_row: int, n_rows: int, n_cols: int, name: str = sd.name) -> None:
            check_table(name, first_row, n_rows, n_cols, path, options)

        blocks.extend(sheet_blocks(sd, prose_chars, lines, check))
    for i, t in enumerate(b for b in blocks if isinstance(b, Table)):
        t.index = i
    props = dict(props)
    props["sheets"] = [sd.name for sd in sheets]
    candidates = [TitleCandidate(t) for t in lines]
    if props.get("title"):
        candidates.append(TitleCandidate(props["title"], "metadata"))
    return Document(blocks=blocks, source_format=fmt, path=path, properties=props, title_candidates=candidates)


def sheet_blocks(sd: SheetData, prose_chars: int = 40, lines: list[str] | None = None,
                 check: Callable[[int, int, int], None] | None = None) -> list[Block]:
    """The paragraphs and tables of one sheet, in row order (lone texts appended to ``lines``;
    ``check(first_row, n_rows, n_cols)`` called before each table's grid is built)."""
    lines = [] if lines is None else lines
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    span: dict[tuple[int, int], tuple[int, int]] = {}
    covered_rows: set[int] = set()
    merge_cols: dict[int, list[int]] = {}  # row -> first and last columns of the merged ranges crossing it
    for r0, c0, r1, c1 in _clipped_merges(sd):
        span[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered_rows.update(range(r0 + 1, r1 + 1))
        for r in range(r0, r1 + 1):
            merge_cols.setdefault(r, []).extend((c0, c1))
            for c in range(c0, c1 + 1):
                origin.setdefault((r, c), (r0, c0))
    by_row: dict[int, list[int]] = {}
    for r, c in sd.texts:
        by_row.setdefault(r, []).append(c)
    bordered_rows = {r for r, _c in sd.bordered}
    blocks: list[Block] = []
    run: list[int] = []  # rows of the table being collected

    def flush() -> None:
        if run:
            blocks.append(_table(sd, run, origin, span, by_row, merge_cols, check))
        run.clear()

    prev = -1
    for r in sorted(set(by_row) | bordered_rows | covered_rows):
        if r != prev + 1:
            flush()  # rows in between are empty and undrawn
        prev = r
        own = sorted((c, sd.texts[(r, c)]) for c in by_row.get(r, ()) if origin.get((r, c), (r, c)) == (r, c))
        covered = r in covered_rows
        if not own and not covered:
            if run:
                run.append(r)  # a blank row of a drawn table
            continue
        if len(own) == 1 and not covered:
            pieces = [line.strip() for line in own[0][1].splitlines() if line.strip()]
            lines.extend(clean_cell(p) for p in pieces)
            if _is_prose(own[0][1], (r, own[0][0]) in sd.bordered, prose_chars):
                flush()
                blocks.extend(Paragraph(p, source={"sheet": sd.name, "row": r + 1}) for p in pieces)
                continue
        run.append(r)
    flush()
    return blocks


def _is_prose(text: str, drawn: bool, prose_chars: int) -> bool:
    """A lone text outside drawn cells is prose when it reads like a sentence (long, or with a full stop)."""
    t = clean_cell(text)
    return not drawn and (len(squeeze(t)) > prose_chars or "。" in t)


def _clipped_merges(sd: SheetData) -> list[tuple[int, int, int, int]]:
    """The merged ranges cut to the sheet's content (the rows and columns holding a text or a
    border): a range reaching past it (a damaged file's ``A1:IV65536``) covers nothing more than
    empty positions, and expanding them would cost time and memory for nothing."""
    content = list(sd.texts) + list(sd.bordered)
    if not content:
        return []
    last_row = max(p[0] for p in content)
    last_col = max(p[1] for p in content)
    return [(r0, c0, min(r1, last_row), min(c1, last_col)) for r0, c0, r1, c1 in sd.merges
            if 0 <= r0 <= min(r1, last_row) and 0 <= c0 <= min(c1, last_col)]


def _table(sd: SheetData, rows: list[int], origin, span, by_row: dict[int, list[int]],
           merge_cols: dict[int, list[int]], check: Callable[[int, int, int], None] | None = None) -> Table:
    used = [c for r in rows for c in by_row.get(r, ())]
    used += [c for r in rows for c in merge_cols.get(r, ())]
    if not used:  # only drawn empty rows: keep the drawn columns
        in_rows = set(rows)
        used = [c for (r, c) in sd.bordered if r in in_rows]
    c_lo, c_hi = min(used), max(used)
    if check is not None:
        check(rows[0] + 1, len(rows), c_hi - c_lo + 1)
    row_index = {r: i for i, r in enumerate(rows)}
    grid: list[list[GridCell]] = []
    for i, r in enumerate(rows):
        out = []
        for j, c in enumerate(range(c_lo, c_hi + 1)):
            o = origin.get((r, c), (r, c))
            if o[0] not in row_index or o[1] < c_lo:  # a merge starting outside this table
                o = (r, c)
            oi, oj = row_index[o[0]], o[1] - c_lo
            rs, cs = span.get(o, (1, 1)) if o in span else (1, 1)
            rs = bisect.bisect_left(rows, o[0] + rs) - oi  # the table's rows the range covers (rows is sorted)
            cs = min(cs, c_hi + 1 - o[1])
            text = sd.texts.get(o, "")
            out.append(GridCell(text, i, j, (oi, oj), rowspan=rs, colspan=cs, source={"sheet": sd.name, "cell": _a1(r, c)}))
        grid.append(out)
    return Table(rows=grid, source={"sheet": sd.name, "first_row": rows[0] + 1}, sparse=True)


def _a1(r: int, c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"
