"""One Excel workbook: a sheet per table (every table written, ``cells`` and ``sections`` too),
each with a frozen header row and an autofilter.

Headers are the column codes, or with ``labels="zh"`` the template's Chinese column labels in the
wide tables. A table longer than Excel's 1,048,575 data rows continues on ``<name>_2`` …; a text
over Excel's 32,767-character cell limit is cut there (the CSV keeps it whole). Needs openpyxl
(``pip install report_extract[excel]``). The workbook's timestamps are fixed so the same data
gives a byte-identical file.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from ..schema import TABLES
from .atomic import atomic_write_bytes
from .fields import column_labels
from .plain import plain, safe_text

MAX_ROWS = 1_048_575  # data rows below the header
MAX_TEXT = 32_767
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


def _cell(v, ws=None, safe: bool = True):
    """A value for the write-only sheet ``ws``: texts always as string cells (never formulas),
    with :func:`~.plain.safe_text` when ``safe``; numbers as numbers."""
    v = plain(v)
    if isinstance(v, str):
        text = _ILLEGAL.sub("", safe_text(v) if safe else v)[:MAX_TEXT]
        if ws is None or not text.startswith("="):
            return text
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
        return cell
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def headers(name: str, columns: list[str], labels: str | None = None) -> list[str]:
    """The header row of a sheet: codes, or Chinese labels for the wide tables' columns."""
    if labels != "zh" or name not in TABLES:
        return list(columns)
    zh = {**column_labels(name), "row": "行代码", "row_label_zh": "行", "report_id": "报告"}
    return [zh.get(c, c) for c in columns]


def _column_letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def write_excel(frames: dict[str, pd.DataFrame], target: Path, *, labels: str | None = None, max_rows: int = MAX_ROWS,
                safe_text: bool = True) -> list[Path]:
    """Write the workbook atomically (openpyxl's streaming writer: fast and light on memory);
    texts are string cells, never formulas, and with ``safe_text`` formula-like texts get a
    leading apostrophe as in the CSV."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise RuntimeError("Excel output needs openpyxl: pip install 'report_extract[excel]'") from None
    wb = Workbook(write_only=True)
    for name, frame in frames.items():
        for part, start in enumerate(range(0, max(len(frame), 1), max_rows)):
            chunk = frame.iloc[start:start + max_rows]
            ws = wb.create_sheet(name if part == 0 else f"{name}_{part + 1}")
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = f"A1:{_column_letter(max(len(frame.columns), 1))}{len(chunk) + 1}"
            ws.append(headers(name, list(frame.columns), labels))
            for row in chunk.itertuples(index=False, name=None):
                ws.append([_cell(v, ws, safe_text) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(target, _deterministic(buf.getvalue()))
    return [target]
