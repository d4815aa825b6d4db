"""The comparison notebooks run top to bottom (nbclient) and show a ranking and a time-series chart."""

from __future__ import annotations

import os

import pytest

from conftest import ROOT

nbformat = pytest.importorskip("nbformat", reason="notebook tests need nbformat, nbclient, ipykernel (test extra)")
nbclient = pytest.importorskip("nbclient", reason="notebook tests need nbclient (test extra)")
pytest.importorskip("ipykernel", reason="notebook tests need ipykernel (test extra)")
pytest.importorskip("altair", reason="the notebooks' charts need the 'report' extra")


def _run(name: str, monkeypatch):
    # the kernel imports this checkout's package (PYTHONPATH may be relative to the repository root)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()
    charts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            for mime, data in out.get("data", {}).items():
                if "vegalite" in mime:
                    charts.append(data)
    return nb, charts


def _marks(spec: dict) -> set[str]:
    found = set()
    if isinstance(spec.get("mark"), dict | str):
        m = spec["mark"]
        found.add(m if isinstance(m, str) else m.get("type"))
    for key in ("layer", "concat", "hconcat", "vconcat"):
        for sub in spec.get(key, []):
            found |= _marks(sub)
    return found


@pytest.mark.parametrize("name", ["compare_departments.ipynb", "research_panel.ipynb"])
def test_notebook_runs_with_ranking_and_timeseries(name, monkeypatch):
    _nb, charts = _run(name, monkeypatch)
    titles = [str(c.get("title", {}).get("text") if isinstance(c.get("title"), dict) else c.get("title")) for c in charts]
    bars = [c for c in charts if "bar" in _marks(c)]
    lines = [c for c in charts if "line" in _marks(c)]
    assert bars, titles
    assert lines, titles
    # a ranking has one bar per ranked publisher, a time series spans several years
    assert any(len(c["data"]["values"]) >= 1 for c in bars)
    assert any(len({v["year"] for v in c["data"]["values"]}) >= 2 for c in lines)
