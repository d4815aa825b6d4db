"""Plain Python values for the writers: missing as None, numpy scalars as Python numbers, whole
decimals as integers where the format would otherwise print ``36.0``."""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd


def plain(v: Any) -> Any:
    """A frame value as a plain Python value (None when missing)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def number_text(v: Any) -> str:
    """A number as CSV text: whole numbers without a decimal point, others in the shortest form."""
    v = plain(v)
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    return str(v)


def json_number(v: Any) -> Any:
    """A float for JSON: a whole number as int (``36``, not ``36.0``)."""
    v = plain(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def safe_text(v: Any) -> Any:
    """A text that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return) with a leading apostrophe, the OWASP CSV-injection recipe; other
    values, and texts that are a plain number such as ``-3``, unchanged."""
    if isinstance(v, str) and v.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(v):
        return "'" + v
    return v


def frame_for_text(frame: pd.DataFrame, *, safe: bool = False) -> pd.DataFrame:
    """``frame`` with float columns as text (:func:`number_text`), for CSV; with ``safe`` the
    text columns go through :func:`safe_text` (numbers are never touched)."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col].dtype):
            out[col] = out[col].map(number_text).astype(object)
        elif safe and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype)):
            out[col] = out[col].map(safe_text)
    return out
