"""Report metadata from the title: publisher (agency) and year, with fallbacks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .textnorm import nfkc, squeeze, to_simplified

_TITLE_HINT = re.compile(r"政府信息公开.{0,6}(年度报告|年报|工作报告|工作情况的报告)")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_SUFFIX_RE = re.compile(r"(的)?(政府)?信息公开(工作)?(年度)?(报告|年报|工作年度报告|情况的报告).*$")
_PERIOD_RE = re.compile(r"统计(期限|时限|期间)?[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
# longer than any match of _PERIOD_RE in a normalised (space-free) text: 2+2+12+4+5 characters
_PERIOD_SPAN = 64
_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")
_FIRST_PIECE = 512  # raw characters normalised first; each next piece is twice as long


def _normal(text: str) -> str:
    """The text as titles and periods are matched: NFKC, no spaces, simplified characters."""
    return to_simplified(squeeze(nfkc(text)))


def _normal_pieces(text: str) -> Iterator[str]:
    """:func:`_normal` of ``text`` in pieces of growing length, whose concatenation is the
    normalised whole. Normalising is done character by character, and a CJK ideograph starts a
    new normalisation segment (it neither composes nor reorders with its neighbours), so the
    text is cut before ideographs. Long texts (glued documents) are read no further than needed."""
    if len(text) <= 2 * _FIRST_PIECE:
        yield _normal(text)
        return
    start, size = 0, _FIRST_PIECE
    while start < len(text):
        cut = _IDEOGRAPH.search(text, start + size)
        end = cut.start() if cut is not None else len(text)
        yield _normal(text[start:end])
        start, size = end, 2 * size


def _normal_head(text: str, n: int) -> str:
    """The normalised text (:func:`_normal`) when it is at most ``n`` characters long, else a
    prefix of it longer than ``n`` characters."""
    head = ""
    for piece in _normal_pieces(text):
        head += piece
        if len(head) > n:
            break
    return head


def find_title(candidates: list[str]) -> str | None:
    """The first line that reads like a report title (mentions 政府信息公开…年度报告)."""
    first = None
    for i, text in enumerate(candidates):
        t = _normal_head(text, 120)  # a longer text is decided by its first 120 characters
        if not t or len(t) > 80:
            m = _TITLE_HINT.search(t[:120]) if t else None
            if m and m.start() < 60 and first is None:
                return t[: m.end()]
            continue
        if _TITLE_HINT.search(t):
            if parse_title(t)[0] is not None:
                return first or t
            # no publisher: a title split over two lines has it on the line above
            prev = _normal_head(candidates[i - 1], 30) if i else ""
            if 2 <= len(prev) <= 30 and not re.search(r"[。；;:：,，]|政府信息公开|(?:19|20)\d{2}", prev):
                return prev + t
            first = first or t
    return first


_CACHED_CHARS = 200  # lines tried as titles one by one are short; longer texts are not kept


def title_in(text: str) -> str | None:
    """:func:`find_title` of one line (``find_title([text])``), kept per short text: title
    candidates, sheet labels and lead lines recur."""
    return _title_in(text) if len(text) <= _CACHED_CHARS else find_title([text])


@lru_cache(maxsize=1 << 14)
def _title_in(text: str) -> str | None:
    return find_title([text])


@lru_cache(maxsize=1 << 14)
def parse_title(title: str) -> tuple[str | None, int | None]:
    """(agency, year) from a title such as ``2025年楠木坪镇政府信息公开工作年度报告`` (kept per
    title: the steps ask again for the same title)."""
    t = to_simplified(squeeze(nfkc(title)))
    year = None
    m = _YEAR_RE.search(t)
    if m:
        year = int(m.group(1))
    rest = _SUFFIX_RE.sub("", t)
    rest = re.sub(r"((?:19|20)\d{2})\s*年度?", "", rest)
    rest = re.sub(r"^(关于|转发)", "", rest)
    rest = re.sub(r"(关于|的)$", "", rest).strip("：:，,。 —-")
    return (rest or None), year


def year_from_text(text: str) -> int | None:
    """The reporting year from the statistics period sentence (统计期限自2019年1月1日…)."""
    # the first match in the normalised text, found piece by piece: a match starting
    # _PERIOD_SPAN characters before the end of what is normalised so far is the whole text's
    # first one (it ends before, and a match ending before would have been found earlier)
    tail, m = "", None
    for piece in _normal_pieces(text):
        tail += piece
        m = _PERIOD_RE.search(tail)
        if m and m.start() + _PERIOD_SPAN <= len(tail):
            return int(m.group(2))
        tail = tail[-_PERIOD_SPAN:]
    return int(m.group(2)) if m else None  # the match near the end, if any


def from_filename(path: str | None) -> tuple[str | None, int | None]:
    """(agency, year) guessed from a file name, when the document prints no title."""
    if not path:
        return None, None
    stem = Path(path).stem
    agency, year = parse_title(stem)
    if agency and (re.fullmatch(r"[\w\-. ]+", agency, flags=re.ASCII) or len(agency) < 2):
        agency = None
    return agency, year
