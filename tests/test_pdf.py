"""The PDF reader: generated PDFs read back exactly (page breaks inside tables, repeated headers,
labels cut by the break, vertical labels, boxed prose), text normalisation and bad input."""

from __future__ import annotations

import io

import pytest

import report_extract as rx
from conftest import cell_mismatches
from report_extract.errors import (
    CorruptInputError,
    EncryptedInputError,
    MissingDependencyError,
    UnusableTextError,
)
from report_extract.layout import layout_pass
from report_extract.readers import read_document
from report_extract.readers.pdf_tables import make_edge
from report_extract.readers.pdf_text import cell_text, normalise_glyphs
from report_synth import QUIRKS, make_report

reportlab = pytest.importorskip("reportlab")
from report_synth.pdf import render_pdf  # noqa: E402

# -- generated reports read back exactly --------------------------------------------------------

CASES = [
    # seed, template, breaks, repeat_header, split_labels
    (0, "2021", {3: (16, False)}, False, True),
    (1, "2021", {3: (8, True)}, True, False),
    (2, "2019", {3: (12, False)}, True, True),
    (3, "2021", {2: (5, False), 3: (20, False)}, False, False),
    (4, "2019", {3: (6, True)}, False, True),
    (5, "2021", {3: (25, True)}, True, True),
    (6, "2021", {2: (9, False), 3: (6, True)}, True, False),
    (7, "2019", {2: (3, False)}, False, False),
    (8, "2021", {3: (15, False)}, True, True),
    (9, "2021", {}, False, False),
]


@pytest.mark.parametrize(("seed", "template", "breaks", "repeat", "split"), CASES)
def test_generated_pdfs_read_back_exactly(seed, template, breaks, repeat, split):
    quirks = set(QUIRKS) - ({"single_other"} if template == "2019" else set()) if seed % 2 else set()
    rep = make_report(seed, template, quirks=quirks, publisher_error=(seed % 3 == 0))
    boxes = {3: False, 2: "framed"}.get(seed % 4, True)  # invisible boxes behind prose, visible frames, none
    data = render_pdf(rep, breaks=breaks, repeat_header=repeat, split_labels=split, white_boxes=boxes, seed=seed)
    r = rx.read_report(data)
    assert cell_mismatches(r, rep.truth()) == []
    assert r.meta["template"] == template
    assert r.meta["title"] == rep.title
    assert r.meta["agency"] == rep.agency and r.meta["year"] == rep.year
    assert r.failed_checks == rep.failed_checks()
    assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]
    assert (r.issues["severity"] != "error").all()
    if seed % 3 == 0:
        assert r.failed_checks


def _doc(data: bytes):
    return layout_pass(read_document(data, "x.pdf"))


def test_label_cut_by_the_page_break_is_joined_and_spans_its_rows():
    rep = make_report(2, "2021")
    data = render_pdf(rep, breaks={3: (16, False)}, split_labels=True)
    doc = _doc(data)
    sec3 = next(t for t in doc.tables if t.n_cols == 10)
    assert len(sec3.source["pages"]) >= 2
    cells = [row[1] for row in sec3.rows if row[1].text == "（四）无法提供"]
    assert len(cells) == 3 and len({c.origin for c in cells}) == 1  # one cell over its three sub-rows
    assert all(row[1].text not in ("（四）无", "法提供") for row in sec3.rows)
    vertical = [row[0] for row in sec3.rows if row[0].text == "三、本年度办理结果"]
    assert len({c.origin for c in vertical}) == 1 and len(vertical) == 22
    pages = {c.source["page"] for row in sec3.rows for c in row if c.text == "2.没有现成信息需要另行制作"}
    assert pages == {sec3.source["pages"][-1]}  # the cell keeps the page it is printed on


def test_repeated_header_rows_are_dropped():
    rep = make_report(3, "2021")
    for repeat in (False, True):
        doc = _doc(render_pdf(rep, breaks={3: (10, False)}, repeat_header=repeat))
        sec3 = next(t for t in doc.tables if t.n_cols == 10)
        assert sec3.n_rows == 28
        assert sum(1 for row in sec3.rows if row[3].text == "自然人" and not row[3].continued) == 1


