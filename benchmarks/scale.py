"""Archive scale: peak memory of the whole process tree and throughput of ``report-extract`` on
large batches (issue 12).

Usage::

    .venv/bin/python benchmarks/scale.py [--n 1000 10000] [--jobs 2] [--to csv,parquet,sqlite]
                                         [--held] [--speedup 600] [--out benchmarks/results/scale.json]

The batch is a base set copied into a temporary folder as many times as needed for ``N`` reports
(each copy in its own sub-folder, so every copy is its own report): the real corpus
(``../shared/corpus/docs``, when present), the bundled ``fixtures/examples`` and generated
reports in every format (report_synth: text in three layouts, glued text, HTML, DOCX, XLSX, PDF).
For each ``N`` the command line (``python -m report_extract.cli IN -o OUT --to FORMATS -j JOBS
--no-cache``: the streamed path, :func:`report_extract.write_reports`) runs in a child process;
a sampler sums the resident memory (RSS) of that process and all its descendants every 50 ms and
keeps the peak. ``--held`` also runs the in-memory path (``read_reports(...).write(...)``) for
comparison. ``--speedup M`` times ``-j 2`` against ``-j 1`` on the first ``M`` reports.

The machine's load average is recorded before and after each run: on a shared machine the cores
are not free, and throughput figures are then only indicative (memory figures are not affected).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
EXAMPLES = ROOT / "fixtures" / "examples"

HELD = """
import sys
import report_extract as rx
rs = rx.read_reports(sys.argv[1], jobs=int(sys.argv[3]))
rs.write(sys.argv[2], sys.argv[4])
"""


def base_set(folder: Path) -> list[Path]:
    """The files copied N times: the corpus (if present), the examples and generated reports."""
    from report_synth import make_report
    from report_synth.flat import render_flat
    from report_synth.html import render_html
    from report_synth.text import render_text

    folder.mkdir(parents=True, exist_ok=True)
    if CORPUS.is_dir():
        for f in sorted(CORPUS.iterdir()):
            if f.is_file() and not f.name.startswith("."):
                shutil.copy(f, folder / f"corpus_{f.name}")
    for f in sorted(EXAMPLES.iterdir()):
        if f.is_file():
            shutil.copy(f, folder / f"example_{f.name}")
    for seed in range(6):
        rep = make_report(100 + seed, "2019" if seed % 3 == 0 else "2021", agency=f"样本县{seed}", year=2020 + seed % 3)
        layout = ("pipe", "markdown", "tsv")[seed % 3]
        (folder / f"synth{seed}.txt").write_text(render_text(rep, layout), encoding="utf-8")
        (folder / f"synth{seed}_glued.txt").write_text(render_flat(rep, "glued"), encoding="utf-8")
        (folder / f"synth{seed}.html").write_bytes(render_html(rep))
        for mod, ext in (("docx", "docx"), ("xlsx", "xlsx"), ("pdf", "pdf")):
            try:
                render = getattr(__import__(f"report_synth.{mod}", fromlist=["x"]), f"render_{mod}")
                data = render(rep)
            except Exception:  # noqa: BLE001 - a renderer needing an optional package: left out
                continue
            (folder / f"synth{seed}.{ext}").write_bytes(data)
    return sorted(p for p in folder.iterdir() if p.is_file())


def make_batch(base: list[Path], folder: Path, n: int) -> Path:
    """``n`` files: copies of ``base`` in sub-folders ``c00000`` ... (hard links where possible)."""
    folder.mkdir(parents=True)
    k = 0
    while k < n:
        sub = folder / f"c{k // len(base):05d}"
        sub.mkdir()
        for f in base[: n - k]:
            try:
                os.link(f, sub / f.name)
            except OSError:
                shutil.copy(f, sub / f.name)
            k += 1
    return folder


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def run_measured(cmd: list[str]) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds of the tree and the peak RSS of the tree (MiB)."""
    load0 = os.getloadavg()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc = psutil.Process(child.pid)
    peak = 0
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                peak = max(peak, tree_rss(proc))
                for p in [proc, *proc.children(recursive=True)]:
                    t = p.cpu_times()
                    cpu[p.pid] = t.user + t.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
            done.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _out, err = child.communicate()
    done.set()
    th.join()
    secs = time.perf_counter() - t0
    if child.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} failed ({child.returncode}): {err.decode(errors='replace')[-2000:]}")
    return {"seconds": round(secs, 2), "cpu_s_sampled": round(sum(cpu.values()), 1), "peak_rss_mib": round(peak / 2**20, 1),
            "load_before": [round(x, 2) for x in load0], "load_after": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--to", default="csv,parquet,sqlite")
    ap.add_argument("--held", action="store_true", help="also measure read_reports(...).write(...) (everything held)")
    ap.add_argument("--speedup", type=int, default=0, help="time -j 2 against -j 1 on this many reports")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "scale.json"))
    args = ap.parse_args()
    py = sys.executable
    results: dict = {"runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        base = base_set(Path(tmp) / "base")
        formats = sorted({p.suffix.lower() for p in base})
        print(f"base set: {len(base)} files ({', '.join(formats)}); corpus {'included' if CORPUS.is_dir() else 'absent'}", flush=True)
        for n in args.n:
            batch = make_batch(base, Path(tmp) / f"in{n}", n)
            out = Path(tmp) / f"out{n}"
            r = run_measured([py, "-m", "report_extract.cli", str(batch), "-o", str(out), "--to", args.to,
                              "-j", str(args.jobs), "--no-cache", "-q"])
            r.update(n=n, mode="streamed", jobs=args.jobs, reports_per_s=round(n / r["seconds"], 1))
            results["runs"].append(r)
            print(json.dumps(r), flush=True)
            if args.held:
                r = run_measured([py, "-c", HELD, str(batch), str(Path(tmp) / f"held{n}"), str(args.jobs), args.to])
                r.update(n=n, mode="held", jobs=args.jobs, reports_per_s=round(n / r["seconds"], 1))
                results["runs"].append(r)
                print(json.dumps(r), flush=True)
            shutil.rmtree(out, ignore_errors=True)
        if args.speedup:
            batch = make_batch(base, Path(tmp) / "speed", args.speedup)
            for jobs in (1, 2):
                r = run_measured([py, "-m", "report_extract.cli", str(batch), "-o", str(Path(tmp) / f"s{jobs}"), "--to", "csv",
                                  "-j", str(jobs), "--no-cache", "-q"])
                r.update(n=args.speedup, mode="speedup", jobs=jobs, reports_per_s=round(args.speedup / r["seconds"], 1))
                results["runs"].append(r)
                print(json.dumps(r), flush=True)
    streamed = {r["n"]: r["peak_rss_mib"] for r in results["runs"] if r["mode"] == "streamed"}
    if len(streamed) >= 2:
        lo, hi = min(streamed), max(streamed)
        results["rss_ratio"] = {"n": [lo, hi], "ratio": round(streamed[hi] / streamed[lo], 3)}
        print(f"peak RSS {hi} / {lo} reports: {results['rss_ratio']['ratio']}", flush=True)
    sp = {r["jobs"]: r["seconds"] for r in results["runs"] if r["mode"] == "speedup"}
    if len(sp) == 2:
        results["speedup_j2_over_j1"] = round(sp[1] / sp[2], 3)
        print(f"-j 2 vs -j 1: {results['speedup_j2_over_j1']}x", flush=True)
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
