"""Write a :class:`~report_extract.api.ReportSet` as a dataset: CSV, Parquet, Excel, JSON Lines,
SQLite (Datasette-ready) and a Frictionless Data Package.

Every file is written atomically (a temporary file in the same folder, then ``os.replace``), rows
are in a deterministic order and no timestamps go into the data, so the same input gives
byte-identical files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..schema import TABLES
from .fields import TableSpec, table_specs

if TYPE_CHECKING:  # pragma: no cover
    from ..api import ReportSet

_UMASK = os.umask(0)
os.umask(_UMASK)

FORMATS = ("csv", "parquet", "xlsx", "jsonl", "sqlite", "datapackage")
FORMAT_ALIASES = {"excel": "xlsx", "xls": "xlsx", "json": "jsonl", "db": "sqlite", "frictionless": "datapackage", "pq": "parquet"}


@contextmanager
def atomic_path(target: str | os.PathLike):
    """Yield a temporary path next to ``target``; move it over ``target`` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def parse_formats(spec: str | Iterable[str]) -> list[str]:
    """``"csv,xlsx"`` or a list -> canonical format names (raises ValueError on an unknown one)."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for item in items:
        f = item.strip().lower().lstrip(".")
        if not f:
            continue
        f = FORMAT_ALIASES.get(f, f)
        if f not in FORMATS:
            raise ValueError(f"unknown output format {item!r}; choose from {', '.join(FORMATS)}")
        if f not in out:
            out.append(f)
    return out


def _wide(cells: pd.DataFrame, table: str, spec: TableSpec) -> pd.DataFrame:
    """One row per report and row code, rows in the order the long frame lists them (input order
    of the reports, template order of the rows)."""
    sub = cells[cells["table"] == table].drop_duplicates(["report_id", "row", "column"])
    if sub.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in spec.columns})
    first = sub.drop_duplicates(["report_id", "row"])[["report_id", "row"]].reset_index(drop=True)
    wide = sub.pivot(index=["report_id", "row"], columns="column", values="value")
    wide = wide.reindex(pd.MultiIndex.from_frame(first)).reset_index()
    return wide.reindex(columns=spec.columns).reset_index(drop=True)


def _typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    out = frame.reindex(columns=spec.columns).copy()
    for f in spec.fields:
        col = out[f.name]
        if f.type == "integer":
            out[f.name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif f.type == "number":
            out[f.name] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif f.type == "boolean":
            out[f.name] = col.astype("boolean")
        else:
            out[f.name] = col.astype("object").where(col.notna(), None).map(lambda v: v if v is None else str(v))
    return out.reset_index(drop=True)


def dataset_frames(rs: ReportSet) -> dict[str, pd.DataFrame]:
    """The output tables of a ReportSet (see :func:`~report_extract.writers.fields.table_specs`),
    typed and in a deterministic order (input order, then template order)."""
    from ..crosscheck import crosscheck
    from ..publishers import publisher_info

    specs = table_specs()
    reports = rs.reports.copy()
    if not reports.empty:
        pubs = pd.DataFrame([publisher_info(a) for a in reports["agency"]]).drop(columns=["agency"])
        reports = pd.concat([reports.reset_index(drop=True), pubs.reset_index(drop=True)], axis=1)
    issues = rs.issues.copy()
    if not issues.empty:
        issues.insert(1, "issue_no", issues.groupby("report_id", sort=False).cumcount() + 1)
    errors = rs.errors.rename(columns={"path": "file"})
    frames: dict[str, pd.DataFrame] = {"reports": reports, "cells": rs.cells}
    for t in TABLES:
        frames[t] = _wide(rs.cells, t, specs[t]) if not rs.cells.empty else pd.DataFrame(columns=specs[t].columns)
    frames["checks"] = rs.checks
    frames["issues"] = issues
    frames["errors"] = errors
    typed = {name: _typed(frames[name], specs[name]) for name in frames}
    typed["crosschecks"] = _typed(crosscheck(typed["reports"], typed["cells"]), specs["crosschecks"])
    return typed


def write_dataset(
    rs: ReportSet,
    outdir: str | os.PathLike,
    formats: str | Iterable[str] = ("csv",),
    *,
    bom: bool = False,
    frames: dict[str, pd.DataFrame] | None = None,
) -> list[Path]:
    """Write the dataset of ``rs`` into ``outdir`` in every format asked; returns the files written.

    ``csv``: one file per table (``cells.csv``, ``proactive.csv``, ``requests.csv``,
    ``review_litigation.csv``, ``checks.csv``, ``reports.csv``, ``issues.csv``, ``errors.csv``,
    ``crosschecks.csv``), with a UTF-8 BOM when ``bom`` (for Excel on Windows); ``parquet``: the
    same as ``.parquet``; ``xlsx``: ``reports.xlsx``; ``jsonl``: one ``.jsonl`` per table;
    ``sqlite``: ``reports.db``; ``datapackage``: ``datapackage.json`` describing the CSVs.
    """
    from . import csv as csv_writer
    from . import datapackage, excel, jsonl, parquet, sqlite

    fmts = parse_formats(formats)
    if "datapackage" in fmts and "csv" not in fmts:
        fmts.insert(0, "csv")
    frames = frames if frames is not None else dataset_frames(rs)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Callable[..., list[Path]]] = {
        "csv": lambda: csv_writer.write_csv(frames, out, bom=bom),
        "parquet": lambda: parquet.write_parquet(frames, out),
        "xlsx": lambda: excel.write_excel(frames, out / "reports.xlsx"),
        "jsonl": lambda: jsonl.write_jsonl(frames, out),
        "sqlite": lambda: sqlite.write_sqlite(frames, out / "reports.db"),
        "datapackage": lambda: datapackage.write_datapackage(frames, out, bom=bom),
    }
    written: list[Path] = []
    for f in fmts:
        written += writers[f]()
    return written


__all__ = ["write_dataset", "dataset_frames", "parse_formats", "atomic_path", "atomic_write_bytes", "FORMATS"]
