"""The bounded fuzz harness (benchmarks/fuzz.py) on a small fixed budget: mutants of generated
reports in every format end as a result or a ReportError, never a crash or a hang."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks children with rlimits")

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture()
def fuzz(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # as `python benchmarks/fuzz.py` has it
    import fuzz

    return fuzz


def test_forty_mutants_no_crash_no_hang(fuzz):
    summary = fuzz.run_fuzz(40, seed=7, time_limit=30, mem_limit_mb=1536)
    figures = summary.figures()
    assert figures["mutants"] == 40
    assert figures["problems"] == []
    assert figures["crashes"] == 0 and figures["hangs"] == 0
    assert set(figures["counts"]) <= {"result", "report_error"}
    assert len(figures["by_format"]) >= 6  # every renderer contributed mutants
    assert 0 < figures["peak_rss_mb"] < 1536


def test_harness_reports_a_crash(fuzz, monkeypatch):
    """The harness itself can fail: a reader raising a non-ReportError is a crash."""
    import report_extract.pipeline as pl

    def broken(*a, **k):
        raise KeyError("boom")

    monkeypatch.setattr(pl, "report_from_document", broken)  # inherited by the forked child
    out = fuzz.run_one("text", b"x", time_limit=10)
    assert out.status == "crash" and "KeyError" in out.detail


def test_mutations_change_the_bytes(fuzz):
    import random

    rng = random.Random(1)
    fmt, data = fuzz.seeds(1)[0]
    assert any(fuzz.mutate(fmt, data, rng) != data for _ in range(5))
