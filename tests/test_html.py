"""The HTML reader: generated pages of every markup family read back exactly, cell text, spans,
encodings, finding the report inside page chrome, titles, and bad input."""

from __future__ import annotations

import codecs
import re

import pytest

import report_extract as rx
from conftest import cell_mismatches
from report_extract.errors import CorruptInputError, NotAReportError, ReportError
from report_extract.grid import Paragraph, Table
from report_extract.layout import layout_pass
from report_extract.readers.html import read_html as _read_html
from report_synth import QUIRKS, make_report
from report_synth.html import FAMILIES, HEADER_SPLITS, LAYOUTS, render_html, split_rows


def read_html(data: bytes, path: str | None = None):
    """The HTML reader followed by the layout pass (title, heading rows), as read_report runs them."""
    return layout_pass(_read_html(data, path))


# -- generated reports read back exactly --------------------------------------------------------

CASES = [
    (seed, tpl, family, LAYOUTS[(seed + i) % len(LAYOUTS)], HEADER_SPLITS[(seed // 3 + i) % 3])
    for seed in range(8)
    for tpl in ("2021", "2019")
    for i, family in enumerate(FAMILIES)
]


@pytest.mark.parametrize(("seed", "template", "family", "layout", "header_split"), CASES)
def test_generated_pages_read_back_exactly(seed, template, family, layout, header_split):
    quirks = set(QUIRKS) - ({"single_other"} if template == "2019" else set()) if seed % 2 else set()
    rep = make_report(seed, template, quirks=quirks, publisher_error=(seed % 3 == 0))
    data = render_html(rep, family, layout, header_split, seed=seed, bom=(seed % 4 == 1))
    r = rx.read_report(data)
    assert cell_mismatches(r, rep.truth()) == []
    assert r.meta["template"] == template
    assert r.meta["agency"] == rep.agency and r.meta["year"] == rep.year
    assert r.meta["title"] == rep.title
    assert r.failed_checks == rep.failed_checks()
    assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]
    assert (r.issues["severity"] != "error").all()
    if seed % 3 == 0:
        assert r.failed_checks  # the publisher error is reported, the printed value kept


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_family_and_layout_busy_report(family, layout):
    rep = make_report(101, "2021", busy=0.9, publisher_error=True)
    r = rx.read_report(render_html(rep, family, layout, "p", seed=5), format="html")
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks()


def test_split_rows_cuts_rowspans_like_a_page_break():
    rep = make_report(1, "2021")
    from report_extract.grid import build_table
    from report_synth import standard_layout

    rows = standard_layout(rep)[3]
    first, second = split_rows(rows, 8)
    a, b, whole = build_table(first), build_table(second), build_table(rows)
    assert a.n_rows + b.n_rows == whole.n_rows
    assert a.n_cols == b.n_cols == whole.n_cols
    # the cut 三、本年度办理结果 rowspan continues as an empty cell in the second table
    assert b.rows[0][0].text == "" and b.rows[0][0].rowspan == whole.n_rows - 1 - 8


# -- cell text ----------------------------------------------------------------------------------


def _grid(html: str) -> list[list[str]]:
    doc = read_html(html.encode("utf-8"), "t.html")
    return doc.tables[0].texts()


def test_number_split_across_spans_is_joined():
    g = _grid("<table><tr><td>自然人</td><td><span>2</span><span>0</span></td>"
              "<td><span lang=EN-US>-</span><span>18</span></td></tr></table>")
    assert g == [["自然人", "20", "-18"]]


def test_header_lines_joined_without_separator_between_cjk():
    g = _grid(
        "<table><tr><td><p>社会</p>\n &nbsp; &nbsp; &nbsp;<p>公益</p> &nbsp; &nbsp;<p>组织</p></td>"
        "<td>结果<br/>纠正</td><td>三、本<br>年度办<br>理结果</td><td>本年新<br />制作数量</td></tr></table>"
    )
    assert g == [["社会公益组织", "结果纠正", "三、本年度办理结果", "本年新制作数量"]]


def test_latin_lines_keep_a_space_and_padding_is_removed():
    g = _grid("<table><tr><td>a<br>b</td><td>&nbsp;5&nbsp;</td><td>\u30007\u3000</td>"
              "<td><p class=MsoNormal><span>8<o:p></o:p></span></p></td><td><o:p>&nbsp;</o:p></td></tr></table>")
    assert g == [["a b", "5", "7", "8", ""]]


def test_word_markup_conditional_comments_and_styles_are_ignored():
    html = (
        "<table class=MsoNormalTable><tr><td width=64 valign=top style='border:solid windowtext 1.0pt;\n"
        "  mso-border-alt:solid windowtext .5pt'><!--[if gte mso 9]><xml><w:x>99</w:x></xml><![endif]-->"
        "<p class=MsoNormal align=center><span style='mso-spacerun:yes'>&nbsp; </span><span lang=EN-US "
        "style='font-size:10.5pt'>1</span><span lang=EN-US>2</span><span lang=EN-US><o:p></o:p></span></p></td>"
        "<td><style>p{}</style><script>var a='3'</script>4</td></tr></table>"
    )
    assert _grid(html) == [["12", "4"]]


# -- table structure --------------------------------------------------------------------------


def test_rowspan_colspan_th_thead_and_overrunning_rowspan():
    html = (
        "<table><thead><tr><th rowspan=2>A</th><th colspan='2'>B</th></tr>"
        "<tr><th>b1</th><th>b2</th></tr></thead>"
        "<tbody><tr><td rowspan=9>x</td><td>1</td><td colspan=2px>2</td></tr>"
        "<tr><td>3</td><td>4</td></tr></tbody></table>"
    )
    doc = read_html(html.encode(), None)
    t = doc.tables[0]
    assert t.texts() == [["A", "B", "B", ""], ["A", "b1", "b2", ""], ["x", "1", "2", "2"], ["x", "3", "4", ""]]
    assert t.rows[3][0].origin == (2, 0) and t.rows[3][0].rowspan == 2
    assert t.rows[0][2].continued and t.rows[0][2].origin == (0, 1)


def test_tfoot_rows_come_last_and_garbage_spans_are_tolerated():
    html = (
        "<table><tfoot><tr><td>foot</td></tr></tfoot><tbody><tr><td rowspan='abc' colspan=0>body</td></tr>"
        "</tbody></table>"
    )
    assert _grid(html) == [["body"], ["foot"]]


def test_trailing_spacer_rows_dropped_blank_data_row_kept():
    spacer = "<tr>" + "<td>&nbsp;</td>" * 3 + "</tr>"
    g = _grid("<table><tr><td>总计</td><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td><td>3</td></tr>"
              + spacer + spacer + "</table>")
    assert g == [["总计", "a", "b"], ["1", "2", "3"]]
    g = _grid("<table><tr><td>结果维持</td><td>结果纠正</td><td>总计</td></tr>" + spacer + "</table>")
    assert g == [["结果维持", "结果纠正", "总计"], ["", "", ""]]


def test_layout_table_is_read_as_a_container():
    html = (
        "<table><tr><td><a>首页</a></td><td><p>二、主动公开政府信息情况</p>"
        "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>3</td></tr></table>"
        "<p>三、收到和处理政府信息公开申请情况</p></td></tr></table>"
    )
    doc = read_html(html.encode(), None)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    assert doc.tables[0].texts() == [["信息内容", "本年制发件数"], ["规章", "3"]]


def test_heading_row_inside_a_merged_table_splits_it():
    rep = make_report(2, "2021")
    doc = read_html(render_html(rep, "trs", "merged"), None)
    texts = [b.text if isinstance(b, Paragraph) else "<table>" for b in doc.blocks]
    i = texts.index("三、收到和处理政府信息公开申请情况")
    assert texts[i - 1] == "<table>" and texts[i + 1] == "<table>"
    assert len(doc.tables) == 3


# -- prose, chrome and titles --------------------------------------------------------------------


def test_prose_and_tables_in_reading_order_without_chrome():
    rep = make_report(4, "2021")
    doc = read_html(render_html(rep, "trs"), "page.html")
    assert doc.properties["container"] == "div.TRS_Editor"
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any("QQ空间" in t or "当前位置" in t or "网站地图" in t or "相关文章" in t for t in texts)
    order = [b.text[:2] if isinstance(b, Paragraph) else "T" for b in doc.blocks]
    headings = [o for o in order if o in ("一、", "二、", "三、", "四、", "五、", "六、", "T")]
    assert headings == ["一、", "二、", "T", "三、", "T", "四、", "T", "五、", "六、"]


def test_br_splits_paragraphs_so_headings_are_seen():
    doc = read_html("<p>引言。<br />四、政府信息公开行政复议、行政诉讼情况</p>".encode(), None)
    assert [b.text for b in doc.blocks] == ["引言。", "四、政府信息公开行政复议、行政诉讼情况"]


def test_article_title_preferred_over_site_title():
    html = (
        "<html><head><title>首页_某某市人民政府门户网站</title></head><body>"
        "<ul class=list><li class=title>某某市2019年度政府信息公开工作年度报告</li></ul>"
        "<div class=article_title>某某县2023年度政府信息公开工作年度报告</div>"
        "<div id=zoom><p>一、总体情况</p></div></body></html>"
    )
    doc = read_html(html.encode(), None)
    assert doc.title == "某某县2023年度政府信息公开工作年度报告"


def test_site_title_suffixes_dropped():
    html = "<html><head><title>青石乡2024年政府信息公开工作年度报告_年报_青石乡人民政府</title></head><body><p>x</p></body></html>"
    assert read_html(html.encode(), None).title == "青石乡2024年政府信息公开工作年度报告"


def test_title_over_two_lines_is_joined():
    doc = read_html("<p align=center>某某区2020年</p><p align=center>政府信息公开工作年度报告</p><p>一、总体情况</p>".encode(), None)
    assert doc.title == "某某区2020年政府信息公开工作年度报告"


def test_hidden_elements_are_ignored():
    html = "<div style='display: none'><p>六、其他需要报告的事项</p></div><p hidden>隐藏</p><p>看得见</p>"
    assert [b.text for b in read_html(html.encode(), None).blocks] == ["看得见"]


# -- encodings ---------------------------------------------------------------------------------


def test_gb2312_declared_page_with_gb18030_characters():
    rep = make_report(6, "2021")
    data = render_html(rep, "gbk")
    assert b"charset=gb2312" in data
    doc = read_html(data, None)
    assert doc.properties["encoding"] == "gb18030"
    assert any("王喆" in p.text and "𠮷祥路" in p.text for p in doc.paragraphs)
    r = rx.read_report(data)
    assert cell_mismatches(r, rep.truth()) == []


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_undeclared_encodings_and_boms(encoding):
    html = "<p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>5</td></tr></table>"
    data = html.encode(encoding)
    doc = read_html(data, None)
    assert doc.paragraphs[0].text == "二、主动公开政府信息情况"
    assert doc.tables[0].texts() == [["规章", "5"]]


def test_declared_charset_wrong_utf8_page_declared_gbk():
    data = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body><p>总体情况</p></body></html>'
    assert read_html(data.encode("utf-8"), None).paragraphs[0].text == "总体情况"
    assert read_html(codecs.BOM_UTF8 + data.encode("utf-8"), None).paragraphs[0].text == "总体情况"


def test_html_in_a_js_string_literal():
    rep = make_report(9, "2019", publisher_error=True)
    data = render_html(rep, "js_literal", "separate", "br")
    assert data.startswith(b"//")
    doc = read_html(data, "content.js")
    assert doc.properties.get("js_literal") is True
    r = rx.read_report(data)
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks()


def test_js_escapes_are_decoded():
    data = 'var content = "<p>\\u4e00\\u3001\\u603b\\u4f53\\u60c5\\u51b5<\\/p><p class=\\"x\\">ok\\tdone and more text</p>";'
    doc = read_html(data.encode(), "a.js")
    assert [b.text for b in doc.blocks] == ["一、总体情况", "ok done and more text"]


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t ",
        b"<html></html>",
        b"<html><body><p>hello world</p></body></html>",
        b"<table><tr><td>a</td><td>b</td></tr></table>",
        b"<div" * 5000,
        b"<div>" * 20000 + "一、总体情况".encode() + b"</div>" * 20000,
        b"<<<>>>&&&;;;<table<tr<td",
        b"<table>" + b"<tr><td colspan=99999 rowspan=99999>x</td></tr>" * 300 + b"</table>",
        b"<table><tr><td colspan=1000>a</td></tr>" + b"<tr><td>1</td></tr>" * 999 + b"</table>",
        "<p>政府信息公开工作年度报告</p><p>一、总体情况</p><p>本机关全年无相关情况。</p>".encode(),
    ],
)
def test_no_report_gives_a_report_error(data):
    with pytest.raises(ReportError) as exc:
        rx.read_report(data, format="html")
    assert str(exc.value).startswith("<input>: ")


