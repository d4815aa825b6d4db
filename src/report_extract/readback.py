"""Read a previous extract's output folder (``reports.csv``, ``cells.csv`` …) back into a ReportSet."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .checks import CHECK_COLUMNS
from .errors import ReportError
from .report import CELL_COLUMNS, ISSUE_COLUMNS

NEEDED = ("reports.csv", "cells.csv")


def is_outdir(path: str | os.PathLike) -> bool:
    """True when ``path`` is a folder written by ``report-extract`` (it holds reports.csv and cells.csv)."""
    p = Path(path)
    return p.is_dir() and all((p / n).is_file() for n in NEEDED)


def _csv(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise ReportError(str(path), f"cannot read the CSV ({exc})") from None
    return frame.replace({"": None})


def _numeric(frame: pd.DataFrame, cols: list[str], dtype: str) -> None:
    for c in cols:
        if c in frame:
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(dtype)


def read_outdir(outdir: str | os.PathLike):
    """The :class:`~report_extract.api.ReportSet` of an extract's CSV output folder.

    Raises :class:`ReportError` when the folder lacks ``reports.csv`` or ``cells.csv``.
    """
    from .api import ReportSet

    d = Path(outdir)
    if not is_outdir(d):
        raise ReportError(str(d), "not an extract output folder (reports.csv and cells.csv are needed)")
    reports = _csv(d / "reports.csv", ["report_id"])
    _numeric(reports, ["year", "n_cells", "n_values", "n_failed_checks", "n_issues"], "Int64")
    for c in ("failed_checks", "issues"):
        if c in reports:
            reports[c] = reports[c].fillna("")
    cells = _csv(d / "cells.csv", ["report_id", *CELL_COLUMNS])
    _numeric(cells, ["value"], "float64")
    _numeric(cells, ["table_index", "grid_row", "grid_col", "page", "line"], "Int64")
    checks = _csv(d / "checks.csv", ["report_id", *CHECK_COLUMNS])
    if "passed" in checks:
        checks["passed"] = checks["passed"].map(lambda v: str(v).strip().lower() in ("true", "1")).astype(bool)
    _numeric(checks, ["expected", "actual", "difference"], "float64")
    issues = _csv(d / "issues.csv", ["report_id", *ISSUE_COLUMNS])
    issues = issues.drop(columns=[c for c in ("issue_no",) if c in issues])
    errors = _csv(d / "errors.csv", ["file", "error", "reason"]).rename(columns={"file": "path"})
    return ReportSet(cells=cells, checks=checks, issues=issues, reports=reports, errors=errors)


__all__ = ["read_outdir", "is_outdir"]
