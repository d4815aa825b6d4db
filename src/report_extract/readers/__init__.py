"""Readers: one :class:`~.base.Reader` class per format, each turning bytes into a
:class:`~report_extract.grid.Document`.

Readers know nothing of the schema and stop at layout (see :mod:`.base`). :func:`read_document`
picks one by ``options.format`` or by sniffing the bytes (:mod:`.sniff`, the one place that knows
magic bytes) from the registry (:data:`.registry.READERS`, or the ``readers`` given).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import UnsupportedFormatError
from ..grid import Document
from ..options import DEFAULT_OPTIONS, ReadOptions
from .base import Reader
from .registry import READERS
from .sniff import EXTENSIONS, extension, refine_format, sniff_format

_BUILTIN = frozenset(r.format for r in READERS)


def reader_for(fmt: str, path: str | None = None, readers: Sequence[type[Reader]] = READERS) -> type[Reader]:
    """The reader class registered for ``fmt`` (the first one, when several are)."""
    for r in readers:
        if r.format == fmt:
            return r
    known = ", ".join(dict.fromkeys(r.format for r in readers))
    raise UnsupportedFormatError(path, f"unknown format {fmt!r}; known formats: {known}")


def choose_format(data: bytes, path: str | None = None, readers: Sequence[type[Reader]] = READERS) -> str:
    """The format to read ``data`` with: a reader of a format that is not built in whose
    :meth:`~.base.Reader.sniff` accepts the bytes, else :func:`~.sniff.sniff_format`."""
    head, ext = data[:4096], extension(path)
    for r in readers:
        if r.format not in _BUILTIN and r.sniff(head, ext):
            return r.format
    return sniff_format(data, path)


def read_document(
    data: bytes,
    path: str | None = None,
    options: ReadOptions | str | None = None,
    *,
    readers: Sequence[type[Reader]] = READERS,
) -> Document:
    """Read ``data`` (the file's bytes) into a :class:`Document` with the right reader.

    ``options.format`` forces a format; a format name may be given instead of options (any
    format of ``readers``, e.g. one that is not built in). ``readers`` replaces the registry for
    this call. An unknown format raises :class:`UnsupportedFormatError`.
    """
    fmt: str | None = None
    if isinstance(options, str):
        fmt, options = options, None
    options = options or DEFAULT_OPTIONS
    fmt = fmt or options.format or choose_format(data, path, readers)
    fmt = refine_format(fmt, data) if fmt in _BUILTIN else fmt
    doc = reader_for(fmt, path, readers)().read(data, path, options)
    doc.path = path
    return doc


__all__ = ["Reader", "READERS", "EXTENSIONS", "read_document", "reader_for", "choose_format", "sniff_format"]
