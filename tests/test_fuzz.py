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
    summary = fuzz.run_fuzz(40, seed=7, cpu_limit=30, time_limit=120, mem_limit_mb=1536, jobs=2)
    figures = summary.figures()
    assert figures["mutants"] == 40
    assert figures["problems"] == []
    assert figures["crashes"] == 0 and figures["hangs"] == 0 and figures["timeouts"] == 0
    assert set(figures["counts"]) <= {"result", "report_error"}
    assert len(figures["by_format"]) >= 6  # every renderer contributed mutants
    assert 0 < figures["peak_rss_mb"] < 1536
    assert [o.index for o in summary.outcomes] == list(range(40))  # in mutant order whatever the jobs
    assert all(o.cpu_s > 0 for o in summary.outcomes)
    text = fuzz.report({**figures, "seed": 7})
    assert "40 mutants (seed 7)" in text and "crashes 0, hangs 0, timeouts 0" in text
    assert all(f in text for f in figures["by_format"])


def test_harness_reports_a_crash(fuzz, monkeypatch):
    """The harness itself can fail: a reader raising a non-ReportError is a crash."""
    import report_extract.pipeline as pl

    def broken(*a, **k):
        raise KeyError("boom")

    monkeypatch.setattr(pl, "report_from_document", broken)  # inherited by the forked child
    out = fuzz.run_one("text", b"x", time_limit=10)
    assert out.status == "crash" and "KeyError" in out.detail


def test_harness_reports_a_cpu_hang_and_a_timeout(fuzz, monkeypatch):
    """A child spinning past the CPU limit is a hang (SIGXCPU), whatever the wall time; one that
    read_report stops at its wall timeout is a timeout, with its CPU time."""
    import time

    import report_extract.pipeline as pl

    def spin(*a, **k):
        while True:
            pass

    monkeypatch.setattr(pl, "report_from_document", spin)
    out = fuzz.run_one("text", b"x", cpu_limit=1, time_limit=120)
    assert out.status == "hang" and "CPU-time limit" in out.detail and out.cpu_s >= 1

    def sleep(*a, **k):
        time.sleep(60)

    monkeypatch.setattr(pl, "report_from_document", sleep)
    out = fuzz.run_one("text", b"x", cpu_limit=30, time_limit=1)
    assert out.status == "timeout" and out.cpu_s < out.seconds


def test_crash_report_carries_the_traceback(fuzz, monkeypatch):
    import report_extract.pipeline as pl

    def broken(*a, **k):
        return {}["missing key"]

    monkeypatch.setattr(pl, "report_from_document", broken)
    summary = fuzz.Summary([fuzz.run_one("text", b"x", index=3)])
    figures = summary.figures()
    assert figures["crashes"] == 1 and figures["problems"][0]["index"] == 3
    text = fuzz.report({**figures, "seed": 0})
    assert "mutant 3 (text): crash" in text and "Traceback" in text and "broken" in text


def test_shards_read_the_same_mutants(fuzz, monkeypatch):
    """A shard (``first``) reads the very mutants the whole run reads from that number on, and
    merged shards give the whole run's figures."""
    seen: dict[int, list] = {}

    def fake_run_many(mutants, **kw):
        for k, fmt, data in mutants:
            seen.setdefault(k, []).append(data)
            yield fuzz.Outcome(fmt, "result" if len(data) % 2 else "report_error", 0.1, 10.0, "", 0.1, k)

    monkeypatch.setattr(fuzz, "run_many", fake_run_many)
    whole = fuzz.run_fuzz(20, seed=3)
    tail = fuzz.run_fuzz(20, seed=3, first=12)
    head = fuzz.run_fuzz(12, seed=3)
    assert [o.index for o in tail.outcomes] == list(range(12, 20))
    assert all(len(v) == 2 and v[0] == v[1] for v in seen.values())  # every mutant made twice, the same
    merged = fuzz.Summary.from_figures(head.figures()).outcomes + fuzz.Summary.from_figures(tail.figures()).outcomes
    assert fuzz.Summary(merged).figures()["by_format"] == whole.figures()["by_format"]


def test_mutations_change_the_bytes(fuzz):
    import random

    rng = random.Random(1)
    fmt, data = fuzz.seeds(1)[0]
    assert any(fuzz.mutate(fmt, data, rng) != data for _ in range(5))
