"""Resource limits checked before a reader parses its input (settings in :class:`ReadOptions`).

Each check is cheap (a zip directory, a byte count, a regex count) and runs before the expensive
parse, so a hostile input is refused in bounded time and memory with a
:class:`~report_extract.errors.LimitExceededError` naming the file, the limit and its setting.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import LimitExceededError
from ..options import ReadOptions

_CELL_TAG = re.compile(rb"<\s*t[rdh][\s>/]", re.IGNORECASE)


def check_zip_parts(data: bytes, path: str | None, options: ReadOptions, kind: str = "package") -> None:
    """Refuse a DOCX/XLSX package whose XML parts unpack to more than ``docx.max_part_bytes`` each
    or whose members unpack to more than ``docx.max_uncompressed`` together (sizes from the zip directory; ``zipfile`` never
    inflates a member past its declared size). A damaged zip is left to the reader."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    limit = options.docx.max_part_bytes
    for info in infos:
        if info.file_size > limit and info.filename.lower().endswith((".xml", ".rels", ".vml")):
            raise LimitExceededError(path, f"the unpacked size in bytes of the {kind} part {info.filename}",
                                     "docx.max_part_bytes", info.file_size, limit)
    total = sum(i.file_size for i in infos)
    if total > options.docx.max_uncompressed:
        raise LimitExceededError(path, f"the unpacked size in bytes of the whole {kind}", "docx.max_uncompressed", total,
                                 options.docx.max_uncompressed)


def check_html(data: bytes, path: str | None, options: ReadOptions) -> None:
    """Refuse an HTML page over ``html.max_bytes`` or holding more than ``html.max_cell_tags``
    ``<tr>``/``<td>``/``<th>`` tags, before it is parsed."""
    if len(data) > options.html.max_bytes:
        raise LimitExceededError(path, "the HTML page's size in bytes", "html.max_bytes", len(data), options.html.max_bytes)
    limit = options.html.max_cell_tags
    # bounds first: each cell tag takes at least four bytes and opens with "<"
    if len(data) <= 4 * limit or data.count(b"<") <= limit:
        return
    n = 0
    for _ in _CELL_TAG.finditer(data):
        n += 1
        if n > limit:
            raise LimitExceededError(path, "the count of <tr>/<td>/<th> tags (at least)", "html.max_cell_tags", n, limit)


def check_text(data: bytes, path: str | None, options: ReadOptions) -> None:
    """Refuse a text document over ``text.max_bytes``, before it is decoded."""
    if len(data) > options.text.max_bytes:
        raise LimitExceededError(path, "the text's size in bytes", "text.max_bytes", len(data), options.text.max_bytes)


def check_pages(n: int, path: str | None, options: ReadOptions) -> None:
    """Refuse a PDF of more than ``pdf.max_pages`` pages."""
    if n > options.pdf.max_pages:
        raise LimitExceededError(path, "the PDF's page count", "pdf.max_pages", n, options.pdf.max_pages)


def check_sheet_count(n: int, path: str | None, options: ReadOptions) -> None:
    """Refuse a workbook of more than ``sheet.max_sheets`` sheets."""
    if n > options.sheet.max_sheets:
        raise LimitExceededError(path, "the workbook's sheet count", "sheet.max_sheets", n, options.sheet.max_sheets)


def check_sheet(name: str, n_cells: int, merges: list[tuple[int, int, int, int]], path: str | None,
                options: ReadOptions) -> None:
    """Refuse a sheet holding more than ``sheet.max_cells`` cells as read (xlrd: a row's cells up
    to its last one; openpyxl: the cells the file stores), more than
    ``sheet.max_merged`` merged ranges, or whose merged ranges cover more than ``sheet.max_cells``
    positions together (openpyxl makes an object for each, the grid a position): called before
    the sheet is expanded. ``merges`` are ``(r0, c0, r1, c1)``, inclusive. Where the cells lie
    does not count: a stray cell at XFD1048576 costs one cell."""
    s = options.sheet
    if len(merges) > s.max_merged:
        raise LimitExceededError(path, f"the count of merged ranges of the sheet {name!r}", "sheet.max_merged",
                                 len(merges), s.max_merged)
    covered = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merges if r1 >= r0 and c1 >= c0)
    for what, value in (("the count of cells read from", n_cells), ("the count of positions the merged ranges cover in", covered)):
        if value > s.max_cells:
            raise LimitExceededError(path, f"{what} the sheet {name!r}", "sheet.max_cells", value, s.max_cells)


def check_table(name: str, first_row: int, n_rows: int, n_cols: int, path: str | None, options: ReadOptions) -> None:
    """Refuse a table of a sheet (a run of rows holding content) over ``sheet.max_rows`` rows,
    ``sheet.max_cols`` columns or ``sheet.max_cells`` positions, before its grid is built."""
    s = options.sheet
    where = f"the table of the sheet {name!r} from row {first_row}"
    for what, key, value, allowed in (
        ("row count", "sheet.max_rows", n_rows, s.max_rows),
        ("column count", "sheet.max_cols", n_cols, s.max_cols),
        ("count of positions (rows × columns)", "sheet.max_cells", n_rows * n_cols, s.max_cells),
    ):
        if value > allowed:
            raise LimitExceededError(path, f"the {what} of {where}", key, value, allowed)


_MERGE_REF = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*([\"'])(.*?)\1", re.DOTALL)
_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet[\s/>]")


def check_xlsx_sheets(data: bytes, path: str | None, options: ReadOptions) -> None:
    """Refuse an XLSX workbook over the ``sheet`` limits before openpyxl loads it: openpyxl makes
    one object per position of a merged range, so a damaged ``<mergeCell ref="A1:XFD1048576"/>``
    would fill memory. Counts the sheets of ``xl/workbook.xml`` and, per worksheet part (whose size
    :func:`check_zip_parts` bounds), its merged ranges and the positions they cover. A damaged
    package is left to the reader."""
    try:
        from openpyxl.utils.cell import range_boundaries
    except ImportError:  # the reader says what is missing
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = {i.filename: i for i in zf.infolist()}
            book = parts.get("xl/workbook.xml")
            if book is not None and book.file_size <= options.docx.max_part_bytes:
                check_sheet_count(len(_SHEET_TAG.findall(zf.read(book))), path, options)
            for name, info in parts.items():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                if info.file_size > options.docx.max_part_bytes:
                    continue  # check_zip_parts refuses it
                merges = []
                for m in _MERGE_REF.finditer(zf.read(info)):
                    try:
                        c0, r0, c1, r1 = range_boundaries(m.group(2).decode("ascii", "replace").strip())
                    except (ValueError, TypeError):
                        continue  # openpyxl refuses it itself
                    if None not in (c0, r0, c1, r1):
                        merges.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
                check_sheet(name, 0, merges, path, options)
    except LimitExceededError:
        raise
    except Exception:  # noqa: BLE001 - zip, zlib, CRC errors: the reader reports the damage
        return


__all__ = ["check_zip_parts", "check_html", "check_text", "check_pages", "check_sheet_count", "check_sheet",
           "check_table", "check_xlsx_sheets"]
