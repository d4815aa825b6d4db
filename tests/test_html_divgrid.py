"""HTML tables made of <div>/<span> grids (CSS grid, CSS table, rows of fixed-width blocks)."""

from __future__ import annotations

import pytest

import report_extract as rx
from report_extract.readers.html_divgrid import divgrid_table
from report_extract.readers.html_tables import parse_html
from report_synth import QUIRKS, make_report, standard_layout
from report_synth.divgrid import STYLES, render_divgrid_html


def _first_div(html: str):
    return parse_html(html).find(".//div")


def _values(report: rx.Report) -> dict:
    return {(t, r, c): v for t, r, c, v in zip(report.cells["table"], report.cells["row"], report.cells["column"], report.cells["value"])}


def _own(table) -> list[list[str]]:
    return [["" if c.continued else c.text for c in row] for row in table.rows]


def _same(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_div_grid_tables_read_exactly(style, seed):
    template = "2019" if seed == 2 else "2021"
    quirks = set(QUIRKS) - {"single_other"} if seed == 1 else set()
    rep = make_report(seed, template, quirks=quirks)
    r = rx.read_report(render_divgrid_html(rep, style, sections=(2, 3, 4)), format="html")
    truth = rep.truth()
    got = _values(r)
    assert len(got) == len(truth)
    assert all(_same(got[(t, row, c)], v) for t, row, c, v in zip(truth["table"], truth["row"], truth["column"], truth["value"]))
    assert r.meta["template"] == template
    assert not (r.issues["severity"] == "error").any()


def test_css_grid_spans_place_cells_like_a_table():
    html = """<div style="display:grid;grid-template-columns:100px 1fr 1fr 1fr">
      <div style="grid-row:span 2">信息内容</div><div style="grid-column:2 / 5">本年</div>
      <div>a</div><div>b</div><div>c</div>
      <div>规章</div><div>1</div><div>2</div><div>3</div></div>"""
    table = divgrid_table(_first_div(html))
    assert table is not None and table.n_cols == 4
    assert _own(table) == [["信息内容", "本年", "", ""], ["", "a", "b", "c"], ["规章", "1", "2", "3"]]
    assert table.rows[0][1].colspan == 3 and table.rows[0][0].rowspan == 2


def test_fixed_width_blocks_give_column_spans():
    row = '<div class="r">{}</div>'
    block = '<span style="display:inline-block;width:{}px">{}</span>'
    html = "<div>" + row.format(block.format(60, "信息内容") + block.format(180, "本年处理决定数量")) + row.format(
        block.format(60, "行政许可") + block.format(60, "1") + block.format(60, "2") + block.format(60, "3")
    ) + "</div>"
    table = divgrid_table(_first_div(html))
    assert table is not None
    assert _own(table) == [["信息内容", "本年处理决定数量", "", ""], ["行政许可", "1", "2", "3"]]


def test_page_layout_divs_are_not_tables():
    html = """<div class="page"><div class="head" style="width:960px">站点</div>
      <div class="body" style="width:960px"><p>正文</p></div><div style="width:300px">脚注</div></div>"""
    assert divgrid_table(_first_div(html)) is None
    grid = '<div style="display:grid;grid-template-columns:1fr 1fr"><div>a</div><div>b</div></div>'
    assert divgrid_table(_first_div(grid)) is None  # too few cells to be a table


@pytest.mark.parametrize("style", STYLES)
def test_a_div_grid_the_reader_cannot_see_is_not_silent(style, monkeypatch):
    """Remove section 三's grid: the completeness rule reports the table as not found."""
    from report_synth import divgrid

    rep = make_report(4, "2021")
    layout = standard_layout(rep)
    monkeypatch.setattr(divgrid, "standard_layout", lambda _rep: {n: rows for n, rows in layout.items() if n != 3})
    r = rx.read_report(render_divgrid_html(rep, style, sections=(2, 4)), format="html")
    codes = r.issues.loc[r.issues["code"] == "table_not_found", "message"].tolist()
    assert len(codes) == 1 and "requests" in codes[0]