def test_row_cut_inside_by_the_page_break_is_glued():
    rep = make_report(4, "2021")
    doc = _doc(render_pdf(rep, breaks={3: (23, True)}))
    sec3 = next(t for t in doc.tables if t.n_cols == 10)
    labels = [row[2].text for row in sec3.rows]
    assert "5.要求行政机关确认或重新出具已获取信息" in labels
    r = rx.read_report(render_pdf(rep, breaks={3: (23, True)}))
    assert cell_mismatches(r, rep.truth()) == []


def test_boxed_prose_page_footers_and_title():
    rep = make_report(5, "2021")
    doc = _doc(render_pdf(rep, white_boxes=True))
    assert len(doc.tables) == 3  # white boxes behind prose lines make no table
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == rep.title and doc.title == rep.title
    assert "二、主动公开政府信息情况" in texts
    assert not any(t.startswith("-") and t.endswith("-") for t in texts)  # '- 1 -' footers dropped
    assert doc.properties["title"] == rep.title and doc.properties["pages"] >= 2


def test_framed_prose_touching_a_table_is_prose():
    rep = make_report(1, "2021")
    doc = _doc(render_pdf(rep, white_boxes="framed"))
    first = doc.tables[0]
    assert first.rows[0][0].text == "第二十条第（一）项"  # the banner stays, the framed lines above it do not
    texts = [p.text for p in doc.paragraphs]
    assert doc.title == rep.title and "二、主动公开政府信息情况" in texts


def test_cell_text_joins_wrapped_and_vertical_lines():
    def chars(items):
        return [{"text": t, "x0": x, "x1": x + 9, "top": y, "bottom": y + 9, "size": 9} for t, x, y in items]

    assert cell_text(chars([("商", 0, 0), ("业", 9, 0), ("企", 0, 12)])) == "商业企"
    assert cell_text(chars([(c, 0, 12 * i) for i, c in enumerate("三、本年度")])) == "三、本年度"
    assert cell_text(chars([("1", 0, 0), ("2", 9, 0)])) == "12"
    assert normalise_glyphs("⾏政许可") == "行政许可"
    assert normalise_glyphs("（一）１２") == "（一）１２"  # full-width forms are kept as printed


# -- bad input --------------------------------------------------------------------------------


