"""The grid model's span expansion and the section splitter."""

from __future__ import annotations

import pytest

from report_extract.grid import CellSpec, Document, Paragraph, build_table
from report_extract.sections import heading_number, split_sections


def test_build_table_expands_rowspan_and_colspan():
    t = build_table(
        [
            [CellSpec("A", rowspan=2), CellSpec("B", colspan=2)],
            [CellSpec("c"), CellSpec("d")],
        ]
    )
    assert t.texts() == [["A", "B", "B"], ["A", "c", "d"]]
    assert t.rows[1][0].continued and t.rows[1][0].origin == (0, 0)
    assert t.rows[0][2].continued and not t.rows[0][1].continued
    assert not t.rows[1][1].continued


def test_rowspan_overrunning_the_table_is_cut_and_short_rows_padded():
    t = build_table([[CellSpec("x", rowspan=9), CellSpec("y"), CellSpec("z")], [CellSpec("w")]])
    assert t.n_rows == 2 and t.n_cols == 3
    assert t.texts() == [["x", "y", "z"], ["x", "w", ""]]
    assert t.rows[1][2].padding


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一、总体情况", 1),
        ("一、总体情况\u00a0", 1),
        ("二、主动公开政府信息情况", 2),
        ("三、收到和处理政府信息公开申请情况", 3),
        ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 4),
        ("四、政府信息公开行政法复议、行政诉讼情况", 4),
        ("四．因政府信息公开申请行政复议、提起行政诉讼的情况", 4),
        ("五、政府信息公开工作存在的主要问题及改进情况", 5),
        ("五、存在的主要问题及改进情况", 5),
        ("六、其他需要报告的事项", 6),
        ("六,其他需要报告的事项", 6),
        ("（一）主动公开情况", None),
        ("本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、因政府信息公开申请行政复议、提起行政诉讼的情况等六个部分。", None),
    ],
)
def test_heading_number(text, number):
    assert heading_number(text) == number


def test_split_sections_in_order_only():
    doc = Document(
        blocks=[Paragraph(t) for t in ["标题", "一、总体情况", "正文一", "二、主动公开政府信息情况", "正文二", "一、总体情况", "五、存在的主要问题及改进情况", "正文五"]],
        source_format="text",
    )
    pre, secs = split_sections(doc)
    assert [p.text for p in pre] == ["标题"]
    assert sorted(secs) == [1, 2, 5]
    assert secs[2].text == "正文二\n一、总体情况"  # a repeated earlier heading does not restart a section
    assert secs[5].text == "正文五"


def test_heading_number_of_long_paragraphs_is_that_of_the_whole_text():
    """A long paragraph is decided by its first characters (the decision kept per head): the same
    number as the whole normalised text gives, on random texts that start like headings, with spaces,
    full-width and traditional characters, asked twice."""
    import random

    from report_extract.sections import _heading_of, _normal, heading_number

    rng = random.Random(5)
    starts = ["一、", "二、", "三．", "（一）", "1.", "四、 ", "五、", "六、", "", " ", "總體情況"]
    words = ["主动公开", "收到和处理", "申请", "复议", "诉讼", "问题", "改进", "其他需要报告", "总体情况", "　", " ", "ＡＢ", "12", "政府信息", "，", "況"]
    for _ in range(400):
        text = rng.choice(starts) + "".join(rng.choice(words) for _ in range(rng.randint(10, 60)))
        for max_chars in (20, 40):
            expected = _heading_of(_normal(text), max_chars)
            assert heading_number(text, max_chars) == expected, text
            assert heading_number(text, max_chars) == expected, text
