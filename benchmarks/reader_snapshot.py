"""Snapshot what the HTML and DOCX readers return, to prove a reader change leaves it identical.

Usage::

    .venv/bin/python benchmarks/reader_snapshot.py save DIR [--shared ../shared] [--extra GLOB ...]
    .venv/bin/python benchmarks/reader_snapshot.py compare DIR
    .venv/bin/python benchmarks/reader_snapshot.py save DIR --reports   # whole read_report outputs

``save`` reads every input (the corpus HTML/DOCX pages, the bundled examples, generated reports
rendered by every HTML, div-grid and DOCX renderer variant over several seeds and quirks, and any
``--extra`` files, e.g. other web pages) with ``read_document`` and pickles the inputs and the
Documents (or the error raised) to ``DIR``. ``compare`` reads the same inputs with the code now on
``sys.path`` and lists every input whose Document differs (exit status 1 when one does).

``--reports`` snapshots what ``read_report`` returns instead (its cells, checks and issues frames
and meta and section texts), over the same inputs plus the corpus and archive text and PDF
documents, to prove a change after the reader (mapper, checks, frames) leaves every output identical.
"""

from __future__ import annotations

import argparse
import glob
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generated() -> list[tuple[str, bytes, str]]:
    from report_synth import QUIRKS, make_report
    from report_synth.divgrid import STYLES, render_divgrid_html
    from report_synth.docx import WRAPS, render_docx
    from report_synth.html import FAMILIES, HEADER_SPLITS, LAYOUTS, render_html

    out: list[tuple[str, bytes, str]] = []
    for seed in range(4):
        template = "2019" if seed % 3 == 2 else "2021"
        quirks = set(QUIRKS) - {"single_other"} if seed % 2 else {"single_other"} if seed == 2 else set()
        rep = make_report(seed, template, quirks=quirks, publisher_error=seed % 5 == 0)
        for fam in FAMILIES:
            for layout in LAYOUTS:
                for split in HEADER_SPLITS:
                    if seed > 1 and split != HEADER_SPLITS[seed % 3]:
                        continue
                    data = render_html(rep, fam, layout, split, seed=seed, bom=seed == 3)
                    out.append((f"html:{seed}:{fam}:{layout}:{split}", data, "html"))
        for style in STYLES:
            for sections in ((3,), (2, 3, 4)):
                out.append((f"divgrid:{seed}:{style}:{sections}", render_divgrid_html(rep, style, sections), "html"))
        for wrap in WRAPS:
            for split_requests, padding in ((12, True), (None, False)):
                data = render_docx(rep, split_requests=split_requests, padding=padding, wrap=wrap, seed=seed)
                out.append((f"docx:{seed}:{wrap}:{split_requests}:{padding}", data, "docx"))
    return out


def inputs(shared: Path, extra: list[str], reports: bool = False) -> list[tuple[str, bytes, str | None]]:
    """(name, bytes, format or None to sniff) of every input; ``reports`` adds every corpus and
    archive document (text and PDF too)."""
    out: list[tuple[str, bytes, str | None]] = []
    docs = shared / "corpus" / "docs"
    kinds = (".html", ".htm", ".docx") + ((".txt", ".md", ".pdf") if reports else ())
    if docs.is_dir():
        for p in sorted(docs.iterdir()):
            if p.suffix.lower() in kinds:
                out.append((str(p), p.read_bytes(), None))
    if reports:
        for p in sorted((shared / "archive").rglob("*")):
            if p.is_file() and p.suffix.lower() in kinds:
                out.append((str(p), p.read_bytes(), None))
    for p in sorted((ROOT / "fixtures" / "examples").glob("*")):
        if p.suffix.lower() in (".html", ".docx"):
            out.append((str(p), p.read_bytes(), None))
    out += _generated()
    for pattern in extra:
        for name in sorted(n for n in glob.glob(pattern, recursive=True) if Path(n).is_file()):
            out.append((name, Path(name).read_bytes(), "html" if name.endswith((".html", ".htm")) else None))
    return out


def read_all(items: list[tuple[str, bytes, str | None]]) -> dict[str, object]:
    """The Document (or ``(error type, message)``) of each input, by name."""
    from report_extract.readers import read_document

    out: dict[str, object] = {}
    for name, data, fmt in items:
        try:
            out[name] = read_document(data, name, fmt)
        except Exception as exc:  # noqa: BLE001 - the error is part of the behaviour
            out[name] = (type(exc).__name__, str(exc))
    return out


def report_all(items: list[tuple[str, bytes, str | None]]) -> dict[str, object]:
    """What ``read_report`` returns for each input (frames, meta, sections), or
    ``(error type, message)``, by name."""
    import report_extract as rx

    out: dict[str, object] = {}
    for name, data, fmt in items:
        try:
            rep = rx.read_report(data, fmt)
            out[name] = (rep.cells, rep.checks, rep.issues, rep.meta, rep.sections)
        except Exception as exc:  # noqa: BLE001 - the error is part of the behaviour
            out[name] = (type(exc).__name__, str(exc))
    return out


def _same(a: object, b: object) -> bool:
    """Equal values, frames compared with ``DataFrame.equals`` and their dtypes."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if hasattr(a, "equals") and hasattr(a, "dtypes"):
        return type(a) is type(b) and a.equals(b) and list(a.dtypes) == list(b.dtypes)
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return a == b


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("save", "compare"))
    ap.add_argument("dir", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--extra", nargs="*", default=[], help="glob patterns of more files to read")
    ap.add_argument("--reports", action="store_true", help="snapshot read_report's outputs, not the reader's")
    args = ap.parse_args(argv)
    if args.mode == "save":
        items = inputs(args.shared, args.extra, args.reports)
        args.dir.mkdir(parents=True, exist_ok=True)
        (args.dir / "inputs.pkl").write_bytes(pickle.dumps(items))
        (args.dir / "reports.txt").write_text("yes" if args.reports else "no")
        read = report_all if args.reports else read_all
        (args.dir / "documents.pkl").write_bytes(pickle.dumps(read(items)))
        print(f"saved {len(items)} inputs to {args.dir}")
        return 0
    items = pickle.loads((args.dir / "inputs.pkl").read_bytes())
    before = pickle.loads((args.dir / "documents.pkl").read_bytes())
    reports = (args.dir / "reports.txt").is_file() and (args.dir / "reports.txt").read_text() == "yes"
    after = (report_all if reports else read_all)(items)
    bad = [name for name in before if not _same(before[name], after.get(name))]
    for name in bad:
        print(f"DIFFERS: {name}")
    print(f"{len(items) - len(bad)}/{len(items)} identical")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
