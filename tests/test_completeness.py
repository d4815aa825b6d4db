"""The completeness rule: every table and row of the detected template is accounted for."""

from __future__ import annotations

import pytest

import report_extract as rx
from report_extract.completeness import completeness_issues, expected_rows
from report_extract.schema import template_schema
from report_synth import make_report, standard_layout
from report_synth.variants import VariantDoc, document, render_variant

SECTION_OF = {2: "proactive", 3: "requests", 4: "review_litigation"}


def _codes(report: rx.Report, code: str) -> list[str]:
    return report.issues.loc[report.issues["code"] == code, "message"].tolist()


def test_expected_rows_come_from_the_schema_with_the_variant_as_one_alternative():
    rows = expected_rows("2021")
    flat = {code for shapes in rows["requests"] for code in shapes}
    assert flat == set(template_schema("2021").rows["requests"])
    other = next(shapes for shapes in rows["requests"] if "other" in shapes)
    assert set(other) == {"other", "other_overdue_correction", "other_overdue_fee", "other_other"}
    assert [["review"], ["litigation_direct"], ["litigation_after_review"]] == rows["review_litigation"]
    assert all(len(shapes) == 1 for shapes in expected_rows("2019")["requests"])


def test_complete_cells_give_no_issue_and_either_shape_of_the_variant_counts():
    rep3 = make_report(1, "2021", other_rows=3)
    rep1 = make_report(1, "2021", other_rows=1)
    for rep in (rep3, rep1):
        found = {(k[0], k[1]) for k in rep.values}
        assert completeness_issues("2021", found) == []


def test_missing_table_is_one_error_and_missing_row_a_warning_each():
    rep = make_report(2, "2021")
    found = {(k[0], k[1]) for k in rep.values if k[0] != "review_litigation" and k[1] != "licensing"}
    issues = completeness_issues("2021", found)
    assert [(i.code, i.where) for i in issues] == [("row_not_found", "section 二"), ("table_not_found", "section 四")]
    assert "proactive.licensing" in issues[0].message
    assert "review_litigation" in issues[1].message
    # the three sub-rows of （六） missing in both shapes: the standard sub-rows are named
    found = {(k[0], k[1]) for k in rep.values if not k[1].startswith("other")}
    names = [i.message.split()[1] for i in completeness_issues("2021", found)]
    assert names == ["requests.other_overdue_correction", "requests.other_overdue_fee", "requests.other_other"]
    assert completeness_issues(None, found) == []


def _without(rep, section: int) -> VariantDoc:
    tables = {n: [rows] for n, rows in standard_layout(rep).items() if n != section}
    return VariantDoc(f"no-{section}", rep, document(rep, tables))


@pytest.mark.parametrize("fmt", ["pipe", "tsv", "html", "docx", "xlsx"])
@pytest.mark.parametrize("section", [2, 3, 4])
def test_each_table_removed_in_turn_raises_table_not_found(fmt, section):
    rep = make_report(3 + section, "2021" if section != 3 else "2019")
    data, reader_format = render_variant(_without(rep, section), fmt)
    r = rx.read_report(data, format=reader_format)
    table = SECTION_OF[section]
    msgs = _codes(r, "table_not_found")
    assert len(msgs) == 1 and table in msgs[0]
    assert set(r.issues.loc[r.issues["code"] == "table_not_found", "severity"]) == {"error"}
    assert table not in set(r.cells["table"])
    # the other tables read in full, with no spurious issue
    assert not _codes(r, "row_not_found")
    truth = rep.truth()
    kept = truth[truth["table"] != table]
    got = r.cells.set_index(["table", "row", "column"])["value"]
    assert len(got) == len(kept)


@pytest.mark.parametrize("fmt", ["pipe", "html", "docx", "xlsx"])
def test_complete_fixtures_have_no_completeness_issue(fmt):
    rep = make_report(11, "2021")
    data, reader_format = render_variant(VariantDoc("full", rep, document(rep)), fmt)
    r = rx.read_report(data, format=reader_format)
    assert not _codes(r, "table_not_found") and not _codes(r, "row_not_found")


@pytest.mark.parametrize("section", [2, 3, 4])
def test_pdf_with_a_table_removed_raises_table_not_found(section, monkeypatch):
    pytest.importorskip("pdfplumber")
    from report_synth import pdf as synth_pdf

    def layout_without(rep):
        return {n: rows for n, rows in standard_layout(rep).items() if n != section}

    monkeypatch.setattr(synth_pdf, "standard_layout", layout_without)
    rep = make_report(20 + section, "2021")
    r = rx.read_report(synth_pdf.render_pdf(rep))
    msgs = _codes(r, "table_not_found")
    assert len(msgs) == 1 and SECTION_OF[section] in msgs[0]


def test_a_row_left_out_of_the_printed_table_is_a_warning():
    rep = make_report(5, "2021")
    layout = standard_layout(rep)
    sec2 = [row for row in layout[2] if not any(s.source.get("key", ("", ""))[1] == "penalty" for s in row)]
    tables = {2: [sec2], 3: [layout[3]], 4: [layout[4]]}
    data, fmt = render_variant(VariantDoc("no-penalty", rep, document(rep, tables)), "html")
    r = rx.read_report(data, format=fmt)
    msgs = _codes(r, "row_not_found")
    assert len(msgs) == 1 and "proactive.penalty" in msgs[0]
    assert set(r.issues.loc[r.issues["code"] == "row_not_found", "severity"]) == {"warning"}
    assert not _codes(r, "table_not_found")
