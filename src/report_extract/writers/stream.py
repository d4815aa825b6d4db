"""Streaming writers: the output tables appended chunk by chunk, never held whole.

:class:`DatasetSink` opens every file of every format asked at once, each as a temporary file in
the output folder; :meth:`DatasetSink.append` adds a chunk of typed rows to one table in every
format (CSV and JSON Lines appended, a Parquet row group per chunk, SQLite inserts, rows of an
Excel write-only sheet). The rows can also be *rendered* elsewhere: :class:`Renderer` (picklable,
so a worker process can run it) turns a typed frame into what each format appends (CSV or JSON
Lines bytes, an Arrow table, SQLite row tuples), and :meth:`DatasetSink.append_rendered` appends
such pieces, so the process that owns the files only concatenates them; :meth:`DatasetSink.close` finishes the files (SQLite indexes and
full-text index, the Data Package descriptor, Datasette's metadata) and only then moves each over
its target, then writes ``manifest.json``. :meth:`DatasetSink.abort` removes the temporary files:
a run that stops half way leaves the earlier outputs as they were, never a half-written file.

The files hold the same rows and values as :func:`report_extract.writers.write_dataset` writes for
the same frames (CSV and JSON Lines byte for byte; Parquet in several row groups; an Excel table
over 1,048,575 rows continues on ``<name>_2`` after the other sheets).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import LABELS, MANIFEST, Written, _earlier_files, _remove_stale, check_formats, write_manifest
from .atomic import _UMASK
from .csv import frame_to_csv_bytes
from .datapackage import package_descriptor
from .fields import table_specs
from .jsonl import rows_to_jsonl
from .plain import FORMULA_START, number_text, safe_text
from .rows import Row, frame_rows, kinds_of

__all__ = ["DatasetSink", "Renderer", "sink_formats"]


def sink_formats(formats: str | Iterable[str]) -> list[str]:
    """The formats a :class:`DatasetSink` writes for ``formats`` (checked; a Data Package needs its CSV files)."""
    fmts = check_formats(formats)
    if "datapackage" in fmts and "csv" not in fmts:
        fmts.insert(0, "csv")
    return fmts


def _csv_rows(name: str, rows: list[Row], safe: bool) -> bytes:
    """CSV bytes of ``rows`` (no header), as ``frame_to_csv_bytes`` writes them (pandas writes
    through the ``csv`` module too): numbers by :func:`~.plain.number_text`, missing values empty,
    texts a spreadsheet would run with a leading apostrophe when ``safe``."""
    if not rows:
        return b""
    columns = [col if c is None else c(col) for c, col in zip(_csv_converters(name, safe), zip(*rows))]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(zip(*columns))
    return buf.getvalue().encode("utf-8")


def _number_column(values: tuple) -> list:
    return list(map(number_text, values))


_FORMULA_AT_START = re.compile("(?:^|\x00)[" + re.escape("".join(FORMULA_START)) + "]")


def _safe_column(values: tuple) -> Sequence:
    """A text column with :func:`~.plain.safe_text` applied; looked for in one search over the
    joined texts first, since almost no text starts like a formula."""
    if _FORMULA_AT_START.search("\x00".join(filter(None, values))) is None:
        return values
    return list(map(safe_text, values))


@lru_cache(maxsize=64)
def _csv_converters(name: str, safe: bool) -> tuple:
    """Per column: the function making its CSV texts (None: the ``csv`` module writes it as it is)."""
    by_type = {"number": _number_column, "string": _safe_column if safe else None}
    return tuple(by_type.get(kind) for kind in kinds_of(name))


def _jsonl_rows(name: str, rows: list[Row], safe: bool) -> bytes:
    return rows_to_jsonl(table_specs()[name].columns, rows).encode("utf-8")


@lru_cache(maxsize=64)
def _arrow_schema(name: str):
    import pyarrow as pa

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    return pa.schema([(f.name, types[f.type]) for f in table_specs()[name].fields])


def _arrow_rows(name: str, rows: list[Row], safe: bool):
    import pyarrow as pa

    if not rows:
        return None
    schema = _arrow_schema(name)
    return pa.Table.from_arrays([pa.array(list(col), type=f.type) for col, f in zip(zip(*rows), schema)], schema=schema)


def _same_rows(name: str, rows: list[Row], safe: bool) -> list[Row]:
    return rows


_RENDER = {"csv": _csv_rows, "jsonl": _jsonl_rows, "parquet": _arrow_rows, "sqlite": _same_rows, "xlsx": _same_rows}


@dataclass(frozen=True)
class Renderer:
    """Turns a typed chunk of one table into what every format of a :class:`DatasetSink` appends
    (:meth:`DatasetSink.append_rendered`), in the sink's order of formats. Picklable: a worker
    process renders the rows of the reports it read, and the parent only appends the pieces."""

    formats: tuple[str, ...]
    safe_text: bool = True

    @classmethod
    def for_formats(cls, formats: str | Iterable[str], safe_text: bool = True) -> Renderer:
        """The renderer of a sink writing ``formats`` (as :class:`DatasetSink` takes them)."""
        return cls(tuple(f for f in sink_formats(formats) if f in _RENDER), safe_text)

    def render(self, name: str, rows: list[Row]) -> tuple[int, tuple]:
        """``(n, pieces)``: the number of ``rows`` (plain typed tuples of table ``name``,
        :mod:`~report_extract.writers.rows`) and one piece per format."""
        return len(rows), tuple(_RENDER[f](name, rows, self.safe_text) for f in self.formats)


class _Temp:
    """A temporary file next to ``target``, moved over it by :meth:`commit`."""

    def __init__(self, target: Path):
        self.target = target
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        self.path = Path(tmp)

    def commit(self) -> Path:
        os.chmod(self.path, 0o666 & ~_UMASK)
        os.replace(self.path, self.target)
        return self.target

    def discard(self) -> None:
        if self.path.exists():
            self.path.unlink()


class _TextSink:
    """CSV or JSON Lines: one file per table, rows appended."""

    def __init__(self, outdir: Path, names: list[str], fmt: str, bom: bool, safe: bool = True):
        self.fmt, self.bom, self.safe = fmt, bom, safe
        self.temps = {n: _Temp(outdir / f"{n}.{'csv' if fmt == 'csv' else 'jsonl'}") for n in names}
        self.files = {n: open(t.path, "wb") for n, t in self.temps.items()}  # noqa: SIM115 - closed in close()
        if fmt == "csv":
            specs = table_specs()
            for n, fh in self.files.items():
                fh.write(frame_to_csv_bytes(pd.DataFrame(columns=specs[n].columns), bom=bom))

    def append_rendered(self, name: str, pieces: list[bytes]) -> None:
        self.files[name].write(b"".join(pieces))

    def close(self) -> list[Path]:
        for fh in self.files.values():
            fh.close()
        return [t.commit() for t in self.temps.values()]

    def abort(self) -> None:
        for fh in self.files.values():
            fh.close()
        for t in self.temps.values():
            t.discard()


class _ParquetSink:
    """Parquet: one file per table, a row group per chunk, types from the table specs."""

    def __init__(self, outdir: Path, names: list[str]):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise RuntimeError("Parquet output needs pyarrow: pip install 'report_extract[parquet]'") from None
        self.pa = pa
        self.schemas = {n: _arrow_schema(n) for n in names}
        self.temps = {n: _Temp(outdir / f"{n}.parquet") for n in names}
        self.writers = {n: pq.ParquetWriter(self.temps[n].path, self.schemas[n]) for n in names}
        self.rows = dict.fromkeys(names, 0)

    def append_rendered(self, name: str, pieces: list) -> None:
        tables = [t for t in pieces if t is not None]
        if tables:
            table = tables[0] if len(tables) == 1 else self.pa.concat_tables(tables)
            self.writers[name].write_table(table)
            self.rows[name] += len(table)

    def close(self) -> list[Path]:
        for n, w in self.writers.items():
            if not self.rows[n]:  # an empty table still gets one (empty) row group, as write_table does
                w.write_table(self.schemas[n].empty_table())
            w.close()
        return [t.commit() for t in self.temps.values()]

    def abort(self) -> None:
        for w in self.writers.values():
            try:
                w.close()
            except Exception:  # noqa: BLE001 - the file is removed anyway
                pass
        for t in self.temps.values():
            t.discard()


class _SqliteSink:
    """SQLite: tables created first, rows inserted per chunk, indexes and full-text index at the end."""

    def __init__(self, outdir: Path, names: list[str]):
        from .sqlite import create_table

        self.names = names
        self.temp = _Temp(outdir / "reports.db")
        self.temp.path.unlink()
        self.con = sqlite3.connect(self.temp.path)
        self.con.execute("PRAGMA foreign_keys = ON")
        for n in names:
            create_table(self.con, n, "reports" in names)

    def append_rendered(self, name: str, pieces: list[list[Row]]) -> None:
        from .sqlite import insert_tuples

        insert_tuples(self.con, name, itertools.chain.from_iterable(pieces))

    def close(self) -> list[Path]:
        from .sqlite import finish_database, write_metadata

        try:
            finish_database(self.con, self.names)
            self.con.commit()
        finally:
            self.con.close()
        target = self.temp.commit()
        return [target, write_metadata(target, self.names)]

    def abort(self) -> None:
        self.con.close()
        self.temp.discard()


class _ExcelSink:
    """One workbook (openpyxl's write-only mode: each sheet streams to its own temporary file)."""

    def __init__(self, outdir: Path, names: list[str], labels: str | None, safe: bool = True):
        self.safe = safe
        try:
            from openpyxl import Workbook
        except ImportError:
            raise RuntimeError("Excel output needs openpyxl: pip install 'report_extract[excel]'") from None
        from .excel import headers

        self.target = outdir / "reports.xlsx"
        self.labels = labels
        self.wb = Workbook(write_only=True)
        specs = table_specs()
        self.columns = {n: specs[n].columns for n in names}
        self.sheets: dict[str, list] = {}
        self.rows: dict[str, int] = {}
        self._headers = headers
        for n in names:
            self._new_sheet(n)

    def _new_sheet(self, name: str) -> None:
        part = len(self.sheets.get(name, []))
        ws = self.wb.create_sheet(name if part == 0 else f"{name}_{part + 1}")
        ws.freeze_panes = "A2"
        ws.append(self._headers(name, self.columns[name], self.labels))
        self.sheets.setdefault(name, []).append(ws)
        self.rows[ws.title] = 0

    def append_rendered(self, name: str, pieces: list[list[Row]]) -> None:
        from .excel import MAX_ROWS, _cell

        for row in itertools.chain.from_iterable(pieces):
            ws = self.sheets[name][-1]
            if self.rows[ws.title] >= MAX_ROWS:
                self._new_sheet(name)
                ws = self.sheets[name][-1]
            ws.append([_cell(v, ws, self.safe) for v in row])
            self.rows[ws.title] += 1

    def close(self) -> list[Path]:
        from .excel import _column_letter, _deterministic

        for name, sheets in self.sheets.items():
            for ws in sheets:
                ws.auto_filter.ref = f"A1:{_column_letter(max(len(self.columns[name]), 1))}{self.rows[ws.title] + 1}"
        buf = io.BytesIO()
        self.wb.save(buf)
        temp = _Temp(self.target)
        temp.path.write_bytes(_deterministic(buf.getvalue()))
        return [temp.commit()]

    def abort(self) -> None:
        self.wb = None


class DatasetSink:
    """The output files of a dataset, written table chunk by table chunk (see the module docstring).

    ``names`` are the tables to write (in spec order), ``formats`` as in
    :func:`~report_extract.writers.write_dataset`; every chunk given to :meth:`append` must be
    typed by its table's spec (:func:`report_extract.dataset.typed`)."""

    def __init__(self, outdir: str | os.PathLike, formats: str | Iterable[str], names: list[str], *,
                 bom: bool = False, labels: str | None = None, safe_text: bool = True):
        if labels is not None and labels not in LABELS:
            raise ValueError(f"labels must be one of {', '.join(LABELS)} or None, not {labels!r}")
        fmts = sink_formats(formats)
        self.formats, self.names, self.bom = fmts, list(names), bom
        self.renderer = Renderer.for_formats(fmts, safe_text)
        self.out = Path(outdir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.counts = dict.fromkeys(self.names, 0)
        self.sinks: list = []
        try:
            for f in fmts:
                if f in ("csv", "jsonl"):
                    self.sinks.append(_TextSink(self.out, self.names, f, bom, safe_text))
                elif f == "parquet":
                    self.sinks.append(_ParquetSink(self.out, self.names))
                elif f == "sqlite":
                    self.sinks.append(_SqliteSink(self.out, self.names))
                elif f == "xlsx":
                    self.sinks.append(_ExcelSink(self.out, self.names, labels, safe_text))
        except BaseException:
            self.abort()
            raise

    def append(self, name: str, frame: pd.DataFrame) -> None:
        """Add the rows of ``frame`` (typed) to table ``name`` in every format."""
        if name in self.counts:
            self.append_rendered(name, [self.renderer.render(name, frame_rows(name, frame))])

    def append_rendered(self, name: str, items: Sequence[tuple[int, tuple]]) -> None:
        """Add rows rendered by this sink's :attr:`renderer` (:meth:`Renderer.render` results, in
        order) to table ``name`` in every format."""
        if name not in self.counts:
            return
        for k, sink in enumerate(self.sinks):
            sink.append_rendered(name, [pieces[k] for _n, pieces in items])
        self.counts[name] += sum(n for n, _pieces in items)

    def close(self) -> Written:
        """Finish every file, move it into place, remove an earlier run's stale files and write the
        manifest; returns the files written (``manifest.json`` last)."""
        from .atomic import atomic_write_bytes

        earlier = _earlier_files(self.out)
        written: list[Path] = []
        try:
            while self.sinks:
                written += self.sinks[0].close()
                self.sinks.pop(0)
        except BaseException:
            self.abort()
            raise
        if "datapackage" in self.formats:
            import json

            target = self.out / "datapackage.json"
            text = json.dumps(package_descriptor(self.names, bom=self.bom), ensure_ascii=False, indent=2) + "\n"
            atomic_write_bytes(target, text.encode("utf-8"))
            written.append(target)
        removed = _remove_stale(self.out, earlier, written)
        written.append(write_manifest(self.out, written, self.formats, self.counts))
        assert written[-1].name == MANIFEST
        return Written(written, removed)

    def abort(self) -> None:
        """Remove every temporary file (the targets are left as they were)."""
        for sink in self.sinks:
            sink.abort()
        self.sinks = []
