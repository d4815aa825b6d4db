"""The readers the library knows: an immutable tuple of :class:`~.base.Reader` classes.

Adding a format is one reader module and one line here. A caller can read with other readers
without touching this tuple: ``read_document(data, path, options, readers=(MyReader, *READERS))``.
"""

from __future__ import annotations

from .base import Reader
from .builtin import DocxReader, HtmlReader, LegacyReader, PdfReader, TextReader, XlsReader, XlsxReader

READERS: tuple[type[Reader], ...] = (
    TextReader,
    HtmlReader,
    PdfReader,
    DocxReader,
    LegacyReader,
    XlsxReader,
    XlsReader,
)

__all__ = ["READERS"]
