"""Serialise finished dataset frames (see :mod:`report_extract.dataset`): CSV, Parquet, Excel,
JSON Lines, SQLite (Datasette-ready, with its ``metadata.json``) and a Frictionless Data Package.

Writers take frames and write files; they compute no data and import nothing from the pipeline.
Every file is written atomically (a temporary file in the same folder, then ``os.replace``), rows
are in a deterministic order and no timestamps go into the data, so the same input gives
byte-identical files. Each run writes ``manifest.json`` listing the files it wrote; files listed
by an earlier run's manifest that this run did not write are removed (never files the manifest
does not list), so a reused output folder never mixes two runs.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pandas as pd

from .atomic import atomic_path, atomic_write_bytes

FORMATS = ("csv", "parquet", "xlsx", "jsonl", "sqlite", "datapackage")
FORMAT_ALIASES = {"excel": "xlsx", "xls": "xlsx", "json": "jsonl", "db": "sqlite", "frictionless": "datapackage", "pq": "parquet"}


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


# optional packages a format needs: (module, pip extra)
REQUIRES = {"parquet": ("pyarrow", "parquet"), "xlsx": ("openpyxl", "excel")}
MANIFEST = "manifest.json"
LABELS = ("zh",)


class MissingWriterError(RuntimeError):
    """An output format needs an optional package that is not installed."""


def _installed(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def check_formats(formats: str | Iterable[str]) -> list[str]:
    """Canonical format names of ``formats``, after checking that every package they need is
    installed: call it before reading any file, so a missing package fails the run at once.

    Raises ValueError for an unknown format, :class:`MissingWriterError` naming the package and
    the install line for a missing one."""
    fmts = parse_formats(formats)
    missing = [(f, *REQUIRES[f]) for f in fmts if f in REQUIRES and not _installed(REQUIRES[f][0])]
    if missing:
        parts = [f"--to {f} needs {mod} (pip install 'report_extract[{extra}]')" for f, mod, extra in missing]
        raise MissingWriterError("; ".join(parts) + "; nothing was read")
    return fmts


class Written(list):
    """The files a run wrote (a list of paths), with ``removed``: files of an earlier run deleted."""

    removed: list[Path]

    def __init__(self, paths: Iterable[Path] = (), removed: Iterable[Path] = ()):
        super().__init__(paths)
        self.removed = list(removed)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _earlier_files(outdir: Path) -> list[str]:
    """The file names an earlier run listed in ``outdir/manifest.json`` (none if unreadable)."""
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
        return [str(f["path"]) for f in data.get("files", []) if isinstance(f, dict) and "path" in f]
    except (OSError, ValueError, TypeError, AttributeError):
        return []


def _remove_stale(outdir: Path, earlier: list[str], written: list[Path]) -> list[Path]:
    """Delete files listed by the earlier manifest that this run did not write (plain file names
    inside ``outdir`` only)."""
    keep = {p.name for p in written} | {MANIFEST}
    removed = []
    for name in earlier:
        if name in keep or Path(name).name != name or name in ("", ".", ".."):
            continue
        target = outdir / name
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed.append(target)
    return removed


def _version() -> str:
    try:
        return importlib.metadata.version("report_extract")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def write_manifest(outdir: Path, written: list[Path], formats: list[str], frames: Mapping[str, pd.DataFrame | int]) -> Path:
    """``manifest.json``: the formats, tables (with row counts: ``frames`` gives each table's frame
    or its number of rows) and files (with SHA-256) of this run."""
    desc = {
        "generator": f"report_extract {_version()}",
        "formats": [f for f in FORMATS if f in formats],
        "tables": {name: frame if isinstance(frame, int) else len(frame) for name, frame in frames.items()},
        "files": [{"path": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p)} for p in sorted(set(written), key=lambda p: p.name)],
    }
    target = outdir / MANIFEST
    atomic_write_bytes(target, (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return target


def write_dataset(
    frames: Mapping[str, pd.DataFrame],
    outdir: str | os.PathLike,
    formats: str | Iterable[str] = ("csv",),
    *,
    bom: bool = False,
    labels: str | None = None,
    safe_text: bool = True,
) -> Written:
    """Write finished frames (:func:`report_extract.dataset.dataset_frames`) into ``outdir`` in
    every format asked; returns the files written (``manifest.json`` last; ``.removed`` lists the
    files of an earlier run that were deleted).

    ``csv``: one file per table (``reports.csv``, ``cells.csv``, ``proactive.csv``, ``requests.csv``,
    ``review_litigation.csv``, ``checks.csv``, ``issues.csv``, ``errors.csv``, ``crosschecks.csv``,
    ``sections.csv``), with a UTF-8 BOM when ``bom`` (for Excel on Windows); ``parquet``: the same
    as ``.parquet``; ``xlsx``: ``reports.xlsx`` (Chinese column headers with ``labels="zh"``);
    ``jsonl``: one ``.jsonl`` per table; ``sqlite``: ``reports.db`` plus Datasette's
    ``metadata.json``; ``datapackage``: ``datapackage.json`` describing the CSVs.
    ``safe_text`` (default True): in CSV and XLSX, texts starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a CR get a leading apostrophe (:func:`~.plain.safe_text`; XLSX texts are never formulas
    either way); False for pipelines that need the texts verbatim.
    """
    from . import csv as csv_writer
    from . import datapackage, excel, jsonl, parquet, sqlite

    if labels is not None and labels not in LABELS:
        raise ValueError(f"labels must be one of {', '.join(LABELS)} or None, not {labels!r}")
    fmts = check_formats(formats)
    if "datapackage" in fmts and "csv" not in fmts:
        fmts.insert(0, "csv")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    earlier = _earlier_files(out)
    writers: dict[str, Callable[[], list[Path]]] = {
        "csv": lambda: csv_writer.write_csv(frames, out, bom=bom, safe_text=safe_text),
        "parquet": lambda: parquet.write_parquet(frames, out),
        "xlsx": lambda: excel.write_excel(frames, out / "reports.xlsx", labels=labels, safe_text=safe_text),
        "jsonl": lambda: jsonl.write_jsonl(frames, out),
        "sqlite": lambda: sqlite.write_sqlite(frames, out / "reports.db"),
        "datapackage": lambda: datapackage.write_datapackage(frames, out, bom=bom),
    }
    written: list[Path] = []
    for f in fmts:
        written += writers[f]()
    removed = _remove_stale(out, earlier, written)
    written.append(write_manifest(out, written, fmts, frames))
    return Written(written, removed)


__all__ = ["write_dataset", "check_formats", "parse_formats", "write_manifest", "atomic_path", "atomic_write_bytes",
           "FORMATS", "MissingWriterError", "Written"]
