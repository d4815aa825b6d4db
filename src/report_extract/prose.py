"""Numbers the report's own prose states for a table cell (``现行有效规范性文件253件``).

A report's sections 一…四 often say in words what its tables print in digits. The phrases and
the cells they speak of are data (``data/prose.csv``: a regular expression with named groups and,
for each group, the cell it states, or alternatives ``a|b`` and sums ``a+b``; a phrase that states
a number in words, such as ``未收到政府信息公开申请`` (none), gives it in ``value`` and its targets'
names are labels only). The flattened-text
solver uses the statements as evidence for splits the arithmetic cannot settle; everywhere, a
statement the table contradicts becomes a ``prose_contradicts_table`` warning (the printed
number is never changed).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SENTENCE_STOP = "。；;\n"
MAX_QUOTE = 120


@dataclass(frozen=True)
class Phrase:
    """One row of ``data/prose.csv``."""

    name: str
    template: str
    pattern: re.Pattern[str]
    targets: dict[str, tuple[tuple[str, ...], ...]]  # group -> alternatives, each a sum of cells
    rule: str
    value: float | None = None  # the number a phrase without digits states (every target's value)


@dataclass(frozen=True)
class Statement:
    """A number the prose states: for ``targets`` (alternatives, each a sum of cells)."""

    phrase: str
    targets: tuple[tuple[str, ...], ...]
    value: float
    sentence: str
    offset: int

    @property
    def cell(self) -> str | None:
        """The one cell stated, when the statement names exactly one."""
        if len(self.targets) == 1 and len(self.targets[0]) == 1:
            return self.targets[0][0]
        return None


def _targets(spec: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    out = {}
    for item in spec.split():
        group, expr = item.split("=", 1)
        out[group] = tuple(tuple(alt.split("+")) for alt in expr.split("|"))
    return out


@lru_cache(maxsize=1)
def phrases() -> tuple[Phrase, ...]:
    """The phrases of ``data/prose.csv``."""
    text = resources.files("report_extract").joinpath("data/prose.csv").read_text(encoding="utf-8")
    return tuple(
        Phrase(
            row["name"], row["template"], re.compile(row["pattern"]), _targets(row["targets"]), row["rule"],
            float(row["value"]) if (row.get("value") or "").strip() else None,
        )
        for row in csv.DictReader(text.splitlines())
    )


def _sentence(text: str, start: int, end: int) -> str:
    a = max((text.rfind(ch, 0, start) for ch in SENTENCE_STOP), default=-1) + 1
    ends = [p for p in (text.find(ch, end) for ch in SENTENCE_STOP) if p >= 0]
    b = min(ends) + 1 if ends else len(text)
    s = text[a:b].strip()
    if len(s) > MAX_QUOTE:
        lo = max(start - a - MAX_QUOTE // 2, 0)
        s = "…" + s[lo : lo + MAX_QUOTE] + "…"
    return s


def find_statements(text: str, template: str | None) -> list[Statement]:
    """Every statement of ``data/prose.csv`` found in ``text`` (prose only: mask tables first)."""
    out = []
    for ph in phrases():
        if ph.template not in ("*", template):
            continue
        for m in ph.pattern.finditer(text):
            sentence = _sentence(text, m.start(), m.end())
            for group, targets in ph.targets.items():
                if ph.value is not None:
                    out.append(Statement(ph.name, targets, ph.value, sentence, m.start()))
                    continue
                value = m.group(group)
                if value is None:
                    continue
                out.append(Statement(ph.name, targets, float(value), sentence, m.start(group)))
    return out


def cell_values(statements: list[Statement]) -> dict[str, dict[float, Statement]]:
    """Values stated for single cells: ``{"table.row.column": {value: statement}}``."""
    out: dict[str, dict[float, Statement]] = {}
    for st in statements:
        if st.cell is not None:
            out.setdefault(st.cell, {}).setdefault(st.value, st)
    return out


def contradictions(statements: list[Statement], values: dict[str, float]) -> list[tuple[Statement, float]]:
    """Statements no alternative of which the table's ``values`` meet: (statement, what the table
    gives for the first alternative). Statements about cells the table does not hold are skipped."""
    out = []
    for st in statements:
        sums = []
        for alt in st.targets:
            if all(c in values for c in alt):
                sums.append(sum(values[c] for c in alt))
        if sums and not any(abs(s - st.value) < 1e-6 for s in sums):
            out.append((st, sums[0]))
    return out


__all__ = ["Statement", "Phrase", "phrases", "find_statements", "cell_values", "contradictions"]
