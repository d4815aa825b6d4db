"""The three tables laid out like the national template, for the page.

A table is a list of blocks; a block is its header rows (cells with ``label``, ``colspan``,
``rowspan``) and its body rows (``code``, ``label``, ``heads``: the label cells, nested like the
template's — 三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密 — over ``label_columns`` columns, and
the cell keys ``row.column`` under the
header's leaf columns, ``None`` where the template has no cell; ``variant``: a row of the
template's other printed form, e.g. one （六）其他处理 row instead of three, shown only when printed). A new block starts wherever the
template's rows change their columns (as the proactive-disclosure table does). Column groups
(申请人情况 / 法人或其他组织) and row groups (三、本年度办理结果) come from
``data/layout_groups.csv``, row labels are split at their first space into group and item; a ``one_row`` table
(行政复议、行政诉讼) is printed as one row whose column groups are the template's rows, their
labels split at spaces (``行政诉讼 未经复议直接起诉``).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

from ..schema import TABLES, TEMPLATES, template_schema


@cache
def _groups() -> dict[str, list[tuple[str, str, list[str]]]]:
    out: dict[str, list[tuple[str, str, list[str]]]] = {}
    with resources.files("report_extract.data").joinpath("layout_groups.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["table"], []).append((r["kind"], r["label"], [c for c in r["columns"].split(";") if c]))
    return out


def _header(paths: list[list[str]]) -> list[list[dict[str, Any]]]:
    """Header rows from each leaf column's label path (outer group first, the leaf label last)."""
    depth = max(len(p) for p in paths)
    rows: list[list[dict[str, Any]]] = []
    for level in range(depth):
        row: list[dict[str, Any]] = []
        i = 0
        while i < len(paths):
            path = paths[i]
            if level >= len(path):
                i += 1
                continue
            if level == len(path) - 1:  # the leaf: down to the last header row
                row.append({"label": path[level], "colspan": 1, "rowspan": depth - level})
                i += 1
                continue
            j = i
            while j < len(paths) and len(paths[j]) > level + 1 and paths[j][: level + 1] == path[: level + 1]:
                j += 1
            row.append({"label": path[level], "colspan": j - i, "rowspan": 1})
            i = j
        rows.append(row)
    return rows


def _same_group(paths: list[list[str]], breaks: list[bool], k: int, path: list[str], level: int) -> bool:
    """Row ``k`` sits in the group of ``path`` at ``level``."""
    return not breaks[k] and len(paths[k]) > level + 1 and paths[k][: level + 1] == path[: level + 1]


def _row_heads(paths: list[list[str]], breaks: list[bool]) -> tuple[int, list[list[dict[str, Any]]]]:
    """The label cells of each body row from its label path (outer group first): a group cell
    spans the following rows of the same group (never across a ``breaks`` row), a leaf fills the
    remaining label columns. Returns the number of label columns and each row's cells."""
    depth = max(len(p) for p in paths)
    heads: list[list[dict[str, Any]]] = []
    for i, path in enumerate(paths):
        cells = []
        for level, label in enumerate(path):
            if level == len(path) - 1:
                cells.append({"label": label, "colspan": depth - level, "rowspan": 1})
                continue
            if i > 0 and _same_group(paths, breaks, i - 1, path, level):
                continue  # spanned by the cell above
            n = 1
            while i + n < len(paths) and _same_group(paths, breaks, i + n, path, level):
                n += 1
            cells.append({"label": label, "colspan": 1, "rowspan": n})
        heads.append(cells)
    return depth, heads


def table_layout(template: str, table: str) -> list[dict[str, Any]]:
    """The blocks of one table of one template (see the module's docstring)."""
    schema = template_schema(template)
    labels = {(c.row, c.column): c.column_label for c in schema.cells if c.table == table}
    specs = _groups().get(table, [])
    groups = [(label, cols) for kind, label, cols in specs if kind == "group"]
    row_groups = [(label, codes) for kind, label, codes in specs if kind == "row_group"]
    rows = schema.rows[table]
    if any(kind == "one_row" for kind, _l, _c in specs):
        keys = [(r, c) for r, rd in rows.items() for c in schema.column_order[table] if c in rd.columns]
        paths = [[*rows[r].label.split(), labels[(r, c)]] for r, c in keys]
        row = {"code": "", "label": "", "cells": [f"{r}.{c}" for r, c in keys], "variant": False, "heads": []}
        return [{"header": _header(paths), "label_columns": 0, "rows": [row]}]
    blocks: list[dict[str, Any]] = []
    for code, rd in rows.items():
        cols = [c for c in schema.column_order[table] if c in rd.columns]
        if not blocks or blocks[-1]["columns"] != cols:
            paths = [[g for g, members in groups if c in members] + [labels[(code, c)]] for c in cols]
            blocks.append({"columns": cols, "header": _header(paths), "rows": []})
        blocks[-1]["rows"].append({"code": code, "label": rd.label, "cells": [f"{code}.{c}" for c in cols],
                                   "variant": rd.variant})
    for b in blocks:
        del b["columns"]
        paths = [[r["label"]] if r["variant"] else [g for g, codes in row_groups if r["code"] in codes] + r["label"].split(" ", 1)
                 for r in b["rows"]]
        b["label_columns"], heads = _row_heads(paths, [r["variant"] for r in b["rows"]])
        for r, h in zip(b["rows"], heads):
            r["heads"] = h
    return blocks


@cache
def layouts() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """template -> table -> blocks."""
    return {t: {table: table_layout(t, table) for table in TABLES} for t in TEMPLATES}
