"""Metadata sanity (issue 13, findings 7-8): markup in title/publisher, a year the template
cannot have and a title year contradicting the body are warning issues."""

from __future__ import annotations

import report_extract as rx
from report_extract.metadata_checks import markup_issues, year_issues
from report_synth import make_report
from report_synth.html import render_html
from report_synth.text import render_text


def _codes(rep) -> dict[str, str]:
    iss = rep.issues
    return dict(zip(iss["code"], iss["severity"]))


def test_clean_report_has_no_metadata_issue():
    codes = _codes(rx.read_report(render_text(make_report(31, "2021")).encode(), "text"))
    assert not {"metadata_markup", "implausible_year", "title_year_mismatch"} & set(codes)


def test_unexpanded_entity_in_the_agency_is_an_issue():
    rep = make_report(32, "2021")
    page = render_html(rep).decode("utf-8")
    doctype = '<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY lol9 "lol">]>\n'
    page = doctype + page.replace(rep.agency, "&amp;lol9;" + rep.agency, 1)
    got = rx.read_report(page.encode("utf-8"), "html")
    assert "&lol9;" in (got.meta["agency"] or "") + (got.meta["title"] or "")
    codes = _codes(got)
    assert codes.get("metadata_markup") == "warning"
    assert got.cells.shape[0] > 100  # the report itself is still read


def test_2019_template_dated_before_2019():
    rep = make_report(33, "2019", year=2018)
    got = rx.read_report(render_text(rep).encode(), "text")
    assert got.meta["template"] == "2019" and got.meta["year"] == 2018
    msg = got.issues.loc[got.issues["code"] == "implausible_year", "message"]
    assert len(msg) == 1 and "2018" in msg.iloc[0] and "2019" in msg.iloc[0]


def test_year_rules_from_the_template_table():
    assert [i.code for i in year_issues("2021", 2020, None, "")] == ["implausible_year"]
    assert year_issues("2021", 2021, None, "") == []
    assert year_issues("2019", 2019, None, "") == []
    body = "统计期限自2022年1月1日起至2022年12月31日止。"
    assert [i.code for i in year_issues("2021", 2023, "某局2023年政府信息公开工作年度报告", body)] == ["title_year_mismatch"]
    assert year_issues("2021", 2022, "某局2022年政府信息公开工作年度报告", body) == []


def test_markup_patterns():
    assert markup_issues("某局&#x4e0a;报告", None)[0].code == "metadata_markup"
    assert markup_issues(None, "<span>某局</span>")[0].code == "metadata_markup"
    assert markup_issues("上海市人民政府办公厅2021年报告", "上海市人民政府办公厅 & 某局") == []
