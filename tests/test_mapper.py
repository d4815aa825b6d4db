"""Label-based mapping: blank cells never shift neighbours, templates never mix, variants map."""

from __future__ import annotations

import math

import pytest

import report_extract as rx
from report_synth import make_report
from report_synth.text import render_text


def _md(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)


REQ_HEADER = [
    ["申请人情况", "", "", "", "", "", "", "", ""],
    ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计", ""],
]


def _report(sec3_rows: list[list[str]], title: str = "2023年测试镇政府信息公开工作年度报告", header=None) -> str:
    header = header or REQ_HEADER
    return "\n".join(
        [title, "三、收到和处理政府信息公开申请情况", "", _md(header + sec3_rows), ""]
    )


def value(r, table, row, col):
    sub = r.cells[(r.cells.table == table) & (r.cells.row == row) & (r.cells.column == col)]
    assert len(sub) == 1, f"{table}.{row}.{col} not mapped"
    return sub.iloc[0]


def test_blank_cell_never_shifts_its_neighbours():
    text = _report([["一、本年新收政府信息公开申请数量", "5", "", "2", "3", "", "1", "11", ""]])
    r = rx.read_report(text.encode())
    assert value(r, "requests", "new_received", "natural_person").value == 5
    blank = value(r, "requests", "new_received", "commercial_enterprise")
    assert math.isnan(blank.value) and blank.raw == ""
    assert value(r, "requests", "new_received", "research_institution").value == 2
    assert value(r, "requests", "new_received", "social_welfare_org").value == 3
    assert math.isnan(value(r, "requests", "new_received", "legal_service_org").value)
    assert value(r, "requests", "new_received", "other_org").value == 1
    assert value(r, "requests", "new_received", "total").value == 11
    assert r.failed_checks == []  # 5 + 2 + 3 + 1 = 11: blanks count as 0


@pytest.mark.parametrize("blank_col", range(7))
def test_blank_cell_in_any_column_of_a_pipe_rendering(blank_col):
    rep = make_report(seed=3, busy=0.9)
    cols = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total"]
    key = ("requests", "granted", cols[blank_col])
    rep.raw[key], rep.values[key] = "", None
    r = rx.read_report(render_text(rep, "pipe").encode())
    got = r.cells.set_index(["table", "row", "column"])["value"]
    for c in cols:
        want = rep.values[("requests", "granted", c)]
        if want is None:
            assert math.isnan(got[("requests", "granted", c)])
        else:
            assert got[("requests", "granted", c)] == want


def test_placeholders_keep_raw_text_and_get_no_value():
    text = _report([["一、本年新收政府信息公开申请数量", "/", "—", "-", "无", "0", "0", "0", ""]])
    r = rx.read_report(text.encode())
    raws = r.cells[r.cells.row == "new_received"].set_index("column")["raw"]
    assert list(raws[:4]) == ["/", "—", "-", "无"]
    assert r.cells[r.cells.row == "new_received"]["value"].iloc[:4].isna().all()


def test_missing_columns_and_rows_stay_missing():
    header = [["", "自然人", "总计"]]
    text = _report([["一、本年新收政府信息公开申请数量", "4", "4"], ["（七）总计", "4", "4"]], header=header)
    r = rx.read_report(text.encode())
    assert set(r.cells["column"]) == {"natural_person", "total"}
    assert set(r.cells["row"]) == {"new_received", "total_processed"}
    assert "commercial_enterprise" not in set(r.cells["column"])


def test_2019_label_never_lands_in_a_2021_field():
    """A 2021 report (by its other labels) printing the 2019 column 本年新制作数量 does not get
    that column mapped to 2021's 本年制发件数; the value is reported as an issue instead."""
    text = "\n".join(
        [
            "2022年某县政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "",
            _md([["第二十条第（一）项", "", "", ""], ["信息内容", "本年新制作数量", "本年废止件数", "现行有效件数"], ["规章", "7", "1", "9"]]),
            "",
            _md([["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""], ["行政许可", "12", "", ""]]),
            "",
        ]
    )
    r = rx.read_report(text.encode())
    assert r.meta["template"] == "2021"
    mapped = set(zip(r.cells["row"], r.cells["column"]))
    assert ("rules", "issued") not in mapped
    assert ("rules", "repealed") in mapped and ("rules", "in_force") in mapped
    assert value(r, "proactive", "licensing", "decisions").value == 12
    assert not r.issues[r.issues.severity == "error"].empty


def test_2019_report_uses_only_2019_codes():
    rep = make_report(seed=11, template="2019")
    r = rx.read_report(render_text(rep, "markdown").encode())
    assert r.meta["template"] == "2019"
    codes_2021_only = {"issued", "repealed", "in_force"}
    assert not codes_2021_only & set(r.cells["column"])
    assert not {"other_overdue_correction", "other_overdue_fee", "other_other"} & set(r.cells["row"])
    assert len(r.cells) == 198
    assert len(r.checks) == 7 + 7 + 23 + 3


def test_single_row_other_variant_maps_to_row_other():
    rep = make_report(seed=5, template="2021", quirks={"single_other"})
    r = rx.read_report(render_text(rep, "pipe").encode())
    assert r.meta["template"] == "2021"
    rows = set(r.cells["row"])
    assert "other" in rows and not {"other_overdue_correction", "other_overdue_fee", "other_other"} & rows
    assert len(r.cells) == 200 - 21 + 7
    assert r.failed_checks == rep.failed_checks()


def test_units_and_thousands_separators():
    rep = make_report(seed=8, template="2019", quirks={"units", "thousands"})
    r = rx.read_report(render_text(rep, "tsv").encode())
    proc = r.cells[(r.cells.row == "procurement") & (r.cells.column == "amount")].iloc[0]
    assert proc.raw.endswith("元") and proc.unit == "元"
    assert proc.value == rep.values[("proactive", "procurement", "amount")]


def _pipe(rows: list[list[str]]) -> str:
    return "\n".join(line for row in rows for line in ["|", *[f"{c} |" for c in row]])


def test_unmappable_grid_leaves_an_issue():
    header = [["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]]
    body = [["一、本年新收政府信息公开申请数量", "5", "2", "11"], ["某个不存在的行", "1", "2", "3", "4", "5", "6", "21"], ["（七）总计", *"0000000"]]
    text = "2023年测试镇政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + _pipe(header + body)
    r = rx.read_report(text.encode())
    codes = set(r.issues["code"])
    assert "column_mismatch" in codes  # 3 values under 7 columns: not guessed
    assert "unmapped_row" in codes
    assert "new_received" not in set(r.cells["row"])


def test_review_litigation_by_position_with_truncated_headers():
    rep = make_report(seed=2, busy=0.9, quirks={"truncated_review"})
    r = rx.read_report(render_text(rep, "pipe").encode())
    got = r.cells[r.cells.table == "review_litigation"].set_index(["row", "column"])["value"]
    for (t, row, col), v in rep.values.items():
        if t == "review_litigation":
            assert got[(row, col)] == v
