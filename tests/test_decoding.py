"""Decoding (issue 13, finding 6): a few stray bytes are replaced with a warning, Big5 and
UTF-16 without a BOM are recognised, and a traditional-character report reads like its
simplified twin."""

from __future__ import annotations

import pandas as pd
import pytest

import report_extract as rx
from report_extract.encoding import decode_text
from report_extract.textnorm import label_key, to_simplified
from report_synth import make_report
from report_synth.text import render_text

zhconv = pytest.importorskip("zhconv")


@pytest.fixture(scope="module")
def twin():
    text = render_text(make_report(21, "2021"))
    return text, rx.read_report(text.encode("utf-8"), "text")


def _values(rep) -> pd.Series:
    c = rep.cells
    return c.set_index(["table", "row", "column"])["value"].sort_index()


def test_stray_bytes_are_replaced_with_a_warning(twin):
    text, ref = twin
    # five stray bytes at the end of prose lines (a damaged table row is a different matter)
    lines = text.split("\n")
    prose = [i for i, line in enumerate(lines) if line.endswith("。") and "|" not in line]
    assert len(prose) >= 5
    for i in prose[:5]:
        lines[i] += "\udcff"
    data = "\n".join(lines).encode("utf-8", errors="surrogateescape")
    dec = decode_text(bytes(data))
    assert dec.encoding == "utf-8" and dec.replaced == 5
    rep = rx.read_report(bytes(data), "text")
    iss = rep.issues[rep.issues["code"] == "bytes_replaced"]
    assert len(iss) == 1 and "5 undecodable bytes" in iss["message"].iloc[0]
    pd.testing.assert_series_equal(_values(rep), _values(ref))


def test_many_bad_bytes_are_still_refused():
    data = ("报告" * 50).encode("utf-8")
    data = bytes(b ^ 0x40 if i % 3 == 1 else b for i, b in enumerate(data))
    with pytest.raises(rx.ReportError):
        rx.read_report(data + b"\x01" * 40, "text")


def test_big5_is_detected(twin):
    text, ref = twin
    trad = zhconv.convert(text, "zh-hant")
    data = trad.encode("big5hkscs", errors="replace")
    dec = decode_text(data)
    assert dec.encoding == "big5"
    assert "公開" in dec.text
    rep = rx.read_report(data, "text")
    assert rep.cells.shape[0] == ref.cells.shape[0]


@pytest.mark.parametrize("enc", ["utf-16-be", "utf-16-le"])
def test_utf16_without_bom(twin, enc):
    text, ref = twin
    data = text.encode(enc)
    dec = decode_text(data)
    assert dec.encoding == enc and dec.text == text
    pd.testing.assert_series_equal(_values(rx.read_report(data, "text")), _values(ref))


def test_traditional_report_reads_like_its_simplified_twin(twin):
    text, ref = twin
    trad = zhconv.convert(text, "zh-hant")
    assert trad != text
    rep = rx.read_report(trad.encode("utf-8"), "text")
    assert rep.cells.shape[0] == ref.cells.shape[0]
    pd.testing.assert_series_equal(_values(rep), _values(ref))
    assert list(rep.cells["raw"]) == list(ref.cells["raw"])  # printed values kept as printed


def test_conversion_touches_traditional_characters_only():
    s = "收到和处理政府信息公开申请情况 123 abc"
    assert to_simplified(s) == s
    assert label_key("收到和處理政府資訊公開申請情況") == label_key("收到和处理政府资讯公开申请情况")
