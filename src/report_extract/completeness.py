"""The completeness rule: a report whose template is detected accounts for every table and row of it.

Whatever the format and whatever the reader did, a table of the detected template that yields no
cell is an error-level ``table_not_found`` issue naming its section, and a row of a found table that
yields no cell is a ``row_not_found`` warning, so no hole in the data is ever silent. The expected
tables and rows come from the schema (``data/cells.csv``); a row the template allows to be printed
in another shape (the 2021 variant printing （六）其他处理 as one row instead of its three sub-rows)
is expected in either of its shapes, not both.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from .mapper import Issue
from .schema import TABLES, template_schema
from .textnorm import label_key

# The section of the report holding each template table (for the issue message).
TABLE_SECTION = {"proactive": "二", "requests": "三", "review_litigation": "四"}
TABLE_TITLE = {
    "proactive": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
}


def expected_rows(template: str) -> dict[str, list[list[str]]]:
    """table -> the rows it must print, each as its alternative shapes: a list of row codes of
    which any one found accounts for the row (a variant row and the sub-rows it stands for)."""
    return {table: [list(shapes) for shapes, _ in rows] for table, rows in _expected(template).items()}


@cache
def _expected(template: str) -> dict[str, list[tuple[list[str], frozenset[str]]]]:
    """:func:`expected_rows` (each shape with its codes as a set), computed once per template."""
    return {table: [(shapes, frozenset(shapes)) for shapes in rows] for table, rows in _expected_rows(template).items()}


def _expected_rows(template: str) -> dict[str, list[list[str]]]:
    schema = template_schema(template)
    out: dict[str, list[list[str]]] = {}
    for table in TABLES:
        rows = schema.rows[table]
        variants = {label_key(r.label): code for code, r in rows.items() if r.variant}
        covered: set[str] = set()
        expected: list[list[str]] = []
        for code, r in rows.items():
            if code in covered:
                continue
            if r.variant:
                subs = [c for c, s in rows.items() if s.group == label_key(r.label) and not s.variant]
                expected.append([code, *subs])
                covered.update(subs)
            elif r.group is not None and r.group in variants:
                vcode = variants[r.group]
                subs = [c for c, s in rows.items() if s.group == r.group and not s.variant]
                expected.append([vcode, *subs])
                covered.update([vcode, *subs])
            else:
                expected.append([code])
            covered.add(code)
        out[table] = expected
    return out


def completeness_issues(template: str | None, found: Iterable[tuple[str, str]]) -> list[Issue]:
    """Issues for the tables and rows of ``template`` missing from ``found`` ((table, row) pairs of
    the cells read). A missing table gives one ``table_not_found`` (not a row issue per row)."""
    if template is None:
        return []
    have: dict[str, set[str]] = {}
    for table, row in found:
        have.setdefault(table, set()).add(row)
    issues: list[Issue] = []
    for table, rows in _expected(template).items():
        section = TABLE_SECTION.get(table, "?")
        if not have.get(table):
            issues.append(
                Issue(
                    "table_not_found",
                    f"the {template} template's table {table} (section {section}、{TABLE_TITLE.get(table, '')}) "
                    "was not found: none of its cells could be read",
                    f"section {section}",
                )
            )
            continue
        present = have[table]
        missing = [shapes for shapes, codes in rows if present.isdisjoint(codes)]
        for shapes in missing:
            # sub-rows of a variant: name the sub-rows (the standard shape), not the variant row
            codes = shapes[1:] if len(shapes) > 1 else shapes
            for code in codes:
                issues.append(
                    Issue(
                        "row_not_found",
                        f"row {table}.{code} of section {section} was not found in the document",
                        f"section {section}",
                    )
                )
    return issues
