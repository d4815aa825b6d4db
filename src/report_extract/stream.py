"""Streamed batches: many reports written to the outputs with flat memory in the parent.

:func:`write_reports` is what ``report-extract DIR -o OUT`` runs. It writes the same files, row
for row and value for value, as ``read_reports(...).write(...)`` (which holds every report in
memory and stays the API for small batches), in three steps:

1. **Collect.** Results come from the workers (:func:`report_extract.batch.iter_results`, or
   :func:`~report_extract.batch.iter_dask`) in whatever order they finish. Each report goes to a
   temporary on-disk store (:class:`~report_extract.spool.Spool`); the parent keeps only a
   :class:`Compact` summary: its ``reports`` row, its publisher keys, what duplicate detection
   needs (a fingerprint of the printed values and three counts), the carry-over cells the
   cross-checks compare and, for cross-year settling, only the cells named by the identities of
   ``data/crossyear.csv`` plus its ambiguous readings.
2. **Settle.** Paired renderings (:mod:`report_extract.pairing`) are settled group by group: a
   rendering whose settled values equal the reference's (a digest) and that has no ambiguous
   reading cannot change and is never read back; the others are read back, settled and put again.
   Cross-year settling (:mod:`report_extract.crossyear`) runs one publisher at a time on small
   proxy reports built from the compact summaries; the changes it makes (cells, checks, issues) are
   applied to the few full reports concerned, read back from the store. Duplicates
   (``is_primary``) and the cross-checks are computed from the compact summaries.
3. **Write.** The rows of every report were rendered by the worker that read it, for every output
   table and format (:func:`render_report`: CSV bytes, Arrow tables, SQLite tuples ...) and stored
   with it; they are read back in input order and appended, in chunks, to every output table in
   every format (:class:`~report_extract.writers.stream.DatasetSink`: temporary files moved into
   place only when all is written). Only the reports cross-report work changed are rendered again,
   by the parent; the wide tables take the rows of the primary reports.
"""

from __future__ import annotations

import math
import os
import pickle
import sys
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import pandas as pd

from . import batch, crossyear, pairing
from .checks import CHECK_COLUMNS, run_checks
from .dataset import dataset_frames, publisher_of_row, report_frame
from .duplicates import cell_stats_of_rows
from .options import DEFAULT_JOBS, ReadOptions, batch_options
from .pipeline import Result, make_options, read_one
from .report import ISSUE_COLUMNS, Report
from .report_rows import PER_REPORT, report_rows
from .schema import TABLES
from .spool import Spool
from .values import is_missing
from .writers.fields import table_specs
from .writers.stream import Renderer

CHUNK_REPORTS = 50  # reports per chunk appended to the outputs (their frames are the largest thing held)
CARRY_ROWS = ("carried_over", "carried_forward")
_PROXY_CELL_COLUMNS = ["_pos", "table", "row", "column", "value", "raw", "unit", "confidence"]


@lru_cache(maxsize=1)
def identity_cells() -> frozenset[str]:
    """Every ``table.row.column`` named by a cross-year identity."""
    return frozenset(c for ident in crossyear.identities() for _w, c, _s in ident.later + ident.earlier)


def _i(v: Any) -> Any:
    """A code as one shared string object (kept once however many reports hold it)."""
    return sys.intern(v) if isinstance(v, str) else v


def _f(v: Any) -> float:
    """A cell value as a plain float (a numpy scalar costs more; missing as NaN, as in the frame)."""
    return math.nan if v is None else float(v)


