"""Speed and memory of read_report per format, next to the baselines, in one run.

Usage::

    .venv/bin/python benchmarks/speed.py [--shared ../shared] [--repeat 5] [--batch 300]

Per format: median milliseconds per report and pages per second on one core, peak Python memory
(tracemalloc) of one read, and the same-run time of the baseline a user would otherwise run
(lxml.html parse for HTML, pdfplumber ``extract_tables()`` for PDF, python-docx
``Document()`` for DOCX, decoding + splitting lines for text), reported as ratios. Then batch
throughput of ``read_reports`` with jobs=1 and jobs=2 over a few hundred generated reports.
Times are medians of ``--repeat`` runs; compare ratios, not absolute numbers, across machines.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pandas as pd  # noqa: E402
from _common import write_result  # noqa: E402

import report_extract as rx  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def pages_of(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    return 1


def baseline(path: Path):
    """(name, function) of the bare library call a user would otherwise make on this file."""
    data = path.read_bytes()
    ext = path.suffix.lower()
    if ext in (".html", ".htm"):
        from lxml import html

        def html_base():
            html.fromstring(data)

        return "lxml.html parse", html_base
    if ext == ".pdf":
        import pdfplumber

        def pdf_base():
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    page.extract_tables()

        return "pdfplumber extract_tables", pdf_base
    if ext == ".docx":
        import docx

        return "python-docx Document()", lambda: docx.Document(io.BytesIO(data))
    return "decode+splitlines", lambda: data.decode("utf-8", "replace").splitlines()


def read_html_baseline(path: Path) -> float | None:
    try:
        data = path.read_text(encoding="utf-8", errors="replace")
        return median_ms(lambda: pd.read_html(io.StringIO(data)), 3)
    except Exception:
        return None


def format_rows(shared: Path, repeat: int) -> list[dict]:
    docs = shared / "corpus" / "docs"
    out = []
    for path in sorted(docs.iterdir()):
        try:
            rx.read_report(path)
        except rx.ReportError as exc:
            out.append({"doc": path.name, "format": path.suffix.lstrip("."), "error": exc.code})
            continue
        ours = median_ms(lambda p=path: rx.read_report(p), repeat)
        name, fn = baseline(path)
        base = median_ms(fn, repeat)
        row = {
            "doc": path.name,
            "format": path.suffix.lstrip("."),
            "pages": pages_of(path),
            "ms": round(ours, 1),
            "baseline": name,
            "baseline_ms": round(base, 1),
            "ratio": round(ours / base, 2) if base > 0 else None,
            "peak_mb": round(peak_mb(lambda p=path: rx.read_report(p)), 1),
        }
        if path.suffix.lower() in (".html", ".htm"):
            rh = read_html_baseline(path)
            row["pandas_read_html_ms"] = round(rh, 1) if rh is not None else None
        out.append(row)
    return out


def batch_rows(n: int) -> list[dict]:
    from report_synth import make_report
    from report_synth.text import render_text

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            rep = make_report(seed=i, template="2019" if i % 4 == 3 else "2021")
            Path(tmp, f"r{i:04d}.txt").write_text(render_text(rep, ("pipe", "markdown", "tsv")[i % 3]), encoding="utf-8")
        for jobs in (1, 2):
            t0 = time.perf_counter()
            rs = rx.read_reports([tmp], jobs=jobs)
            dt = time.perf_counter() - t0
            out.append({"engine": f"processes, jobs={jobs}", "reports": len(rs.reports), "errors": len(rs.errors), "seconds": round(dt, 2), "reports_per_s": round(len(rs.reports) / dt, 1)})
    base = out[0]["seconds"]
    for row in out:
        row["speedup"] = round(base / row["seconds"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch", type=int, default=300, help="generated reports for the batch run (0: skip)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "speed.json")
    args = ap.parse_args(argv)
    pd.set_option("display.width", 200)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    print(f"machine: {machine}")
    result: dict = {"machine": machine}
    if (args.shared / "corpus" / "docs").is_dir():
        rows = format_rows(args.shared, args.repeat)
        result["documents"] = rows
        df = pd.DataFrame([r for r in rows if "ms" in r])
        print("\nPer document (median of", args.repeat, "runs, one core):")
        print(df.to_string(index=False))
        summary = df.groupby("format").agg(
            docs=("doc", "count"), median_ms=("ms", "median"), pages=("pages", "sum"), total_ms=("ms", "sum"),
            baseline_ms=("baseline_ms", "median"), ratio=("ratio", "median"), peak_mb=("peak_mb", "max"),
        )
        summary["pages_per_s"] = (summary["pages"] / (summary["total_ms"] / 1000)).round(1)
        print("\nPer format:")
        print(summary.drop(columns=["total_ms"]).to_string())
        result["formats"] = summary.reset_index().to_dict(orient="records")
    if args.batch:
        b = batch_rows(args.batch)
        result["batch"] = b
        print(f"\nBatch: read_reports over {args.batch} generated text reports:")
        print(pd.DataFrame(b).to_string(index=False))
    write_result(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
