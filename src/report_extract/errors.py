"""Errors raised by report_extract.

Every error names the file and the reason, so a batch log line is enough to act on.
"""

from __future__ import annotations

import os


class ReportError(Exception):
    """Base class: a document could not be turned into a report.

    ``path`` is the file (or a description of the input), ``reason`` a sentence saying why.
    """

    code = "report_error"

    def __init__(self, path: str | os.PathLike | None, reason: str):
        self.path = str(path) if path is not None else "<input>"
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFormatError(ReportError):
    """The input's format is not one report_extract reads."""

    code = "unsupported_format"


class CorruptInputError(ReportError):
    """The file is damaged, truncated or cannot be decoded."""

    code = "corrupt_input"


class EncryptedInputError(CorruptInputError):
    """The file is password-protected."""

    code = "encrypted_input"


class NotAReportError(ReportError):
    """The document is readable but is not a national-template annual report."""

    code = "not_a_report"


class MissingDependencyError(ReportError):
    """An optional component (an extra, LibreOffice, OCR) is needed and is not installed."""

    code = "missing_dependency"


class UnusableTextError(ReportError):
    """The text layer cannot be used (unmapped fonts, ``(cid:NNN)`` glyphs, image-only pages)."""

    code = "unusable_text"


class InputTooLargeError(ReportError):
    """The input is larger than the configured limit."""

    code = "input_too_large"


class LimitExceededError(InputTooLargeError):
    """A resource limit of :class:`~report_extract.options.ReadOptions` was hit while reading.

    ``limit`` is the dotted setting name (``"pdf.max_pages"``), ``value`` what the input needs and
    ``allowed`` the setting's value; the message says how to raise it.
    """

    code = "limit_exceeded"

    def __init__(self, path: str | os.PathLike | None, what: str, limit: str, value: float, allowed: float):
        self.limit, self.value, self.allowed = limit, value, allowed
        def num(v: float) -> str:
            return f"{int(v):,}" if float(v).is_integer() else f"{v:,g}"

        super().__init__(
            path,
            f"{what} ({num(value)}) is over the limit {limit}={num(allowed)}; raise it with "
            f"ReadOptions.replace(**{{'{limit}': N}}) or the CLI's --set {limit}=N",
        )


class ReadTimeoutError(ReportError):
    """Reading took longer than ``ReadOptions.timeout`` seconds."""

    code = "timeout"
