"""The result of reading one report: tidy frames plus metadata."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from .checks import CHECK_COLUMNS
from .schema import template_schema

CELL_COLUMNS = [
    "table", "row", "column", "value", "raw", "unit", "confidence",
    "row_label", "column_label", "table_index", "grid_row", "grid_col", "page", "line",
]
ISSUE_COLUMNS = ["code", "severity", "message", "where"]

# Issue codes and how serious they are: "error" loses or may corrupt data, "warning" needs a look,
# "info" is context (e.g. a section heading not found in prose).
SEVERITY = {
    "unmapped_row": "error",
    "unmapped_table": "warning",
    "unlabelled_row": "error",
    "column_mismatch": "error",
    "unplaced_value": "error",
    "not_in_template": "error",
    "review_litigation_layout": "error",
    "duplicate_cell": "warning",
    "ambiguous_split": "warning",
    "inferred_across_years": "info",
    "blank_row": "info",
    "blank_cell": "info",
    "blank_cell_spacing": "warning",
    "inferred_from_prose": "info",
    "inferred_from_bounds": "info",
    "prose_contradicts_table": "warning",
    "crossyear_mismatch": "warning",
    "inferred_from_rendering": "info",
    "renderings_disagree": "warning",
    "unresolved_split": "error",
    "template_guess": "warning",
    "missing_section": "info",
    "text_layer": "error",
    "table_not_found": "error",
    "row_not_found": "warning",
    "ocr_deskewed": "info",
}


_COLUMNS = {"cells": CELL_COLUMNS, "checks": CHECK_COLUMNS, "issues": ISSUE_COLUMNS}


def severity_of(code: str) -> str:
    """The severity of an issue code (``warning`` for codes not listed)."""
    return SEVERITY.get(code, "warning")


def frame_of_cells(rows: list[tuple]) -> pd.DataFrame:
    """The ``cells`` frame of plain cell rows (tuples in :data:`CELL_COLUMNS` order): value float,
    provenance nullable integers."""
    df = pd.DataFrame.from_records(rows, columns=CELL_COLUMNS) if rows else pd.DataFrame(columns=CELL_COLUMNS)
    df["value"] = df["value"].astype("float64")
    for col in ("table_index", "grid_row", "grid_col", "page", "line"):
        df[col] = df[col].astype("Int64")
    return df


def issues_frame(rows: list[dict]) -> pd.DataFrame:
    """The ``issues`` frame of plain issue rows (dicts keyed by :data:`ISSUE_COLUMNS`)."""
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS)


class LazyFrame:
    """Plain rows kept until a frame is asked for: ``build(rows)`` makes the frame.

    Reading a report builds no pandas frame; the first access to :attr:`Report.cells` (or
    ``checks``/``issues``) does, once. Pickles as its rows (``build`` is a module-level function)."""

    __slots__ = ("rows", "build")

    def __init__(self, rows: list, build: Callable[[list], pd.DataFrame]):
        self.rows = rows
        self.build = build

    def __len__(self) -> int:
        return len(self.rows)

    def __getstate__(self) -> tuple:
        return (self.rows, self.build)

    def __setstate__(self, state: tuple) -> None:
        self.rows, self.build = state


FrameLike = pd.DataFrame | LazyFrame


def _frame(value: FrameLike) -> pd.DataFrame:
    return value.build(value.rows) if isinstance(value, LazyFrame) else value


class _LazyFrameAttribute:
    """A frame attribute of :class:`Report` (``cells``, ``checks``, ``issues``) kept in ``_<name>``:
    a :class:`LazyFrame` there is built into a DataFrame the first time it is read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = getattr(obj, self.slot)
        if isinstance(value, LazyFrame):
            value = _frame(value)
            setattr(obj, self.slot, value)
        return value

    def __set__(self, obj: Any, value: FrameLike) -> None:
        setattr(obj, self.slot, value)


