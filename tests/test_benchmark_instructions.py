"""benchmarks/instructions.py: callgrind's count read from its output, one pass from two runs,
and the child run it puts under valgrind (here without valgrind) reading the corpus pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import instructions  # noqa: E402

SHARED = ROOT.parent / "shared"

CALLGRIND_STDERR = """==4242== Callgrind, a call-graph generating cache profiler
==4242== Command: python x.py
==4242==
==4242== Events    : Ir
==4242== Collected : 1234567890
==4242==
==4242== I   refs:      1,234,567,890
"""


def test_collected_reads_the_count_callgrind_prints() -> None:
    assert instructions.collected(CALLGRIND_STDERR) == 1234567890


def test_collected_without_a_count_says_so() -> None:
    with pytest.raises(RuntimeError, match="no instruction count"):
        instructions.collected("==1== valgrind: failed to start tool 'callgrind'\n")


def test_per_pass_is_the_difference_over_the_passes() -> None:
    assert instructions.per_pass(1_000 + 3 * 250, 1_000, 3) == 250
    with pytest.raises(ValueError):
        instructions.per_pass(10, 5, 0)


@pytest.mark.skipif(not (SHARED / "corpus" / "docs").is_dir(), reason="no ../shared corpus")
@pytest.mark.parametrize("call", instructions.CALLS)
def test_child_run_reads_the_corpus_pages(call: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "instructions.py"), "--shared", str(SHARED),
         "--child", "html", call, "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.skipif(not (SHARED / "corpus" / "docs").is_dir(), reason="no ../shared corpus")
def test_groups_of_a_checkout_are_cost_py_groups() -> None:
    import cost

    assert instructions._groups_of(ROOT / "src", SHARED) == {k: len(v) for k, v in cost._groups(SHARED).items()}


def test_passes_for_a_kind_of_few_documents_read_enough() -> None:
    assert instructions.passes_for(8, 3, 24) == 3
    assert instructions.passes_for(13, 3, 24) == 3
    assert instructions.passes_for(1, 3, 24) == 24
    assert instructions.passes_for(5, 3, 24) == 5  # 25 reads
    assert instructions.passes_for(0, 3, 24) == 24