@dataclass
class Compact:
    """What the parent keeps of one report of a streamed batch (see the module docstring).

    Kept small, since the parent holds one per report: its ``reports`` row, carry-over cells and
    publisher are tuples whose keys (and a publisher met before) are shared between reports
    (:meth:`share`); :attr:`row`, :attr:`carry` and :attr:`publisher_info` give them back."""

    row_keys: tuple[str, ...]
    row_values: tuple
    pair_key: tuple[Hashable, int] | None
    year_key: tuple[Hashable | None, int | None]
    template: Any
    rank: tuple
    settled: int  # hash of the settled values (pairing compares renderings on it)
    has_alternatives: bool
    meta: dict[str, Any]  # agency, year, path, template, alternatives: what cross-year work reads
    cells: tuple  # (_pos, table, row, column, value, raw, unit, confidence) of identity/alternative cells
    ambiguous: tuple  # (_pos, code, severity, message, where) of ambiguous_split issues
    stats: tuple  # duplicates.cell_stats
    carry_keys: tuple  # (row, column) of the carry-over cells
    carry_values: tuple  # their values
    publisher: tuple  # publisher_info of the report (dataset.publisher_of_row), as its items
    extra: dict = field(default_factory=dict)

    @property
    def row(self) -> dict[str, Any]:
        """The report's row of ``reports`` (its summary, with ``report_id``)."""
        return dict(zip(self.row_keys, self.row_values))

    @property
    def report_id(self) -> str:
        return self.row_values[self.row_keys.index("report_id")]

    @property
    def carry(self) -> tuple:
        """``(row, column, value)`` of the carry-over cells."""
        return tuple((r, c, v) for (r, c), v in zip(self.carry_keys, self.carry_values))

    @property
    def publisher_info(self) -> dict[str, Any]:
        return dict(self.publisher)

    def share(self, seen: dict) -> None:
        """Replace the row's keys, the carry-over keys and the publisher by equal objects met
        before (``seen``: one dict for the batch), so reports hold them once."""
        for name in ("row_keys", "carry_keys", "publisher"):
            value = getattr(self, name)
            try:
                setattr(self, name, seen.setdefault(value, value))
            except TypeError:  # an unhashable value: kept as it is
                pass


def compact(rid: str, rep: Report, pair_key, year_key) -> Compact:
    """The :class:`Compact` summary of one report (made from its plain rows: no frame is built)."""
    rows = rep.plain_rows("cells")
    alts = rep.meta.get("alternatives") or []
    alt_names = {n for a in alts for n in a["cells"]}
    keep = identity_cells() | alt_names
    kept: list[tuple] = []
    carry: list[tuple] = []
    settled_vals: dict[str, float] = {}
    n_ambiguous = 0
    for pos, (t, r, c, v, raw, unit, conf, *_provenance) in enumerate(rows):
        name = f"{t}.{r}.{c}"
        if name in keep:
            a = name in alt_names
            kept.append((pos, _i(t), _i(r), _i(c), _f(v), raw if a else None, unit if a else None, _i(conf)))
        if t == "requests" and r in CARRY_ROWS:
            carry.append((_i(r), _i(c), _f(v)))
        if conf in pairing.SETTLED:
            settled_vals[name] = 0.0 if is_missing(v) else float(v)
        elif conf == "ambiguous":
            n_ambiguous += 1
    amb = tuple((i, code, sev, msg, where) for i, (code, sev, msg, where) in enumerate(rep.plain_rows("issues"))
                if code == "ambiguous_split")
    meta = {k: rep.meta.get(k) for k in ("agency", "year", "path", "template")}
    meta["alternatives"] = alts
    row = {"report_id": rid, **rep.summary()}
    return Compact(
        row_keys=tuple(row), row_values=tuple(_i(v) for v in row.values()), pair_key=pair_key, year_key=year_key,
        template=rep.meta.get("template"), rank=pairing.rank_of(rep.meta, n_ambiguous, len(rows)),
        settled=hash(tuple(sorted(settled_vals.items()))), has_alternatives=bool(alts), meta=meta,
        cells=tuple(kept), ambiguous=amb, stats=cell_stats_of_rows(rows),
        carry_keys=tuple((r, c) for r, c, _v in carry), carry_values=tuple(v for _r, _c, v in carry),
        publisher=tuple((k, _i(v)) for k, v in publisher_of_row(row).items()),
    )


# --------------------------------------------------------------------------------------------
# settling on compact summaries


