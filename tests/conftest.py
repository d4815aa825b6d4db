"""Shared test helpers: where the real corpus is, and how to compare a report with its label."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REPORT_EXTRACT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
DOCS = CORPUS / "docs"
LABELS = CORPUS / "labels"

requires_corpus = pytest.mark.skipif(not DOCS.is_dir(), reason="../shared/corpus is not present")


def load_label(name: str) -> tuple[pd.DataFrame, dict]:
    """The hand-checked cells and meta of a corpus document."""
    cells = pd.read_csv(LABELS / f"{name}.cells.csv", dtype={"raw": str})
    meta = json.loads((LABELS / f"{name}.meta.json").read_text(encoding="utf-8"))
    return cells, meta


def _same(a: float, b: float) -> bool:
    a_nan = a is None or (isinstance(a, float) and math.isnan(a))
    b_nan = b is None or (isinstance(b, float) and math.isnan(b))
    if a_nan or b_nan:
        return a_nan and b_nan
    return abs(float(a) - float(b)) < 1e-9


def cell_mismatches(report, label: pd.DataFrame, confidences=("certain", "inferred", "ambiguous")) -> list[str]:
    """Labelled cells (of the given confidences) the report gets wrong or misses, and cells it
    invents that the label does not have. Empty list = exact match."""
    got = {(t, r, c): v for t, r, c, v in zip(report.cells["table"], report.cells["row"], report.cells["column"], report.cells["value"])}
    out = []
    want_keys = set()
    for row in label.itertuples(index=False):
        key = (row.table, row.row, row.column)
        want_keys.add(key)
        if getattr(row, "confidence", "certain") not in confidences:
            continue
        if key not in got:
            out.append(f"missing {'.'.join(key)} (label {row.value})")
        elif not _same(got[key], row.value):
            out.append(f"wrong {'.'.join(key)}: got {got[key]}, label {row.value}")
    for key in got:
        if key not in want_keys:
            out.append(f"extra {'.'.join(key)} = {got[key]}")
    return out


def assert_matches_label(report, name: str) -> dict:
    """Assert ``report`` agrees with the label of corpus document ``name``: every labelled cell,
    nothing more, template, agency, year and the checks the publisher's numbers fail. Returns
    the label's meta for further assertions."""
    label, meta = load_label(name)
    assert cell_mismatches(report, label) == []
    assert len(report.cells) == len(label)
    assert report.meta["template"] == meta["template"]
    assert report.meta["agency"] == meta["agency"]
    assert report.meta["year"] == meta["year"]
    assert report.failed_checks == sorted(meta["published_check_failures"])
    return meta


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not DOCS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return DOCS
