"""Flattened text (table cells glued in running text): tokeniser, label finder, solver, fixtures."""

from __future__ import annotations

import time

import pytest

import report_extract as rx
from conftest import cell_mismatches
from report_extract.flat.locate import LabelText, value_prefix
from report_extract.flat.splits import CellKind, TooManySplits, enumerate_splits
from report_synth import QUIRKS, make_report
from report_synth.flat import MODES, render_flat

INT = CellKind()


def _cuts(run: str, kinds) -> list[list[str]]:
    return [[run[s:e] for s, e in sp] for sp in enumerate_splits(run, kinds)]


# -- tokeniser ---------------------------------------------------------------------------------


def test_spaces_are_boundaries_and_no_leading_zeros():
    assert _cuts("0 0 00 00 0", [INT] * 7) == [["0"] * 7]
    assert sorted(_cuts("230 000023", [INT] * 7)) == sorted(
        [["2", "30", "0", "0", "0", "0", "23"], ["23", "0", "0", "0", "0", "0", "23"], ["230", "0", "0", "0", "0", "2", "3"]]
    )
    assert all(not (c.startswith("0") and len(c) > 1) for cut in _cuts("1000010", [INT] * 3) for c in cut)


def test_signs_decimals_and_units_are_tokens():
    signed = [INT, CellKind(signed=True), INT]
    cuts = _cuts("2648-18538", signed)
    assert all(c[0] == "2648" and c[1].startswith("-") for c in cuts)
    assert len(cuts) == 4
    money = [INT, CellKind(decimal=True)]
    assert _cuts("2笔 984361元", money) == [["2笔", "984361元"]]
    assert ["135", "75394432.52元"] in _cuts("13575394432.52元", money)
    assert ["1,234", "5"] in _cuts("1,2345", [INT, INT])
    assert _cuts("0/—", [INT] * 3) == [["0", "/", "—"]]
    assert _cuts("24252.311082", [CellKind(decimal=True)]) == [["24252.311082"]]
    assert _cuts("1.5", [INT]) == []  # an integer column takes no decimals


def test_budget_bounds_the_search():
    with pytest.raises(TooManySplits):
        enumerate_splits("1" * 40, [INT] * 15, budget=1000)


def test_label_form_keeps_offsets_and_skips_spaces():
    text = "三、本年度办 理结果（一）予以公开7000007（二）"
    lt = LabelText.of(text)
    p = lt.find("本年度办理结果")
    assert p >= 0
    k = lt.find("予以公开")
    end = lt.orig_end(k + len("予以公开"))
    assert value_prefix(text, end)[0] == "7000007"
    assert value_prefix("00000002.其他法律", 0)[0] == "0000000"  # the next row's numbering is not a cell


# -- synthetic reports -------------------------------------------------------------------------


def _read(rep, mode, seed=0):
    return rx.read_report(render_flat(rep, mode, seed=seed).encode("utf-8"))


def _silently_wrong(r, rep) -> list[str]:
    """Cells that differ from the truth with neither an issue naming them, nor confidence
    ``ambiguous``, nor a failed check the printed numbers do not fail."""
    if set(r.failed_checks) - set(rep.failed_checks()):
        return []
    text = " ".join(r.issues["message"])
    amb = {(t, ro, c) for t, ro, c, k in zip(r.cells["table"], r.cells["row"], r.cells["column"], r.cells["confidence"]) if k == "ambiguous"}
    out = []
    for m in cell_mismatches(r, rep.truth()):
        key = m.split()[1].rstrip(":")
        if key in text or tuple(key.split(".")) in amb:
            continue
        out.append(m)
    return out


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("template", ["2021", "2019"])
def test_all_zero_report_is_recovered_exactly(template, mode):
    rep = make_report(3, template, busy=0.0)
    r = _read(rep, mode)
    assert cell_mismatches(r, rep.truth()) == []
    assert r.meta["template"] == template
    assert r.meta["agency"] == rep.agency
    assert r.meta["year"] == rep.year
    assert set(r.cells["confidence"]) == {"certain"}
    assert r.failed_checks == []
    assert r.meta["properties"]["table_layout"] == "flattened"
    assert set(r.sections) == {1, 2, 3, 4, 5, 6}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("template", ["2021", "2019"])
