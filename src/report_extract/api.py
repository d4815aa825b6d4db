"""The public entry points: :func:`read_report` for one file, :func:`read_reports` for many.

Both take the same :class:`~report_extract.options.ReadOptions` (``options=``, plus keyword
overrides). One file runs the steps of :mod:`report_extract.pipeline`; many files run them in
worker processes (:mod:`report_extract.batch`) and are stacked into a :class:`ReportSet`.

Defaults (the command line has the same; see docs/architecture.md): ``jobs=0`` (one worker
process per CPU) and 300 seconds per file (``ReadOptions.timeout``; ``timeout=0`` for no limit).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from . import batch
from .checks import CHECK_COLUMNS
from .crossyear import settle_across_years
from .dataset import SECTION_COLUMNS, compact_frame, dataset_frames, plain_frame, report_frame, sections_frame
from .inputs import scan_paths
from .options import DEFAULT_JOBS, ReadOptions, batch_options
from .pairing import settle_by_renderings
from .pipeline import PathOrFile, Result, make_options, read_one, read_report, report_from_document
from .report import CELL_COLUMNS, ISSUE_COLUMNS, Report

# --------------------------------------------------------------------------------------------
# Many files


@dataclass
class ReportSet:
    """Many reports in one set of frames, each keyed by ``report_id`` (the path as given).

    ``cells``, ``checks`` and ``issues`` hold their codes (report_id, table, row, column,
    confidence, check, code, severity) as categoricals, a quarter of the memory of text columns
    (:func:`report_extract.dataset.compact_frame`; the written outputs are the same, and
    :meth:`report` gives one report's frames back with text columns as :func:`read_report` has them).
    ``reports`` has one row per report read, exactly as ``reports.csv`` (metadata, failed checks,
    issue codes, publisher and division, ``duplicate_of``/``is_primary``); ``errors`` one row per
    file that could not be read (``path``, ``error``, ``reason``); ``sections`` the prose of every
    report (``report_id``, ``section``, ``heading``, ``text``).
    """

    cells: pd.DataFrame
    checks: pd.DataFrame
    issues: pd.DataFrame
    reports: pd.DataFrame
    errors: pd.DataFrame
    sections: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SECTION_COLUMNS))

    def __post_init__(self) -> None:
        self.reports = report_frame(self.reports, self.cells)
        self.cells, self.checks, self.issues = (compact_frame(f) for f in (self.cells, self.checks, self.issues))

    def __len__(self) -> int:
        return len(self.reports)

    def __repr__(self) -> str:
        n_dup = int((~self.reports["is_primary"].fillna(True).astype(bool)).sum()) if len(self.reports) else 0
        return (f"<ReportSet {len(self.reports)} reports ({n_dup} duplicates), {len(self.errors)} errors, "
                f"{len(self.cells)} cells, {len(self.sections)} sections>")

    def report(self, report_id: str) -> Report:
        """One report of the set as a :class:`Report` (its cells, checks and issues; ``meta`` is
        its row of ``reports``; prose sections are not kept in a set)."""
        rows = self.reports[self.reports["report_id"] == report_id]
        if rows.empty:
            raise KeyError(report_id)

        def own(frame: pd.DataFrame) -> pd.DataFrame:
            return plain_frame(frame[frame["report_id"] == report_id].drop(columns="report_id").reset_index(drop=True))

        meta = {k: v for k, v in rows.iloc[0].items() if k != "report_id"}
        secs = self.sections[self.sections["report_id"] == report_id]
        meta["section_headings"] = dict(zip(secs["section"], secs["heading"]))
        return Report(cells=own(self.cells), checks=own(self.checks), issues=own(self.issues), meta=meta,
                      sections=dict(zip(secs["section"], secs["text"])))

    def summary(self) -> pd.DataFrame:
        """One row per publisher and year with every indicator (see :func:`report_extract.compare.summary`)."""
        from .compare import summary

        return summary(self)

    def compare(self, year: int | None = None, level: str | None = None, parent: str | None = None,
                indicator: str = "denied_share") -> pd.DataFrame:
        """Rankings within peer groups and year-on-year changes (see :func:`report_extract.compare.compare`)."""
        from .compare import compare

        return compare(self, year=year, level=level, parent=parent, indicator=indicator)

    def frames(self, *, duplicates: bool = False, tables: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
        """The dataset's output tables (reports, cells, the three wide tables of primary reports,
        checks, issues, errors, crosschecks, sections); see :mod:`report_extract.dataset`."""
        return dataset_frames(self, duplicates=duplicates, tables=tables)

    def write(self, outdir: str | os.PathLike, formats: str | Iterable[str] = "csv", *, bom: bool = False,
              labels: str | None = None, tables: Iterable[str] | None = None, safe_text: bool = True) -> list[Path]:
        """Write the dataset into ``outdir`` in ``formats`` (csv, parquet, xlsx, jsonl, sqlite,
        datapackage); ``labels="zh"`` gives the XLSX Chinese headers; ``tables`` chooses tables;
        ``safe_text=False`` keeps texts that start like a spreadsheet formula verbatim in CSV/XLSX
        (by default they get a leading apostrophe)."""
        from .writers import check_formats, write_dataset

        check_formats(formats)
        return write_dataset(self.frames(tables=tables), outdir, formats, bom=bom, labels=labels, safe_text=safe_text)

    def to_csv(self, outdir: str | os.PathLike, *, bom: bool = False) -> list[Path]:
        """One CSV per table in ``outdir`` (UTF-8, with a BOM for Excel when ``bom``)."""
        return self.write(outdir, "csv", bom=bom)

    def to_parquet(self, outdir: str | os.PathLike) -> list[Path]:
        """One Parquet file per table in ``outdir`` (needs pyarrow)."""
        return self.write(outdir, "parquet")

    def to_excel(self, outdir: str | os.PathLike) -> list[Path]:
        """``reports.xlsx`` in ``outdir``: a sheet per table (needs openpyxl)."""
        return self.write(outdir, "xlsx")

    def to_jsonl(self, outdir: str | os.PathLike) -> list[Path]:
        """One JSON Lines file per table in ``outdir``."""
        return self.write(outdir, "jsonl")

    def to_sqlite(self, outdir: str | os.PathLike) -> list[Path]:
        """``reports.db`` in ``outdir``, ready for ``datasette``."""
        return self.write(outdir, "sqlite")

    def to_datapackage(self, outdir: str | os.PathLike, *, bom: bool = False) -> list[Path]:
        """The CSVs plus a Frictionless ``datapackage.json`` in ``outdir``."""
        return self.write(outdir, "datapackage", bom=bom)


def expand_paths(inputs: Iterable[str | os.PathLike]) -> list[str]:
    """Files from files, directories (recursively, supported extensions only) and glob patterns;
    :func:`report_extract.inputs.scan_paths` also gives a row for every path not read."""
    return scan_paths(inputs).files


def read_reports(
    paths: Iterable[str | os.PathLike] | str | os.PathLike,
    options: ReadOptions | None = None,
    *,
    jobs: int | None = DEFAULT_JOBS,
    timeout: float | None = None,
    cache_dir: str | os.PathLike | None = None,
    resume: bool = True,
    engine: str = "processes",
    scheduler: str | None = None,
    progress: bool = False,
    cross_year: bool = True,
    group=None,
    **overrides: Any,
) -> ReportSet:
    """Read many reports (files, folders or glob patterns) into one :class:`ReportSet`.

    ``options`` and ``overrides`` are those of :func:`read_report` and apply to every file.
    ``jobs`` worker processes work in parallel (0 or None: one per CPU). A file that cannot be
    read becomes one row of ``errors``; the others are kept. Results are in input order whatever
    the order the workers finish in. ``timeout`` limits the seconds spent on one file (its worker
    is killed: error ``timeout``); None takes ``options.timeout`` (300 s), 0 is no limit. ``cache_dir`` stores
    every result by content hash and settings (``options.cache_key()``); with ``resume`` a rerun
    reuses them and reads only new or changed files (see :mod:`report_extract.batch`).
    ``engine="dask"`` runs on a Dask cluster: the scheduler at ``scheduler`` (an address such
    as ``tcp://127.0.0.1:8786``) or, when None, a local cluster of ``jobs`` worker processes.
    ``cross_year`` settles ambiguous readings with the same publisher's adjacent-year reports
    (:mod:`report_extract.crossyear`); ``group`` (optional: a function of the report, or a mapping
    from path to a publisher key such as the crawl folder) tells which reports are one publisher's
    when its name changed between years.
    """
    opts = batch_options(make_options(options, **overrides), timeout)
    scan = scan_paths(paths)
    files = scan.files
    worker = partial(read_one, options=opts)
    if engine == "dask":
        results = batch.run_dask(files, worker, scheduler, jobs or None, progress=progress)
    elif engine in ("processes", "local", None):
        results = batch.run(
            files, worker, jobs or None, timeout=opts.timeout, cache_dir=cache_dir, cache_tag=opts.cache_key(),
            reuse_cache=resume, progress=progress,
        )
    else:
        raise ValueError(f"engine must be 'processes' or 'dask', not {engine!r}")
    results = list(results) + [(row["path"], None, row) for row in scan.skipped]  # paths not read: rows of errors
    return combine(results, cross_year=cross_year, group=group)


def combine(items: list[Result], cross_year: bool = True, group=None) -> ReportSet:
    """Stack per-file results (``report_id``, report or None, error or None) into a ReportSet.

    With ``cross_year``, ambiguous readings are first settled with the reports of the same
    publisher in adjacent years (:func:`report_extract.crossyear.settle_across_years`).
    """
    # paired renderings of one report settle each other first (same year), then adjacent years
    present = [k for k, (_rid, rep, _err) in enumerate(items) if rep is not None]
    paired = settle_by_renderings([items[k][1] for k in present], group=group)
    items = list(items)
    for k, rep in zip(present, paired):
        items[k] = (items[k][0], rep, items[k][2])
    if cross_year:
        settled = iter(settle_across_years([rep for _rid, rep, _err in items if rep is not None], group=group))
        items = [(rid, next(settled) if rep is not None else None, err) for rid, rep, err in items]
    cells, checks, issues, reports, errors = [], [], [], [], []
    for rid, rep, err in items:
        if rep is None:
            errors.append(err)
            continue
        for frame, acc in ((rep.cells, cells), (rep.checks, checks), (rep.issues, issues)):
            if not frame.empty:
                acc.append(frame.assign(report_id=rid)[["report_id", *frame.columns]])
        reports.append({"report_id": rid, **rep.summary()})

    def stack(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        cols = ["report_id", *columns]
        return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)

    return ReportSet(
        cells=stack(cells, CELL_COLUMNS),
        checks=stack(checks, CHECK_COLUMNS),
        issues=stack(issues, ISSUE_COLUMNS),
        reports=pd.DataFrame(reports),
        errors=pd.DataFrame(errors, columns=["path", "error", "reason"]),
        sections=sections_frame((rid, rep) for rid, rep, _err in items),
    )


__all__ = ["read_report", "read_reports", "report_from_document", "ReportSet", "expand_paths", "combine", "PathOrFile", "DEFAULT_JOBS"]
