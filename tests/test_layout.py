"""The format-neutral layout pass: title choice from reader candidates, section headings printed as
table rows, spreadsheet title rows, "not a report" decisions; and format refinement by magic bytes."""

from __future__ import annotations

import pytest

from report_extract.errors import NotAReportError
from report_extract.grid import CellSpec, Document, GridCell, Paragraph, Table, TitleCandidate, build_table
from report_extract.layout import choose_title, layout_pass, split_heading_rows
from report_extract.readers.sniff import ENCRYPTED_PACKAGE, OLE_MAGIC, refine_format

TITLE = "临江市人民政府2023年政府信息公开工作年度报告"


def test_first_candidate_reading_like_a_title_wins():
    cands = [TitleCandidate("首页 > 政务公开"), TitleCandidate(TITLE, "metadata"), TitleCandidate("另一个2022年政府信息公开工作年度报告", "heading")]
    assert choose_title(cands) == TITLE


def test_title_over_two_lead_lines_is_joined():
    cands = [TitleCandidate("平潭综合实验区2019年"), TitleCandidate("政府信息公开工作年度报告")]
    assert choose_title(cands) == "平潭综合实验区2019年政府信息公开工作年度报告"
    # a complete title is not glued to the line above it
    assert choose_title([TitleCandidate("临江市人民政府"), TitleCandidate(TITLE)]) == TITLE


def test_lead_lines_stop_at_the_first_section_heading():
    cands = [TitleCandidate("一、总体情况"), TitleCandidate(TITLE), TitleCandidate("第二标题", "fallback")]
    assert choose_title(cands) == "第二标题"
    assert choose_title([TitleCandidate("一、总体情况"), TitleCandidate(TITLE, "metadata")]) == TITLE


def test_long_lead_lines_are_prose_not_titles():
    long = "根据要求，现将" + TITLE + "予以公布，" + "内容" * 40
    assert choose_title([TitleCandidate(long)]) is None


def test_heading_row_splits_a_table_and_tables_are_renumbered():
    rows = [
        [CellSpec("信息内容"), CellSpec("本年制发件数")],
        [CellSpec("规章"), CellSpec("3")],
        [CellSpec("三、收到和处理政府信息公开申请情况", colspan=2)],
        [CellSpec("申请人情况"), CellSpec("自然人")],
    ]
    table = build_table(rows, index=0)
    blocks = split_heading_rows([Paragraph("前言"), table])
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table", "Paragraph", "Table"]
    assert blocks[2].text == "三、收到和处理政府信息公开申请情况"
    assert [b.index for b in blocks if isinstance(b, Table)] == [0, 1]
    assert blocks[3].texts() == [["申请人情况", "自然人"]]
    assert table.n_rows == 4  # the reader's table is not changed


def test_a_first_row_or_a_row_with_other_cells_is_not_split():
    top = build_table([[CellSpec("二、主动公开政府信息情况", colspan=2)], [CellSpec("规章"), CellSpec("3")]])
    two = build_table([[CellSpec("a"), CellSpec("b")], [CellSpec("三、收到和处理政府信息公开申请情况"), CellSpec("x")]])
    out = split_heading_rows([top, two])
    assert [b.texts() for b in out] == [top.texts(), two.texts()] and [b.index for b in out] == [0, 1]


def _sparse(rows: list[list[str]]) -> Table:
    grid = [[GridCell(t, r, c, (r, c), source={"sheet": "S"}) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=grid, source={"sheet": "S", "first_row": 1}, sparse=True)


def test_spreadsheet_title_and_heading_rows_leave_the_table_trimmed_to_its_columns():
    t = _sparse([[TITLE, "", ""], ["", "", ""], ["", "信息内容", "件数"], ["", "规章", "3"], ["一、总体情况", "", ""], ["", "备注", ""]])
    blocks = split_heading_rows([t])
    assert [b.text if isinstance(b, Paragraph) else b.texts() for b in blocks] == [
        TITLE, [["信息内容", "件数"], ["规章", "3"]], "一、总体情况", [["备注"]],
    ]
    assert blocks[1].source["first_row"] == 3 and blocks[1].rows[0][0].source == {"sheet": "S"}
    # a lone text that is neither stays in its table
    t2 = _sparse([["单位：件", ""], ["规章", "3"]])
    assert split_heading_rows([t2]) == [t2]


def test_layout_pass_returns_a_new_document_with_the_title():
    doc = Document(blocks=[Paragraph(TITLE)], source_format="text", title_candidates=[TitleCandidate(TITLE)])
    out = layout_pass(doc)
    assert out.title == TITLE and doc.title is None and out is not doc


def test_a_web_page_without_text_or_tables_is_not_a_report():
    with pytest.raises(NotAReportError, match="the HTML page has no text"):
        layout_pass(Document(blocks=[], source_format="html", path="x.html"))
    doc = Document(blocks=[Paragraph("见附件")], source_format="html", attachments=["报告.pdf"], images=2)
    assert layout_pass(doc).not_a_report_reason.endswith("the attached file(s): 报告.pdf")
    doc = Document(blocks=[Paragraph("见图")], source_format="html", images=2)
    assert layout_pass(doc).not_a_report_reason.endswith("(its tables may be printed as images)")
    assert layout_pass(Document(blocks=[Paragraph("x")], source_format="text")).not_a_report_reason is None


def test_declared_office_formats_are_corrected_by_their_magic_bytes():
    ole = OLE_MAGIC + b"\0" * 100
    zipped = b"PK\x03\x04" + b"\0" * 100
    assert refine_format("docx", ole) == "doc"
    assert refine_format("xlsx", ole) == "xls"
    assert refine_format("xls", zipped) == "xlsx"
    assert refine_format("doc", zipped) == "docx"
    encrypted = OLE_MAGIC + ENCRYPTED_PACKAGE
    assert refine_format("docx", encrypted) == "docx" and refine_format("xlsx", encrypted) == "xlsx"
    assert refine_format("pdf", ole) == "pdf"
