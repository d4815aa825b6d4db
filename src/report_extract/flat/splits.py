"""Tokenising a run of glued digits into a known number of cells.

A *run* is the text printed after a row label, e.g. ``230 000023`` or ``2648-18538`` or
``2笔 984361元``. Whitespace inside a run is always a cell boundary; inside a chunk without
spaces every cut is possible as long as each piece reads as one printed cell: no multi-digit
number starts with 0, a minus sign starts a cell (signed columns only), a decimal part belongs
to decimal columns only (``+1`` reads as a signed cell too), and a unit (元, 笔 …) ends the cell it closes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..textnorm import nfkc_char

UNITS = ("万元", "亿元", "元", "笔", "件", "个", "项", "条")
PLACEHOLDERS = ("/", "—", "-")
_UNIT_RE = "(?:" + "|".join(UNITS) + ")?"
_WHOLE = r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)"  # thousands separators allowed
_INT = re.compile(_WHOLE + _UNIT_RE + r"$")
_SIGNED = re.compile(r"[-+]?" + _WHOLE + _UNIT_RE + r"$")
_DEC = re.compile(_WHOLE + r"(?:\.\d+)?" + _UNIT_RE + r"$")
_SIGNED_DEC = re.compile(r"[-+]?" + _WHOLE + r"(?:\.\d+)?" + _UNIT_RE + r"$")
RUN_CHARS = set("0123456789.,-+/—") | set("".join(UNITS))


@dataclass(frozen=True)
class CellKind:
    """What a column's printed cell may look like."""

    signed: bool = False
    decimal: bool = False

    def pattern(self) -> re.Pattern[str]:
        return _PATTERNS[(self.signed, self.decimal)]


_PATTERNS = {(False, False): _INT, (True, False): _SIGNED, (False, True): _DEC, (True, True): _SIGNED_DEC}


def normalise_run(text: str) -> str:
    """Full-width digits and dashes to ASCII, character by character (offsets are kept)."""
    if text.isascii():
        return text
    return "".join(map(nfkc_char, text))


@lru_cache(maxsize=1 << 16)
def valid_cell(piece: str, kind: CellKind) -> bool:
    """True when ``piece`` reads as one printed cell of a column of ``kind``."""
    if piece in PLACEHOLDERS:
        return True
    return kind.pattern().match(piece) is not None


@lru_cache(maxsize=1 << 16)
def _cell_ends(chunk: str, signed: bool, decimal: bool, dash_before_digits: bool) -> tuple[int, ...]:
    """The lengths of the prefixes of ``chunk`` (a run's text without whitespace) that read as
    one cell of a column of that kind; in a signed column a dash before digits is a minus sign
    (not a placeholder cell) unless ``dash_before_digits``."""
    kind = CellKind(signed, decimal)
    out = []
    for end in range(1, len(chunk) + 1):
        piece = chunk[:end]
        if not valid_cell(piece, kind):
            continue
        if piece == "-" and signed and not dash_before_digits and end < len(chunk) and chunk[end].isdigit():
            continue
        out.append(end)
    return tuple(out)


_CHUNK = re.compile(r"\S+")

Split = tuple[tuple[int, int], ...]  # (start, end) offsets of each cell inside the run


class TooManySplits(Exception):
    """The enumeration went past its node budget."""


