"""Readers: one per format, each turning bytes into a :class:`~report_extract.grid.Document`.

A reader is a function ``read(data: bytes, path: str | None) -> Document``. Readers know nothing of
the schema. :func:`read_document` picks one by the ``format`` given or by sniffing the bytes.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import CorruptInputError, UnsupportedFormatError
from ..grid import Document

# format -> "module:function"
READERS: dict[str, str] = {
    "text": "report_extract.readers.text:read_text",
    "html": "report_extract.readers.html:read_html",
    "pdf": "report_extract.readers.pdf:read_pdf",
    "docx": "report_extract.readers.docx:read_docx",
    "doc": "report_extract.readers.legacy:read_doc",
    "xlsx": "report_extract.readers.sheet:read_xlsx",
    "xls": "report_extract.readers.sheet:read_xls",
}

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text", ".tsv": "text",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".jsp": "html", ".asp": "html",
    ".aspx": "html", ".php": "html", ".js": "html", ".json": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc", ".wps": "doc", ".rtf": "doc",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".xls": "xls", ".et": "xls",
}


# signatures of image files: a photo or scan of a report is not read (OCR reads scanned PDFs)
IMAGE_SIGNATURES: dict[bytes, str] = {
    b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG", b"GIF87a": "GIF", b"GIF89a": "GIF",
    b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"BM": "BMP",
}


def sniff_format(data: bytes, path: str | None = None) -> str:
    """Guess the format from the bytes first and the file extension second."""
    ext = Path(path).suffix.lower() if path else ""
    head = data[:4096]
    kind = next((k for sig, k in IMAGE_SIGNATURES.items() if head.startswith(sig)), None)
    if kind is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "WebP"
    if kind is not None and not (kind == "BMP" and ext in EXTENSIONS):
        raise UnsupportedFormatError(path, f"an image ({kind}): not supported; report_extract reads text, HTML, PDF "
                                           "(scanned PDFs with the ocr extra), DOCX/DOC and XLSX/XLS reports")
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or ext in (".docx", ".wps"):
            return "docx"
        if b"xl/" in data[:65536] or ext in (".xlsx", ".xlsm"):
            return "xlsx"
        raise UnsupportedFormatError(path, "a ZIP archive that is neither a DOCX nor an XLSX document")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls" if ext in (".xls", ".et") else "doc"
    if head.lstrip()[:5] == b"{\\rtf":  # RTF, often saved under a .doc name: LibreOffice converts it
        return "doc"
    if ext in (".doc", ".wps") and b"<html" in head.lower():  # a web page saved under a .doc name
        return "html"
    if ext in (".pdf", ".docx", ".xlsx", ".xls", ".doc"):
        raise CorruptInputError(path, f"the file is named {ext} but its content is not a {ext[1:].upper()} file (damaged or truncated?)")
    lowered = head.lower()
    if any(tag in lowered for tag in (b"<html", b"<!doctype", b"<table", b"<body", b"<div", b"<p", b"<meta", b"<td")):
        return "html"
    if ext in EXTENSIONS and EXTENSIONS[ext] in ("text", "html"):
        return EXTENSIONS[ext]
    return "text"


def reader_for(fmt: str, path: str | None = None):
    """The reader function registered for ``fmt``."""
    target = READERS.get(fmt)
    if target is None:
        raise UnsupportedFormatError(path, f"unknown format {fmt!r}; known formats: {', '.join(READERS)}")
    module_name, func = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise UnsupportedFormatError(path, f"reading {fmt} documents is not supported by this version") from None
        raise
    return getattr(module, func)


def read_document(data: bytes, path: str | None = None, format: str | None = None) -> Document:
    """Read ``data`` (the file's bytes) into a :class:`Document` with the right reader."""
    fmt = format or sniff_format(data, path)
    doc = reader_for(fmt, path)(data, path)
    doc.path = path
    return doc