def test_synthetic_flattened_reports_never_silently_wrong(template, mode):
    exact = 0
    for seed in range(12):
        quirks = set(QUIRKS) if seed % 3 == 0 else set()
        if template == "2019":
            quirks.discard("single_other")
        rep = make_report(seed, template, quirks=quirks, publisher_error=(seed % 4 == 0), busy=0.5 if seed % 2 else 0.3)
        start = time.perf_counter()
        r = _read(rep, mode, seed)
        assert time.perf_counter() - start < 2.0
        assert r.meta["template"] == template
        assert r.meta["agency"] == rep.agency
        assert len(r.cells) == len(rep.truth())
        assert _silently_wrong(r, rep) == [], (seed, sorted(quirks))
        assert r.failed_checks == rep.failed_checks() or set(r.failed_checks) - set(rep.failed_checks())
        # section 二 has no totals, so glued runs there stay ambiguous; sections 三 and 四 mostly settle
        exact += not [m for m in cell_mismatches(r, rep.truth()) if "proactive." not in m]
    assert exact >= 8


def test_requests_and_review_are_solved_exactly_when_spaced():
    for seed in range(6):
        rep = make_report(seed, "2021", busy=0.5)
        r = _read(rep, "spaced")
        mism = [m for m in cell_mismatches(r, rep.truth()) if "proactive." not in m]
        assert mism == []


def test_publisher_error_is_reported_as_failed_check():
    seen = 0
    for seed in range(0, 40, 4):
        rep = make_report(seed, "2021", publisher_error=True)
        r = _read(rep, "half", seed)
        if cell_mismatches(r, rep.truth()):
            continue
        assert r.failed_checks == rep.failed_checks()
        seen += 1
    assert seen >= 3


def test_blank_cells_and_thousands_survive_flattening():
    for seed in range(8):
        rep = make_report(seed, "2021", quirks={"placeholders", "thousands"}, busy=0.6)
        r = _read(rep, "glued", seed)
        assert _silently_wrong(r, rep) == []
        assert not [m for m in cell_mismatches(r, rep.truth()) if "review_litigation." in m]
    with pytest.raises(ValueError):
        render_flat(make_report(1, "2021"), mode="tabs")


def test_pipe_rendering_still_uses_the_label_mapper():
    from report_synth.text import render_text

    rep = make_report(5, "2021", busy=0.5)
    r = rx.read_report(render_text(rep, "pipe").encode("utf-8"))
    assert cell_mismatches(r, rep.truth()) == []
    assert r.meta["properties"].get("table_layout") != "flattened"


def test_prose_without_tables_is_not_a_report():
    text = "某镇2022年政府信息公开工作年度报告\n一、总体情况 本年度共收到申请3件。\n五、存在的主要问题及改进情况 无。\n"
    with pytest.raises(rx.NotAReportError):
        rx.read_report(text.encode("utf-8"))


def _zero_2021_text() -> tuple[str, object]:
    rep = make_report(7, "2021", busy=0.0)
    return render_flat(rep, "glued"), rep


def test_a_row_left_out_stays_missing():
    text, rep = _zero_2021_text()
    assert "规章000" in text
    r = rx.read_report(text.replace("规章000", "", 1).encode("utf-8"))
    got = set(zip(r.cells["row"], r.cells["column"]))
    assert not any(row == "rules" for row, _ in got)
    assert len(r.cells) == len(rep.truth()) - 3
    assert r.failed_checks == []


def test_prose_count_settles_a_section_two_split():
    text, _ = _zero_2021_text()
    glued = text.replace("行政规范性文件000", "行政规范性文件6233440", 1)
    alone = rx.read_report(glued.encode("utf-8"))
    cells = alone.cells.set_index(["row", "column"])
    assert cells.loc[("normative_documents", "issued"), "confidence"] == "ambiguous"
    told = glued.replace("一、总体情况", "一、总体情况本年度制发行政规范性文件62件。", 1)
    r = rx.read_report(told.encode("utf-8"))
    cells = r.cells.set_index(["row", "column"])
    assert cells.loc[("normative_documents", "issued"), "value"] == 62
    assert cells.loc[("normative_documents", "issued"), "confidence"] == "inferred"


def test_glued_numbering_of_the_next_row_is_not_a_digit():
    text, _ = _zero_2021_text()
    # 予以公开 12|0|0|0|0|0|12 glued, and the next sub-row's '1.' glued after (三)不予公开
    text = text.replace("予以公开0000000", "予以公开120000012", 1)
    r = rx.read_report(text.encode("utf-8"))
    wide = r.table("requests")
    assert wide.loc["granted", "natural_person"] == 12
    assert wide.loc["granted", "total"] == 12
    assert wide.loc["denied_state_secret"].tolist() == [0] * 7
