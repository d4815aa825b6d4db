"""The DOCX reader (and .doc/.wps through LibreOffice): generated reports read back exactly, merges,
grid padding, body order, containers, titles and properties, and bad input."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import report_extract as rx
from conftest import cell_mismatches
from report_extract.errors import CorruptInputError, EncryptedInputError, MissingDependencyError, ReportError
from report_extract.grid import Paragraph, Table
from report_extract.layout import layout_pass
from report_extract.readers.docx import read_docx as _read_docx
from report_extract.readers.legacy import convert_to_docx, find_soffice
from report_extract.schema import template_schema
from report_synth import QUIRKS, make_report
from report_synth.docx import WRAPS, render_docx, report_from_frame


def read_docx(data: bytes, path: str | None = None):
    """The DOCX reader followed by the layout pass (title), as read_report runs them."""
    return layout_pass(_read_docx(data, path))


requires_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")

CASES = [(seed, tpl, wrap) for seed in range(2) for tpl in ("2021", "2019") for wrap in WRAPS]


def _quirks(seed: int, template: str) -> set[str]:
    q = set(QUIRKS) if seed % 2 else set()
    if template == "2019":
        q.discard("single_other")
    return q


@pytest.mark.parametrize(("seed", "template", "wrap"), CASES)
def test_generated_docx_reads_back_exactly(seed, template, wrap):
    rep = make_report(seed, template, quirks=_quirks(seed, template), publisher_error=(seed == 0))
    data = render_docx(rep, wrap=wrap, seed=seed, split_requests=12 if seed == 0 else None)
    r = rx.read_report(data)
    assert cell_mismatches(r, rep.truth()) == []
    assert r.meta["template"] == template
    assert r.meta["source_format"] == "docx"
    assert r.meta["title"] == rep.title
    assert (r.meta["agency"], r.meta["year"]) == (rep.agency, rep.year)
    assert r.failed_checks == rep.failed_checks()
    assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]
    if seed == 0:
        assert r.failed_checks  # the publisher error is reported, the printed values kept


@pytest.mark.parametrize("split", [None, 6, 12, 20])
def test_single_other_variant_and_split_requests_table(split):
    rep = make_report(7, "2021", quirks={"single_other"}, busy=0.8)
    assert rep.other_rows == 1
    r = rx.read_report(render_docx(rep, split_requests=split, seed=3))
    assert cell_mismatches(r, rep.truth()) == []
    assert ("requests", "other", "total") in set(zip(r.cells["table"], r.cells["row"], r.cells["column"]))
    assert r.failed_checks == rep.failed_checks()
    doc = read_docx(render_docx(rep, split_requests=split))
    assert len(doc.tables) == (3 if split is None else 4)


def test_busy_report_with_every_quirk():
    rep = make_report(42, "2021", quirks=set(QUIRKS) - {"single_other"}, busy=0.95, publisher_error=True)
    r = rx.read_report(render_docx(rep, seed=42), format="docx")
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks()


def _blank_frame(template: str = "2021") -> pd.DataFrame:
    cells = template_schema(template).cells
    return pd.DataFrame(
        {"table": [c.table for c in cells], "row": [c.row for c in cells], "column": [c.column for c in cells],
         "value": [math.nan] * len(cells), "raw": [""] * len(cells)}
    )


def test_blank_template_gives_every_cell_blank():
    rep = report_from_frame(_blank_frame(), "2021")
    r = rx.read_report(render_docx(rep, seed=1))
    assert len(r.cells) == 200
    assert r.cells["value"].isna().all()
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == []


# -- structure ----------------------------------------------------------------------------------


def test_merges_resolved_into_the_grid():
    rep = make_report(3, "2021")
    doc = read_docx(render_docx(rep, split_requests=None, padding=False))
    sec3 = doc.tables[1]
    assert sec3.n_cols == 10 and sec3.n_rows == 28
    corner = sec3.rows[0][0]
    assert (corner.rowspan, corner.colspan) == (3, 3)
    assert sec3.rows[2][2].origin == (0, 0) and sec3.rows[2][2].text == corner.text
    assert sec3.rows[1][3].text == "自然人" and sec3.rows[2][3].origin == (1, 3)
    outcome = sec3.rows[5][0]
    assert outcome.text == "三、本年度办理结果" and outcome.rowspan == 22
    assert sec3.rows[26][0].origin == (5, 0)
    sec4 = doc.tables[2]
    assert sec4.n_cols == 15
    assert sec4.rows[2][4].origin == (1, 4) and sec4.rows[2][4].text == "总计"
    assert [c.origin for c in sec4.rows[0][:6]] == [(0, 0)] * 5 + [(0, 5)]


def test_body_order_of_paragraphs_and_tables():
    rep = make_report(4, "2021")
    doc = read_docx(render_docx(rep, split_requests=None))
    kinds = [("T" if isinstance(b, Table) else b.text[:2]) for b in doc.blocks]
    heads = [kinds.index(h) for h in ("二、", "三、", "四、", "五、")]
    tables = [i for i, k in enumerate(kinds) if k == "T"]
    assert heads[0] < tables[0] < heads[1] < tables[1] < heads[2] < tables[2] < heads[3]
    assert doc.title == rep.title and isinstance(doc.blocks[0], Paragraph)


def test_padding_is_stripped():
    rep = make_report(5, "2021", busy=0.9)
    doc = read_docx(render_docx(rep, seed=5))
    texts = [c.text for t in doc.tables for row in t.rows for c in row]
    assert all(t == t.strip() for t in texts)
    assert not any("\u3000" in t for t in texts)


def test_text_box_content_is_read_once():
    rep = make_report(6, "2021", busy=0.9)
    data = render_docx(rep, wrap="textbox")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:txbxContent") == 2  # the DrawingML choice and its VML fallback
    doc = read_docx(data)
    assert len(doc.tables) == 4
    assert doc.tables[-1].n_cols == 15


def test_frame_table_is_read_as_its_content():
    rep = make_report(8, "2019")
    doc = read_docx(render_docx(rep, wrap="frame"))
    assert len(doc.tables) == 4
    assert doc.title == rep.title
    assert any(isinstance(b, Paragraph) and b.text.startswith("六、") for b in doc.blocks)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with_body(body_xml: str) -> bytes:
    import docx

    d = docx.Document()
    from docx.oxml import parse_xml

    body = d.element.body
    for el in list(body):
        if not el.tag.endswith("sectPr"):
            body.remove(el)
    frag = parse_xml(f"<w:body {W}>{body_xml}</w:body>")
    for i, el in enumerate(list(frag)):
        body.insert(i, el)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p></w:tc>"


def test_grid_before_and_after_leave_padding():
    rows = (
        "<w:tr>" + _tc("a") + _tc("b") + _tc("c") + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + _tc("x") + _tc("y") + "</w:tr>"
        "<w:tr><w:trPr><w:gridAfter w:val=\"2\"/></w:trPr>" + _tc("z") + "</w:tr>"
    )
    doc = read_docx(_docx_with_body(f"<w:tbl><w:tblGrid/>{rows}</w:tbl>"))
    t = doc.tables[0]
    assert t.texts() == [["a", "b", "c"], ["", "x", "y"], ["z", "", ""]]
    assert t.rows[1][0].padding and t.rows[2][2].padding
    assert t.rows[1][1].origin == (1, 1)


def test_vmerge_without_val_continues_in_a_content_control():
    rows = (
        "<w:tr>" + _tc("top", '<w:vMerge w:val="restart"/>') + _tc("r0") + "</w:tr>"
        "<w:tr>" + _tc("", "<w:vMerge/>") + _tc("r1") + "</w:tr>"
    )
    body = (
        "<w:p><w:r><w:t>before</w:t></w:r></w:p>"
        f"<w:sdt><w:sdtContent><w:tbl><w:tblGrid/>{rows}</w:tbl></w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>after</w:t><w:br/><w:t>second line</w:t></w:r></w:p>"
    )
    doc = read_docx(_docx_with_body(body))
    assert [b.text if isinstance(b, Paragraph) else "T" for b in doc.blocks] == ["before", "T", "after", "second line"]
    outer = doc.tables[0]
    assert outer.texts() == [["top", "r0"], ["top", "r1"]]
    assert outer.rows[1][0].origin == (0, 0) and outer.rows[0][0].rowspan == 2


def test_layout_table_is_read_as_its_content():
    inner = "<w:tbl><w:tblGrid/><w:tr>" + _tc("规章") + _tc("3") + "</w:tr></w:tbl>"
    rows = (
        "<w:tr>" + _tc("") + "<w:tc><w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p>"
        f"{inner}<w:p><w:r><w:t>三、收到和处理政府信息公开申请情况</w:t></w:r></w:p></w:tc></w:tr>"
    )
    doc = read_docx(_docx_with_body(f"<w:tbl><w:tblGrid/>{rows}</w:tbl>"))
    kinds = [b.text if isinstance(b, Paragraph) else "T" for b in doc.blocks]
    assert kinds == ["二、主动公开政府信息情况", "T", "三、收到和处理政府信息公开申请情况"]
    assert doc.tables[0].texts() == [["规章", "3"]]


def test_deleted_text_and_field_codes_are_not_read():
    body = (
        "<w:p><w:r><w:t>kept</w:t></w:r><w:del w:id=\"1\" w:author=\"a\"><w:r><w:delText>gone</w:delText></w:r></w:del>"
        "<w:r><w:instrText>PAGE</w:instrText></w:r><w:ins w:id=\"2\" w:author=\"a\"><w:r><w:t>new</w:t></w:r></w:ins></w:p>"
    )
    doc = read_docx(_docx_with_body(body))
    assert [b.text for b in doc.paragraphs] == ["keptnew"]
    rows = "<w:tr>" + _tc("a") + _tc("1") + "</w:tr><w:tr><w:trPr><w:del w:id=\"3\" w:author=\"a\"/></w:trPr>" + _tc("b") + _tc("2") + "</w:tr>"
    assert read_docx(_docx_with_body(f"<w:tbl><w:tblGrid/>{rows}</w:tbl>")).tables[0].texts() == [["a", "1"]]


def test_properties_and_title():
    rep = make_report(9, "2021")
    doc = read_docx(render_docx(rep))
    assert doc.properties["title"] == rep.title
    assert doc.properties["author"] == rep.agency
    assert "created" in doc.properties and "modified" in doc.properties
    assert doc.title == rep.title


def test_two_line_title_is_joined():
    body = (
        "<w:p><w:r><w:t>临江市人民政府2023年</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>"
    )
    assert read_docx(_docx_with_body(body)).title == "临江市人民政府2023年政府信息公开工作年度报告"
    body = (
        "<w:p><w:r><w:t>政务公开</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>临江市人民政府</w:t><w:br/><w:t>2023年政府信息公开工作年度报告</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>临江市2024年政府信息公开工作年度报告</w:t></w:r></w:p>"
    )
    assert read_docx(_docx_with_body(body)).title == "临江市人民政府2023年政府信息公开工作年度报告"
    body = "<w:p><w:r><w:t>政务公开</w:t></w:r></w:p><w:p><w:r><w:t>临江市2024年政府信息公开工作年度报告</w:t></w:r></w:p>"
    assert read_docx(_docx_with_body(body)).title == "临江市2024年政府信息公开工作年度报告"


# -- bad input ----------------------------------------------------------------------------------


def test_truncated_docx_names_the_file(tmp_path):
    data = render_docx(make_report(1))
    f = tmp_path / "截断.docx"
    f.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptInputError) as exc:
        rx.read_report(f)
    assert str(f) in str(exc.value)


def test_docx_with_damaged_xml(tmp_path):
    src = zipfile.ZipFile(io.BytesIO(render_docx(make_report(1))))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            blob = src.read(item)
            if item.filename == "word/document.xml":
                blob = blob[: len(blob) // 3]
            out.writestr(item, blob)
    f = tmp_path / "bad.docx"
    f.write_bytes(buf.getvalue())
    with pytest.raises(CorruptInputError, match="bad.docx"):
        rx.read_report(f)


def _rezip(data: bytes, change) -> bytes:
    """The package with each member's bytes passed through ``change(name, blob)`` (None drops it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            blob = change(item.filename, src.read(item))
            if blob is not None:
                out.writestr(item, blob)
    return buf.getvalue()


