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
comparison. ``--speedup M`` times ``-j 2`` against ``-j 1`` on the first ``M`` reports (``--rounds
R`` times, alternating).

Every run records the CPU seconds of the whole tree (exact: the child's rusage) and their split
between the parent process and its workers (``cpu_s_parent``, ``cpu_s_workers``,
``parent_cpu_share``; sampled per pid): the parent's serial work is what keeps ``-j 2`` from twice
``-j 1``, and unlike wall times the split does not depend on what else the machine runs.

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
    for p in [proc, *_children(proc)]:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def run_measured(cmd: list[str]) -> dict:
    """Run ``cmd``; wall seconds, the peak RSS of the process tree (MiB) and its CPU seconds:
    exactly for the whole tree (the child's rusage, which includes its reaped workers), and split
    between the parent process and its workers (sampled every 50 ms with psutil, per pid)."""
    import resource

    load0 = os.getloadavg()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
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
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
            for p in [proc, *_children(proc)]:
                try:
                    t = p.cpu_times()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                cpu[p.pid] = t.user + t.system
            done.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _out, err = child.communicate()
    done.set()
    th.join()
    secs = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} failed ({child.returncode}): {err.decode(errors='replace')[-2000:]}")
    tree = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    parent = cpu.get(child.pid, 0.0)
    workers = sum(v for pid, v in cpu.items() if pid != child.pid)
    return {"seconds": round(secs, 2), "cpu_s": round(tree, 1), "cpu_s_parent": round(parent, 1),
            "cpu_s_workers": round(workers, 1), "parent_cpu_share": round(parent / tree, 3) if tree else None,
            "workers": len(cpu) - 1, "peak_rss_mib": round(peak / 2**20, 1),
            "load_before": [round(x, 2) for x in load0], "load_after": [round(x, 2) for x in os.getloadavg()]}


def _children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.children(recursive=True)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--to", default="csv,parquet,sqlite")
    ap.add_argument("--held", action="store_true", help="also measure read_reports(...).write(...) (everything held)")
    ap.add_argument("--speedup", type=int, default=0, help="time -j 2 against -j 1 on this many reports")
    ap.add_argument("--speedup-to", default="csv", help="output formats of the speedup runs")
    ap.add_argument("--rounds", type=int, default=1, help="speedup rounds (-j 1 and -j 2 alternating; the fastest of each kept)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "scale.json"))
    args = ap.parse_args()
    py = sys.executable
    results: dict = {"runs": [], "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()}}
    out_file = Path(args.out)
    out_file.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every run: a long run stopped half way keeps the figures it has
        out_file.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
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
            save()
            print(json.dumps(r), flush=True)
            if args.held:
                r = run_measured([py, "-c", HELD, str(batch), str(Path(tmp) / f"held{n}"), str(args.jobs), args.to])
                r.update(n=n, mode="held", jobs=args.jobs, reports_per_s=round(n / r["seconds"], 1))
                results["runs"].append(r)
                save()
                print(json.dumps(r), flush=True)
            shutil.rmtree(out, ignore_errors=True)
        if args.speedup:
            batch = make_batch(base, Path(tmp) / "speed", args.speedup)
            for rnd in range(args.rounds):  # -j 1 and -j 2 alternate, so both see the same load
                for jobs in (1, 2):
                    r = run_measured([py, "-m", "report_extract.cli", str(batch), "-o", str(Path(tmp) / f"s{jobs}"), "--to", args.speedup_to,
                                      "-j", str(jobs), "--no-cache", "-q"])
                    r.update(n=args.speedup, mode="speedup", jobs=jobs, round=rnd, reports_per_s=round(args.speedup / r["seconds"], 1))
                    results["runs"].append(r)
                    save()
                    print(json.dumps(r), flush=True)
    streamed = {r["n"]: r["peak_rss_mib"] for r in results["runs"] if r["mode"] == "streamed"}
    if len(streamed) >= 2:
        lo, hi = min(streamed), max(streamed)
        results["rss_ratio"] = {"n": [lo, hi], "ratio": round(streamed[hi] / streamed[lo], 3)}
        print(f"peak RSS {hi} / {lo} reports: {results['rss_ratio']['ratio']}", flush=True)
    runs = {j: [r for r in results["runs"] if r["mode"] == "speedup" and r["jobs"] == j] for j in (1, 2)}
    if runs[1] and runs[2]:
        best = {j: min(runs[j], key=lambda r: r["seconds"]) for j in (1, 2)}
        results["speedup_j2_over_j1"] = round(best[1]["seconds"] / best[2]["seconds"], 3)
        results["speedup_cpu"] = {
            "tree_cpu_j2_over_j1": round(best[2]["cpu_s"] / best[1]["cpu_s"], 3),
            "parent_cpu_share": {f"j{j}": best[j]["parent_cpu_share"] for j in (1, 2)},
            "parent_cpu_s": {f"j{j}": best[j]["cpu_s_parent"] for j in (1, 2)},
            "load_during": {f"j{j}": best[j]["load_after"][0] for j in (1, 2)},
        }
        print(f"-j 2 vs -j 1: {results['speedup_j2_over_j1']}x wall (fastest of {args.rounds}); "
              f"{json.dumps(results['speedup_cpu'])}", flush=True)
    save()


if __name__ == "__main__":
    main()
