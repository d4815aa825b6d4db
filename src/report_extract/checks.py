"""The template's arithmetic checks (勾稽关系), defined as data in ``data/checks.csv``.

Each row names the template it belongs to (``template``; ``*``: every template).

Each family is checked once per column (``axis=column``: sums of rows) or once per row
(``axis=row``: sums of columns) that the report prints. Blank cells count as 0. The result is one
row per check: ``check`` id, ``passed``, ``expected`` (the printed total side) and ``actual`` (the
sum of the parts).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import repeat

import pandas as pd

from .schema import template_schema

CHECK_COLUMNS = ["check", "family", "table", "passed", "expected", "actual", "difference", "rule"]
TOLERANCE = 1e-6


@dataclass(frozen=True)
class CheckFamily:
    family: str
    table: str
    axis: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    rule: str
    template: str = "*"  # the template it belongs to, ``*`` for every template

    def applies_to(self, template: str) -> bool:
        return self.template in ("*", template)


@cache
def check_families() -> tuple[CheckFamily, ...]:
    """The check definitions of ``data/checks.csv``."""
    with resources.files("report_extract.data").joinpath("checks.csv").open(encoding="utf-8") as fh:
        return tuple(
            CheckFamily(r["family"], r["table"], r["axis"], tuple(r["lhs"].split(";")), tuple(r["rhs"].split(";")), r["rule"],
                        r.get("template") or "*")
            for r in csv.DictReader(fh)
        )


@dataclass(frozen=True)
class _Check:
    """One check a family makes for one row (or column): its name and the cells of its two sides."""

    name: str
    lhs: tuple[tuple[str, str, str], ...]
    rhs: tuple[tuple[str, str, str], ...]


@dataclass
class _FamilyPlan:
    """A family of one template with the checks it can make, in the template order of the rows
    (or columns) they are made for; ``order`` is None when its table is not one of the template's."""

    family: CheckFamily
    order: dict[str, int] | None  # row (or column) -> its first index in the template order
    checks: tuple[_Check, ...]
    made: dict[str, _Check] = field(default_factory=dict)  # checks for rows outside the template, as met

    def check_for(self, key: str) -> _Check:
        """The check made for row (or column) ``key``."""
        check = self.made.get(key)
        if check is None:
            check = self.made[key] = _make_check(self.family, key)
        return check


@dataclass(frozen=True)
class _Plan:
    """Every check of a template, made once (:func:`_plan`)."""

    families: tuple[_FamilyPlan, ...]
    cells: frozenset[tuple[str, str, str]]  # the template's cells: checks of others need a look at the rows printed


def _make_check(fam: CheckFamily, key: str) -> _Check:
    return _Check(f"{fam.family}.{key}", tuple(_key(fam, p, key) for p in fam.lhs), tuple(_key(fam, p, key) for p in fam.rhs))


@cache
def _plan(template: str) -> _Plan:
    """The families of ``template`` in order, each with the checks it makes for the rows (or
    columns) of the template, in the template order (first index of each)."""
    schema = template_schema(template)
    families = []
    for fam in check_families():
        if not fam.applies_to(template):
            continue
        table_order = (schema.column_order if fam.axis == "column" else schema.rows).get(fam.table)
        if table_order is None:  # not a table of the template: a cell of it fails as before
            families.append(_FamilyPlan(fam, None, ()))
            continue
        first: dict[str, int] = {}
        for i, name in enumerate(table_order):
            first.setdefault(name, i)
        families.append(_FamilyPlan(fam, first, tuple(_make_check(fam, key) for key in first)))
    cells = frozenset((t, code, col) for t, rows in schema.rows.items() for code, rd in rows.items() for col in rd.columns)
    return _Plan(tuple(families), cells)


def _key(fam: CheckFamily, part: str, key: str) -> tuple[str, str, str]:
    """The (table, row, column) of one part of a check made for row or column ``key``."""
    return (fam.table, part, key) if fam.axis == "column" else (fam.table, key, part)


def run_checks(cells: pd.DataFrame, template: str) -> pd.DataFrame:
    """Evaluate every check that applies to the cells a report prints.

    ``cells`` needs ``table, row, column, value``. A check is made for every row (or column) of
    the table that the report prints at least one cell of; checks whose cells are all absent
    are not made.
    """
    if cells.empty:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    rows = check_rows(zip(cells["table"], cells["row"], cells["column"], cells["value"]), template)
    return checks_frame(rows)


def checks_frame(rows: list[dict]) -> pd.DataFrame:
    """The ``checks`` frame of the rows :func:`check_rows` returns."""
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def check_rows(cells: Iterable[tuple], template: str) -> list[dict]:
    """The checks of ``(table, row, column, value)`` cells (tuples starting so, e.g. the
    pipeline's cell rows) as plain rows (dicts keyed by :data:`CHECK_COLUMNS`), without building
    any frame; see :func:`run_checks`."""
    values: dict[tuple[str, str, str], float] = {}
    for cell in cells:
        v = cell[3]
        values[cell[:3]] = 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
    if not values:
        return []
    plan = _plan(template)
    outside = not plan.cells.issuperset(values)  # a cell the template has not: look at the rows printed
    tables = {k[0] for k in values}
    out = []
    for fp in plan.families:
        fam = fp.family
        if fam.table not in tables:
            continue
        if fp.order is None:
            raise KeyError(fam.table)
        checks = fp.checks
        if outside:  # rows (or columns) printed that the template has not come last, as met
            checks += tuple(fp.check_for(key) for key in _printed(values, fam) if key not in fp.order)
        for check in checks:
            row = _evaluate(check, fam, values)
            if row is not None:
                out.append(row)
    return out


def _printed(values: dict[tuple[str, str, str], float], fam: CheckFamily) -> set[str]:
    """The rows (or columns) of ``fam``'s table that the cells print."""
    pos = 2 if fam.axis == "column" else 1
    return {k[pos] for k in values if k[0] == fam.table}


def _evaluate(check: _Check, fam: CheckFamily, values: dict[tuple[str, str, str], float]) -> dict | None:
    """The result row of one check, None when either side has no printed cell."""
    keys = values.keys()
    if keys.isdisjoint(check.lhs) or keys.isdisjoint(check.rhs):
        return None
    get = values.get
    expected = sum(map(get, check.lhs, repeat(0.0)))  # absent cells count as 0
    actual = sum(map(get, check.rhs, repeat(0.0)))
    diff = actual - expected
    return {
        "check": check.name,
        "family": fam.family,
        "table": fam.table,
        "passed": abs(diff) <= TOLERANCE * max(1.0, abs(expected)),
        "expected": expected,
        "actual": actual,
        "difference": diff,
        "rule": fam.rule,
    }
