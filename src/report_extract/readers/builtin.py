"""The built-in readers: one :class:`~.base.Reader` class per format, wrapping the format's module.

Each class imports its module (and so its heavy library: lxml, pdfplumber, python-docx,
openpyxl, xlrd) inside :meth:`read`, so importing the registry is cheap.
"""

from __future__ import annotations

from ..grid import Document
from ..options import ReadOptions
from .base import Reader
from .sniff import EXTENSIONS, sniff_format


def _extensions(fmt: str) -> tuple[str, ...]:
    return tuple(ext for ext, f in EXTENSIONS.items() if f == fmt)


class _Sniffed(Reader):
    """A built-in format: recognised by :func:`~.sniff.sniff_format`, the one magic-byte chain."""

    @classmethod
    def sniff(cls, head: bytes, ext: str) -> bool:
        try:
            return sniff_format(head, "x" + ext if ext else None) == cls.format
        except Exception:  # noqa: BLE001 - a refusal of the chain is a "no" here
            return False


class TextReader(_Sniffed):
    """Plain text: pipe renderings, Markdown and tab-separated tables, prose lines."""

    format = "text"
    extensions = _extensions("text")

    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        from .limits import check_text
        from .text import read_text

        check_text(data, path, options)
        return read_text(data, path, options)


class HtmlReader(_Sniffed):
    """Saved web pages, fragments and HTML held in JS/JSON string literals."""

    format = "html"
    extensions = _extensions("html")
    requires = "lxml"
    install_hint = "pip install lxml"

    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        from .html import read_html
        from .limits import check_html

        check_html(data, path, options)
        return read_html(data, path, options)


class PdfReader(_Sniffed):
    """Born-digital PDFs (text layer and ruled tables); scanned pages with the ``ocr`` extra."""

    format = "pdf"
    extensions = _extensions("pdf")
    requires = "pdfplumber"
    install_hint = "pip install pdfplumber"

    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        from .pdf import read_pdf

        return read_pdf(data, path, options)


class DocxReader(_Sniffed):
    """Word 2007+ documents."""

    format = "docx"
    extensions = _extensions("docx")
    requires = "docx"
    install_hint = "pip install python-docx"

    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        from .docx import read_docx
        from .limits import check_zip_parts

        check_zip_parts(data, path, options, "DOCX")
        return read_docx(data, path, options)


class LegacyReader(_Sniffed):
    """Word 97 (.doc), WPS and RTF, converted to DOCX by LibreOffice (a system package)."""

    format = "doc"
    extensions = _extensions("doc")
    requires = None  # LibreOffice is a program, looked up when a file is read
    install_hint = "apt-get install libreoffice-writer"

    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        from .legacy import read_doc

        return read_doc(data, path, options)


class XlsxReader(_Sniffed):
    """Excel 2007+ workbooks."""

    format = "xlsx"
    extensions = _extensions("xlsx")
    requires = "openpyxl"
    install_hint = "pip install 'report_extract[excel]'"

    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        from .limits import check_zip_parts
        from .sheet import read_xlsx

        check_zip_parts(data, path, options, "XLSX")
        return read_xlsx(data, path, options)


class XlsReader(_Sniffed):
    """Excel 97-2003 workbooks."""

    format = "xls"
    extensions = _extensions("xls")
    requires = "xlrd"
    install_hint = "pip install 'report_extract[excel]'"

    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        from .sheet import read_xls

        return read_xls(data, path, options)


__all__ = ["TextReader", "HtmlReader", "PdfReader", "DocxReader", "LegacyReader", "XlsxReader", "XlsReader"]