def enumerate_splits(
    run: str,
    kinds: Sequence[CellKind],
    *,
    prune: Callable[[list[str]], bool] | None = None,
    budget: int | list[int] = 200_000,
    dash_before_digits: bool = False,
) -> list[Split]:
    """Every way to cut ``run`` into ``len(kinds)`` cells.

    ``prune(cells)`` is called with the cell texts after each cell; returning True drops the
    branch (used to apply row totals while cutting). A dash before digits in a signed column is
    a minus sign unless ``dash_before_digits`` lets it be a placeholder cell too. Raises
    :class:`TooManySplits` when more than ``budget`` search steps are needed (a one-element list
    is a budget shared between calls, decremented in place).
    """
    text = normalise_run(run)
    n = len(kinds)
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
    if not chunks or len(chunks) > n:
        return []
    n_chunks = len(chunks)
    chars_after = [0] * (n_chunks + 1)
    for i in range(n_chunks - 1, -1, -1):
        chars_after[i] = chars_after[i + 1] + chunks[i][1] - chunks[i][0]
    shapes = [(k.signed, k.decimal, dash_before_digits) for k in kinds]
    out: list[Split] = []
    cells: list[tuple[int, int]] = []
    texts: list[str] = []
    left = budget if isinstance(budget, list) else [budget]
    ends = [chunk[1] for chunk in chunks]
    # where the next chunk starts (the run's end after the last one)
    starts_after = [chunks[i + 1][0] if i + 1 < n_chunks else ends[i] for i in range(n_chunks)]

    def rec(ci: int, pos: int, k: int) -> None:
        # the step of this node is spent by the caller, which also tried the node's own checks:
        # a node ending the search or going nowhere costs one step and no call
        e = ends[ci]
        shape = shapes[k]
        for length in _cell_ends(text[pos:e], *shape):
            end = pos + length
            cells.append((pos, end))
            if prune is not None:
                texts.append(text[pos:end])
            if prune is None or not prune(texts):
                left[0] -= 1
                if left[0] < 0:
                    raise TooManySplits(run)
                if end == e:
                    nci, npos = ci + 1, starts_after[ci]
                else:
                    nci, npos = ci, end
                if nci == n_chunks:
                    if k + 1 == n:
                        out.append(tuple(cells))
                elif not (n - k - 1 < n_chunks - nci or n - k - 1 > (ends[nci] - npos) + chars_after[nci + 1]):
                    rec(nci, npos, k + 1)  # the cells left can still fill the chunks left
            cells.pop()
            if prune is not None:
                texts.pop()

    left[0] -= 1  # the root's step
    if left[0] < 0:
        raise TooManySplits(run)
    if not (n < n_chunks or n > chars_after[0]):  # each cell takes a character at least
        rec(0, chunks[0][0], 0)
    return out


def cell_spans(run: str, kinds: Sequence[CellKind], *, dash_before_digits: bool = False) -> list[set[tuple[int, int]]]:
    """For each cell, every (start, end) it takes in some complete split of ``run``.

    Computed by dynamic programming (no enumeration), so it also serves for runs with too many
    splits to list: a cell whose set holds one span reads the same in every split (certain).
    """
    text = normalise_run(run)
    n = len(kinds)
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
    if not chunks or len(chunks) > n:
        return [set() for _ in kinds]
    chunk_end = {}
    next_start = {}
    left_after = {}  # non-space characters from a position to the end of the run
    chars_after = 0
    for i in range(len(chunks) - 1, -1, -1):
        s, e = chunks[i]
        for p in range(s, e + 1):
            chunk_end[p] = e
            left_after[p] = e - p + chars_after
        chars_after += e - s
        next_start[e] = chunks[i + 1][0] if i + 1 < len(chunks) else -1  # -1: the end
    shapes = [(k.signed, k.decimal, dash_before_digits) for k in kinds]

    moves_memo: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def moves(p: int, k: int) -> list[tuple[int, int]]:
        key = (p, k)
        found = moves_memo.get(key)
        if found is None:
            e = chunk_end[p]
            found = moves_memo[key] = [
                (q, next_start[q] if q == e else q) for q in (p + length for length in _cell_ends(text[p:e], *shapes[k]))
            ]
        return found

    memo: dict[tuple[int, int], bool] = {}

    def done(p: int, k: int) -> bool:
        """Whether cells ``k``… can fill the run from position ``p`` (``-1``: the run's end)."""
        if p == -1:
            return k == n
        if k >= n:
            return False
        key = (p, k)
        got = memo.get(key)
        if got is None:
            got = False
            if left_after[p] >= n - k:  # every cell takes a character at least
                k1 = k + 1
                for _, nxt in moves_memo.get(key) or moves(p, k):
                    if nxt == -1:
                        if k1 == n:
                            got = True
                            break
                    elif k1 < n and done(nxt, k1):
                        got = True
                        break
            memo[key] = got
        return got

    spans: list[set[tuple[int, int]]] = [set() for _ in kinds]
    frontier = {chunks[0][0]} if done(chunks[0][0], 0) else set()
    for k in range(n):
        nxt_frontier = set()
        for p in frontier:
            for q, nxt in moves_memo.get((p, k)) or moves(p, k):
                if done(nxt, k + 1):
                    spans[k].add((p, q))
                    if nxt != -1:
                        nxt_frontier.add(nxt)
        frontier = nxt_frontier
    return spans


