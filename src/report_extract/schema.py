"""The standard schema of the annual-report tables, loaded from package data.

``data/cells.csv`` is the national template exactly as in the shared schema (both templates, every
cell's code and verbatim labels); ``data/aliases.csv`` adds the label variants real reports print;
``data/groups.csv`` names the group and banner labels that are not cells themselves;
``data/templates.csv`` lists the templates (id, report years, detection labels, section-四 layout).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from .textnorm import label_key

TABLES = ("proactive", "requests", "review_litigation")

# The 2021 template's variant with （六）其他处理 printed as one row uses the 2019 row code.
VARIANT_ROWS = {("2021", "requests", "other"): "（六）其他处理"}


@dataclass(frozen=True)
class TemplateInfo:
    """One row of ``data/templates.csv``: a template and what tells it apart."""

    template: str
    first_year: int | None  # first report year it is used for (None: no lower bound)
    last_year: int | None  # last report year (None: still in use)
    default: bool  # taken when nothing tells the templates apart and no year is known
    document: str
    detection_labels: tuple[str, ...]  # label keys counted as evidence besides the labels only it prints
    review_rows: tuple[str, ...]  # section 四: its three rows, in printed order
    review_row_labels: tuple[str, ...]
    review_columns: tuple[str, ...]  # section 四: its five columns, in printed order
    issued_year: int | None = None  # year the template was issued: no report before it can follow it

    def covers(self, year: int) -> bool:
        """Whether a report of ``year`` uses this template."""
        return (self.first_year is None or year >= self.first_year) and (self.last_year is None or year <= self.last_year)


@dataclass(frozen=True)
class CellDef:
    """One cell of the standard template."""

    template: str
    table: str
    article: str
    row: str
    column: str
    row_label: str
    column_label: str
    dtype: str
    unit: str


@dataclass
class RowDef:
    """A row of a template table with its label parts and aliases (as label keys)."""

    table: str
    code: str
    label: str
    group: str | None
    leaf_aliases: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    variant: bool = False


@dataclass
class TemplateSchema:
    """Rows, columns and aliases of one template."""

    template: str
    cells: list[CellDef]
    rows: dict[str, dict[str, RowDef]]  # table -> row code -> RowDef
    columns: dict[str, dict[str, list[str]]]  # table -> column code -> alias keys
    column_order: dict[str, list[str]]  # table -> canonical column order

    def cell(self, table: str, row: str, column: str) -> CellDef | None:
        return _cell_index(self.template).get((table, row, column))


def _read_csv(name: str) -> list[dict[str, str]]:
    with resources.files("report_extract.data").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _parts(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


@cache
def templates() -> tuple[TemplateInfo, ...]:
    """The templates of ``data/templates.csv``, in its order."""
    return tuple(
        TemplateInfo(
            r["template"], int(r["first_year"]) if r["first_year"] else None, int(r["last_year"]) if r["last_year"] else None,
            r["default"] == "1", r["document"], tuple(label_key(x) for x in _parts(r["detection_labels"])),
            _parts(r["review_rows"]), _parts(r["review_row_labels"]), _parts(r["review_columns"]),
            int(r["issued_year"]) if r.get("issued_year") else None,
        )
        for r in _read_csv("templates.csv")
    )


def template_info(template: str) -> TemplateInfo:
    """One template's row of ``data/templates.csv``."""
    for t in templates():
        if t.template == template:
            return t
    raise ValueError(f"unknown template {template!r}; expected one of {TEMPLATES}")


TEMPLATES = tuple(t.template for t in templates())


@cache
def cell_defs() -> tuple[CellDef, ...]:
    """Every cell of both templates, in the order of ``cells.csv``."""
    return tuple(CellDef(**row) for row in _read_csv("cells.csv"))


@cache
def _cell_index(template: str) -> dict[tuple[str, str, str], CellDef]:
    idx = {(c.table, c.row, c.column): c for c in cell_defs() if c.template == template}
    for (tpl, table, row), label in VARIANT_ROWS.items():
        if tpl != template:
            continue
        for c in cell_defs():
            if c.template == "2019" and c.table == table and c.row == row:
                idx[(table, row, c.column)] = CellDef(template, table, c.article, row, c.column, label, c.column_label, c.dtype, c.unit)
    return idx


@cache
def group_aliases() -> dict[str, list[tuple[str, str]]]:
    """table -> [(group code, alias key)] for group/banner labels that hold no cells."""
    out: dict[str, list[tuple[str, str]]] = {}
    for r in _read_csv("groups.csv"):
        out.setdefault(r["table"], []).append((r["group"], label_key(r["alias"])))
    return out


def _split_row_label(label: str) -> tuple[str | None, str]:
    parts = label.split(" ")
    if len(parts) >= 2:
        return label_key(parts[0]), label_key(" ".join(parts[1:]))
    return None, label_key(label)


@cache
def template_schema(template: str) -> TemplateSchema:
    """The schema of one template ("2021" or "2019") with its aliases."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; expected one of {TEMPLATES}")
    cells = [c for c in cell_defs() if c.template == template]
    rows: dict[str, dict[str, RowDef]] = {t: {} for t in TABLES}
    columns: dict[str, dict[str, list[str]]] = {t: {} for t in TABLES}
    order: dict[str, list[str]] = {t: [] for t in TABLES}
    for c in _cell_index(template).values():
        rd = rows[c.table].get(c.row)
        if rd is None:
            group, leaf = _split_row_label(c.row_label)
            if c.table == "review_litigation":
                group, leaf = None, label_key(c.row_label)
            rd = rows[c.table][c.row] = RowDef(
                c.table, c.row, c.row_label, group, [leaf],
                variant=(template, c.table, c.row) in VARIANT_ROWS,
            )
        rd.columns.append(c.column)
        cols = columns[c.table].setdefault(c.column, [])
        key = label_key(c.column_label)
        if key not in cols:
            cols.append(key)
        if c.column not in order[c.table]:
            order[c.table].append(c.column)
    for a in _read_csv("aliases.csv"):
        if a["template"] not in ("*", template):
            continue
        key = label_key(a["alias"])
        if a["kind"] == "row":
            rd = rows[a["table"]].get(a["code"])
            if rd is not None and key not in rd.leaf_aliases:
                rd.leaf_aliases.append(key)
        else:
            cols = columns[a["table"]].get(a["code"])
            if cols is not None and key not in cols:
                cols.append(key)
    return TemplateSchema(template, cells, rows, columns, order)


def specific_labels(template: str) -> set[str]:
    """Label keys printed only in this template (used to tell the templates apart)."""
    own = _labels(template)
    other = set().union(*(_labels(t) for t in TEMPLATES if t != template))
    return (own - other) | set(template_info(template).detection_labels)


@cache
def _labels(template: str) -> frozenset[str]:
    out: set[str] = set()
    for c in cell_defs():
        if c.template != template or c.table == "review_litigation":
            continue
        out.add(label_key(c.column_label))
        group, leaf = _split_row_label(c.row_label)
        out.add(leaf)
    out.update(label_key(a["alias"]) for a in _read_csv("aliases.csv") if a["template"] in ("*", template))
    return frozenset(out)
