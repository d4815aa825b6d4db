"""Pages per second of the PDF path next to pdfplumber's own ``extract_tables()`` on the same pages.

Usage: ``python benchmarks/pdf_speed.py [--repeat N]``. Reads the corpus PDFs (``p001``–``p003`` in
``../shared/corpus/docs``, skipped with a message when absent) and generated PDFs (``synth.pdf``,
needs reportlab) in the same run, and prints for each method the pages per second and its time
relative to ``extract_tables()``. The aim: ``read_report`` (reader + sectioning + mapping + checks)
under 1.5x the bare ``extract_tables()``.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from _common import median_time

import report_extract as rx
from report_extract.readers.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"


def _extract_tables(data: bytes) -> int:
    """pdfplumber's own table extraction over every page (pages closed as they are done)."""
    n = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            n += len(page.extract_tables())
            page.close()
    return n


def documents() -> list[tuple[str, bytes]]:
    docs = []
    if CORPUS.is_dir():
        for name in ("p001.pdf", "p002.pdf", "p003.pdf"):
            if (CORPUS / name).exists():
                docs.append((name, (CORPUS / name).read_bytes()))
    else:
        print(f"note: {CORPUS} not found; corpus PDFs skipped", file=sys.stderr)
    try:
        from report_synth import make_report
        from report_synth.pdf import render_pdf

        for seed in (1, 2):
            rep = make_report(seed, "2021", busy=0.6)
            docs.append((f"synth seed {seed}", render_pdf(rep, breaks={3: (12 + seed, seed == 2)}, repeat_header=True)))
    except ImportError:
        print("note: reportlab not installed; generated PDFs skipped", file=sys.stderr)
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    docs = documents()
    if not docs:
        print("no documents to time")
        return 1
    methods: list[tuple[str, Callable[[str, bytes], object]]] = [
        ("pdfplumber extract_tables()", lambda name, data: _extract_tables(data)),
        ("read_pdf (reader)", lambda name, data: read_pdf(data, name)),
        ("read_report (whole pipeline)", lambda name, data: rx.read_report(data, format="pdf")),
    ]
    rows = []
    totals = {m: 0.0 for m, _ in methods}
    pages_total = 0
    for name, data in docs:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        pages_total += pages
        base = None
        for label, fn in methods:
            t = median_time(lambda fn=fn, name=name, data=data: fn(name, data), args.repeat)
            totals[label] += t
            base = base or t
            rows.append((name, pages, label, t, pages / t, t / base))
    w = max(len(r[0]) for r in rows)
    print(f"{'document':<{w}}  pages  {'method':<30} {'seconds':>8} {'pages/s':>8} {'ratio':>6}")
    for name, pages, label, t, pps, ratio in rows:
        print(f"{name:<{w}}  {pages:>5}  {label:<30} {t:8.3f} {pps:8.1f} {ratio:6.2f}x")
    base = totals[methods[0][0]]
    print()
    print(f"{'all documents':<{w}}  {pages_total:>5}  (sum of medians)")
    for label, _ in methods:
        t = totals[label]
        print(f"{'':<{w}}         {label:<30} {t:8.3f} {pages_total / t:8.1f} {t / base:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