def _settle_renderings(compacts: dict[int, Compact], spool: Spool, packer: Packer) -> None:
    """:func:`report_extract.pairing.settle_by_renderings`, reading back only the renderings that
    can change."""
    groups: dict[tuple, list[int]] = {}
    for idx in sorted(compacts):
        k = compacts[idx].pair_key
        if k is not None:
            groups.setdefault(k, []).append(idx)
    for members in groups.values():
        if len(members) < 2 or len({compacts[i].template for i in members}) > 1:
            continue
        ref_i = min(members, key=lambda i: compacts[i].rank)
        ref: Report | None = None
        for i in members:
            c = compacts[i]
            if i == ref_i or (not c.has_alternatives and c.settled == compacts[ref_i].settled):
                continue
            if ref is None:
                ref = spool.get(ref_i)
                ref_vals = pairing._values(ref)
            rep = spool.get(i)
            new = pairing._settle_one(rep, ref, ref_vals)
            if not new.shares_frames(rep, "cells", "issues"):
                compacts[i] = packer.put(spool, i, c.report_id, new, c.pair_key, c.year_key)


def _proxy(idx: int, c: Compact) -> Report:
    cells = pd.DataFrame(list(c.cells), columns=_PROXY_CELL_COLUMNS)
    cells["value"] = cells["value"].astype("float64")
    issues = pd.DataFrame([(p, code, sev, msg, where) for p, code, sev, msg, where in c.ambiguous],
                          columns=["_pos", *ISSUE_COLUMNS])
    meta = dict(c.meta)
    meta["alternatives"] = [dict(a) for a in c.meta["alternatives"]]
    meta["_idx"], meta["_key"] = idx, c.year_key[0]
    return Report(cells=cells, checks=pd.DataFrame(columns=CHECK_COLUMNS), issues=issues, meta=meta)


def _apply_proxy(rep: Report, old: Report, new: Report) -> Report:
    """The full report ``rep`` with the changes cross-year settling made to its proxy (``old`` ->
    ``new``): cells re-read, checks recomputed, issues dropped and added, readings narrowed."""
    out = Report(cells=rep.cells, checks=rep.checks, issues=rep.issues, meta=dict(rep.meta), sections=rep.sections)
    if new.cells is not old.cells:
        cells = rep.cells.copy()
        cols = ["raw", "value", "unit", "confidence"]
        for (_, a), (_, b) in zip(old.cells.iterrows(), new.cells.iterrows()):
            if any(not (x == y or (is_missing(x) and is_missing(y))) for x, y in zip(a[cols], b[cols])):
                cells.loc[cells.index[int(a["_pos"])], cols] = list(b[cols])
        out.cells = cells
        out.checks = run_checks(cells, rep.meta["template"])
    if new.issues is not old.issues:
        kept = {int(p) for p in new.issues["_pos"].dropna()}
        dropped = {int(p) for p in old.issues["_pos"]} - kept
        base = rep.issues[[i not in dropped for i in range(len(rep.issues))]]
        added = new.issues[new.issues["_pos"].isna()][ISSUE_COLUMNS]
        out.issues = pd.concat([base, added], ignore_index=True)
    out.meta["alternatives"] = new.meta.get("alternatives")
    return out


def _settle_years(compacts: dict[int, Compact], spool: Spool, packer: Packer) -> None:
    """:func:`report_extract.crossyear.settle_across_years`, one publisher at a time on proxies."""
    firsts: dict[tuple, int] = {}
    for idx in sorted(compacts):
        key, year = compacts[idx].year_key
        if key is not None and year is not None:
            firsts.setdefault((key, year), idx)
    by_pub: dict[Hashable, list[int]] = {}
    for (key, _year), idx in firsts.items():
        by_pub.setdefault(key, []).append(idx)
    if len(firsts) < 2:
        return
    for members in by_pub.values():
        if len(members) < 2:
            continue
        members.sort()
        proxies = [_proxy(i, compacts[i]) for i in members]
        settled = crossyear.settle_across_years(proxies, group=lambda r: r.meta["_key"])
        for i, old, new in zip(members, proxies, settled):
            if new is old:
                continue
            c = compacts[i]
            full = _apply_proxy(spool.get(i), old, new)
            compacts[i] = packer.put(spool, i, c.report_id, full, c.pair_key, c.year_key)