def test_corrupt_and_truncated_pdfs():
    with pytest.raises(CorruptInputError) as e:
        rx.read_report(b"%PDF-1.4\n" + b"\x00garbage" * 200, format="pdf")
    assert "PDF" in str(e.value)
    data = render_pdf(make_report(1, "2021"))
    for cut in (len(data) // 5, len(data) // 2, len(data) * 9 // 10):
        with pytest.raises(CorruptInputError) as e:
            rx.read_report(data[:cut], format="pdf")
        assert "truncated" in e.value.reason


def test_encrypted_pdf():
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", strength=128)
    cv = canvas.Canvas(buf, encrypt=enc)
    cv.drawString(72, 720, "hello")
    cv.save()
    with pytest.raises(EncryptedInputError) as e:
        rx.read_report(buf.getvalue(), format="pdf")
    assert "password" in e.value.reason


def _raw_pdf(content: bytes, font: bytes) -> bytes:
    """A one-page PDF with ``content`` as its page stream and ``font`` as font /F1."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        font,
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unknown /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_unmapped_font_text_layer_is_unusable():
    glyphs = b"".join(b"<%04x>" % (0x100 + i) for i in range(40))
    content = b"BT /F1 12 Tf 72 700 Td [" + glyphs + b"] TJ ET"
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /Unknown /Encoding /Identity-H /DescendantFonts [6 0 R] >>"
    data = _raw_pdf(content, font)
    with pytest.raises(UnusableTextError) as e:
        rx.read_report(data, format="pdf")
    assert "text layer" in e.value.reason


def _image_only_pdf(rep) -> bytes:
    """The generated report rasterised: every page an image, no text layer (a scan)."""
    return render_pdf(rep, white_boxes=False, scan="image")


def test_scanned_pdf_without_ocr_names_the_extra(monkeypatch):
    from report_extract.readers import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    data = _image_only_pdf(make_report(1, "2021"))
    with pytest.raises(MissingDependencyError) as e:
        rx.read_report(data, format="pdf")
    assert "report_extract[ocr]" in e.value.reason


def test_many_pages_read_page_by_page(monkeypatch):
    import pdfplumber.page
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=(595, 842))
    for i in range(300):
        cv.setFont("STSong-Light", 12)
        for j in range(8):
            cv.drawString(72, 760 - 30 * j, f"第{i + 1}页第{j + 1}行：政府信息公开工作正文内容。")
        cv.setLineWidth(0.5)
        cv.rect(72, 80, 450, 40)
        cv.showPage()
    cv.save()
    closed = []
    original = pdfplumber.page.Page.close
    monkeypatch.setattr(pdfplumber.page.Page, "close", lambda self: (closed.append(self.page_number), original(self))[1])
    from report_extract.options import PdfSettings, ReadOptions

    doc = layout_pass(read_document(buf.getvalue(), "x.pdf", ReadOptions(pdf=PdfSettings(max_pages=300))))  # over the default limit
    assert doc.properties["pages"] == 300
    assert len(doc.paragraphs) >= 300
    assert closed[:300] == list(range(1, 301))  # every page's layout cache is released as soon as it is read


def _cjk_font_installed() -> bool:
    """Rendering the fixtures (non-embedded CJK font) to images needs a system CJK font."""
    import shutil
    import subprocess

    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


@pytest.mark.parametrize("quirky", [False, True])
def test_scanned_pdf_is_read_with_ocr(quirky):
    """Image-only pages read by OCR; with the quirks, full-width digits (read with specks between
    them) and placeholder dashes (read as 一) must come out as printed."""
    from report_extract.readers import ocr

    if not ocr.available():
        pytest.skip("the ocr extra (rapidocr-onnxruntime) is not installed")
    if not _cjk_font_installed():
        pytest.skip("no CJK system font to render the fixture with (scripts/system-deps.sh installs one)")
    rep = make_report(1, "2021", quirks=set(QUIRKS) - {"single_other"} if quirky else ())
    r = rx.read_report(_image_only_pdf(rep), format="pdf")
    props = r.meta["properties"]
    assert props["ocr_pages"] == list(range(1, props["pages"] + 1))
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks()
    assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]


def test_searchable_scan_tables_found_in_the_image():
    """A scan with an invisible text layer: the rules come from the image, the text from the layer."""
    from report_extract.readers import ocr

    if not ocr.available():
        pytest.skip("the ocr extra (opencv, via rapidocr-onnxruntime) is not installed")
    rep = make_report(6, "2021", publisher_error=True)
    data = render_pdf(rep, breaks={3: (14, False)}, split_labels=True, scan="searchable")
    r = rx.read_report(data, format="pdf")
    assert r.meta["properties"]["image_ruling_pages"]
    assert "ocr_pages" not in r.meta["properties"]
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks()
    assert r.meta["title"] == rep.title


def test_partly_unmapped_text_layer_is_an_issue_not_an_error():
    from report_extract.readers.pdf import _check_text_layer, _Page

    pages = [_Page(i, 595, 842, n_chars=100, bad_glyphs=0) for i in range(1, 5)]
    pages[2].bad_glyphs = 80
    issues: list = []
    _check_text_layer(pages, "x.pdf", issues)
    assert issues and issues[0].code == "text_layer" and "pages 3" in issues[0].message
    for p in pages[:2]:
        p.bad_glyphs = 50
    with pytest.raises(UnusableTextError):
        _check_text_layer(pages, "x.pdf", [])


def test_ocr_number_repair():
    from report_extract.readers.ocr import repair_number

    assert repair_number("D") == "0" and repair_number("1O5") == "105" and repair_number("5.") == "5"
    assert repair_number("一") == "—" and repair_number("1：5") == "15" and repair_number("：5") == "：5"
    assert repair_number("行政许可") == "行政许可" and repair_number("S") == "S" and repair_number("12") == "12"


def _h(y: float, x0: float, x1: float) -> dict:
    return make_edge("h", x0, x1, y, y)


def _v(x: float, top: float, bottom: float) -> dict:
    return make_edge("v", x, x, top, bottom)


def test_open_sided_table_keeps_its_outer_columns():
    """No left or right border (a style, or a faint border lost in a scan): the rows still end
    together, so the outer columns are cells; two tables stacked apart are not joined."""
    from report_extract.readers.pdf_tables import find_cell_groups

    table_a = [_h(100, 50, 300), _h(120, 50, 300), _h(140, 50, 300), _v(150, 100, 140), _v(200, 100, 140)]
    table_b = [_h(200, 50, 300), _h(220, 50, 300), _v(150, 200, 220), _v(300, 200, 220)]
    groups = find_cell_groups(table_a + table_b)
    assert len(groups) == 2
    a = sorted(groups[0])
    assert (50, 100, 150, 120) in a and (200, 120, 300, 140) in a and len(a) == 6
    b = sorted(groups[1])
    assert b == [(50, 200, 150, 220), (150, 200, 300, 220)]
    assert not any(top < 140 and bottom > 200 for g in groups for _x0, top, _x1, bottom in g)


def test_scan_resampled_to_another_resolution_keeps_its_thin_rules():
    """A scan at 250 dpi, JPEG-compressed, read at the reader's 200 dpi: one-pixel rules must
    survive the resampling (smoothed, not nearest-neighbour, which drops every seventh pixel
    column) and be found."""
    from report_extract.readers import ocr

    if not ocr.available():
        pytest.skip("the ocr extra (rapidocr-onnxruntime) is not installed")
    if not _cjk_font_installed():
        pytest.skip("no CJK system font to render the fixture with (scripts/system-deps.sh installs one)")
    rep = make_report(3, "2021")
    r = rx.read_report(render_pdf(rep, white_boxes=False, scan="image", scan_dpi=250, scan_jpeg=60), format="pdf")
    assert r.meta["properties"]["ocr_pages"]
    assert cell_mismatches(r, rep.truth()) == []


def _merging_engine(real, gap_px: float):
    """An OCR engine that reads texts on one line less than ``gap_px`` apart as one box (as the
    detector does with some glyph shapes and resolutions), to test the reader's defence."""

    def run(pixels, use_cls=False, **kw):
        if kw.get("use_det") is False:
            return real(pixels, use_cls=use_cls, **kw)
        result, elapsed = real(pixels, use_cls=use_cls)
        out: list = []
        for quad, text, score in sorted(result or [], key=lambda r: (round(r[0][0][1] / 15), r[0][0][0])):
            if out:
                q = out[-1]
                same_line = abs(q[0][0][1] - quad[0][1]) < 8 and abs(q[0][2][1] - quad[2][1]) < 8
                if same_line and 0 <= quad[0][0] - q[0][1][0] < gap_px:
                    x0, x1 = q[0][0][0], quad[1][0]
                    y0, y1 = min(q[0][0][1], quad[0][1]), max(q[0][2][1], quad[2][1])
                    out[-1] = [[[x0, y0], [x1, y0], [x1, y1], [x0, y1]], f"{q[1]} {text}", min(q[2], score)]
                    continue
            out.append([quad, text, score])
        return out, elapsed

    return run


def test_ocr_box_across_a_cell_rule_is_re_read_per_cell(monkeypatch):
    """Numbers of neighbouring cells read as one text box across their rule ("0 0"): each cell
    is re-read from its own image, so no digit lands in the wrong column."""
    from report_extract.readers import ocr

    if not ocr.available():
        pytest.skip("the ocr extra (rapidocr-onnxruntime) is not installed")
    if not _cjk_font_installed():
        pytest.skip("no CJK system font to render the fixture with (scripts/system-deps.sh installs one)")
    rep = make_report(1, "2021")
    data = _image_only_pdf(rep)
    real = ocr.engine()
    monkeypatch.setattr(ocr, "engine", lambda: _merging_engine(real, 200))
    r = rx.read_report(data, format="pdf")
    assert cell_mismatches(r, rep.truth()) == []


def test_straddle_geometry():
    from report_extract.readers.ocr import _straddles
    from report_extract.readers.pdf_tables import Box

    cell = Box(100, 50, 150, 70)
    assert _straddles((90, 55, 160, 65), cell)  # over both rules
    assert _straddles((120, 55, 170, 65), cell)  # on into the next cell
    assert not _straddles((102, 55, 148, 65), cell)  # inside
    assert not _straddles((120, 80, 170, 90), cell)  # another line
