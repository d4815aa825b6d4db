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


__all__ = ["check_zip_parts", "check_html", "check_text", "check_pages"]
