"""Section-二 bounds (``data/bounds.csv``): readings of a glued run that the columns' own
definitions rule out are dropped; the cells the rest agree on are ``inferred`` and named."""

from __future__ import annotations

import pytest

import report_extract as rx
from report_extract.flat.bounds import bounds, parse_bound, within_bounds
from report_extract.schema import template_schema
from report_synth import make_report
from report_synth.flat import render_flat


def _zero(template: str, year: int) -> str:
    return render_flat(make_report(7, template, agency="楠木坪镇", year=year, busy=0.0), "glued")


def _read(text: str) -> rx.Report:
    return rx.read_report(text.encode("utf-8"))


def _row(r: rx.Report, table: str, row: str) -> dict[str, tuple[str, str]]:
    c = r.cells[(r.cells["table"] == table) & (r.cells["row"] == row)]
    return {col: (raw, conf) for col, raw, conf in zip(c["column"], c["raw"], c["confidence"])}


def _issues(r: rx.Report, code: str) -> list[str]:
    return r.issues.loc[r.issues["code"] == code, "message"].tolist()


def test_published_beyond_the_running_total_is_no_reading():
    text = _zero("2019", 2020).replace("规范性文件000", "规范性文件9921", 1)
    r = _read(text)
    # 9|9|21, 9|92|1, 99|2|1: only the first has 本年新公开 <= 对外公开总数量
    assert _row(r, "proactive", "normative_documents") == {
        "produced": ("9", "inferred"), "published": ("9", "inferred"), "total_published": ("21", "inferred"),
    }
    notes = _issues(r, "inferred_from_bounds")
    assert len(notes) == 1 and "published <= total_published" in notes[0] and "'9921'" in notes[0]
    assert "proactive.normative_documents.produced" in notes[0]
    assert not any("normative_documents" in m for m in _issues(r, "ambiguous_split"))


def test_a_negative_number_of_items_is_no_reading():
    text = _zero("2019", 2020).replace("行政处罚000", "行政处罚12-130", 1)
    r = _read(text)
    # 12|-13|0 leaves -1 items; 12|-1|30 is the only reading left
    assert _row(r, "proactive", "penalty") == {
        "previous_year_items": ("12", "certain"), "change": ("-1", "inferred"), "decisions": ("30", "inferred"),
    }
    notes = _issues(r, "inferred_from_bounds")
    assert len(notes) == 1 and "previous_year_items + change >= 0" in notes[0]
    assert "proactive.penalty.change" in notes[0] and "previous_year_items," not in notes[0]


def test_a_run_every_bound_allows_stays_ambiguous():
    text = _zero("2019", 2020).replace("行政许可000", "行政许可3500", 1)
    r = _read(text)
    cells = _row(r, "proactive", "licensing")
    assert cells["previous_year_items"][1] == "ambiguous" and cells["change"][1] == "ambiguous"
    assert _issues(r, "inferred_from_bounds") == []
    assert any("licensing" in m for m in _issues(r, "ambiguous_split"))


def test_what_is_only_usual_settles_nothing():
    # 3|0|21 or 30|2|1: 现行有效 < 本年制发 - 本年废止 is unusual, not impossible (a document
    # issued for the year lapses at its end), so both readings stay
    text = _zero("2021", 2023).replace("行政规范性文件000", "行政规范性文件3021", 1)
    r = _read(text)
    cells = _row(r, "proactive", "normative_documents")
    assert {conf for _raw, conf in cells.values()} == {"ambiguous"}
    assert _issues(r, "inferred_from_bounds") == []


def test_a_bound_every_reading_breaks_drops_nothing():
    cols = ["produced", "published", "total_published"]
    keep, used = within_bounds("2019", "rules", cols, [[1.0, 5.0, 2.0], [1.0, 6.0, 3.0]])
    assert keep == [0, 1] and used == []
    keep, used = within_bounds("2019", "rules", cols, [[1.0, 5.0, 2.0], [1.0, 2.0, 3.0]])
    assert keep == [1] and [b.name for b in used] == ["published_within_total"]
    # another template's row, or a row without the bound's columns: no bound applies
    assert within_bounds("2021", "rules", cols, [[1.0, 5.0, 2.0], [1.0, 2.0, 3.0]]) == ([0, 1], [])
    assert within_bounds("2019", "rules", ["produced", "published"], [[1.0, 5.0], [1.0, 2.0]]) == ([0, 1], [])


def test_every_bound_names_columns_its_rows_print():
    assert bounds()
    for b in bounds():
        schema = template_schema(b.template)
        for row in b.rows:
            assert row in schema.rows["proactive"], (b.name, row)
            assert b.columns() <= set(schema.rows["proactive"][row].columns), (b.name, row)
        assert b.rule and b.text


def test_parse_bound():
    b = parse_bound("x", "2019", "a;b", "p + q >= r - s", "why")
    assert b.lhs == (("p", 1), ("q", 1)) and b.rhs == (("r", 1), ("s", -1)) and b.op == ">="
    assert b.holds({"p": 1, "q": 1, "r": 3, "s": 1}) and not b.holds({"p": 0, "q": 1, "r": 3, "s": 1})
    with pytest.raises(ValueError, match="not 'sum <= sum'"):
        parse_bound("x", "2019", "a", "p = q", "why")
