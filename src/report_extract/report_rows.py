"""The rows one report adds to each output table of a dataset, as plain typed tuples.

What :func:`report_extract.dataset.dataset_frames` puts in ``cells``, the wide tables
(``proactive``, ``requests``, ``review_litigation``), ``checks``, ``issues`` and ``sections`` for
one report, made from the report's own rows without building a pandas frame (a streamed batch
makes them in the worker that read the report; see :mod:`report_extract.stream`). Values are typed
as the table's spec says (:mod:`report_extract.writers.rows`); tests compare these rows with the
frames ``dataset_frames`` builds.
"""

from __future__ import annotations

from collections.abc import Iterable

from .dataset import row_labels
from .report import Report
from .schema import TABLES
from .writers.fields import table_specs
from .writers.rows import Row, typed_rows

PER_REPORT = ("cells", *TABLES, "checks", "issues", "sections")  # the output tables made of each report's own rows


def wide_rows(rid: str, cells: list[tuple], table: str, template: str | None) -> list[Row]:
    """One row per row code of ``table`` printed in ``cells`` (plain cell rows, ``table, row,
    column, value`` first), in the order the long rows give them, one value per column code (the
    first one printed), with the row's Chinese label: :func:`report_extract.dataset.wide_table`."""
    columns = table_specs()[table].columns[3:]
    order: list[str] = []
    values: dict[str, dict[str, object]] = {}
    for t, r, c, v, *_rest in cells:
        if t != table:
            continue
        got = values.get(r)
        if got is None:
            got = values[r] = {}
            order.append(r)
        got.setdefault(c, v)
    labels = row_labels(table)
    return typed_rows(table, [(rid, r, labels.get((template, r)), *[values[r].get(c) for c in columns]) for r in order])


def section_rows(rid: str, rep: Report) -> list[Row]:
    """The ``sections`` rows of a report: one per section with prose (:func:`report_extract.dataset.sections_frame`)."""
    headings = rep.meta.get("section_headings") or {}
    rows = [(rid, int(n), headings.get(n), text) for n, text in sorted((rep.sections or {}).items())
            if isinstance(text, str) and text.strip()]
    return typed_rows("sections", rows)


def report_rows(rid: str, rep: Report, tables: Iterable[str]) -> dict[str, list[Row]]:
    """The rows report ``rid`` adds to each per-report table named in ``tables`` (others are
    ignored): ``cells``, the wide tables (the rows it adds when it is a primary report),
    ``checks``, ``issues`` (numbered from 1) and ``sections``."""
    out: dict[str, list[Row]] = {}
    wanted = [t for t in tables if t in PER_REPORT]
    cells = rep.plain_rows("cells") if set(wanted) & {"cells", *TABLES} else []
    tpl = rep.meta.get("template")
    tpl = None if tpl is None else str(tpl)
    for name in wanted:
        if name == "cells":
            out[name] = typed_rows(name, [(rid, *c) for c in cells])
        elif name in TABLES:
            out[name] = wide_rows(rid, cells, name, tpl)
        elif name == "checks":
            out[name] = typed_rows(name, [(rid, *c) for c in rep.plain_rows("checks")])
        elif name == "issues":
            out[name] = typed_rows(name, [(rid, n, *c) for n, c in enumerate(rep.plain_rows("issues"), 1)])
        else:
            out[name] = section_rows(rid, rep)
    return out


__all__ = ["report_rows", "wide_rows", "section_rows", "PER_REPORT"]