# --------------------------------------------------------------------------------------------
# the batch


@dataclass
class StreamedSet:
    """What a streamed batch returns: the files written, and its ``reports`` and ``errors``
    tables (the per-report frames are in the files only)."""

    written: list
    reports: pd.DataFrame
    errors: pd.DataFrame
    counts: dict[str, int]

    def __len__(self) -> int:
        return len(self.reports)


def _carry_frame(compacts: dict[int, Compact]) -> pd.DataFrame:
    rows = [(c.report_id, "requests", r, col, v) for idx in sorted(compacts) for c in (compacts[idx],) for r, col, v in c.carry]
    return pd.DataFrame(rows, columns=["report_id", "table", "row", "column", "value"])


def render_report(rid: str, rep: Report, tables: Iterable[str], renderer: Renderer) -> dict[str, tuple[int, tuple]]:
    """The rows report ``rid`` adds to each per-report output table in ``tables``
    (:func:`~report_extract.report_rows.report_rows`), rendered for every output format
    (:meth:`~report_extract.writers.stream.Renderer.render`)."""
    return {name: renderer.render(name, rows) for name, rows in report_rows(rid, rep, tables).items()}


@dataclass(frozen=True)
class Packer:
    """What a worker makes of one finished report (:func:`report_extract.batch.iter_results`'s
    ``pack``): its :class:`Compact` summary, the pickled report for the store and, with a
    ``renderer``, its rows of the output ``tables`` rendered for every format, so the parent does
    no per-report work but keep the first and store the others."""

    group: Any
    renderer: Renderer | None = None
    tables: tuple[str, ...] = ()

    def __call__(self, result: Result) -> tuple:
        rid, rep, err = result
        if rep is None:
            return result
        c = compact(rid, rep, pairing._key(rep, self.group), crossyear._key(rep, self.group))
        rendered = None
        if self.renderer is not None:
            rendered = pickle.dumps(render_report(rid, rep, self.tables, self.renderer), protocol=pickle.HIGHEST_PROTOCOL)
        return rid, (c, pickle.dumps(rep, protocol=pickle.HIGHEST_PROTOCOL), rendered), err

    @staticmethod
    def put(spool: Spool, idx: int, rid: str, rep: Report, pair_key, year_key) -> Compact:
        """Store a report the parent changed (cross-report settling); its new summary."""
        spool.put(idx, rep)
        return compact(rid, rep, pair_key, year_key)


