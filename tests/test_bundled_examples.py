"""The bundled examples in fixtures/examples read back to their known values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import report_extract as rx
from conftest import ROOT, cell_mismatches

EXAMPLES = ROOT / "fixtures" / "examples"
CASES = sorted(p for p in EXAMPLES.glob("*") if p.is_file() and (EXAMPLES / "truth" / f"{p.name}.csv").exists())


def test_there_are_bundled_examples():
    assert len(CASES) >= 3


@pytest.mark.parametrize("path", CASES, ids=lambda p: Path(p).suffix)
def test_example_matches_truth(path):
    truth = pd.read_csv(EXAMPLES / "truth" / f"{path.name}.csv", dtype={"raw": str})
    try:
        r = rx.read_report(path)
    except rx.UnsupportedFormatError as exc:  # a format whose optional dependency is absent
        pytest.skip(str(exc))
    flagged = {".".join(k) for k in r.cells.loc[r.cells.confidence == "ambiguous", ["table", "row", "column"]].itertuples(index=False)}
    # glued text can be genuinely ambiguous: such cells must be flagged, never silently wrong
    assert [m for m in cell_mismatches(r, truth) if m.split()[1].rstrip(":") not in flagged] == []
    assert r.meta["agency"] in path.name and str(r.meta["year"]) in path.name


def test_quickstart_notebook_runs(monkeypatch):
    import json

    nb = json.loads((ROOT / "notebooks" / "quickstart.ipynb").read_text(encoding="utf-8"))
    monkeypatch.chdir(ROOT / "notebooks")
    scope: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), scope)  # noqa: S102
    assert scope["r"].meta["agency"] == "芷江侗族自治县罗旧镇"
    assert len(scope["rs"].reports) >= 6