MAX_BLANKS = 2  # blank cells looked for inside a run too short for its row


def blank_splits(
    run: str, kinds: Sequence[CellKind], *, budget: list[int], accept: Callable[[Split], bool] | None = None,
) -> tuple[list[Split], int]:
    """Cuts of a run too short for its row, with blank cells (empty spans) where nothing was printed.

    A blank cell leaves no trace in glued text, so a row with one blank prints one number too few.
    The fewest blanks that make the run cut are used (at most :data:`MAX_BLANKS`); every position
    of them is a reading. With ``accept``, more blanks are tried until some cut is accepted (e.g.
    passes the row's total); the fewest-blank cuts are returned when none is. Returns (splits,
    number of blanks); a blank cell is a zero-width span.
    """
    n = len(kinds)
    fallback: tuple[list[Split], int] = ([], 0)
    for d in range(1, MAX_BLANKS + 1):
        out: list[Split] = []
        for blanks in itertools.combinations(range(n), d):
            rest = [k for i, k in enumerate(kinds) if i not in blanks]
            for sp in enumerate_splits(run, rest, budget=budget):
                cells, it = [], iter(sp)
                pos = len(run) - len(run.lstrip())
                for i in range(n):
                    if i in blanks:
                        cells.append((pos, pos))
                    else:
                        cells.append(next(it))
                        pos = cells[-1][1]
                out.append(tuple(cells))
        if not out:
            continue
        if accept is None:
            return out, d
        good = [s for s in out if accept(s)]
        if good:
            return good, d
        if not fallback[0]:
            fallback = (out, d)
    return fallback


def gap_widths(run: str, split: Split) -> list[int]:
    """The whitespace before each cell of ``split`` (for a blank cell: the whitespace it stands
    in). Whitespace before the first and after the last printed character separates the run from
    the labels around it and counts for nothing."""
    lo, hi = len(run) - len(run.lstrip()), len(run.rstrip())
    out = []
    prev = lo
    for s, e in split:
        a = max(s, lo)
        while a > prev and run[a - 1].isspace():
            a -= 1
        if s == e:  # blank: the whitespace it sits in
            b = s
            while b < hi and run[b].isspace():
                b += 1
            out.append(max(b - a, 0))
            continue
        out.append(s - a)
        prev = e
    return out


def spaced_blanks(run: str, splits: list[Split]) -> list[Split]:
    """The readings whose blank cells stand where the run shows extra whitespace.

    Cells are separated by the run's usual gap (none when glued, one space when spaced); a blank
    printed as a space leaves a gap wider than that. Readings putting every blank in such a gap,
    and no other gap wider than usual, are kept; empty when the spacing says nothing.
    """
    def wide(split: Split) -> tuple[bool, int]:
        widths = gap_widths(run, split)
        filled = [w for (s, e), w in zip(split, widths) if s != e]
        usual = min(filled[1:], default=0) if len(filled) > 1 else 0
        blank_ok = all(w > usual for (s, e), w in zip(split, widths) if s == e)
        extra = sum(1 for (s, e), w in list(zip(split, widths))[1:] if s != e and w > usual)
        return blank_ok, extra

    scored = [(s, *wide(s)) for s in splits]
    good = [(s, extra) for s, ok, extra in scored if ok]
    if not good:
        return []
    least = min(extra for _, extra in good)
    return [s for s, extra in good if extra == least]