def write_reports(
    paths: Iterable[str | os.PathLike] | str | os.PathLike,
    outdir: str | os.PathLike,
    formats: str | Iterable[str] = "csv",
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
    bom: bool = False,
    labels: str | None = None,
    tables: Iterable[str] | None = None,
    safe_text: bool = True,
    spool_dir: str | os.PathLike | None = None,
    **overrides: Any,
) -> StreamedSet:
    """Read many reports and stream the dataset into ``outdir`` (see the module docstring):
    the files ``read_reports(paths, ...).write(outdir, formats, ...)`` writes, with memory that
    does not grow with the batch. Arguments are those of :func:`report_extract.read_reports` and
    :meth:`ReportSet.write`; ``spool_dir`` is where the temporary store goes (default: the
    system's temporary folder)."""
    from .inputs import scan_paths
    from .writers import check_formats
    from .writers.stream import DatasetSink

    fmts = check_formats(formats)
    renderer = Renderer.for_formats(fmts, safe_text)
    specs = table_specs()
    wanted = list(specs) if tables is None else [t for t in specs if t in set(tables)]
    unknown = set(tables or ()) - set(specs)
    if unknown:
        raise ValueError(f"unknown table {', '.join(sorted(unknown))}; choose from {', '.join(specs)}")
    opts = batch_options(make_options(options, **overrides), timeout)
    scan = scan_paths(paths)  # every path not read is a row of errors, as in read_reports
    files = scan.files
    worker = partial(read_one, options=opts)
    packer = Packer(group, renderer, tuple(t for t in wanted if t in PER_REPORT))
    if engine == "dask":
        results: Iterator[tuple[int, tuple]] = batch.iter_dask(files, worker, scheduler, jobs or None, progress=progress, pack=packer)
    elif engine in ("processes", "local", None):
        results = batch.iter_results(files, worker, jobs or None, timeout=opts.timeout, cache_dir=cache_dir,
                                     cache_tag=opts.cache_key(), reuse_cache=resume, progress=progress, pack=packer)
    else:
        raise ValueError(f"engine must be 'processes' or 'dask', not {engine!r}")
    with Spool(spool_dir) as spool:
        compacts: dict[int, Compact] = {}
        shared: dict = {}  # keys and publishers met so far (Compact.share)
        errors: dict[int, dict] = {}
        for idx, (_rid, packed, err) in results:
            if packed is None:
                errors[idx] = err
                continue
            compacts[idx], blob, rendered = packed
            compacts[idx].share(shared)
            spool.put_blobs(idx, blob, rendered)
        _settle_renderings(compacts, spool, packer)
        if cross_year:
            _settle_years(compacts, spool, packer)
        order = sorted(compacts)
        reports = report_frame(pd.DataFrame([compacts[i].row for i in order]), None,
                               stats={compacts[i].report_id: compacts[i].stats for i in order},
                               publishers=[compacts[i].publisher_info for i in order])
        error_frame = pd.DataFrame([errors[i] for i in sorted(errors)] + list(scan.skipped),
                                   columns=["path", "error", "reason"])
        # the tables of the whole set, from the compact summaries
        small = _SmallSet(reports=reports, cells=_carry_frame(compacts), errors=error_frame)
        head = dataset_frames(small, tables=[t for t in wanted if t in ("reports", "errors", "crosschecks")])
        primary = set(reports.loc[reports["is_primary"].fillna(True).astype(bool), "report_id"]) if len(reports) else set()
        sink = DatasetSink(outdir, fmts, wanted, bom=bom, labels=labels, safe_text=safe_text)
        assert sink.renderer == renderer, "the workers rendered for other formats"
        try:
            if "reports" in head:
                sink.append("reports", head["reports"])
            for chunk in _chunks(compacts, spool, packer):
                _write_chunk(sink, packer.tables, chunk, primary)
            for name in ("errors", "crosschecks"):
                if name in head:
                    sink.append(name, head[name])
            written = sink.close()
        except BaseException:
            sink.abort()
            raise
    return StreamedSet(written=written, reports=reports, errors=error_frame, counts=dict(sink.counts))


def _chunks(compacts: dict[int, Compact], spool: Spool, packer: Packer) -> Iterator[list[tuple[str, dict]]]:
    """The reports' rendered rows in input order, :data:`CHUNK_REPORTS` at a time; a report the
    parent changed (stored without its rows) is rendered here."""
    chunk: list[tuple[str, dict]] = []
    for idx, rendered, rep in spool.rendered():
        rid = compacts[idx].report_id
        if rendered is None:
            rendered = render_report(rid, rep, packer.tables, packer.renderer)
        chunk.append((rid, rendered))
        if len(chunk) >= CHUNK_REPORTS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _SmallSet:
    reports: pd.DataFrame
    cells: pd.DataFrame
    errors: pd.DataFrame
    checks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["report_id", *CHECK_COLUMNS]))
    issues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["report_id", *ISSUE_COLUMNS]))
    sections: pd.DataFrame | None = None


def _write_chunk(sink, tables: tuple[str, ...], chunk: list[tuple[str, dict]], primary: set[str]) -> None:
    """Append the rendered rows of a chunk of reports to every per-report table (the wide tables:
    primary reports only)."""
    for name in tables:
        sink.append_rendered(name, [r[name] for rid, r in chunk if name not in TABLES or rid in primary])


__all__ = ["write_reports", "StreamedSet", "Compact", "compact", "identity_cells", "Packer", "CHUNK_REPORTS",
           "render_report"]
