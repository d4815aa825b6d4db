"""Parsing a printed cell into a number: placeholders, full-width digits, separators, units."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from .cellkind import NUM_RE as _NUM_RE
from .cellkind import PLACEHOLDERS, normalized


@dataclass(frozen=True)
class ParsedValue:
    """A cell's numeric reading. ``value`` is NaN for blanks and placeholders."""

    value: float
    unit: str | None
    kind: str  # "number", "blank", "placeholder", "text"

    @property
    def is_value_like(self) -> bool:
        """True for cells that belong in the value area of a table (numbers, blanks, placeholders)."""
        return self.kind != "text"


_PANDAS_MISSING = {"NAType", "NaTType"}  # pd.NA, pd.NaT: told by their type, without importing pandas


def is_missing(v: object) -> bool:
    """Whether a value read back from a report's rows or frames is missing: None, NaN, ``pd.NA``
    or ``pd.NaT``."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return True
    t = type(v)
    return t.__name__ in _PANDAS_MISSING and t.__module__.startswith("pandas")


@lru_cache(maxsize=1 << 16)  # printed cells repeat across reports; the result is immutable
def parse_value(text: str) -> ParsedValue:
    """Read a printed cell.

    >>> parse_value("１，２３４").value
    1234.0
    >>> parse_value("251000元").unit
    '元'
    >>> parse_value("—").kind
    'placeholder'
    """
    t = normalized(text)
    if t == "":
        return ParsedValue(math.nan, None, "blank")
    if t in PLACEHOLDERS or set(t) <= set("-/\\_.·*"):
        return ParsedValue(math.nan, None, "placeholder")
    m = _NUM_RE.match(t)
    if not m:
        return ParsedValue(math.nan, None, "text")
    num = float(m.group("num").replace(",", ""))
    if m.group("sign") == "-":
        num = -num
    return ParsedValue(num, m.group("unit"), "number")
