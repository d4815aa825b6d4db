"""How fast the DOCX reader is next to python-docx's bare ``Document()`` load of the same file.

Usage: ``python benchmarks/docx_speed.py [--repeat N]``. Reads ``../shared/corpus/docs/d001.docx``
(skipped with a message when the corpus is absent) and a generated busy report (``synth.docx``),
and prints the median time of each method and its ratio to the bare load. ``read_docx`` is the
reader alone (load + body walk + grids); ``read_report`` adds sectioning, mapping and checks.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path

import docx
from _common import median_time

import report_extract as rx
from report_extract.readers.docx import read_docx
from report_synth import make_report
from report_synth.docx import render_docx

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DOC = ROOT.parent / "shared" / "corpus" / "docs" / "d001.docx"


def bench(name: str, data: bytes, repeat: int) -> list[tuple[str, str, float]]:
    """Time the methods on ``data``; rows of (document, method, seconds)."""
    methods: list[tuple[str, Callable[[], object]]] = [
        ("python-docx Document() load", lambda: docx.Document(io.BytesIO(data))),
        ("read_docx (reader)", lambda: read_docx(data, name)),
        ("read_report (whole pipeline)", lambda: rx.read_report(data, format="docx")),
    ]
    return [(name, label, median_time(fn, repeat)) for label, fn in methods]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table of medians and ratios to the bare load."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30, help="timed runs per method (default 30)")
    args = ap.parse_args(argv)
    docs: list[tuple[str, bytes]] = []
    if CORPUS_DOC.is_file():
        docs.append((CORPUS_DOC.name, CORPUS_DOC.read_bytes()))
    else:
        print(f"note: {CORPUS_DOC} not found; timing the generated report only", file=sys.stderr)
    docs.append(("synth busy 2021", render_docx(make_report(1, "2021", busy=0.9), seed=1)))
    print(f"{'document':<20} {'method':<30} {'median ms':>10} {'x load':>8}")
    for name, data in docs:
        rows = bench(name, data, args.repeat)
        base = rows[0][2]
        for doc_name, label, secs in rows:
            print(f"{doc_name:<20} {label:<30} {secs * 1000:>10.2f} {secs / base:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
