"""The real PDF reports p001–p003 against their hand-checked labels."""

from __future__ import annotations

import pytest

import report_extract as rx
from conftest import DOCS, assert_matches_label, cell_mismatches, load_label, requires_corpus
from report_extract.layout import layout_pass
from report_extract.readers import read_document

PDF_DOCS = ["p001.pdf", "p002.pdf", "p003.pdf"]


@requires_corpus
@pytest.mark.parametrize("name", PDF_DOCS)
def test_pdf_matches_label(name):
    r = rx.read_report(DOCS / name)
    assert_matches_label(r, name)
    assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]
    assert (r.issues["severity"] != "error").all()


@requires_corpus
def test_p001_tables_joined_across_pages():
    doc = layout_pass(read_document((DOCS / "p001.pdf").read_bytes(), "p001.pdf"))
    tables = doc.tables
    # sec2 (pp.3-4), sec3 (pp.4-5) and sec4: three tables, no one-column pseudo-tables of boxed prose
    assert [t.source["pages"] for t in tables] == [[3, 4], [4, 5], [5]]
    sec3 = tables[1]
    texts = sec3.texts()
    col1 = [row[1] for row in texts]
    assert "（四）无法提供" in col1  # label broken over the page break, joined
    assert all(row[0] != "法提供" for row in texts)
    # the vertical label is one cell spanning every outcome row, across both pages
    label_cells = [row[0] for row in sec3.rows if row[0].text == "三、本年度办理结果"]
    assert len({c.origin for c in label_cells}) == 1 and len(label_cells) >= 20
    # page footers '- n -' are not prose
    assert not any(p.text.strip("- ").isdigit() for p in doc.paragraphs)


@requires_corpus
def test_p002_prose_sections_metadata_and_values_by_cell_box():
    doc = layout_pass(read_document((DOCS / "p002.pdf").read_bytes(), "p002.pdf"))
    assert doc.title == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert doc.properties["creator"].startswith("WPS")
    assert doc.properties["pages"] == 5
    # the body text in white boxes is prose, not a table
    assert len(doc.tables) == 3
    assert any(p.text == "二、主动公开政府信息情况" for p in doc.paragraphs)
    sec2 = doc.tables[0]
    assert sec2.source["pages"] == [2, 3]
    rows = {r[0].text: [c.text for c in r] for r in sec2.rows}
    assert rows["行政事业性收费"][1] == "7730.28"
    # the continued table's header row keeps its 信息内容 cell although its top border is partial
    assert sum(1 for r in sec2.rows if r[0].text == "信息内容") == 4
    r = rx.read_report(DOCS / "p002.pdf")
    wide = r.table("requests")
    assert wide.loc["new_received", "natural_person"] == 21
    assert r.cells.loc[r.cells["row"] == "unable_needs_creation", "page"].dropna().unique().tolist() == [3]


@requires_corpus
def test_p003_rasterised_is_read_with_ocr():
    """The real report rasterised (a scan made at run time, nothing stored): OCR + ruling lines
    found in the image give the same cells (prose and title are less exact under OCR)."""
    import io

    import pdfplumber

    from report_extract.readers import ocr

    if not ocr.available():
        pytest.skip("the ocr extra (rapidocr-onnxruntime) is not installed")
    reportlab = pytest.importorskip("reportlab")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    assert reportlab
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=(595, 842))
    with pdfplumber.open(DOCS / "p003.pdf") as pdf:
        for page in pdf.pages:
            cv.drawImage(ImageReader(page.to_image(resolution=200).original.convert("L")), 0, 0, width=595, height=842)
            cv.showPage()
    cv.save()
    label, meta = load_label("p003.pdf")
    r = rx.read_report(buf.getvalue(), format="pdf")
    assert r.meta["properties"]["ocr_pages"] == [1, 2, 3, 4, 5]
    assert cell_mismatches(r, label) == []
    assert r.failed_checks == sorted(meta["published_check_failures"])
    assert r.meta["template"] == "2021" and r.meta["year"] == 2024
