"""report_extract: China's government information-disclosure annual reports as validated data.

>>> import report_extract
>>> r = report_extract.read_report("report.html")        # doctest: +SKIP
>>> r.cells, r.checks, r.issues, r.meta                  # doctest: +SKIP
"""

from . import flat as _flat  # noqa: F401  (registers the flattened-text step in api.MAPPING_STEPS)
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
from .readback import read_outdir
from .report import Report

__version__ = "0.1.0"

__all__ = [
    "read_report",
    "read_reports",
    "read_outdir",
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
