"""Numbers stated in a report's prose: evidence for glued splits, warnings when the table disagrees."""

from __future__ import annotations

import report_extract as rx
from report_extract.prose import cell_values, contradictions, find_statements, phrases
from report_synth import make_report
from report_synth.flat import render_flat


def _zero(template: str = "2021", year: int = 2023) -> str:
    return render_flat(make_report(7, template, agency="楠木坪镇", year=year, busy=0.0), "glued")


def _cells(r: rx.Report, row: str) -> dict[str, tuple[str, str]]:
    c = r.cells[r.cells["row"] == row]
    return {col: (raw, conf) for col, raw, conf in zip(c["column"], c["raw"], c["confidence"])}


def test_phrases_are_data():
    names = {p.name for p in phrases()}
    assert {"normative_in_force", "normative_issued", "procurement", "requests_received"} <= names
    in_force = next(p for p in phrases() if p.name == "normative_in_force")
    assert in_force.targets == {"n": (("proactive.normative_documents.in_force",),)}
    received = next(p for p in phrases() if p.name == "requests_received")
    assert ("requests.new_received.total", "requests.carried_over.total") in received.targets["n"]


def test_statements_quote_their_sentence():
    text = "一、总体情况。全区现行有效规范性文件253件，本年度制发规范性文件9件。共收到政府信息公开申请3件。"
    got = {(st.cell, st.value) for st in find_statements(text, "2021") if st.cell}
    assert got == {
        ("proactive.normative_documents.in_force", 253.0), ("proactive.normative_documents.issued", 9.0),
    }
    st = next(s for s in find_statements(text, "2021") if s.phrase == "requests_received")
    assert st.value == 3 and st.sentence == "共收到政府信息公开申请3件。"
    assert cell_values(find_statements(text, "2021"))["proactive.normative_documents.in_force"][253.0].sentence.startswith("全区")
    # 2021 phrases are not looked for in a 2019-template report
    assert not any(s.cell and "normative" in s.cell for s in find_statements(text, "2019"))


def test_contradictions_compare_every_alternative():
    st = find_statements("共收到政府信息公开申请5件。", "2021")
    assert contradictions(st, {"requests.new_received.total": 3, "requests.carried_over.total": 2}) == []
    bad = contradictions(st, {"requests.new_received.total": 3, "requests.carried_over.total": 0,
                              "requests.total_processed.total": 3})
    assert len(bad) == 1 and bad[0][1] == 3


def test_prose_settles_a_glued_split_and_names_the_sentence():
    text = _zero().replace("行政规范性文件000", "行政规范性文件97253", 1)
    alone = rx.read_report(text.encode("utf-8"))
    assert {conf for _raw, conf in _cells(alone, "normative_documents").values()} == {"ambiguous"}
    told = text.replace("一、总体情况", "一、总体情况本机关现行有效规范性文件253件。", 1)
    r = rx.read_report(told.encode("utf-8"))
    cells = _cells(r, "normative_documents")
    assert cells["in_force"] == ("253", "inferred")
    assert cells["issued"] == ("9", "inferred") and cells["repealed"] == ("7", "inferred")
    notes = r.issues.loc[r.issues["code"] == "inferred_from_prose", "message"].tolist()
    assert len(notes) == 1 and "本机关现行有效规范性文件253件" in notes[0]
    assert (r.issues.loc[r.issues["code"] == "inferred_from_prose", "severity"] == "info").all()


def test_prose_settles_procurement_number_and_amount():
    text = _zero("2019", 2020)
    i = text.index("政府集中采购") + len("政府集中采购")
    j = i
    while text[j].isdigit() or text[j] in ".元":
        j += 1
    glued = text[:i] + "215419886元" + text[j:]
    told = glued.replace("一、总体情况", "一、总体情况今年共发布采购信息21条共5419886元。", 1)
    r = rx.read_report(told.encode("utf-8"))
    cells = _cells(r, "procurement")
    assert cells["projects"] == ("21", "inferred") and cells["amount"] == ("5419886元", "inferred")


def test_prose_contradicting_the_table_is_a_warning_and_changes_nothing():
    text = _zero().replace("一、总体情况", "一、总体情况本机关现行有效规范性文件12件。", 1)
    r = rx.read_report(text.encode("utf-8"))
    assert _cells(r, "normative_documents")["in_force"] == ("0", "certain")
    warn = r.issues[r.issues["code"] == "prose_contradicts_table"]
    assert len(warn) == 1 and warn["severity"].iloc[0] == "warning"
    assert "12" in warn["message"].iloc[0] and "in_force" in warn["message"].iloc[0]


def test_phrases_saying_none_state_zero():
    sts = find_statements("2021年我局未收到政府信息公开申请。", "2021")
    assert [(s.phrase, s.cell, s.value) for s in sts] == [("requests_none", "requests.new_received.total", 0.0)]
    assert [s.phrase for s in find_statements("今年未收到过信息公开申请。", "2019")] == ["requests_none"]
    review = find_statements("全年未收到因政府信息公开提出的行政复议、行政诉讼的申请。", "2021")
    assert sorted(s.cell for s in review) == [
        "review_litigation.litigation_after_review.total", "review_litigation.litigation_direct.total",
        "review_litigation.review.total",
    ]
    assert {s.phrase for s in review} == {"review_litigation_none"} and {s.value for s in review} == {0.0}
    # a sentence about one outcome, or a count, is not a statement that there were none
    assert find_statements("没有因政府信息公开被行政复议或行政诉讼纠错的情况。", "2021") == []
    assert not any(s.phrase == "requests_none" for s in find_statements("未收到政府信息公开申请以外的来信3件。", "2021"))


def test_a_table_contradicting_none_is_a_warning():
    text = _zero().replace("一、总体情况", "一、总体情况本年度未收到政府信息公开申请，没有政府信息公开行政复议及行政诉讼情况。", 1)
    quiet = rx.read_report(text.encode("utf-8"))
    assert quiet.issues.loc[quiet.issues["code"] == "prose_contradicts_table"].empty
    loud = text.replace("一、本年新收政府信息公开申请数量0000000", "一、本年新收政府信息公开申请数量3000003", 1)
    assert "000000000000000五、" in loud
    loud = loud.replace("000000000000000五、", "100010000000000五、", 1)
    r = rx.read_report(loud.encode("utf-8"))
    msgs = r.issues.loc[r.issues["code"] == "prose_contradicts_table", "message"].tolist()
    assert any(m.startswith("requests.new_received.total:") and "states 0" in m and "prints 3" in m for m in msgs)
    assert any(m.startswith("review_litigation.review.total:") and "prints 1" in m for m in msgs)
    assert not any("litigation_direct" in m for m in msgs)
    assert r.cells.loc[r.cells["row"] == "new_received", "raw"].tolist()[0] == "3"  # the printed number stays
