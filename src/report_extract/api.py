"""The public entry points: :func:`read_report` for one file, :func:`read_reports` for many."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from .checks import CHECK_COLUMNS, run_checks
from .crossyear import settle_across_years
from .errors import CorruptInputError, InputTooLargeError, NotAReportError, ReportError
from .grid import Document
from .layout import document_title, layout_pass
from .mapper import Issue, Mapping, detect_template, map_document
from .meta import from_filename, parse_title, year_from_text
from .readers import EXTENSIONS, read_document
from .report import CELL_COLUMNS, ISSUE_COLUMNS, Report, severity_of
from .schema import TEMPLATES, template_schema
from .sections import SECTION_NAMES, split_sections

MAX_BYTES = 512 * 1024 * 1024

PathOrFile = str | os.PathLike | IO[bytes] | bytes

# Extra pipeline steps: functions (doc, sections, template, mapping) -> Mapping, run after the
# label mapper (e.g. the glued-text solver registers itself here).
MAPPING_STEPS: list[Callable[..., Mapping]] = []


def _load(source: PathOrFile, max_bytes: int) -> tuple[bytes, str | None]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), None
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
        except FileNotFoundError:
            raise ReportError(path, "no such file") from None
        except OSError as exc:
            raise ReportError(path, f"cannot read the file ({exc.strerror or exc})") from None
        if os.path.isdir(path):
            raise ReportError(path, "is a directory; use read_reports() for folders")
        if size > max_bytes:
            raise InputTooLargeError(path, f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit")
        if size == 0:
            raise CorruptInputError(path, "the file is empty")
        try:
            with open(path, "rb") as fh:
                return fh.read(), path
        except OSError as exc:
            raise ReportError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        data = source.read(max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > max_bytes:
            raise InputTooLargeError(name, f"input is over the {max_bytes / 1e6:.0f} MB limit")
        return data, (str(name) if name else None)
    raise TypeError(f"read_report() takes a path, bytes or a binary file object, not {type(source).__name__}")


def read_report(
    path_or_file: PathOrFile,
    format: str | None = None,
    *,
    template: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Report:
    """Read one annual report into a :class:`~report_extract.report.Report`.

    Parameters
    ----------
    path_or_file : path, bytes or binary file object
    format : ``"text"``, ``"html"``, ``"pdf"``, ``"docx"``, ``"doc"``, ``"xlsx"``, ``"xls"`` or None
        None sniffs the format from the content and the file extension.
    template : ``"2021"`` or ``"2019"`` to force a template instead of detecting it from the labels.
    max_bytes : refuse inputs larger than this.

    Raises
    ------
    ReportError
        (or a subclass) naming the file and the reason when the input cannot be read or is not a
        national-template annual report.
    """
    data, path = _load(path_or_file, max_bytes)
    try:
        doc = layout_pass(read_document(data, path, format))
    except ReportError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise CorruptInputError(path, f"the document is too complex to read ({type(exc).__name__})") from None
    except Exception as exc:  # a reader's library failing on damaged input
        raise CorruptInputError(path, f"cannot parse the document: {type(exc).__name__}: {exc}") from None
    return report_from_document(doc, template=template)


def report_from_document(doc: Document, template: str | None = None) -> Report:
    """Run the format-independent part of the pipeline on a reader's :class:`Document`."""
    path = doc.path
    preamble, sections = split_sections(doc)
    issues: list[Issue] = []

    title = document_title(doc, preamble)
    agency, year = parse_title(title) if title else (None, None)
    if year is None:
        year = year_from_text("\n".join(b.text for b in doc.paragraphs[:40]))
    fa, fy = from_filename(path)
    agency = agency or fa
    year = year or fy

    evidence: dict[str, int] = {}
    if template is None:
        template, evidence = detect_template(doc, year)
    elif template not in TEMPLATES:
        raise ValueError(f"template must be one of {TEMPLATES}, not {template!r}")
    mapping = map_document(doc, sections, template) if template else Mapping(template or "2021")
    for step in MAPPING_STEPS:
        mapping = step(doc, sections, template, mapping)
    template = mapping.template or template
    if not mapping.cells:
        reason = doc.not_a_report_reason or (
            "no table of the national annual-report template (国办公开办函〔2021〕30号 or the 2019 "
            "format) was found; reports before 2019 have no national template"
        )
        raise NotAReportError(path, reason)
    if evidence and evidence.get("2021") == evidence.get("2019") and year is None:
        issues.append(Issue("template_guess", "the labels do not tell the 2021 and 2019 templates apart and no year was found; assumed " + template))
    for n, name in SECTION_NAMES.items():
        if n not in sections:
            issues.append(Issue("missing_section", f"section {n} ({name}) heading not found"))
    # problems a reader found (e.g. a PDF's unreadable pages)
    reader_issues = [Issue(i.code, i.message, i.where) for i in doc.reader_issues]
    issues = reader_issues + mapping.issues + issues

    cells = _cells_frame(mapping, template)
    checks = run_checks(cells, template) if not cells.empty else pd.DataFrame(columns=CHECK_COLUMNS)
    issue_frame = pd.DataFrame(
        [{"code": i.code, "severity": severity_of(i.code), "message": i.message, "where": i.where} for i in issues],
        columns=ISSUE_COLUMNS,
    )
    meta: dict[str, Any] = {
        "path": path,
        "title": title,
        "agency": agency,
        "year": year,
        "template": template,
        "source_format": doc.source_format,
        "template_evidence": evidence,
        "properties": {**doc.properties, **({"table_layout": doc.table_layout} if doc.table_layout else {})},
        "section_headings": {n: s.heading for n, s in sections.items()},
        "alternatives": mapping.alternatives,
    }
    section_text = {n: s.text for n, s in sections.items()}
    return Report(cells=cells, checks=checks, issues=issue_frame, meta=meta, sections=section_text)


