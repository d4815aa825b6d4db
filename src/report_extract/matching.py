"""Fuzzy matching of printed labels against the schema's label keys.

Scores are in [0, 1]: 1 for an exact key, high for a label that contains the alias (extra words
such as units or notes), lower for a truncated label, and difflib's ratio for typos. The threshold a match needs is a setting
(``ReadOptions.match.match_threshold``), applied by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache


@lru_cache(maxsize=200_000)
def similarity(text: str, alias: str) -> float:
    """How well a label key ``text`` matches an alias key (cached: labels repeat across reports)."""
    if not text or not alias:
        return 0.0
    if text == alias:
        return 1.0
    if alias in text:
        return 0.6 + 0.4 * len(alias) / len(text)
    if text in alias and len(text) >= 2:
        return 0.5 + 0.4 * len(text) / len(alias)
    m = SequenceMatcher(None, text, alias, autojunk=False)
    if m.real_quick_ratio() < 0.5 or m.quick_ratio() < 0.5:
        return m.quick_ratio() if m.real_quick_ratio() >= 0.5 else m.real_quick_ratio()
    return m.ratio()


def best_match(text: str, candidates: Iterable[tuple[str, Iterable[str]]]) -> tuple[str | None, float]:
    """The candidate code whose aliases best match ``text``, with its score."""
    best: tuple[str | None, float] = (None, 0.0)
    for code, aliases in candidates:
        for alias in aliases:
            s = similarity(text, alias)
            if s > best[1]:
                best = (code, s)
    return best
