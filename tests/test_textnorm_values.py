"""Label normalisation and cell value parsing."""

from __future__ import annotations

import math

import pytest

from report_extract.textnorm import label_key, nfkc, strip_numbering
from report_extract.values import parse_value


@pytest.mark.parametrize(
    "printed",
    ["1.属于国家秘密", "1、属于国家秘密", "（1）属于国家秘密", "(1)属于国家秘密", "1．属于国家秘密", " 1. 属于 国家秘密 ", "１.属于国家秘密"],
)
def test_numbering_variants_share_one_key(printed):
    assert label_key(printed) == "属于国家秘密"


def test_group_numbering_and_brackets():
    assert label_key("（三）不予公开") == label_key("(三)不予公开") == "不予公开"
    assert label_key("三、本年度办理结果") == "本年度办理结果"
    assert label_key("本年收费金额（单位：万元）") == "本年收费金额(单位:万元)"
    assert label_key("3.危及“三安全一稳定”") == "危及三安全一稳定"


def test_traditional_and_kangxi_characters():
    assert label_key("行政許可") == "行政许可"
    assert label_key("結轉下年度繼續辦理".replace("繼", "继")) == "结转下年度继续办理"
    assert nfkc("⾏政处罚") == "行政处罚"


def test_numbers_inside_labels_are_kept():
    assert strip_numbering("2021年") == "2021年"


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        ("0", 0.0, None, "number"),
        ("36", 36.0, None, "number"),
        ("１２３", 123.0, None, "number"),
        ("1,234", 1234.0, None, "number"),
        ("24252.311082", 24252.311082, None, "number"),
        ("-18538", -18538.0, None, "number"),
        ("－15", -15.0, None, "number"),
        ("251000元", 251000.0, "元", "number"),
        ("2笔", 2.0, "笔", "number"),
        (" 7 ", 7.0, None, "number"),
        ("\u3000", math.nan, None, "blank"),
        ("", math.nan, None, "blank"),
        ("/", math.nan, None, "placeholder"),
        ("—", math.nan, None, "placeholder"),
        ("——", math.nan, None, "placeholder"),
        ("-", math.nan, None, "placeholder"),
        ("无", math.nan, None, "placeholder"),
        ("规章", math.nan, None, "text"),
    ],
)
def test_parse_value(text, value, unit, kind):
    p = parse_value(text)
    assert p.kind == kind
    assert p.unit == unit
    if math.isnan(value):
        assert math.isnan(p.value)
    else:
        assert p.value == value


def test_to_simplified_translates_exactly_the_texts_holding_a_table_character():
    """The search that skips most texts lets through every text holding a character of the table
    (BMP or astral) and changes nothing else: random texts of table characters, plain CJK, ASCII,
    full-width punctuation and astral characters in and out of the table."""
    import random

    from report_extract.textnorm import _trad_table, to_simplified

    table = _trad_table()
    keys = sorted(table)
    astral = [chr(k) for k in keys if k > 0xFFFF][:5]
    alphabet = [chr(k) for k in keys[:: max(1, len(keys) // 40)]] + list("政府信息公开（）， ab1") + astral + ["\U00020000", "\U0001F600"]
    rng = random.Random(3)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        expected = "".join(chr(table.get(ord(ch), ord(ch))) for ch in text)
        assert to_simplified(text) == expected, text
    assert to_simplified("與開") == "与开"


def test_squeeze_removes_exactly_the_space_pattern_s_characters():
    """``squeeze`` (no regex) removes what ``_SPACE_RE`` matches: every character of the Basic
    Multilingual Plane tested alone and between text."""
    from report_extract.textnorm import _SPACE_RE, squeeze

    for code in range(0x10000):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{ch}政 {ch}"
        assert squeeze(text) == _SPACE_RE.sub("", text), hex(code)
