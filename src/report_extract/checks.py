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
from dataclasses import dataclass
from functools import cache
from importlib import resources

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


@cache
def _plan(template: str) -> list[tuple[CheckFamily, dict[str, int] | None, dict]]:
    """The families of ``template`` in order, each with the template order of the rows (or columns)
    it is made for (first index of each) and its cells per row (or column), filled as they are met."""
    schema = template_schema(template)
    out = []
    for fam in check_families():
        if not fam.applies_to(template):
            continue
        table_order = (schema.column_order if fam.axis == "column" else schema.rows).get(fam.table)
        if table_order is None:  # not a table of the template: a cell of it fails as before
            out.append((fam, None, {}))
            continue
        order = list(table_order)
        first: dict[str, int] = {}
        for i, name in enumerate(order):
            first.setdefault(name, i)
        out.append((fam, first, {}))
    return out


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
    by_table: dict[str, list[tuple[str, str, str]]] = {}
    for k in values:
        by_table.setdefault(k[0], []).append(k)
    out = []
    get = values.get
    names: dict[tuple[str, int], set[str]] = {}  # the rows (or columns) printed, per table and axis
    for fam, order, parts in _plan(template):
        present = by_table.get(fam.table)
        if not present:
            continue
        if order is None:
            raise KeyError(fam.table)
        pos = 2 if fam.axis == "column" else 1
        printed = names.get((fam.table, pos))
        if printed is None:
            printed = names[(fam.table, pos)] = {k[pos] for k in present}
        keys = sorted(printed, key=lambda c: order.get(c, 99))
        for key in keys:
            sides = parts.get(key)
            if sides is None:
                sides = parts[key] = (
                    [_key(fam, p, key) for p in fam.lhs], [_key(fam, p, key) for p in fam.rhs], f"{fam.family}.{key}",
                )
            lhs_cells, rhs_cells, name = sides
            if values.keys().isdisjoint(lhs_cells) or values.keys().isdisjoint(rhs_cells):
                continue
            expected = sum([get(k, 0.0) for k in lhs_cells])
            actual = sum([get(k, 0.0) for k in rhs_cells])
            diff = actual - expected
            out.append(
                {
                    "check": name,
                    "family": fam.family,
                    "table": fam.table,
                    "passed": abs(diff) <= TOLERANCE * max(1.0, abs(expected)),
                    "expected": expected,
                    "actual": actual,
                    "difference": diff,
                    "rule": fam.rule,
                }
            )
    return out