@pytest.mark.parametrize("wrap", WRAPS)
def test_plain_opening_reads_what_python_docx_reads(wrap, monkeypatch):
    """A regular package is opened with zipfile and lxml alone; python-docx's own opening (the
    fallback for unusual packages) gives the same Document."""
    import report_extract.readers.docx as docx_mod

    data = render_docx(make_report(1, quirks=_quirks(1, "2021")), wrap=wrap, seed=1)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert docx_mod._open_plain(zf) is not None
    plain = _read_docx(data, "r.docx")
    monkeypatch.setattr(docx_mod, "_open_plain", lambda zf: None)
    assert _read_docx(data, "r.docx") == plain
    assert plain.properties["tables"] > 0 and plain.properties.get("title")


@pytest.mark.parametrize(("member", "change"), [
    ("word/styles.xml", lambda blob: None),
    ("word/styles.xml", lambda blob: blob[: len(blob) // 2]),
    ("word/settings.xml", lambda blob: b"<not xml"),
])
def test_damage_to_a_part_the_reader_does_not_use_does_not_lose_the_document(member, change):
    """Only the main part and the core properties are read: a missing or damaged styles or
    settings part leaves the Document as it is."""
    data = render_docx(make_report(1))
    damaged = _rezip(data, lambda name, blob: change(blob) if name == member else blob)
    assert _read_docx(damaged, "r.docx") == _read_docx(data, "r.docx")


@pytest.mark.parametrize(("member", "change", "reason"), [
    ("word/document.xml", lambda blob: None, "a part is missing"),
    ("word/document.xml", lambda blob: blob.replace(b"<w:body>", b"<w:body><w:p>"), "cannot parse"),
    ("_rels/.rels", lambda blob: blob[:40], "cannot parse"),
])
def test_damaged_package_is_refused_as_python_docx_refuses_it(member, change, reason, tmp_path):
    """A missing or damaged main part, damaged package relationships: the plain opening steps
    aside and the error is python-docx's, naming the file."""
    data = _rezip(render_docx(make_report(1)), lambda name, blob: change(blob) if name == member else blob)
    f = tmp_path / "damaged.docx"
    f.write_bytes(data)
    with pytest.raises(CorruptInputError, match=f"damaged.docx.*{reason}"):
        rx.read_report(f)


def test_zip_that_is_not_a_word_document(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/readme.txt", "hello")
    f = tmp_path / "fake.docx"
    f.write_bytes(buf.getvalue())
    with pytest.raises(CorruptInputError, match="fake.docx"):
        rx.read_report(f)


def test_garbage_named_docx(tmp_path):
    f = tmp_path / "junk.docx"
    f.write_bytes(b"this is not a word file" * 10)
    with pytest.raises(ReportError, match="junk.docx"):
        rx.read_report(f)


def test_encrypted_docx(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(render_docx(make_report(2)))).encrypt("secret", out)
    f = tmp_path / "locked.docx"
    f.write_bytes(out.getvalue())
    with pytest.raises(EncryptedInputError, match="locked.docx.*password"):
        rx.read_report(f)


def test_missing_libreoffice_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORT_EXTRACT_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(MissingDependencyError) as exc:
        convert_to_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc")
    assert "libreoffice-writer" in str(exc.value) and "old.doc" in str(exc.value)


def test_libreoffice_timeout_is_a_clear_error(tmp_path, monkeypatch):
    fake = tmp_path / "slow-soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("REPORT_EXTRACT_SOFFICE", str(fake))
    with pytest.raises(CorruptInputError, match="slow.doc.*within 1 s"):
        convert_to_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "slow.doc", timeout=1)


def test_damaged_ole_container(tmp_path):
    f = tmp_path / "damaged.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    with pytest.raises(CorruptInputError, match="damaged.doc"):
        rx.read_report(f)


# -- .doc / .wps through LibreOffice --------------------------------------------------------------


def to_doc(docx_bytes: bytes, tmp_path: Path, name: str = "report") -> Path:
    """Convert DOCX bytes to a Word 97 .doc file with LibreOffice (test fixture)."""
    src = tmp_path / f"{name}.docx"
    src.write_bytes(docx_bytes)
    out = tmp_path / "doc_out"
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo_profile').as_uri()}", "--headless",
         "--convert-to", "doc:MS Word 97", "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    return out / f"{name}.doc"


@requires_soffice
def test_doc_made_by_libreoffice_reads_to_identical_cells(tmp_path):
    rep = make_report(11, "2021", quirks={"spaces", "placeholders", "halfwidth"}, busy=0.8, publisher_error=True)
    data = render_docx(rep, seed=11)
    doc_path = to_doc(data, tmp_path)
    from_docx = rx.read_report(data)
    from_doc = rx.read_report(doc_path)
    assert from_doc.meta["source_format"] == "doc"
    assert cell_mismatches(from_doc, rep.truth()) == []
    pd.testing.assert_frame_equal(
        from_doc.cells[["table", "row", "column", "value", "raw"]], from_docx.cells[["table", "row", "column", "value", "raw"]]
    )
    assert from_doc.failed_checks == rep.failed_checks()
    assert from_doc.meta["title"] == rep.title

    as_docx = rx.read_report(doc_path, format="docx")  # a .doc handed to the DOCX reader is converted too
    assert cell_mismatches(as_docx, rep.truth()) == []

    wps = tmp_path / "report.wps"
    shutil.copy(doc_path, wps)
    r = rx.read_report(wps)
    assert r.meta["source_format"] == "wps"
    assert cell_mismatches(r, rep.truth()) == []


@requires_soffice
def test_encrypted_doc_flag_is_refused(tmp_path):
    olefile = pytest.importorskip("olefile")
    doc_path = to_doc(render_docx(make_report(12)), tmp_path)
    with olefile.OleFileIO(str(doc_path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        stream[11] |= 0x01  # FIB fEncrypted (bit 8 of the flags word at offset 10)
        ole.write_stream("WordDocument", bytes(stream))
    with pytest.raises(EncryptedInputError, match="report.doc"):
        rx.read_report(doc_path)


@requires_soffice
def test_truncated_doc_is_a_report_error(tmp_path):
    doc_path = to_doc(render_docx(make_report(13)), tmp_path)
    data = doc_path.read_bytes()
    f = tmp_path / "cut.doc"
    f.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReportError, match="cut.doc"):
        rx.read_report(f)


@requires_soffice
def test_parallel_conversions_do_not_collide(tmp_path):
    reps = [make_report(20 + i, "2021", busy=0.7) for i in range(3)]
    paths = []
    for i, rep in enumerate(reps):
        (tmp_path / f"d{i}").mkdir()
        paths.append(to_doc(render_docx(rep, seed=i), tmp_path / f"d{i}", name=f"report{i}"))
    rs = rx.read_reports([str(p) for p in paths], jobs=3)
    assert rs.errors.empty
    for p, rep in zip(paths, reps):
        got = rs.cells[rs.cells["report_id"] == str(p)]
        assert len(got) == len(rep.truth())
        merged = got.merge(rep.truth(), on=["table", "row", "column"], suffixes=("", "_want"))
        same = (merged["value"] == merged["value_want"]) | (merged["value"].isna() & merged["value_want"].isna())
        assert same.all()


def test_alt_chunk_html_is_read_in_place():
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    from report_synth.html import render_html

    rep = make_report(14, "2021", busy=0.8)
    d = docx.Document()
    d.add_paragraph("导入的内容如下")
    part = Part(PackURI("/word/afchunk1.htm"), "text/html", render_html(rep, "word", "separate"), d.part.package)
    rid = d.part.relate_to(part, RT.A_F_CHUNK)
    r_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    d.element.body.insert(1, parse_xml(f'<w:altChunk {W} {r_ns} r:id="{rid}"/>'))
    d.add_paragraph("（完）")
    buf = io.BytesIO()
    d.save(buf)
    doc = read_docx(buf.getvalue())
    assert doc.blocks[0].text == "导入的内容如下" and doc.blocks[-1].text == "（完）"
    assert len(doc.tables) == 3
    r = rx.read_report(buf.getvalue())
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks()


@requires_soffice
def test_rtf_under_a_doc_name_is_converted(tmp_path):
    rep = make_report(15, "2021", busy=0.8)
    src = tmp_path / "report.docx"
    src.write_bytes(render_docx(rep, seed=15))
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "rtf", "--outdir", str(tmp_path / "rtf"), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    f = tmp_path / "报告.doc"
    shutil.copy(tmp_path / "rtf" / "report.rtf", f)
    r = rx.read_report(f)
    assert r.meta["source_format"] == "rtf"
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks()


def test_web_page_under_a_doc_name_is_read_as_html(tmp_path):
    from report_synth.html import render_html

    rep = make_report(16, "2021")
    f = tmp_path / "report.doc"
    f.write_bytes(render_html(rep, "word", "separate"))
    r = rx.read_report(f)
    assert r.meta["source_format"] == "html"
    assert cell_mismatches(r, rep.truth()) == []
