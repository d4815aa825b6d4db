"""The real scraped-text document s001.txt (pipe rendering) against its hand-checked label."""

from __future__ import annotations

import pytest

import report_extract as rx
from conftest import DOCS, assert_matches_label, requires_corpus

PIPE_DOCS = ["s001.txt"]


@requires_corpus
@pytest.mark.parametrize("name", PIPE_DOCS)
def test_pipe_text_matches_label(name):
    r = rx.read_report(DOCS / name)
    assert_matches_label(r, name)


@requires_corpus
def test_s001_check_count_and_values():
    r = rx.read_report(DOCS / "s001.txt")
    assert len(r.checks) == 42
    assert r.checks["passed"].all()
    wide = r.table("proactive")
    assert wide.loc["penalty", "decisions"] == 36
    assert r.issues.empty
