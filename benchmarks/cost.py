"""The fixed cost of reading one report, as ratios measured in one run (issue 12).

Usage::

    .venv/bin/python benchmarks/cost.py [--base OTHER_CHECKOUT/src] [--shared ../shared] [--repeat 5] [--rounds 3]

Warm ``read_report`` per kind of corpus document (``../shared/corpus/docs``), next to the bare
library call a user would otherwise make on the same bytes, in the same process:

* HTML: ``lxml.html.fromstring``; DOCX: ``docx.Document(path)``; PDF: pdfplumber ``extract_tables()``
  on every page;
* text and glued text (tables flattened into running text): the same documents read by another
  checkout given with ``--base`` (e.g. ``git worktree add /tmp/base main``), run as a child process
  alternating with this one, round by round, so both see the same machine load;
* start: the ``report-extract`` entry point with ``--version`` / ``-h`` / ``dictionary`` next to
  ``python -c pass``
  (bytecode cached, as an installed package has it).

``cold`` times the same reads with the code's bounded caches (cell texts, labels, similarities)
emptied before each run, as for documents never seen before: the warm figure reads the same files
again and again, so it gets every cache hit a batch of different reports would not. Each figure
is the fastest of ``--rounds`` rounds of the median of ``--repeat`` timed runs;
the ``reader`` lines time ``read_document`` alone (the HTML and DOCX readers, no pipeline after
them) next to the same bare parse, in the same run;
compare the ratios, not the milliseconds, across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent


def _groups(shared: Path) -> dict[str, list[Path]]:
    """Corpus documents by kind: text (tables printed as tables), glued text, html, docx, pdf."""
    from report_extract.grid import Table
    from report_extract.readers import read_document

    out: dict[str, list[Path]] = {"text": [], "glued": [], "html": [], "docx": [], "pdf": []}
    for path in sorted((shared / "corpus" / "docs").iterdir()):
        ext = path.suffix.lower().lstrip(".")
        if ext in ("txt", "md"):
            doc = read_document(path.read_bytes(), str(path))
            out["glued" if not any(isinstance(b, Table) for b in doc.blocks) else "text"].append(path)
        elif ext in ("html", "htm"):
            out["html"].append(path)
        elif ext in ("docx", "pdf"):
            out[ext].append(path)
    return {k: v for k, v in out.items() if v}


def _median_ms(fn, repeat: int) -> float:
    from _common import median_time

    return median_time(fn, repeat) * 1000


def _clear_value_caches() -> None:
    """Empty the bounded caches of the code under test (cell texts, labels, similarities), as for
    documents never seen before; the unbounded ones (the schema loaded from its CSVs) stay."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("report_extract"):
            continue
        for obj in list(vars(module).values()):
            params = getattr(obj, "cache_parameters", None)
            if params is not None and params().get("maxsize") is not None:
                obj.cache_clear()


def _read_all(paths: list[Path], cold: bool = False):
    import report_extract as rx

    names = [str(p) for p in paths]

    def run() -> None:
        if cold:
            _clear_value_caches()
        for name in names:
            try:
                rx.read_report(name)
            except rx.ReportError:  # a corpus document that is not a report costs its reading too
                pass

    return run


def _read_documents(paths: list[Path]):
    """``read_document`` on each file's bytes: the reader alone, without the pipeline after it."""
    from report_extract.readers import read_document

    items = [(p.read_bytes(), str(p)) for p in paths]
    return lambda: [read_document(data, name) for data, name in items]


def _baseline(kind: str, paths: list[Path]):
    data = [p.read_bytes() for p in paths]
    if kind == "html":
        from lxml import html

        return "lxml.html.fromstring", lambda: [html.fromstring(b) for b in data]
    if kind == "docx":
        import docx

        return "docx.Document(path)", lambda: [docx.Document(str(p)) for p in paths]
    if kind == "pdf":
        import io

        import pdfplumber

        def tables() -> None:
            for b in data:
                with pdfplumber.open(io.BytesIO(b)) as pdf:
                    for page in pdf.pages:
                        page.extract_tables()

        return "pdfplumber extract_tables()", tables
    return None


def worker(shared: Path, repeat: int, baselines: bool) -> dict:
    """Time every group in this process (the checkout on ``sys.path``); ms per document."""
    out: dict = {}
    for kind, paths in _groups(shared).items():
        if not baselines and kind not in ("text", "glued"):
            continue
        row = {
            "docs": len(paths),
            "read_report": _median_ms(_read_all(paths), repeat) / len(paths),
            "cold": _median_ms(_read_all(paths, cold=True), repeat) / len(paths),
        }
        base = _baseline(kind, paths) if baselines else None
        if base is not None:
            row["baseline"] = base[0]
            row["baseline_ms"] = _median_ms(base[1], repeat) / len(paths)
            if kind in ("html", "docx"):  # the reader alone (bytes to Document), same run
                row["read_document_ms"] = _median_ms(_read_documents(paths), repeat) / len(paths)
        out[kind] = row
    return out


