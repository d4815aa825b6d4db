"""The real HTML documents (saved TRS pages, Word pastes, a CKEditor fragment) against their labels."""

from __future__ import annotations

import pytest

import report_extract as rx
from conftest import DOCS, assert_matches_label, load_label, requires_corpus
from report_extract.layout import layout_pass
from report_extract.readers.html import read_html as _read_html


def read_html(data: bytes, path: str | None = None):
    """The HTML reader followed by the layout pass, as read_report runs them."""
    return layout_pass(_read_html(data, path))

HTML_DOCS = ["h008.html", "h009.html", "h011.html", "h012.html", "h013.html", "h014.html", "h015.html", "h016.html"]


@requires_corpus
@pytest.mark.parametrize("name", HTML_DOCS)
def test_html_matches_label(name):
    r = rx.read_report(DOCS / name)
    assert_matches_label(r, name)
    assert r.meta["source_format"] == "html"


@requires_corpus
@pytest.mark.parametrize("name", HTML_DOCS)
def test_html_sections_found_in_reading_order(name):
    r = rx.read_report(DOCS / name)
    assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]
    assert r.issues.empty, r.issues.to_string()


@requires_corpus
def test_page_chrome_is_left_out():
    doc = read_html((DOCS / "h008.html").read_bytes(), "h008.html")
    assert doc.properties["container"].startswith("div.TRS_Editor")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "QQ空间" not in text and "相关链接" not in text
    assert doc.title == "平潭综合实验区2025年度政府信息公开工作年度报告"
    assert len(doc.tables) == 3


@requires_corpus
def test_header_cells_split_into_paragraphs_and_br_are_joined():
    doc = read_html((DOCS / "h008.html").read_bytes(), "h008.html")
    texts = {c.text for t in doc.tables for row in t.rows for c in row}
    assert "社会公益组织" in texts
    assert "结果纠正" in texts
    assert any(t.startswith("三、本年度办理结果") for t in texts)


@requires_corpus
def test_digits_split_across_spans_are_joined():
    label, _ = load_label("h012.html")
    r = rx.read_report(DOCS / "h012.html")
    got = r.cells.set_index(["table", "row", "column"])["value"]
    checked = 0
    for row in label.itertuples(index=False):
        if row.raw in ("20", "21", "-18", "-15"):
            assert got[(row.table, row.row, row.column)] == float(row.raw)
            checked += 1
    assert checked >= 4


@requires_corpus
def test_article_title_preferred_over_site_title():
    r = rx.read_report(DOCS / "h013.html")
    assert r.meta["title"] == "平潭综合实验区2021年度政府信息公开工作年度报告"
    r = rx.read_report(DOCS / "h011.html")
    assert r.meta["title"].startswith("平潭综合实验区2019年")
