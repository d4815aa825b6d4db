"""Accuracy of read_report on the real corpus and on generated fixtures, next to a naive baseline.

Usage::

    .venv/bin/python benchmarks/accuracy.py [--shared ../shared] [--fixtures 20] [--json out.json]

For every document in ``../shared/corpus/docs`` that has a label it reports, per format and overall:
cell accuracy (labelled ``certain``/``inferred`` cells whose value matches; ``ambiguous`` cells are
counted apart: right, or flagged by an issue/confidence), documents exactly right, template
accuracy, agreement of the failed-check set with ``published_check_failures``, and *silent errors*
(a document with a wrong or missing cell while no check failed and no warning/error issue was
raised). The naive baseline fills the template with the numbers in reading order, as existing
scripts for these reports do. The same scoring runs on generated fixtures of every format that has
a renderer.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pandas as pd  # noqa: E402
from _common import write_result  # noqa: E402

import report_extract as rx  # noqa: E402
from report_extract.readers import read_document, sniff_format  # noqa: E402
from report_extract.schema import template_schema  # noqa: E402
from report_extract.values import parse_value  # noqa: E402

FORMAT_OF = {".txt": "text", ".html": "html", ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".xlsx": "xlsx"}


def _same(a, b) -> bool:
    an = a is None or (isinstance(a, float) and math.isnan(a))
    bn = b is None or (isinstance(b, float) and math.isnan(b))
    if an or bn:
        return an and bn
    return abs(float(a) - float(b)) < 1e-9


def score(cells: pd.DataFrame | None, issues: pd.DataFrame | None, failed: list[str] | None, template, label: pd.DataFrame, meta: dict) -> dict:
    """Score one extraction against one label."""
    want_template = meta.get("template")
    out = {"labelled": 0, "right": 0, "ambiguous": 0, "ambiguous_ok": 0, "extra": 0}
    if want_template is None:  # a document that must be refused
        refused = cells is None
        out.update(exact=refused, template_ok=refused, checks_ok=refused, silent=not refused, refused_ok=refused)
        return out
    got = {}
    conf = {}
    if cells is not None:
        for t, r, c, v, cf in zip(cells["table"], cells["row"], cells["column"], cells["value"], cells.get("confidence", ["certain"] * len(cells))):
            got[(t, r, c)] = v
            conf[(t, r, c)] = cf
    flagged_text = " ".join(issues["message"]) if issues is not None and len(issues) else ""
    wrong = 0
    keys = set()
    for row in label.itertuples(index=False):
        key = (row.table, row.row, row.column)
        keys.add(key)
        ok = key in got and _same(got[key], row.value)
        if row.confidence == "ambiguous":
            out["ambiguous"] += 1
            flagged = conf.get(key) == "ambiguous" or ".".join(key) in flagged_text
            out["ambiguous_ok"] += ok or flagged
            wrong += not (ok or flagged)
            continue
        out["labelled"] += 1
        out["right"] += ok
        wrong += not ok
    out["extra"] = sum(1 for k in got if k not in keys)
    wrong += out["extra"]
    want_failed = sorted(meta.get("published_check_failures") or [])
    out["template_ok"] = template == want_template
    out["checks_ok"] = failed is not None and sorted(failed) == want_failed
    out["exact"] = wrong == 0 and out["template_ok"]
    serious = issues is not None and len(issues) and (issues["severity"].isin(["warning", "error"])).any() if issues is not None and "severity" in issues else bool(issues is not None and len(issues))
    # a refusal (cells is None) is loud, never silent
    out["silent"] = bool(cells is not None and wrong and not failed and not serious)
    out["refused_ok"] = None
    return out


def naive_cells(path: Path, template: str) -> pd.DataFrame | None:
    """The naive baseline: every number of the document's tables in reading order poured into the
    template's cells in template order (blank cells shift everything after them). For a document
    with no tables, the numbers of the text from section 二 on."""
    data = path.read_bytes()
    try:
        doc = read_document(data, str(path), sniff_format(data, str(path)))
    except Exception:
        return None
    numbers: list[tuple[str, float]] = []
    for t in doc.tables:
        for row in t.rows:
            for c in row:
                if c.continued:
                    continue
                p = parse_value(c.text)
                if p.kind == "number":
                    numbers.append((c.text, p.value))
    if not numbers:
        import re

        text = "\n".join(b.text for b in doc.paragraphs)
        start = max(text.find("主动公开政府信息情况"), 0)
        numbers = [(m, float(m)) for m in re.findall(r"\d+(?:\.\d+)?", text[start:])]
    schema = template_schema(template)
    rows = []
    for cdef, (raw, v) in zip(schema.cells, numbers):
        rows.append({"table": cdef.table, "row": cdef.row, "column": cdef.column, "value": v, "raw": raw})
    return pd.DataFrame(rows, columns=["table", "row", "column", "value", "raw"])


def load_label(labels: Path, name: str) -> tuple[pd.DataFrame, dict]:
    """The hand-checked cells and meta of corpus document ``name``."""
    meta = json.loads((labels / f"{name}.meta.json").read_text(encoding="utf-8"))
    cells_path = labels / f"{name}.cells.csv"
    label = pd.read_csv(cells_path) if cells_path.exists() else pd.DataFrame(columns=["table", "row", "column", "value", "confidence"])
    return label, meta


def corpus_rows(shared: Path) -> list[dict]:
    docs, labels = shared / "corpus" / "docs", shared / "corpus" / "labels"
    out = []
    for lab in sorted(labels.glob("*.meta.json")):
        name = lab.name[: -len(".meta.json")]
        path = docs / name
        if not path.exists():
            continue
        label, meta = load_label(labels, name)
        fmt = FORMAT_OF.get(path.suffix.lower(), path.suffix.lower().lstrip("."))
        t0 = time.perf_counter()
        error = None
        try:
            r = rx.read_report(path)
            s = score(r.cells, r.issues, r.failed_checks, r.meta["template"], label, meta)
        except rx.ReportError as exc:
            error = f"{exc.code}: {exc.reason}"
            s = score(None, None, None, None, label, meta)
        ms = (time.perf_counter() - t0) * 1000
        base = naive_cells(path, meta.get("template") or "2021")
        b = score(base, None, [], meta.get("template"), label, meta) if meta.get("template") else score(base, None, [], None, label, meta)
        out.append({"doc": name, "format": fmt, "ms": ms, "error": error, **s, "naive_right": b["right"], "naive_exact": b["exact"]})
    return out


def fixture_rows(n: int, n_ocr: int = 0) -> list[dict]:
    """Generated reports rendered by every renderer available, scored the same way; ``n_ocr`` of
    them also as scanned (image-only) PDFs read by OCR, when the ``ocr`` extra is installed."""
    from report_extract.readers import ocr
    from report_synth import QUIRKS, make_report

    renderers = []
    from report_synth.text import render_text

    for layout in ("pipe", "markdown", "tsv"):
        renderers.append((f"text-{layout}", lambda rep, L=layout: render_text(rep, L).encode("utf-8")))
    for mod, func, name in (("html", "render_html", "html"), ("docx", "render_docx", "docx"), ("pdf", "render_pdf", "pdf"), ("flat", "render_flat", "text-flat")):
        try:
            m = importlib.import_module(f"report_synth.{mod}")
            f = getattr(m, func)
        except Exception:
            continue
        renderers.append((name, lambda rep, f=f: _as_bytes(f(rep))))
        if mod == "flat":  # as crawl archives print it: blank cells as spaces, page chrome around
            renderers.append(("text-flat-archive", lambda rep, f=f: _as_bytes(f(rep, blanks="space", chrome=True))))
    if n_ocr and ocr.available():
        from report_synth.pdf import render_pdf

        renderers.append(("pdf-scan-ocr", lambda rep: render_pdf(rep, white_boxes=False, scan="image")))
        renderers.append(("pdf-scan-ocr-250dpi-jpeg", lambda rep: render_pdf(rep, white_boxes=False, scan="image", scan_dpi=250, scan_jpeg=60)))
        from report_synth.scan import skewed_scan

        # fed askew (0.5–2°, alternating per page), speckled, JPEG'd
        renderers.append(("pdf-scan-rotated", lambda rep: skewed_scan(render_pdf(rep, white_boxes=False), 0.5 + (rep.year % 4) * 0.5)))
    out = []
    for fmt, render in renderers:
        for seed in range(n_ocr if fmt.startswith("pdf-scan") else n):
            template = "2019" if seed % 3 == 2 else "2021"
            quirks = set(QUIRKS) - {"single_other"} if seed % 2 else set()
            rep = make_report(seed, template, quirks=quirks, publisher_error=(seed % 5 == 0))
            label = rep.truth().assign(confidence="certain")
            meta = {"template": template, "published_check_failures": rep.failed_checks()}
            t0 = time.perf_counter()
            try:
                data = render(rep)
                r = rx.read_report(data)
                s = score(r.cells, r.issues, r.failed_checks, r.meta["template"], label, meta)
                err = None
            except Exception as exc:  # a renderer or reader failure counts against us
                s = score(None, None, None, None, label, meta)
                err = f"{type(exc).__name__}: {exc}"
            out.append({"doc": f"{fmt}#{seed}", "format": fmt, "ms": (time.perf_counter() - t0) * 1000, "error": err, **s})
    return out


def shape_rows(n: int) -> list[dict]:
    """Generated reports in the shapes they reach researchers in besides the files themselves: text
    made by the converters (run for real when installed; a shape whose tool is missing is skipped
    with a note) and HTML whose tables are div grids, scored the same way."""
    from report_synth import QUIRKS, make_report
    from report_synth.converters import CONVERTERS, convert, missing
    from report_synth.divgrid import STYLES, render_divgrid_html

    out = []
    shapes: list[tuple[str, object]] = []
    for shape in CONVERTERS:
        why = missing(shape)
        if why:
            print(f"note: shape {shape} skipped: {why}")
            continue
        shapes.append((shape, lambda rep, shape=shape: (convert(rep, shape), "text")))
    # section 二, 三 and 四 as div grids, the style changing with the seed
    shapes.append(("html-divgrid", lambda rep: (render_divgrid_html(rep, STYLES[rep.year % len(STYLES)], (2, 3, 4)), "html")))
    for shape, render in shapes:
        for seed in range(n):
            template = "2019" if seed % 3 == 2 else "2021"
            quirks = set(QUIRKS) - {"single_other"} if seed % 2 else set()
            rep = make_report(seed, template, quirks=quirks, publisher_error=(seed % 5 == 0))
            label = rep.truth().assign(confidence="certain")
            meta = {"template": template, "published_check_failures": rep.failed_checks()}
            data, fmt = render(rep)
            t0 = time.perf_counter()
            try:
                r = rx.read_report(data, format=fmt)
                s = score(r.cells, r.issues, r.failed_checks, r.meta["template"], label, meta)
                err = None
            except rx.ReportError as exc:
                s = score(None, None, None, None, label, meta)
                err = f"{exc.code}: {exc.reason}"
            out.append({"doc": f"{shape}#{seed}", "format": shape, "ms": (time.perf_counter() - t0) * 1000, "error": err, **s})
    return out


def _as_bytes(x) -> bytes:
    if isinstance(x, bytes):
        return x
    if isinstance(x, str):
        return x.encode("utf-8")
    if isinstance(x, Path):
        return x.read_bytes()
    if hasattr(x, "getvalue"):
        return x.getvalue()
    raise TypeError(type(x))


def summarise(rows: list[dict], naive: bool) -> pd.DataFrame:
    groups = defaultdict(list)
    for r in rows:
        groups[r["format"]].append(r)
    groups["ALL"] = rows
    out = []
    for fmt, rs in groups.items():
        labelled = sum(r["labelled"] for r in rs)
        line = {
            "format": fmt,
            "docs": len(rs),
            "cell_acc": f"{sum(r['right'] for r in rs)}/{labelled}" + (f" ({100 * sum(r['right'] for r in rs) / labelled:.1f}%)" if labelled else ""),
            "ambiguous_ok": f"{sum(r['ambiguous_ok'] for r in rs)}/{sum(r['ambiguous'] for r in rs)}",
            "exact_docs": f"{sum(bool(r['exact']) for r in rs)}/{len(rs)}",
            "template_ok": f"{sum(bool(r['template_ok']) for r in rs)}/{len(rs)}",
            "checks_agree": f"{sum(bool(r['checks_ok']) for r in rs)}/{len(rs)}",
            "silent_err": sum(bool(r["silent"]) for r in rs),
            "median_ms": f"{pd.Series([r['ms'] for r in rs]).median():.0f}",
        }
        if naive:
            line["naive_cell_acc"] = f"{sum(r.get('naive_right', 0) for r in rs)}/{labelled}" + (f" ({100 * sum(r.get('naive_right', 0) for r in rs) / labelled:.1f}%)" if labelled else "")
            line["naive_exact"] = f"{sum(bool(r.get('naive_exact')) for r in rs)}/{len(rs)}"
        out.append(line)
    return pd.DataFrame(out)


def dataset_rows(shared: Path) -> list[dict]:
    """Score the labelled corpus read as ONE dataset (``read_reports``, as the command line reads a
    folder): the reports of one publisher in adjacent years settle each other's ambiguous runs."""
    docs, labels = shared / "corpus" / "docs", shared / "corpus" / "labels"
    names = [lab.name[: -len(".meta.json")] for lab in sorted(labels.glob("*.meta.json"))]
    names = [n for n in names if (docs / n).exists()]
    t0 = time.perf_counter()
    rs = rx.read_reports([docs / n for n in names])
    ms = (time.perf_counter() - t0) * 1000 / max(1, len(names))
    out = []
    for name in names:
        label, meta = load_label(labels, name)
        fmt = FORMAT_OF.get(Path(name).suffix.lower(), Path(name).suffix.lower().lstrip("."))
        try:
            r = rs.report(str(docs / name))
            s = score(r.cells, r.issues, r.failed_checks, r.meta["template"], label, meta)
        except KeyError:  # the file could not be read
            s = score(None, None, None, None, label, meta)
        out.append({"doc": name, "format": fmt, "ms": ms, "error": None, **s})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--fixtures", type=int, default=10, help="generated reports per renderer (0: none)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "accuracy.json")
    ap.add_argument("--ocr-fixtures", type=int, default=3, help="generated reports per scanned-PDF variant read by OCR (0: none; needs the ocr extra)")
    ap.add_argument("--per-doc", action="store_true", help="print one line per corpus document")
    ap.add_argument("--shape-fixtures", type=int, default=3, help="generated reports per shape (pdftotext, catdoc, docx2txt text; div-grid HTML; 0: none)")
    args = ap.parse_args(argv)
    pd.set_option("display.width", 200)
    result = {}
    if (args.shared / "corpus" / "docs").is_dir():
        rows = corpus_rows(args.shared)
        result["corpus"] = rows
        print("Real corpus (../shared/corpus), report_extract vs naive reading-order baseline:")
        print(summarise(rows, naive=True).to_string(index=False))
        if args.per_doc:
            cols = ["doc", "format", "right", "labelled", "ambiguous_ok", "ambiguous", "extra", "exact", "template_ok", "checks_ok", "silent", "naive_right", "error"]
            print(pd.DataFrame(rows)[cols].to_string(index=False))
        together = dataset_rows(args.shared)
        result["corpus_as_dataset"] = together
        print("\nThe same documents read as one dataset (read_reports; adjacent years settle each other):")
        print(summarise(together, naive=False).to_string(index=False))
    else:
        print(f"no corpus at {args.shared}/corpus: skipped the real documents")
    if args.fixtures:
        frows = fixture_rows(args.fixtures, args.ocr_fixtures)
        result["fixtures"] = frows
        print("\nGenerated fixtures (known values, quirks, publisher errors):")
        print(summarise(frows, naive=False).to_string(index=False))
    if args.shape_fixtures:
        srows = shape_rows(args.shape_fixtures)
        result["shapes"] = srows
        print("\nGenerated fixtures in converter shapes (odd seeds with layout quirks):")
        print(summarise(srows, naive=False).to_string(index=False))
    write_result(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
