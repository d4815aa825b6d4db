"""One Excel workbook: a sheet per template table plus reports, checks, issues, errors, crosschecks.

Needs openpyxl (``pip install report_extract[excel]``). The workbook's timestamps are fixed so the
same data gives a byte-identical file.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path

import pandas as pd

from . import atomic_write_bytes

SHEETS = ("reports", "proactive", "requests", "review_litigation", "checks", "issues", "errors", "crosschecks")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FIXED_TIME = "2000-01-01T00:00:00Z"


def _deterministic(data: bytes) -> bytes:
    """The xlsx with fixed zip timestamps and document dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + _FIXED_TIME.encode() + m.group(3), body)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, body)
    return buf.getvalue()


def _cell(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, str):
        return _ILLEGAL.sub("", v)
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def write_excel(frames: dict[str, pd.DataFrame], target: Path) -> list[Path]:
    """Write the workbook atomically (openpyxl's streaming writer: fast and light on memory)."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise RuntimeError("Excel output needs openpyxl: pip install 'report_extract[excel]'") from None
    wb = Workbook(write_only=True)
    for name in SHEETS:
        if name not in frames:
            continue
        frame = frames[name]
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(target, _deterministic(buf.getvalue()))
    return [target]
