"""Reports, errors and frames as JSON-ready values (NaN and NA become null)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..report import Report


def plain(value: Any) -> Any:
    """``value`` with numpy/pandas scalars made Python ones, NaN/NA made None, mapping keys made
    strings, recursively."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as a list of dicts, columns in frame order."""
    cols = list(frame.columns)
    return [dict(zip(cols, (plain(v) for v in row))) for row in frame.itertuples(index=False, name=None)]


def report_entry(name: str, report: Report, summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """One file read: ``name``, ``meta``, ``cells``, ``checks``, ``issues`` (the frames of
    :class:`~report_extract.report.Report`) and ``report`` (its row of the dataset's ``reports``
    table: publisher, division ...)."""
    return {
        "name": name,
        "meta": plain(report.meta),
        "cells": records(report.cells),
        "checks": records(report.checks),
        "issues": records(report.issues),
        "report": plain(summary or {}),
    }


def error_entry(name: str, error: dict[str, Any]) -> dict[str, Any]:
    """One file that could not be read: ``name`` and ``error`` {code, reason}."""
    return {"name": name, "error": {"code": error.get("error", "report_error"), "reason": str(error.get("reason", ""))}}
