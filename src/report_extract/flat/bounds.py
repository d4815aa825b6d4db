"""Readings of a section-二 row that its own definitions make impossible (``data/bounds.csv``).

Section 二 has no totals, but some of its columns are tied by what they count: 对外公开总数量 is a
running total that includes 本年新公开数量; 上一年项目数量 + 本年增/减 is a number of items. Each
bound is one row of the table (the rows it applies to, an inequality between sums of columns, the
reason it holds); only relations that follow from the columns' definitions belong there, never
what is merely usual. (现行有效件数 >= 本年制发件数 - 本年废止件数 is usual but not one: a document
issued for the year lapses at its end without being counted as 废止, and the archive has a unit
whose consecutive reports agree exactly only with a reading that breaks it.) A reading
of a glued run that breaks a bound cannot be what was printed, so it is dropped, unless every
reading breaks it (then the document breaks it: nothing is dropped, the bound tells nothing).
Cells the remaining readings agree on are ``inferred``, with an ``inferred_from_bounds`` issue
naming the bound.
"""

from __future__ import annotations

import csv
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_OPS: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, ">=": operator.ge}
_BOUND = re.compile(r"^(?P<lhs>.+?)\s*(?P<op><=|>=)\s*(?P<rhs>.+)$")
EPS = 1e-6


@dataclass(frozen=True)
class Bound:
    """One row of ``data/bounds.csv``: ``sum(lhs) op sum(rhs)`` for the rows named."""

    name: str
    template: str
    rows: tuple[str, ...]
    lhs: tuple[tuple[str, int], ...]  # (column, sign)
    op: str
    rhs: tuple[tuple[str, int], ...]
    rule: str
    text: str = ""  # the bound as written in the table

    def columns(self) -> set[str]:
        """The columns the bound names (its numbers aside)."""
        return {c for c, _ in self.lhs + self.rhs if not _is_number(c)}

    def applies(self, template: str | None, row: str, columns: Sequence[str]) -> bool:
        """True when the bound speaks of this row of this template and the row prints its columns."""
        return self.template in ("*", template) and row in self.rows and self.columns() <= set(columns)

    def holds(self, values: dict[str, float]) -> bool:
        """Whether the values of one reading meet the bound."""
        lhs = sum(sign * _term(c, values) for c, sign in self.lhs)
        rhs = sum(sign * _term(c, values) for c, sign in self.rhs)
        return _OPS[self.op](lhs, rhs) or abs(lhs - rhs) < EPS


def _is_number(term: str) -> bool:
    try:
        float(term)
    except ValueError:
        return False
    return True


def _term(term: str, values: dict[str, float]) -> float:
    return float(term) if _is_number(term) else values[term]


def _sum(expr: str) -> tuple[tuple[str, int], ...]:
    out = []
    for part in expr.replace("-", "+-").split("+"):
        part = part.strip()
        if part:
            out.append((part.lstrip("-").strip(), -1 if part.startswith("-") else 1))
    return tuple(out)


def parse_bound(name: str, template: str, rows: str, bound: str, rule: str) -> Bound:
    """A :class:`Bound` from the text of one table row (``bound`` like ``a + b >= c - d``)."""
    m = _BOUND.match(bound.strip())
    if m is None:
        raise ValueError(f"bound {name!r}: {bound!r} is not 'sum <= sum' or 'sum >= sum'")
    return Bound(name, template, tuple(r.strip() for r in rows.split(";")), _sum(m["lhs"]), m["op"], _sum(m["rhs"]), rule, bound.strip())


@lru_cache(maxsize=1)
def bounds() -> tuple[Bound, ...]:
    """The bounds of ``data/bounds.csv``."""
    text = resources.files("report_extract").joinpath("data/bounds.csv").read_text(encoding="utf-8")
    return tuple(
        parse_bound(row["name"], row["template"], row["rows"], row["bound"], row["rule"])
        for row in csv.DictReader(text.splitlines())
    )


def within_bounds(
    template: str | None, row: str, columns: Sequence[str], readings: Sequence[Sequence[float]],
) -> tuple[list[int], list[Bound]]:
    """Indexes of the ``readings`` (values in ``columns`` order) no bound rules out, and the bounds
    that ruled some out. A bound every reading breaks is left out (the document breaks it)."""
    keep = list(range(len(readings)))
    used: list[Bound] = []
    for b in bounds():
        if not b.applies(template, row, columns):
            continue
        ok = [i for i in keep if b.holds(dict(zip(columns, readings[i])))]
        if ok and len(ok) < len(keep):
            keep = ok
            used.append(b)
    return keep, used


__all__ = ["Bound", "bounds", "parse_bound", "within_bounds"]
