"""report_extract: China's government information-disclosure annual reports as validated data.

>>> import report_extract
>>> r = report_extract.read_report("report.html")        # doctest: +SKIP
>>> r.cells, r.checks, r.issues, r.meta                  # doctest: +SKIP
>>> report_extract.write_reports("crawl/", "out/", "csv,parquet")  # doctest: +SKIP
"""

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
from .version import __version__

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
