"""Characters to text for the PDF reader: lines, cell texts, normalisation, unusable glyphs.

Works on pdfplumber character dicts (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``) and
is shared by the vector path and the OCR path (which makes pseudo-characters from OCR boxes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CID_RE = re.compile(r"^\(cid:\d+\)$")
# Characters NFKC-normalised in extracted text: Kangxi radicals, CJK radical supplement, CJK
# compatibility ideographs, enclosed/compatibility forms that PDF fonts map to. Full-width
# punctuation and digits are kept as printed (the mapper and value parser handle them).
_COMPAT_RANGES = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0xFB00, 0xFB4F), (0x3200, 0x33FF))


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs, kana, CJK punctuation and full-width forms."""
    o = ord(ch) if ch else 0
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x2FA1F


def normalise_glyphs(text: str) -> str:
    """NFKC for compatibility characters PDF fonts produce (``⾏`` -> ``行``), nothing else."""
    if all(ord(c) < 0x2E80 or 0x3000 <= ord(c) < 0x3200 or 0x3400 <= ord(c) < 0xF900 or 0xFB50 <= ord(c) < 0x20000 for c in text):
        return text
    out = []
    for c in text:
        o = ord(c)
        if any(lo <= o <= hi for lo, hi in _COMPAT_RANGES):
            out.append(unicodedata.normalize("NFKC", c))
        else:
            out.append(c)
    return "".join(out)


def is_bad_glyph(text: str) -> bool:
    """A glyph the font could not map to Unicode: ``(cid:NNN)``, private use area, U+FFFD."""
    if not text:
        return False
    if text.startswith("(cid:") and _CID_RE.match(text):
        return True
    o = ord(text[0])
    return 0xE000 <= o <= 0xF8FF or o == 0xFFFD


@dataclass
class Line:
    """One line of text with its box and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def chars_to_lines(chars: list[dict]) -> list[Line]:
    """Group characters into lines (by vertical overlap), each line read left to right."""
    if not chars:
        return []
    rows: list[list[dict]] = []
    bounds: list[list[float]] = []  # top, bottom of each row
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        placed = False
        # a character joins the last row it overlaps at its middle (rows are few per cell/page)
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            t, b = bounds[i]
            if t - 0.5 <= mid <= b + 0.5:  # the band of the row's first character (not grown:
                rows[i].append(ch)  # tall OCR boxes of two lines would chain them together)
                placed = True
                break
        if not placed:
            rows.append([ch])
            bounds.append([ch["top"], ch["bottom"]])
    lines = [_make_line(r) for r in rows]
    lines = [ln for ln in lines if ln.text.strip()]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _make_line(chars: list[dict]) -> Line:
    chars.sort(key=lambda c: c["x0"])
    parts: list[str] = []
    prev = None
    for ch in chars:
        t = ch["text"]
        if prev is not None:
            if t == prev["text"] and abs(ch["x0"] - prev["x0"]) < 0.5 * max(1.0, ch["x1"] - ch["x0"]):
                continue  # a duplicated glyph (fake bold)
            gap = ch["x0"] - prev["x1"]
            size = min(ch.get("size") or 10, prev.get("size") or 10)
            last = parts[-1][-1:] if parts else ""
            if gap > 0.35 * size and last != " " and t != " " and not (is_cjk(last) or is_cjk(t[:1])):
                parts.append(" ")
        parts.append(t)
        prev = ch
    text = normalise_glyphs("".join(parts))
    text = re.sub(r" {2,}", " ", text)
    sizes = sorted(c.get("size") or 0 for c in chars)
    return Line(
        text=text,
        x0=min(c["x0"] for c in chars),
        x1=max(c["x1"] for c in chars),
        top=min(c["top"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
        size=sizes[len(sizes) // 2],
    )


def join_texts(parts: list[str]) -> str:
    """Join wrapped lines: no space between CJK (or digits), a space between Latin words."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            out += " "
        out += p
    return out


def cell_text(chars: list[dict]) -> str:
    """The text of a table cell: its lines top to bottom, joined (vertical labels included)."""
    return join_texts([ln.text for ln in chars_to_lines(chars)])