class Report:
    """One annual report read into tidy frames.

    Attributes
    ----------
    cells : DataFrame
        One row per template cell printed: ``table, row, column, value`` (float, NaN when blank or a
        placeholder), ``raw`` (the printed text), ``unit``, ``confidence`` and provenance
        (``row_label``/``column_label`` as printed, ``table_index``, ``grid_row``, ``grid_col``,
        ``page``, ``line``).
    checks : DataFrame
        One row per arithmetic check: ``check``, ``passed``, ``expected``, ``actual`` ...
    issues : DataFrame
        Extraction problems: ``code``, ``severity``, ``message``, ``where``. Empty when clean.
    meta : dict
        ``template``, ``agency``, ``year``, ``source_format``, ``title``, ``path`` ...
    sections : dict
        The prose of sections 1–6 (一 to 六) by number.

    The frames may be given as :class:`LazyFrame` rows (the pipeline does): each is built the
    first time it is read, and :meth:`summary`/:attr:`failed_checks` work on the rows.
    """

    def __init__(
        self, cells: FrameLike, checks: FrameLike, issues: FrameLike, meta: dict[str, Any],
        sections: dict[int, str] | None = None,
    ):
        self._cells = cells
        self._checks = checks
        self._issues = issues
        self.meta = meta
        self.sections = sections if sections is not None else {}

    cells = _LazyFrameAttribute()
    checks = _LazyFrameAttribute()
    issues = _LazyFrameAttribute()

    def shares_frames(self, other: Report, *names: str) -> bool:
        """Whether this report holds the very same frames ``names`` as ``other`` (unchanged
        copies), checked without building them."""
        return all(getattr(self, "_" + n) is getattr(other, "_" + n) for n in names)

    def plain_rows(self, name: str) -> list[tuple]:
        """The rows of frame ``name`` (``cells``, ``checks`` or ``issues``) as tuples in the frame's
        column order, without building the frame when it is still plain rows."""
        columns = _COLUMNS[name]
        value = getattr(self, "_" + name)
        if isinstance(value, LazyFrame):
            rows = value.rows
            if rows and isinstance(rows[0], dict):
                return [tuple(r.get(c) for c in columns) for r in rows]
            return [tuple(r) for r in rows]
        if value.empty:
            return []
        return list(value.reindex(columns=columns).itertuples(index=False, name=None))

    @property
    def failed_checks(self) -> list[str]:
        """Ids of the checks the printed numbers fail."""
        checks = self._checks
        if isinstance(checks, LazyFrame):
            return sorted(r["check"] for r in checks.rows if not r["passed"])
        if checks.empty:
            return []
        return sorted(checks.loc[~checks["passed"].astype(bool), "check"].tolist())

    def table(self, name: str, labels: str | None = None) -> pd.DataFrame:
        """A wide frame of one table (``proactive``, ``requests`` or ``review_litigation``):
        rows and columns in template order, values as floats; indexed by the codes, or with
        ``labels="zh"`` by the template's Chinese row and column labels."""
        schema = template_schema(self.meta["template"])
        if name not in schema.rows:
            raise KeyError(f"unknown table {name!r}; expected one of {list(schema.rows)}")
        sub = self.cells[self.cells["table"] == name]
        rows = [r for r in schema.rows[name] if r in set(sub["row"])]
        cols = [c for c in schema.column_order[name] if c in set(sub["column"])]
        wide = sub.pivot(index="row", columns="column", values="value")
        wide = wide.reindex(index=rows, columns=cols)
        wide.index.name = "row"
        wide.columns.name = None
        if labels == "zh":
            cols_zh = {c.column: c.column_label for c in schema.cells if c.table == name}
            wide = wide.rename(index={r: schema.rows[name][r].label for r in rows}, columns=cols_zh)
            wide.index.name = "行"
        elif labels is not None:
            raise ValueError(f"labels must be 'zh' or None, not {labels!r}")
        return wide

    def summary(self) -> dict[str, Any]:
        """One row of ``reports.csv``: metadata plus counts of cells, failed checks and issues."""
        out = {k: v for k, v in self.meta.items() if not isinstance(v, dict | list)}
        cells, issues = self._cells, self._issues
        out["n_cells"] = len(cells)
        if isinstance(cells, LazyFrame):
            k = CELL_COLUMNS.index("value")
            out["n_values"] = sum(1 for r in cells.rows if r[k] is not None and r[k] == r[k])
        else:
            out["n_values"] = int(cells["value"].notna().sum()) if not cells.empty else 0
        failed = self.failed_checks  # computed once
        out["failed_checks"] = ";".join(failed)
        out["n_failed_checks"] = len(failed)
        out["n_issues"] = len(issues)
        if isinstance(issues, LazyFrame):
            out["issues"] = ";".join(sorted({r["code"] for r in issues.rows}))
        else:
            out["issues"] = ";".join(sorted(set(issues["code"]))) if not issues.empty else ""
        return out

    def __repr__(self) -> str:
        m = self.meta
        return (
            f"<Report {m.get('agency')!s} {m.get('year')!s} template={m.get('template')} "
            f"cells={len(self._cells)} failed_checks={len(self.failed_checks)} issues={len(self._issues)}>"
        )