def test_binary_bytes_give_corrupt_input():
    with pytest.raises(CorruptInputError):
        rx.read_report(b"<html>\x00\x01\x02\x00" * 2000, format="html")


def test_not_a_report_names_the_file(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("<html><body><p>新闻</p><table><tr><td>甲</td><td>1</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(NotAReportError) as exc:
        rx.read_report(f)
    assert str(f) in str(exc.value)


def test_reader_returns_grid_types():
    rep = make_report(3, "2021")
    doc = read_html(render_html(rep, "ckeditor"), "x.html")
    assert doc.source_format == "html"
    assert all(isinstance(b, Paragraph | Table) for b in doc.blocks)
    assert [t.index for t in doc.tables] == list(range(len(doc.tables)))


def test_small_table_nested_in_a_data_table_is_flattened_into_its_cell():
    html = (
        "<p>二、主动公开政府信息情况</p><table>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td><table><tr><td>3</td></tr></table></td><td>0</td><td>7</td></tr>"
        "<tr><td>行政规范性文件</td><td>1</td><td>2</td><td>9</td></tr></table>"
    )
    doc = read_html(html.encode(), None)
    assert len(doc.tables) == 1
    assert doc.tables[0].texts()[1] == ["规章", "3", "0", "7"]


def test_utf8_page_with_a_stray_byte_stays_utf8():
    rep = make_report(8, "2021")
    data = render_html(rep, "trs")
    i = data.index(b"</div>", len(data) // 3)
    damaged = data[:i] + b"\xff" + data[i:]
    r = rx.read_report(damaged)
    assert r.meta["properties"]["encoding"] == "utf-8"
    assert cell_mismatches(r, rep.truth()) == []


def test_json_with_unicode_escaped_markup():
    rep = make_report(10, "2021")
    import json

    body = render_html(rep, "ckeditor").decode("utf-8")
    data = json.dumps({"code": 0, "data": {"content": body}}).replace("<", "\\u003c").replace(">", "\\u003e")
    r = rx.read_report(data.encode("ascii"), format="html")
    assert cell_mismatches(r, rep.truth()) == []


def test_page_linking_the_report_as_an_attachment_says_so():
    html = (
        "<html><head><title>某某县2023年度政府信息公开工作年度报告</title></head><body>"
        "<div class=article_content><p>现将本单位年度报告公布如下。</p>"
        "<p>附件：<a href='/upload/2024/nb.pdf'>某某县2023年度报告.pdf</a></p></div></body></html>"
    )
    with pytest.raises(NotAReportError) as exc:
        rx.read_report(html.encode(), format="html")
    assert "某某县2023年度报告.pdf" in str(exc.value)


def test_benchmark_script_runs(capsys, monkeypatch):
    import runpy
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "html_speed.py"
    monkeypatch.syspath_prepend(str(script.parent))  # as `python benchmarks/html_speed.py` has it
    mod = runpy.run_path(str(script))
    assert mod["main"](["--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "read_html (reader)" in out and "lxml.html.fromstring parse" in out


# -- the fast paths give what the plain definitions give -----------------------------------------

_FAST_PATH_PAGE = (
    "<html><head><title>t</title><script>var x = '一、情况';</script></head><body>"
    "<div class='c'>一、<span>总体</span>情况<script>/* 二、 */</script><!--三、注释--></div>"
    "<p style='DISPLAY: None'>隐藏</p><p hidden>也隐藏</p><p style='border:none'>可见<br>第二行</p><div><b>x</b>\u3000五、尾</div>"
    "<table><tr><td>社会<br>公益<span style='display:none'>x</span><p>组织</p></td>"
    "<td><ruby>字<rt>zi</rt></ruby>12</td></tr></table>"
    "<center>\u3000四、居中</center><span class='subTitle'>副题</span><p class='x TITLE'>标题</p>"
    "<p style='TEXT-ALIGN : Center'>居中</p><div align='CENTER'>居中</div></body></html>"
)


def test_spaces_are_what_squeeze_removes():
    from report_extract.readers.html import SPACES
    from report_extract.textnorm import squeeze

    assert {ch for ch in map(chr, range(0x110000)) if squeeze(ch) == ""} == set(SPACES)


def test_page_text_and_hidden_set_match_the_plain_definitions():
    from report_extract.readers.html import _Page
    from report_extract.readers.html_tables import (
        get_text,
        hidden_elements,
        is_hidden,
        parse_html,
        text_pieces,
    )
    from report_extract.textnorm import squeeze

    html = parse_html(_FAST_PATH_PAGE)
    page = _Page(html)
    elements = [el for el in html.iter() if isinstance(el.tag, str)]
    assert page.hidden == {el for el in elements if is_hidden(el)}
    assert len(page.hidden) == 2  # the hidden attribute and display:none (is_hidden reads "none" as written)
    for el in elements:
        assert page.text(el) == get_text(el)
        assert page.text(el, " ") == get_text(el, " ")
        assert text_pieces(el, page.hidden) == text_pieces(el)
    titled = [el for name in ("div", "p", "span", "td", "h3", "strong") for el in page.tags(name)
              if "title" in (el.get("class") or "").lower() and el not in page.holds_table]
    assert page._title_classed() == titled and [el.tag for el in titled] == ["p", "span"]
    centred = [el for name in ("p", "div", "center") for el in page.tags(name) if el not in page.holds_table and (
        name == "center" or (el.get("align") or "").lower() == "center"
        or re.search(r"text-align\s*:\s*center", el.get("style") or "", re.I))]
    assert page._centred() == centred and [el.tag for el in centred] == ["p", "div", "center"]
    for name in ("p", "div", "span", "td", "table", "center", "title", "script"):
        assert page.tags(name) == [el for el in html.iter(name) if el not in page.skipped]
    # heading holders: the ancestors of every text or tail starting with 一 … 六 past the spaces, and of comments
    def numbered(text: str | None) -> bool:
        return bool(text) and squeeze(text)[:1] in tuple("一二三四五六")

    starts = [n for n in html.iter() if not isinstance(n.tag, str) or numbered(n.text)]
    starts += [n.getparent() for n in html.iter() if numbered(n.tail)]
    assert page._heading_holders() == {a for n in starts for a in (n, *n.iterancestors())}
    assert {el.text.strip() for el in page._heading_holders() if el.tag in ("p", "center")} >= {"四、居中"}
    cell = html.find(".//td")
    assert hidden_elements(cell) == {cell.find("span")}
    assert text_pieces(cell) == ["社会", "公益", "组织"]


def test_hides_is_the_plain_definition():
    """``hides`` rules out styles without "y" or "Y" before lowering: the same answers as
    lowering every style, case, spaces and letters that lower to ASCII (or nearly) included."""
    import random

    from report_extract.readers.html_tables import hides

    def plain(style: str) -> bool:
        return "display:none" in style.replace(" ", "").lower()

    fixed = ["display:none", "DISPLAY: NONE", "Dis Play :nOnE", "displa y:none", "display:\tnone", "border:none",
             "font-family:x;display :none", "DISPLA\u0178:none", "display:none".replace("i", "\u0130"), "", " "]
    rng = random.Random(12)
    letters = list("displaynone:DISPLAYNONE ;x") + ["\u0130", "\u0131", "\u017f", "\u212a", "\xff", "\u0178", "\t"]
    made = ["".join(rng.choice(letters) for _ in range(rng.randint(0, 16))) for _ in range(20_000)]
    made += ["".join(rng.choice((ch, ch.upper(), ch + " ")) for ch in "display:none") for _ in range(2_000)]
    assert [hides(s) for s in fixed] == [plain(s) for s in fixed]
    assert [hides(s) for s in made] == [plain(s) for s in made]
    assert sum(map(plain, made)) > 1_000  # the hidden ones are well represented


_CELL_SHAPES = (
    "<p><span>1</span><span>2</span></p>", "<span>社会</span><b>公益</b>", " <p>一、<span>情况</span></p>\n",
    "a<p>b</p>", "<p>b</p>c", "<p>a<br>b</p>", "<span>a<!--c-->b</span>", "<p><span style='display:none'>h</span>v</p>",
    "\u3000<p>社会<span>公益</span></p>\xa0", "<script>x</script>y", "<p><div>a</div></p>", "<p hidden>a</p>",
    "<div><span>1</span>2</div>", "<span>1</span><p>2</p>", "<p><ruby>字<rt>zi</rt></ruby></p>", "<p></p>", "<p> </p>",
)


def test_one_line_cells_read_as_the_general_split_reads_them():
    """The shortcut for a cell or paragraph of one line (inline content, or one block holding
    inline content) gives the pieces the general walk gives, and steps aside for every other shape."""
    from report_extract.readers.html_tables import (
        _collect,
        _one_piece,
        hidden_elements,
        parse_html,
        text_pieces,
    )
    from report_extract.textnorm import clean_cell

    shortcut = 0
    for shape in _CELL_SHAPES:
        td = parse_html(f"<table><tr><td>{shape}</td></tr></table>").find(".//td")
        hidden = hidden_elements(td)
        out: list[list[str]] = [[]]
        _collect(td, out, hidden)
        assert text_pieces(td, hidden) == [t for t in (clean_cell("".join(p)) for p in out) if t], shape
        shortcut += _one_piece(td, hidden) is not None
    assert shortcut == 8  # the one-line shapes; the others (breaks, hidden, scripts, comments) walk


def test_heading_holders_cover_every_numbered_text():
    from report_extract.readers.html import _Page
    from report_extract.readers.html_tables import parse_html

    html = parse_html(_FAST_PATH_PAGE)
    holders = _Page(html)._heading_holders()
    div, center = html.find(".//div"), html.find(".//center")
    assert div in holders and center in holders and html.find("body") in holders
    assert html.find(".//td") not in holders
