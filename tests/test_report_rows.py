"""A report's output rows made without pandas (what a streamed batch's workers render) equal the
rows of the frames ``dataset_frames`` builds, table by table and value by value; the rows-based
CSV renderer writes the bytes ``frame_to_csv_bytes`` writes."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import report_extract as rx
from report_extract.api import combine
from report_extract.report_rows import PER_REPORT, report_rows
from report_extract.writers.csv import frame_to_csv_bytes
from report_extract.writers.rows import frame_rows, typed_rows
from report_extract.writers.stream import Renderer
from report_synth import make_report
from report_synth.flat import render_flat
from report_synth.html import render_html
from report_synth.text import render_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "fixtures" / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"


def _inputs(tmp: Path) -> list[Path]:
    files = sorted(p for p in EXAMPLES.iterdir() if p.is_file())
    for seed in range(4):
        rep = make_report(300 + seed, "2019" if seed % 2 else "2021", agency=f"行样县{seed}", year=2020 + seed, busy=0.7)
        (tmp / f"t{seed}.txt").write_text(render_text(rep), encoding="utf-8")
        (tmp / f"g{seed}.txt").write_text(render_flat(rep, "glued"), encoding="utf-8")
        (tmp / f"h{seed}.html").write_bytes(render_html(rep))
        files += [tmp / f"t{seed}.txt", tmp / f"g{seed}.txt", tmp / f"h{seed}.html"]
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html"))[:12]
    return files


def _same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x == y or (x is None and y is None) or
                                    (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
                                    for x, y in zip(a, b))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[tuple[str, rx.Report]]:
    tmp = tmp_path_factory.mktemp("rows")
    out = []
    for i, f in enumerate(_inputs(tmp)):
        try:
            out.append((f"r{i}", rx.read_report(f)))
        except rx.ReportError:
            continue
    assert len(out) >= 12
    return out


@pytest.mark.parametrize("forced", [False, True], ids=["plain-rows", "frames"])
def test_rows_equal_the_dataset_frames(reports, forced):
    checked = dict.fromkeys(PER_REPORT, 0)
    for rid, rep in reports:
        if forced:
            _ = rep.cells, rep.checks, rep.issues  # the frames built: the other path of Report.plain_rows
        rows = report_rows(rid, rep, PER_REPORT)
        frames = combine([(rid, rep, None)], cross_year=False).frames(duplicates=True, tables=PER_REPORT)
        for name in PER_REPORT:
            want = frame_rows(name, frames[name])
            assert len(rows[name]) == len(want), (rid, name)
            bad = [(a, b) for a, b in zip(rows[name], want) if not _same(a, b)]
            assert not bad, (rid, name, bad[:3])
            checked[name] += len(want)
    assert all(checked.values()), checked  # every table had rows to compare


def test_typed_rows_type_like_typed():
    rows = typed_rows("checks", [("r", "c1", "fam", "requests", 1, "3", 2.0, None, "rule"),
                                 ("r", "c2", "fam", "requests", "False", float("nan"), "x", 4, None)])
    assert rows == [("r", "c1", "fam", "requests", True, 3.0, 2.0, None, "rule"),
                    ("r", "c2", "fam", "requests", False, None, None, 4.0, None)]
    assert typed_rows("issues", [("r", 2.0, "c", 7, "m", None)]) == [("r", 2, "c", "7", "m", None)]
    assert typed_rows("issues", [("r", 2.5, "c", "s", "m", "w")])[0][1] is None  # not whole: missing


def test_csv_renderer_writes_what_pandas_writes():
    frame = pd.DataFrame({
        "report_id": ["a", "b,c", 'q"uote', "multi\nline", "", None, "=1+2", "-3", "@x", "\ttab"],
        "section": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10], dtype="Int64"),
        "heading": ["标题", None, "", "+x", "-", "a b", "١٢", "x'y", "\r", "ok"],
        "text": ["t"] * 10,
    })
    for safe in (True, False):
        want = frame_to_csv_bytes(frame, safe_text=safe).split(b"\n", 1)[1]
        n, pieces = Renderer(("csv",), safe).render("sections", frame_rows("sections", frame))
        assert n == len(frame) and pieces[0] == want
    numbers = pd.DataFrame({"report_id": ["r"] * 5, "check": list("abcde"), "family": "f", "table": "t",
                            "passed": pd.array([True, False, None, True, False], dtype="boolean"),
                            "expected": [36.0, 1.5, float("nan"), 1e20, -0.0],
                            "actual": [1 / 3, 2.0, 3.0, 4.0, 5.0], "difference": [None, 0.1, 2.0, 3.0, 4.0], "rule": "r"})
    numbers["difference"] = numbers["difference"].astype("float64")
    want = frame_to_csv_bytes(numbers).split(b"\n", 1)[1]
    assert Renderer(("csv",)).render("checks", frame_rows("checks", numbers))[1][0] == want
