"""What a printed table cell looks like, without knowing what it means: blank, a placeholder, a
number (with an optional unit) or text. Format-neutral, so readers may use it for geometric
decisions (is this cell a value or a label?); :mod:`report_extract.values` builds on it."""

from __future__ import annotations

import re
from functools import lru_cache

from .textnorm import clean_cell, nfkc, squeeze

PLACEHOLDERS = frozenset({"", "/", "\\", "-", "--", "---", "无", "空", "×", "x", "X", "*", "/ ", "null", "none", "N/A", "n/a", "NA"})
UNITS = ("万元", "亿元", "元", "件", "笔", "个", "项", "条", "次", "宗", "人次", "人")
NUM_RE = re.compile(
    r"^(?P<sign>[+-])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<unit>" + "|".join(UNITS) + r")?$"
)


@lru_cache(maxsize=1 << 16)
def normalized(text: str) -> str:
    """The cell's text as it is classified: cleaned, NFKC, without spaces."""
    return squeeze(nfkc(clean_cell(text)))


@lru_cache(maxsize=1 << 16)
def cell_kind(text: str) -> str:
    """``"blank"``, ``"placeholder"``, ``"number"`` or ``"text"``.

    >>> cell_kind("１，２３４"), cell_kind("—"), cell_kind("自然人")
    ('number', 'placeholder', 'text')
    """
    t = normalized(text)
    if t == "":
        return "blank"
    if t in PLACEHOLDERS or set(t) <= set("-/\\_.·*"):
        return "placeholder"
    return "number" if NUM_RE.match(t) else "text"


def is_number_text(text: str) -> bool:
    """True for a cell printing a number."""
    return cell_kind(text) == "number"


def is_label_text(text: str) -> bool:
    """True for a cell printing words (not a number, a blank or a placeholder)."""
    return bool(text.strip()) and cell_kind(text) == "text"


__all__ = ["cell_kind", "is_number_text", "is_label_text", "PLACEHOLDERS", "UNITS", "NUM_RE"]