def _cells_frame(mapping: Mapping, template: str) -> pd.DataFrame:
    schema = template_schema(template)
    order = {}
    for i, c in enumerate(schema.cells):
        order[(c.table, c.row, c.column)] = i
    rows = []
    for c in mapping.cells:
        rows.append(
            {
                "table": c.table,
                "row": c.row,
                "column": c.column,
                "value": c.value,
                "raw": c.raw,
                "unit": c.unit,
                "confidence": c.confidence,
                "row_label": c.row_label,
                "column_label": c.column_label,
                "table_index": c.source.get("table_index"),
                "grid_row": c.source.get("grid_row"),
                "grid_col": c.source.get("grid_col"),
                "page": c.source.get("page"),
                "line": c.source.get("line"),
                "_order": order.get((c.table, c.row, c.column), 10_000 + len(rows)),
            }
        )
    df = pd.DataFrame(rows, columns=CELL_COLUMNS + ["_order"])
    df = df.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    df["value"] = df["value"].astype("float64")
    for col in ("table_index", "grid_row", "grid_col", "page", "line"):
        df[col] = df[col].astype("Int64")
    return df


# --------------------------------------------------------------------------------------------
# Many files


@dataclass
class ReportSet:
    """Many reports in one set of frames, each keyed by ``report_id`` (the path as given).

    ``reports`` has one row per report read (metadata, failed checks, issue codes); ``errors`` one
    row per file that could not be read (``path``, ``error``, ``reason``).
    """

    cells: pd.DataFrame
    checks: pd.DataFrame
    issues: pd.DataFrame
    reports: pd.DataFrame
    errors: pd.DataFrame

    def __len__(self) -> int:
        return len(self.reports)

    def report(self, report_id: str) -> Report:
        """One report of the set as a :class:`Report` (its cells, checks and issues; ``meta`` is
        its row of ``reports``; prose sections are not kept in a set)."""
        rows = self.reports[self.reports["report_id"] == report_id]
        if rows.empty:
            raise KeyError(report_id)

        def own(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["report_id"] == report_id].drop(columns="report_id").reset_index(drop=True)

        meta = {k: v for k, v in rows.iloc[0].items() if k != "report_id"}
        return Report(cells=own(self.cells), checks=own(self.checks), issues=own(self.issues), meta=meta)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The dataset's output tables (reports with publisher metadata, cells, the three wide
        tables, checks, issues, errors, crosschecks); see :mod:`report_extract.writers`."""
        from .writers import dataset_frames

        return dataset_frames(self)

    def write(self, outdir: str | os.PathLike, formats: str | Iterable[str] = "csv", *, bom: bool = False) -> list[Path]:
        """Write the dataset into ``outdir`` in ``formats`` (csv, parquet, xlsx, jsonl, sqlite, datapackage)."""
        from .writers import write_dataset

        return write_dataset(self, outdir, formats, bom=bom)

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
    """Files from files, directories (recursively, supported extensions only) and glob patterns."""
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(
                str(f) for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in EXTENSIONS and not f.name.startswith(".")
            )
        elif p.exists():
            out.append(str(p))
        elif any(ch in str(item) for ch in "*?["):
            import glob

            out.extend(sorted(f for f in glob.glob(str(item), recursive=True) if os.path.isfile(f)))
        else:
            out.append(str(p))  # reported as an error: no such file
    seen = set()
    return [f for f in out if not (f in seen or seen.add(f))]


def _read_one(path: str) -> tuple[str, Report | None, dict | None]:
    try:
        return path, read_report(path), None
    except ReportError as exc:
        return path, None, {"path": path, "error": exc.code, "reason": exc.reason}
    except Exception as exc:  # never lose the batch to one file
        return path, None, {"path": path, "error": "internal_error", "reason": f"{type(exc).__name__}: {exc}"}


def read_reports(
    paths: Iterable[str | os.PathLike] | str | os.PathLike,
    jobs: int | None = 1,
    *,
    progress: bool = False,
    timeout: float | None = None,
    cache_dir: str | os.PathLike | None = None,
    engine: str = "processes",
    scheduler: str | None = None,
    cross_year: bool = True,
) -> ReportSet:
    """Read many reports (files, folders or glob patterns) into one :class:`ReportSet`.

    ``jobs`` processes work in parallel (None or 0: one per CPU). A file that cannot be read
    becomes one row of ``errors``; the others are kept. Results are in input order whatever
    the order the workers finish in. ``timeout`` limits the seconds spent on one file (its
    worker is killed: error ``timeout``); ``cache_dir`` keeps results by content hash so a
    rerun reads only new or changed files (see :mod:`report_extract.batch`).
    ``engine="dask"`` runs on a Dask cluster: the scheduler at ``scheduler`` (an address such
    as ``tcp://127.0.0.1:8786``) or, when None, a local cluster of ``jobs`` worker processes.
    ``cross_year`` settles ambiguous readings with the same publisher's adjacent-year reports
    (:mod:`report_extract.crossyear`).
    """
    from . import batch

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    files = expand_paths(paths)
    if engine == "dask":
        results = batch.run_dask(files, scheduler, jobs, progress=progress)
    elif engine in ("processes", "local", None):
        results = batch.run(files, jobs, timeout=timeout, cache_dir=cache_dir, progress=progress)
    else:
        raise ValueError(f"engine must be 'processes' or 'dask', not {engine!r}")
    return combine(results, cross_year=cross_year)


def combine(items: list[tuple[str, Report | None, dict | None]], cross_year: bool = True) -> ReportSet:
    """Stack per-file results (``report_id``, report or None, error or None) into a ReportSet.

    With ``cross_year``, ambiguous readings are first settled with the reports of the same
    publisher in adjacent years (:func:`report_extract.crossyear.settle_across_years`).
    """
    if cross_year:
        settle_across_years([rep for _rid, rep, _err in items if rep is not None])
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
    )


__all__ = ["read_report", "read_reports", "report_from_document", "ReportSet", "expand_paths"]
