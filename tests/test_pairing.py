"""One report given twice (page.html + page.txt): the better-structured rendering settles the other."""

from __future__ import annotations

import report_extract as rx
from report_extract.pairing import settle_by_renderings, structure_rank
from report_synth import make_report
from report_synth.flat import render_flat
from report_synth.html import render_html


def _crawl_folder(tmp_path, issued=62, repealed=3, in_force=440, seed=7):
    rep = make_report(seed, "2021", agency="楠木坪镇", year=2022, busy=0.0)
    for col, v in (("issued", issued), ("repealed", repealed), ("in_force", in_force)):
        rep.values[("proactive", "normative_documents", col)] = v
        rep.raw[("proactive", "normative_documents", col)] = str(v)
    folder = tmp_path / "80560_report"
    folder.mkdir()
    txt, html = folder / "page.txt", folder / "page.html"
    txt.write_text(render_flat(rep, "glued"), encoding="utf-8")
    page = render_html(rep)
    html.write_bytes(page if isinstance(page, bytes) else page.encode("utf-8"))
    return str(txt), str(html)


def _norm(rs, rid):
    c = rs.cells[(rs.cells["report_id"] == rid) & (rs.cells["row"] == "normative_documents")]
    return dict(zip(c["column"], c["raw"])), set(c["confidence"])


def test_the_web_page_settles_the_glued_texts_ambiguous_cells(tmp_path):
    txt, html = _crawl_folder(tmp_path)
    alone = rx.read_reports([txt])
    assert _norm(alone, txt)[1] == {"ambiguous"}
    rs = rx.read_reports([txt, html])
    assert _norm(rs, txt) == ({"issued": "62", "repealed": "3", "in_force": "440"}, {"inferred"})
    assert _norm(rs, html)[1] == {"certain"}
    notes = rs.issues[(rs.issues["report_id"] == txt) & (rs.issues["code"] == "inferred_from_rendering")]
    assert len(notes) == 1 and html in notes["message"].iloc[0] and "62|3|440" in notes["message"].iloc[0]
    assert not any("normative_documents" in m for m in rs.issues.loc[rs.issues["code"] == "ambiguous_split", "message"])
    assert "renderings_disagree" not in rs.issues["code"].tolist()


def test_renderings_that_disagree_are_reported_not_changed(tmp_path):
    txt, html = _crawl_folder(tmp_path)
    text = open(txt, encoding="utf-8").read().replace("一、本年新收政府信息公开申请数量0000000", "一、本年新收政府信息公开申请数量1000001", 1)
    open(txt, "w", encoding="utf-8").write(text)
    rs = rx.read_reports([txt, html])
    warn = rs.issues[rs.issues["code"] == "renderings_disagree"]
    assert list(warn["report_id"]) == [txt]
    assert "requests.new_received.total 1 vs 0" in warn["message"].iloc[0]
    c = rs.cells[(rs.cells["report_id"] == txt) & (rs.cells["row"] == "new_received")]
    assert dict(zip(c["column"], c["value"]))["total"] == 1  # as printed


def test_settling_is_pure_and_the_reference_is_the_better_structured(tmp_path):
    txt, html = _crawl_folder(tmp_path)
    reports = [rx.read_report(txt), rx.read_report(html)]
    assert structure_rank(reports[1]) < structure_rank(reports[0])
    before = reports[0].cells.copy()
    out = settle_by_renderings(reports)
    assert out[1] is reports[1] and out[0] is not reports[0]
    assert reports[0].cells.equals(before)  # the input is not changed
    assert out[0].meta["rendering_of"] == html
    # different years are not renderings of one report
    other = rx.read_report(txt)
    other.meta = {**other.meta, "year": 2021}
    assert settle_by_renderings([other, reports[1]])[0] is other
