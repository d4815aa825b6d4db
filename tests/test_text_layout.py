"""Converter text layout: page furniture, aligned columns, wrapped tab rows, dashes."""

from __future__ import annotations

from report_extract.readers.text_layout import (
    dashes_restored,
    is_aligned_text,
    join_tab_rows,
    strip_page_furniture,
    unwrap_aligned_rows,
)

ALIGNED = """\
   一、本年新收政府信息公开申请数量          89     52       30       96   44     30     341
   二、上年结转政府信息公开申请数量          0      0         0       0     0     0       0

三         （一）予以公开            0      0         0       0     4     0       4
、
本 （二）部分公开（区分处理的，只计这一情形，                                     0
                             0      0         0       0           0       0
年         不计其他情形）
              5.要求行政机关确认或重新出具已获
                                             27         0         0         23        3       0       53
                      取信息

     政府集中采购                 0                          23,208元
              3.其他                 0       0         0         0         0       0        0
"""


def test_page_numbers_and_form_feeds_are_removed():
    text = "2.其他法律行政法规禁止公开 0 30 0\n- 1 -\n\f果\n3.危及 0 0\n第 2 页 共 3 页\n12\n\f六、其他"
    out, removed = strip_page_furniture(text)
    # a bare number before a page break may be a value: it stays
    assert out.split("\n") == ["2.其他法律行政法规禁止公开 0 30 0", "果", "3.危及 0 0", "12", "六、其他"]
    assert removed == 2


def test_aligned_rows_are_unwrapped_with_values_in_column_order():
    assert is_aligned_text(ALIGNED.split("\n"))
    out, rows = unwrap_aligned_rows(ALIGNED)
    lines = [ln for ln in out.split("\n") if ln]
    assert "一、本年新收政府信息公开申请数量 89 52 30 96 44 30 341" in lines
    # the values printed on two lines merged, the wrapped label joined before them
    i = lines.index("（二）部分公开（区分处理的，只计这一情形，")
    assert lines[i + 1] == "不计其他情形） 0 0 0 0 0 0 0"
    # a values line with no label of its own takes the label around it
    j = lines.index("5.要求行政机关确认或重新出具已获")
    assert lines[j + 1] == "取信息 27 0 0 23 3 0 53"
    # stacked characters of a vertical label stay lines of their own
    k = lines.index("（一）予以公开 0 0 0 0 4 0 4")
    assert lines[k - 2: k] == ["三", "、"]
    assert "政府集中采购 0 23,208元" in lines
    assert rows == 7


def test_text_that_is_not_aligned_is_left_alone():
    text = "一、总体情况\n规章 262 0 0\n行政许可 0\n"
    assert unwrap_aligned_rows(text) == (text, 0)


def test_wrapped_tab_rows_are_joined_and_empty_paragraph_cells_keep_their_place():
    rows = ["名称\t值"] * 6
    text = "\n\n".join(rows) + "\n\n" + "\t一、本年新收政府信息公开申请数量\t89\t52\t30\n\u3000341\n\n"
    text += "\u3000（本列数据的勾稽关系为：第一项加第二项之和，等\n于第三项）\t申请人情况\n\n"
    text += "3.危及“三安全一稳定”\t29\n\n2\t0\t31\n\n8.属于行政查询事项\t0\n"
    out, joined = join_tab_rows(text)
    lines = out.split("\n")
    assert "\t一、本年新收政府信息公开申请数量\t89\t52\t30\t\u3000341" in lines
    assert "\u3000（本列数据的勾稽关系为：第一项加第二项之和，等于第三项）\t申请人情况" in lines
    assert "3.危及“三安全一稳定”\t29\t\t2\t0\t31" in lines
    assert "8.属于行政查询事项\t0" in lines
    assert joined >= 2


def test_double_hyphen_placeholder_is_an_em_dash():
    assert dashes_restored("0 -- 22 0") == "0 — 22 0"
    assert dashes_restored("a--b 规定--") == "a--b 规定--"
