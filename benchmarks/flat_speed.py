"""How fast flattened text (table cells glued in running text) is read, and how hard its runs are.

Usage: ``python benchmarks/flat_speed.py [--fixtures N]``. Times ``read_report`` on the corpus's
flattened scraped pages (h001-h007, h017-h021; skipped when ``../shared`` is absent) and on
generated reports rendered glued, half-spaced and spaced (``synth.flat``), and prints the median and
worst time per group with the number of ambiguous cells. The aim: well under a second per report.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import report_extract as rx
from report_synth import QUIRKS, make_report
from report_synth.flat import MODES, render_flat

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "corpus" / "docs"
CORPUS = [f"h{n:03d}.txt" for n in (1, 2, 3, 4, 5, 6, 7, 17, 18, 19, 20, 21)]


def timed(data: bytes) -> tuple[float, int]:
    """Seconds to read one report and its number of ambiguous cells."""
    t0 = time.perf_counter()
    r = rx.read_report(data)
    return time.perf_counter() - t0, int((r.cells["confidence"] == "ambiguous").sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=int, default=20, help="generated reports per template and mode")
    args = ap.parse_args()
    groups: dict[str, list[tuple[float, int]]] = {}
    if DOCS.is_dir():
        groups["corpus"] = [timed((DOCS / name).read_bytes()) for name in CORPUS]
    else:
        print(f"corpus not found at {DOCS}; skipping it")
    for template in ("2021", "2019"):
        for mode in MODES:
            rows = []
            for seed in range(args.fixtures):
                quirks = set(QUIRKS) if seed % 3 == 0 else set()
                if template == "2019":
                    quirks.discard("single_other")
                rep = make_report(seed, template, quirks=quirks, busy=0.5 if seed % 2 else 0.3, publisher_error=seed % 4 == 0)
                rows.append(timed(render_flat(rep, mode, seed=seed).encode("utf-8")))
            groups[f"synth {template} {mode}"] = rows
    print(f"{'group':<20}{'docs':>6}{'median ms':>12}{'worst ms':>10}{'ambiguous cells':>17}")
    for name, rows in groups.items():
        times = [t for t, _ in rows]
        amb = sum(a for _, a in rows)
        print(f"{name:<20}{len(rows):>6}{statistics.median(times) * 1000:>12.1f}{max(times) * 1000:>10.1f}{amb:>17}")


if __name__ == "__main__":
    main()
