"""How fast the HTML reader is next to a bare lxml.html parse (and BeautifulSoup, pandas.read_html).

Usage: ``python benchmarks/html_speed.py [--repeat N]``. Reads ``../shared/corpus/docs/h008.html``
(skipped with a message when the corpus is absent) and a generated page (``synth.html``), and prints
the median time of each method and its ratio to the bare parse. The aim: ``read_html`` (the reader
alone) within 2x a bare parse; ``read_report`` adds sectioning, mapping and checks.
"""

from __future__ import annotations

import argparse
import io
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from _common import median_time
from lxml import html as lxml_html

import report_extract as rx
from report_extract.readers.html import read_html
from report_synth import make_report
from report_synth.html import render_html

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DOC = ROOT.parent / "shared" / "corpus" / "docs" / "h008.html"


def _pandas_read_html(data: bytes) -> object:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_html(io.BytesIO(data), flavor="lxml")


def bench(name: str, data: bytes, repeat: int) -> list[tuple[str, str, float]]:
    """Time the methods on ``data``; rows of (document, method, seconds)."""
    methods: list[tuple[str, Callable[[], object]]] = [
        ("lxml.html.fromstring parse", lambda: lxml_html.fromstring(data)),
        ("read_html (reader)", lambda: read_html(data, name)),
        ("read_report (whole pipeline)", lambda: rx.read_report(data, format="html")),
    ]
    try:
        from bs4 import BeautifulSoup  # the parser this reader used before (not a dependency now)

        methods.append(("BeautifulSoup+lxml parse", lambda: BeautifulSoup(data, "lxml")))
    except ImportError:  # pragma: no cover
        pass
    try:
        import pandas  # noqa: F401

        methods.append(("pandas.read_html (lxml)", lambda: _pandas_read_html(data)))
    except ImportError:  # pragma: no cover
        pass
    return [(name, label, median_time(fn, repeat)) for label, fn in methods]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args(argv)
    docs: list[tuple[str, bytes]] = []
    if CORPUS_DOC.is_file():
        docs.append((CORPUS_DOC.name, CORPUS_DOC.read_bytes()))
    else:
        print(f"skipping the corpus page: {CORPUS_DOC} is not present", file=sys.stderr)
    rep = make_report(7, "2021", publisher_error=True)
    docs.append(("synth trs page", render_html(rep, "trs", "separate", "p", seed=7)))
    docs.append(("synth word page", render_html(rep, "word", "split3", "br", seed=7)))
    print(f"{'document':<18} {'KB':>6}  {'method':<30} {'median ms':>10} {'x parse':>8}")
    for name, data in docs:
        rows = bench(name, data, args.repeat)
        base = rows[0][2]
        for doc, label, t in rows:
            print(f"{doc:<18} {len(data) / 1024:>6.0f}  {label:<30} {t * 1000:>10.1f} {t / base:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