def _child(src: Path, shared: Path, repeat: int, baselines: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, str(Path(__file__)), "--worker", "--shared", str(shared), "--repeat", str(repeat)]
    if not baselines:
        cmd.append("--no-baselines")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# what the installed ``report-extract`` script runs
_ENTRY = "import sys; from report_extract.launch import main; sys.exit(main())"


def start_costs(src: Path, repeat: int) -> dict[str, float]:
    """Milliseconds to start ``python -c pass`` and ``python -m report_extract ...`` (fastest run)."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONPYCACHEPREFIX": tempfile.gettempdir() + "/report_extract_pyc"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmds = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "--version": [sys.executable, "-c", _ENTRY, "--version"],
        "-h": [sys.executable, "-c", _ENTRY, "-h"],
        "dictionary": [sys.executable, "-c", _ENTRY, "dictionary"],
    }
    out: dict[str, float] = {}
    for name, cmd in cmds.items():
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)  # writes the bytecode cache
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = min(times)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--base", type=Path, default=None, help="src folder of the checkout to compare text costs with")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-baselines", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    if args.worker:
        print(json.dumps(worker(args.shared, args.repeat, not args.no_baselines)))
        return 0
    if not (args.shared / "corpus" / "docs").is_dir():
        print(f"no corpus at {args.shared}/corpus/docs", file=sys.stderr)
        return 1
    src = ROOT / "src"
    best: dict = {}
    base_best: dict = {}
    for _ in range(args.rounds):
        for kind, row in _child(src, args.shared, args.repeat, True).items():
            old = best.get(kind)
            best[kind] = row if old is None else {
                **row, "read_report": min(old["read_report"], row["read_report"]), "cold": min(old["cold"], row["cold"]),
                **({"baseline_ms": min(old["baseline_ms"], row["baseline_ms"])} if "baseline_ms" in row else {}),
                **(
                    {"read_document_ms": min(old["read_document_ms"], row["read_document_ms"])}
                    if "read_document_ms" in row else {}
                ),
            }
        if args.base:
            for kind, row in _child(args.base, args.shared, args.repeat, False).items():
                old = base_best.get(kind, row)
                base_best[kind] = {k: min(old[k], row[k]) for k in ("read_report", "cold")}
    print(f"{'kind':<7} {'docs':>4} {'read_report ms':>15}  {'compared with':<30} {'its ms':>8} {'ratio':>7}"
          f" {'cold ms':>8} {'cold ratio':>10}")
    result: dict = {"per_report": {}, "start": {}}
    for kind, row in best.items():
        cold_ms = float("nan")
        if kind in base_best:
            name, ms, cold_ms = f"{args.base} (same docs)", base_best[kind]["read_report"], base_best[kind]["cold"]
        elif "baseline_ms" in row:
            name, ms, cold_ms = row["baseline"], row["baseline_ms"], row["baseline_ms"]
        else:
            name, ms = "", float("nan")
        ratio = row["read_report"] / ms if ms == ms else float("nan")
        cold_ratio = row["cold"] / cold_ms if cold_ms == cold_ms else float("nan")
        print(f"{kind:<7} {row['docs']:>4} {row['read_report']:>15.1f}  {name[-30:]:<30} {ms:>8.1f} {ratio:>7.2f}"
              f" {row['cold']:>8.1f} {cold_ratio:>10.2f}")
        result["per_report"][kind] = {**row, "compared_with": name, "compared_ms": ms, "ratio": ratio}
    for kind, row in best.items():  # the reader alone: read_document next to the bare parse
        if "read_document_ms" in row:
            reader_ratio = row["read_document_ms"] / row["baseline_ms"]
            print(f"reader {kind:<5} read_document {row['read_document_ms']:>7.1f} ms  vs {row['baseline']:<22}"
                  f" {row['baseline_ms']:>7.1f} ms  {reader_ratio:>5.2f}x")
            result["per_report"][kind]["reader_ratio"] = reader_ratio
    starts = start_costs(src, max(args.repeat, 10))
    bare = starts["python -c pass"]
    print()
    for name, ms in starts.items():
        print(f"start {name:<16} {ms:>7.0f} ms  {ms / bare:>5.2f}x python -c pass")
        result["start"][name] = {"ms": ms, "ratio": ms / bare}
    from _common import write_result

    write_result(result, ROOT / "benchmarks" / "results" / "cost.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
