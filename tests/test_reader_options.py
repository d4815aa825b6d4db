"""Reader tuning travels in ReadOptions: a setting given for one call reaches the reader."""

from __future__ import annotations

import pytest

from report_extract.errors import InputTooLargeError, MissingDependencyError
from report_extract.options import DocxSettings, HtmlSettings, LegacySettings, ReadOptions, TextSettings
from report_extract.readers import read_document
from report_synth import make_report

HTML = "<table><tr><td>信息内容</td><td>件数</td></tr><tr><td>规章</td><td>3</td></tr></table>".encode()


def test_html_grid_limit_comes_from_the_options():
    assert len(read_document(HTML, "a.html").tables) == 1
    small = ReadOptions(html=HtmlSettings(max_grid_cells=3))
    assert read_document(HTML, "a.html", small).tables == []


def test_docx_unpacked_size_limit_comes_from_the_options():
    from report_synth.docx import render_docx

    data = render_docx(make_report(0, "2021"))
    assert read_document(data, "a.docx").tables
    with pytest.raises(InputTooLargeError):
        read_document(data, "a.docx", ReadOptions(docx=DocxSettings(max_uncompressed=1000)))


def test_libreoffice_path_comes_from_the_options(tmp_path):
    opts = ReadOptions(legacy=LegacySettings(soffice=str(tmp_path / "no-such-soffice")))
    with pytest.raises(MissingDependencyError):
        read_document(b"{\\rtf1 hello}", "a.rtf", opts)


def test_text_header_lines_come_from_the_options():
    text = "\n".join(["标题: 某报告", *[f"键{i}: 值" for i in range(5)], "==== 正文 ====", "正文"]).encode()
    assert read_document(text, "a.txt").properties["title"] == "某报告"
    short = ReadOptions(text=TextSettings(max_header_lines=3))
    assert "title" not in read_document(text, "a.txt", short).properties
