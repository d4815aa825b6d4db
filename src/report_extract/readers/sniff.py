"""Magic bytes, in one place: which format a file's bytes are, whatever its name says.

:func:`sniff_format` guesses the format from the content first and the extension second;
:func:`refine_format` corrects a declared format by the content (a ``.doc`` that is really a DOCX
package, an Excel workbook saved under a Word name …), so no reader has to hand its input to
another reader. Nothing here parses a document.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from ..errors import CorruptInputError, UnsupportedFormatError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .doc, .xls, .wps, encrypted OOXML
ZIP_MAGIC = b"PK\x03\x04"  # OOXML packages: .docx, .xlsx
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # an encrypted OOXML file inside an OLE container

EXTENSIONS: Mapping[str, str] = MappingProxyType({
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text", ".tsv": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".jsp": "html", ".asp": "html",
    ".aspx": "html", ".php": "html", ".js": "html", ".json": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc", ".wps": "doc", ".rtf": "doc",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".xls": "xls", ".et": "xls",
})
# signatures of image files: a photo or scan of a report is not read (OCR reads scanned PDFs)
IMAGE_SIGNATURES: Mapping[bytes, str] = MappingProxyType({
    b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG", b"GIF87a": "GIF", b"GIF89a": "GIF",
    b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"BM": "BMP",
})
_HTML_TAGS = (b"<html", b"<!doctype", b"<table", b"<body", b"<div", b"<p", b"<meta", b"<td")


def extension(path: str | None) -> str:
    """The lower-case extension of ``path`` (``".pdf"``), or ``""``."""
    return Path(path).suffix.lower() if path else ""


def is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF") or b"%PDF-" in head[:1024]


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def is_ole(head: bytes) -> bool:
    return head.startswith(OLE_MAGIC)


def is_rtf(head: bytes) -> bool:
    return head.lstrip()[:5] == b"{\\rtf"


def looks_like_html(head: bytes) -> bool:
    lowered = head.lower()
    return any(tag in lowered for tag in _HTML_TAGS)


def image_kind(head: bytes) -> str | None:
    """``"JPEG"``, ``"PNG"`` … when ``head`` starts like an image file, else None."""
    kind = next((k for sig, k in IMAGE_SIGNATURES.items() if head.startswith(sig)), None)
    if kind is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "WebP"
    return kind


def sniff_format(data: bytes, path: str | None = None) -> str:
    """Guess the format from the bytes first and the file extension second."""
    ext = extension(path)
    head = data[:4096]
    kind = image_kind(head)
    if kind is not None and not (kind == "BMP" and ext in EXTENSIONS):  # "BM" also starts plain text
        raise UnsupportedFormatError(path, f"an image ({kind}): not supported; report_extract reads text, HTML, PDF "
                                           "(scanned PDFs with the ocr extra), DOCX/DOC and XLSX/XLS reports")
    if is_pdf(head):
        return "pdf"
    if is_zip(head):
        if b"word/" in data[:65536] or ext in (".docx", ".wps"):
            return "docx"
        if b"xl/" in data[:65536] or ext in (".xlsx", ".xlsm"):
            return "xlsx"
        raise UnsupportedFormatError(path, "a ZIP archive that is neither a DOCX nor an XLSX document")
    if is_ole(head):
        return "xls" if ext in (".xls", ".et") else "doc"
    if is_rtf(head):  # RTF, often saved under a .doc name: LibreOffice converts it
        return "doc"
    if ext in (".doc", ".wps") and b"<html" in head.lower():  # a web page saved under a .doc name
        return "html"
    if ext in (".pdf", ".docx", ".xlsx", ".xls", ".doc"):
        raise CorruptInputError(path, f"the file is named {ext} but its content is not a {ext[1:].upper()} file (damaged or truncated?)")
    if looks_like_html(head):
        return "html"
    if ext in EXTENSIONS and EXTENSIONS[ext] == "html" and b"<" not in head:
        return "text"  # a text report saved under a web page's name: no markup at all
    if ext in EXTENSIONS and EXTENSIONS[ext] in ("text", "html"):
        return EXTENSIONS[ext]
    return "text"


def refine_format(fmt: str, data: bytes) -> str:
    """The format to read ``data`` with when it was declared (or sniffed) as ``fmt``.

    Office files travel under each other's names: a DOCX package named ``.doc``, a Word 97 file
    handed over as DOCX, an Excel workbook (OLE or package) under a Word or the other Excel name.
    Encrypted packages keep their format, so that its reader refuses them with the right message.
    """
    head = data[:8]
    ole_plain = is_ole(head) and ENCRYPTED_PACKAGE not in data
    if fmt == "docx" and ole_plain:
        fmt = "doc"
    elif fmt == "xlsx" and ole_plain:
        return "xls"
    elif fmt == "xls" and is_zip(head):
        return "xlsx"
    if fmt == "doc":
        if is_zip(head):
            return "docx"
        if ole_plain and ole_kind(data) == "workbook":  # an Excel 97-2003 workbook under a Word name
            return "xls"
    return fmt


def ole_kind(data: bytes) -> str | None:
    """What an OLE compound file holds: ``"word"``, ``"encrypted"`` (a Word file whose FIB sets
    fEncrypted), ``"workbook"``, ``"damaged"`` (not a readable container), ``"other"``; None when
    olefile is not installed (LibreOffice then judges the file alone)."""
    try:
        import olefile
    except ImportError:
        return None
    try:
        with olefile.OleFileIO(data) as ole:
            if ole.exists("WordDocument"):
                fib = ole.openstream("WordDocument").read(12)
            elif ole.exists("Workbook") or ole.exists("Book"):
                return "workbook"
            else:
                return "other"
    except Exception:  # noqa: BLE001 - olefile raises OSError and others on damaged containers
        return "damaged"
    if len(fib) >= 12 and fib[:2] == b"\xec\xa5" and int.from_bytes(fib[10:12], "little") & 0x0100:
        return "encrypted"
    return "word"


__all__ = ["EXTENSIONS", "IMAGE_SIGNATURES", "image_kind", "sniff_format", "refine_format", "ole_kind", "extension", "OLE_MAGIC", "ZIP_MAGIC", "ENCRYPTED_PACKAGE"]
