"""report_extract: China's government information-disclosure annual reports as validated data.

>>> import report_extract
>>> r = report_extract.read_report("report.html")        # doctest: +SKIP
>>> r.cells, r.checks, r.issues, r.meta                  # doctest: +SKIP
>>> report_extract.write_reports("crawl/", "out/", "csv,parquet")  # doctest: +SKIP
"""

from .version import __version__

# Everything but the version loads on first use, so ``import report_extract`` and the command
# line's ``--version`` stay cheap (the pipeline imports pandas and the readers).
_LAZY = {
    "read_report": "api", "read_reports": "api", "report_from_document": "api", "ReportSet": "api",
    "read_outdir": "readback", "Report": "report", "ReadOptions": "options", "write_reports": "stream",
    **dict.fromkeys(
        (
            "ReportError", "UnsupportedFormatError", "CorruptInputError", "EncryptedInputError", "NotAReportError",
            "MissingDependencyError", "UnusableTextError", "InputTooLargeError",
        ),
        "errors",
    ),
}

TYPE_CHECKING = False  # not ``typing.TYPE_CHECKING``: importing typing costs a cheap start ~10 ms
if TYPE_CHECKING:
    from .api import ReportSet, read_report, read_reports, report_from_document
    from .errors import (
        CorruptInputError,
        EncryptedInputError,
        InputTooLargeError,
        MissingDependencyError,
        NotAReportError,
        ReportError,
        UnsupportedFormatError,
        UnusableTextError,
    )
    from .options import ReadOptions
    from .readback import read_outdir
    from .report import Report
    from .stream import write_reports


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'report_extract' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "read_report",
    "read_reports",
    "write_reports",
    "read_outdir",
    "ReadOptions",
    "__version__",
    "report_from_document",
    "Report",
    "ReportSet",
    "ReportError",
    "UnsupportedFormatError",
    "CorruptInputError",
    "EncryptedInputError",
    "NotAReportError",
    "MissingDependencyError",
    "UnusableTextError",
    "InputTooLargeError",
]
