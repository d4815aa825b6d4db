"""Find the six sections of a report by their headings, in reading order.

The sections' numbers, standard names, tables and English glosses are data: ``data/sections.csv``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from .grid import Block, Document, Paragraph, Table
from .options import DEFAULT_OPTIONS
from .textnorm import nfkc, squeeze, to_simplified


@dataclass(frozen=True)
class SectionInfo:
    """One of the six sections of ``data/sections.csv``."""

    number: int
    numeral: str
    name: str
    table: str | None  # the template table it holds
    gloss: str  # English

    @property
    def title(self) -> str:
        """The printed heading, e.g. ``二、主动公开政府信息情况``."""
        return f"{self.numeral}、{self.name}"


@cache
def sections_info() -> tuple[SectionInfo, ...]:
    """The six sections, in order."""
    text = resources.files("report_extract.data").joinpath("sections.csv").read_text(encoding="utf-8")
    return tuple(
        SectionInfo(int(r["number"]), r["numeral"], r["name"], r["table"] or None, r["gloss"])
        for r in csv.DictReader(text.splitlines())
    )


SECTION_NAMES = {s.number: s.name for s in sections_info()}  # number -> standard name (总体情况 …)
SECTION_TABLE = {s.number: s.table for s in sections_info() if s.table}  # number -> template table

# Keywords that identify a heading; each tuple: all words must appear.
_KEYWORDS: dict[int, list[tuple[str, ...]]] = {
    1: [("总体情况",), ("总体",), ("概述",)],
    2: [("主动公开",)],
    3: [("收到和处理",), ("收到",  "申请"), ("依申请",), ("处理", "申请")],
    4: [("复议",), ("诉讼",)],
    5: [("问题", "改进"), ("问题", "整改"), ("主要问题",), ("存在", "问题"), ("改进情况",)],
    6: [("其他需要报告",), ("其他", "事项"), ("需要报告",)],
}
_NUMERALS = "一二三四五六"
_HEADING_RE = re.compile(r"^([一二三四五六])[、.,，．:：\s]")
_SUBITEM_RE = re.compile(r"^([\(（][一二三四五六七八九十\d]+[\)）]|\d+[.、．])")
MAX_HEADING_CHARS = DEFAULT_OPTIONS.match.max_heading_chars  # default of ReadOptions.match.max_heading_chars


@dataclass
class Section:
    """One of the six sections: its number, printed heading and blocks."""

    number: int
    heading: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks if isinstance(b, Paragraph))

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


_KEYWORD_LIST = [(n, alt) for n, alts in _KEYWORDS.items() for alt in alts]  # in number order
_CACHED_CHARS = 80  # headings and the slices tried as headings are short; long paragraphs are not kept


def heading_number(text: str, max_chars: int = MAX_HEADING_CHARS) -> int | None:
    """The section number a paragraph is the heading of, or None (``max_chars``: the longest
    heading; ``ReadOptions.match.max_heading_chars``)."""
    if len(text) <= _CACHED_CHARS:
        return _heading_number(text, max_chars)
    # a long paragraph: only its first characters can make it a heading. Normalising is done
    # character by character, and a CJK ideograph starts a new normalisation segment, so the
    # text up to one normalises to a prefix of the whole; once that prefix is longer than
    # ``max_chars`` it decides as the whole text would.
    cut = _IDEOGRAPH.search(text, max_chars + 8)
    if cut is not None:
        n = _head_heading(text[: cut.start()], max_chars)
        if n is not _WHOLE:
            return n
    return _heading_of(_normal(text), max_chars)


_WHOLE = -1  # :func:`_head_heading`: the first characters do not decide


@lru_cache(maxsize=1 << 14)
def _head_heading(head: str, max_chars: int) -> int | None:
    """:func:`heading_number` of a long paragraph starting with ``head`` (cut before an ideograph),
    when ``head`` normalises to more than ``max_chars`` characters, else :data:`_WHOLE`. Kept per
    head: paragraphs recur across reports (a boilerplate introduction)."""
    t = _normal(head)
    return _heading_of(t, max_chars) if len(t) > max_chars else _WHOLE


_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")


def _normal(text: str) -> str:
    return to_simplified(squeeze(nfkc(text)))


@lru_cache(maxsize=1 << 14)
def _heading_number(text: str, max_chars: int) -> int | None:
    return _heading_of(_normal(text), max_chars)


def _heading_of(t: str, max_chars: int) -> int | None:
    """:func:`heading_number` of a normalised text."""
    m = _HEADING_RE.match(t)
    numbered = _NUMERALS.index(m.group(1)) + 1 if m else None
    if m:
        head = t[:max_chars]
    elif _SUBITEM_RE.match(t):
        return None
    elif len(t) <= max_chars - 10:
        head = t
    else:
        return None
    hits: list[int] = []
    for n, alt in _KEYWORD_LIST:
        if hits and hits[-1] == n:
            continue
        for w in alt:
            if w not in head:
                break
        else:
            hits.append(n)
    if not hits:
        return None
    if numbered in hits:
        return numbered
    return hits[0] if len(hits) == 1 else None


def split_sections(doc: Document, max_heading_chars: int = MAX_HEADING_CHARS) -> tuple[list[Block], dict[int, Section]]:
    """Split a document into its preamble (title, introduction) and the six sections.

    Headings are accepted in increasing order only, so a later mention of an earlier heading
    (e.g. in the introduction's list of parts) cannot restart a section.
    """
    preamble: list[Block] = []
    sections: dict[int, Section] = {}
    current: Section | None = None
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            n = heading_number(block.text, max_heading_chars)
            last = max(sections) if sections else 0
            if n is not None and n > last:
                current = sections[n] = Section(n, block.text.strip())
                continue
        if current is None:
            preamble.append(block)
        else:
            current.blocks.append(block)
    return preamble, sections
