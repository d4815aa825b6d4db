"""The reader contract: one :class:`Reader` subclass per format.

In the style of docling's backends: a reader declares the format it reads, the file extensions
that name it, how to recognise its bytes (:meth:`Reader.sniff`) and the optional dependency it
needs, and turns bytes into a :class:`~report_extract.grid.Document` (:meth:`Reader.read`).

Readers stop at layout: they report blocks (paragraphs and table grids in reading order), title
candidates and neutral facts, never what the text means (which line is the title, which row is a
section heading, whether the file is a report): that is :mod:`report_extract.layout`'s job. Heavy
libraries are imported inside :meth:`Reader.read`, so listing the readers costs nothing.
"""

from __future__ import annotations

import importlib.util
from abc import ABC, abstractmethod
from typing import ClassVar

from ..errors import MissingDependencyError
from ..grid import Document
from ..options import ReadOptions


class Reader(ABC):
    """Reads one format into a :class:`Document`.

    Class attributes:

    ``format``
        the format name (``"html"``), as given to ``ReadOptions(format=…)``.
    ``extensions``
        file extensions (lower case, with the dot) that name this format.
    ``requires``
        the importable module the reader needs (``"openpyxl"``) or None; ``install_hint`` says how
        to get it (the pip extra or system package), for the error raised when it is missing.
    """

    format: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()
    requires: ClassVar[str | None] = None
    install_hint: ClassVar[str] = ""

    @classmethod
    def sniff(cls, head: bytes, ext: str) -> bool:
        """True when the first bytes of a file (``head``) or its extension say it is this format.

        The default trusts the extension only; readers of formats with magic bytes override it."""
        return ext in cls.extensions

    @classmethod
    def available(cls) -> bool:
        """True when the optional dependency (``requires``) can be imported."""
        return cls.requires is None or importlib.util.find_spec(cls.requires) is not None

    @classmethod
    def check_available(cls, path: str | None) -> None:
        """Raise :class:`MissingDependencyError` naming the extra when ``requires`` is missing."""
        if not cls.available():
            raise MissingDependencyError(path, f"reading {cls.format} files needs {cls.requires}: {cls.install_hint}")

    @abstractmethod
    def read(self, data: bytes, path: str | None, options: ReadOptions) -> Document:
        """Turn the file's bytes into a :class:`Document` (blocks, title candidates, facts)."""


__all__ = ["Reader"]
