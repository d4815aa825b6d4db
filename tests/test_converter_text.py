"""Text made by the converters researchers use (pdftotext, docx2txt, catdoc), run for real here.

Generated reports with known values are rendered (PDF, DOCX, DOC through LibreOffice), converted
with the Debian tools and read back: plain reports read exactly; with layout quirks (blank cells,
full-width digits, thousands separators …) every cell read wrong is flagged (an ambiguous cell, an
issue naming its row or table, or a failed check the publisher's numbers do not fail).
"""

from __future__ import annotations

import pytest

import report_extract as rx
from report_synth import QUIRKS, converters, make_report
from report_synth.converters import CONVERTERS, missing


def _report(seed: int, quirky: bool):
    template = "2019" if seed % 3 == 2 else "2021"
    quirks = set(QUIRKS) - {"single_other"} if quirky else set()
    return make_report(seed, template, quirks=quirks, publisher_error=(seed % 5 == 0))


def convert(rep, tool: str) -> bytes:
    why = missing(tool)
    if why:
        pytest.skip(why)
    return converters.convert(rep, tool)


def unflagged_misses(rep, r: rx.Report) -> list[tuple[str, str, str]]:
    """Cells of ``rep`` read wrong (or not at all) with nothing in ``r`` saying so."""
    got = r.cells.set_index(["table", "row", "column"])
    serious = r.issues[r.issues["severity"].isin(["warning", "error"])]
    text = " ".join(serious["message"])
    own_failures = set(r.failed_checks) - set(rep.failed_checks())
    out = []
    for (table, row, column), value in rep.truth().set_index(["table", "row", "column"])["value"].items():
        key = (table, row, column)
        if key in got.index:
            v = got.loc[key, "value"]
            if v == value or (v != v and value != value):
                continue
            if got.loc[key, "confidence"] == "ambiguous":
                continue
        if f"{table}.{row}" in text or f"table {table} " in text:
            continue
        if any(c.split(".")[0] == table and c.split(".")[-1] in (row, column) for c in own_failures):
            continue
        out.append(key)
    return out


def exact(rep, r: rx.Report) -> bool:
    truth = rep.truth().set_index(["table", "row", "column"])["value"]
    got = r.cells.set_index(["table", "row", "column"])["value"]
    if len(got) != len(truth) or set(got.index) != set(truth.index):
        return False
    return all(got[k] == v or (v != v and got[k] != got[k]) for k, v in truth.items())


TOOLS = list(CONVERTERS)


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("seed", [0, 2])
def test_converter_text_of_a_plain_report_reads_exactly(tool, seed):
    rep = _report(seed, quirky=False)
    r = rx.read_report(convert(rep, tool), format="text")
    assert r.meta["template"] == rep.template
    assert exact(rep, r)
    assert r.failed_checks == rep.failed_checks()
    assert not (r.issues["severity"] == "error").any()


@pytest.mark.parametrize("tool", TOOLS)
def test_converter_text_with_quirks_flags_every_miss(tool):
    rep = _report(1, quirky=True)
    r = rx.read_report(convert(rep, tool), format="text")
    assert unflagged_misses(rep, r) == []
    # most of the report still reads (column-by-column text loses blank cells: only the sections
    # whose values still count exactly to the template's are rebuilt)
    truth = rep.truth().set_index(["table", "row", "column"])["value"]
    got = r.cells.set_index(["table", "row", "column"])["value"]
    right = sum(1 for k, v in truth.items() if k in got.index and (got[k] == v or (v != v and got[k] != got[k])))
    assert right >= (0.25 if tool == "pdftotext-plain" else 0.6) * len(truth)
