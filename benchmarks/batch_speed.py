"""Batch throughput (reports per second) of read_reports / the CLI pipeline on generated reports.

Usage::

    .venv/bin/python benchmarks/batch_speed.py [--n 300] [--repeat 3] [--out benchmarks/results/batch_speed.json]

Writes ``--n`` generated reports (report_synth, text renderings in three layouts, both
templates, some with every layout quirk) into a temporary folder and reads them with:

* ``jobs=1``: one process, in-process reading;
* ``jobs=2``: two worker processes (with the per-file time limit machinery on);
* ``dask``: a local dask.distributed cluster of two worker processes on 127.0.0.1 (cluster start-up
  timed separately), if dask is installed;
* ``cached``: a rerun with the content-hash cache filled (what ``--resume`` costs);
* ``write``: writing every output format of the dataset.

Each line also gives the CPU seconds used (this process plus its worker processes): when the
wall-clock time of ``jobs=2`` is not below ``jobs=1`` while its CPU time is about the same, the
machine had no second core free (other load), not the pool overhead.

Times are medians of ``--repeat`` runs. Numbers depend on the machine and on what else runs on it
(the load average is recorded): compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import report_extract as rx  # noqa: E402
from report_extract.writers import write_dataset  # noqa: E402
from report_synth import QUIRKS, make_report  # noqa: E402
from report_synth.text import render_text  # noqa: E402


def make_corpus(folder: Path, n: int) -> list[str]:
    """``n`` generated reports in ``folder``."""
    files = []
    for seed in range(n):
        tpl = "2019" if seed % 4 == 0 else "2021"
        q = set(QUIRKS) - {"single_other"} if seed % 3 == 0 else set()
        layout = ("pipe", "markdown", "tsv")[seed % 3]
        p = folder / f"r{seed:04d}.txt"
        p.write_text(render_text(make_report(seed, tpl, quirks=q, publisher_error=seed % 5 == 0), layout), encoding="utf-8")
        files.append(str(p))
    return files


CPU: list[float] = []  # CPU seconds (this process and its finished children) of the last timed() call


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall-clock seconds of ``repeat`` calls, and the last result; CPU[-1] = median CPU seconds."""
    times, cpus, result = [], [], None
    for _ in range(repeat):
        c0, t0 = os.times(), time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        c1 = os.times()
        cpus.append(sum(getattr(c1, a) - getattr(c0, a) for a in ("user", "system", "children_user", "children_system")))
    CPU.append(statistics.median(cpus))
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "batch_speed.json"))
    args = ap.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        files = make_corpus(folder, args.n)

        def record(name: str, seconds: float, rs=None, **extra) -> None:
            cpu = CPU[-1] if name != "dask" else None  # dask workers are not our children: not counted
            results[name] = {"seconds": round(seconds, 3), "reports_per_s": round(args.n / seconds, 1),
                             "cpu_s": None if cpu is None else round(cpu, 2), **extra}
            if rs is not None:
                assert len(rs) == args.n and rs.errors.empty, f"{name}: {len(rs.errors)} errors"
            cpu_text = "" if cpu is None else f"  (CPU {cpu:6.2f} s)"
            print(f"{name:>8}: {seconds:7.2f} s  {args.n / seconds:8.1f} reports/s{cpu_text}", flush=True)

        s, rs = timed(lambda: rx.read_reports(files, jobs=1), args.repeat)
        record("jobs=1", s, rs)
        s, rs = timed(lambda: rx.read_reports(files, jobs=2, timeout=300), args.repeat)
        record("jobs=2", s, rs)
        try:
            from dask.distributed import LocalCluster
        except ImportError:
            print("    dask: skipped (pip install 'report_extract[dask]')")
        else:
            t0 = time.perf_counter()
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0")
            startup = time.perf_counter() - t0
            try:
                s, rs = timed(lambda: rx.read_reports(files, engine="dask", scheduler=cluster.scheduler_address), args.repeat)
                record("dask", s, rs, workers=2, cluster_startup_s=round(startup, 2))
            finally:
                cluster.close()
        cache = Path(tmp) / "cache"
        rx.read_reports(files, jobs=2, cache_dir=cache)  # fills the cache
        s, rs = timed(lambda: rx.read_reports(files, jobs=2, cache_dir=cache), args.repeat)
        record("cached", s, rs)
        s, _ = timed(lambda: write_dataset(rs.frames(), Path(tmp) / "out", "csv,parquet,xlsx,jsonl,sqlite,datapackage"), args.repeat)
        record("write", s, None)
    meta = {"n_reports": args.n, "repeat": args.repeat, "cpus": os.cpu_count(), "python": platform.python_version(),
            "machine": platform.machine(), "load_average_1min_at_end": round(os.getloadavg()[0], 2)}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
