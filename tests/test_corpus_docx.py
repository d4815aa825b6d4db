"""Real Word documents against their hand-checked labels, and fixtures rendered from the real values
of every labelled corpus document (DOCX, a LibreOffice .doc, XLSX, XLS)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import report_extract as rx
from conftest import DOCS, LABELS, assert_matches_label, cell_mismatches, load_label, requires_corpus
from report_extract.readers.legacy import find_soffice
from report_synth.docx import render_docx, report_from_frame

DOCX_DOCS = ["d001.docx"]


def _labelled() -> list[str]:
    if not LABELS.is_dir():
        return []
    return sorted(p.name[: -len(".cells.csv")] for p in LABELS.glob("*.cells.csv"))


@requires_corpus
@pytest.mark.parametrize("name", DOCX_DOCS)
def test_docx_matches_label(name):
    r = rx.read_report(DOCS / name)
    assert_matches_label(r, name)


@requires_corpus
def test_blank_template_is_all_blank_and_invents_nothing():
    r = rx.read_report(DOCS / "d001.docx")
    assert len(r.cells) == 200
    assert r.cells["value"].isna().all()
    assert (r.cells["raw"] == "").all()
    assert r.meta["template"] == "2021"
    assert r.failed_checks == []
    assert sorted(r.meta["section_headings"]) == [1, 2, 3, 4, 5, 6]
    assert r.meta["title"] == "政府信息公开工作年度报告格式模板"
    assert r.meta["properties"]["created"].startswith("2025-12")
    assert (r.issues["severity"] != "error").all() if not r.issues.empty else True


@requires_corpus
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_blank_template_as_doc_reads_the_same(tmp_path):
    src = tmp_path / "template.docx"
    shutil.copy(DOCS / "d001.docx", src)
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    label, _meta = load_label("d001.docx")
    r = rx.read_report(tmp_path / "template.doc")
    assert r.meta["source_format"] == "doc"
    assert cell_mismatches(r, label) == []
    assert r.failed_checks == []


def _rep(name):
    label, meta = load_label(name)
    if not meta.get("template"):
        pytest.skip(f"{name} is not a template report")
    rep = report_from_frame(label, meta["template"])
    if rep is None:
        pytest.skip(f"{name}'s label does not hold every cell of the standard layout")
    return rep, meta


@requires_corpus
@pytest.mark.parametrize("name", _labelled())
def test_docx_fixture_from_real_values(name):
    rep, meta = _rep(name)
    r = rx.read_report(render_docx(rep, seed=len(name), split_requests=14 if rep.other_rows == 3 else None))
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks() == sorted(meta["published_check_failures"])


@requires_corpus
@pytest.mark.parametrize("name", _labelled())
def test_xlsx_fixture_from_real_values(name):
    pytest.importorskip("openpyxl")
    from report_synth.xlsx import render_xlsx

    rep, meta = _rep(name)
    for layout in ("sheets", "single"):
        r = rx.read_report(render_xlsx(rep, layout), format="xlsx")
        assert cell_mismatches(r, rep.truth()) == []
        assert r.failed_checks == rep.failed_checks()


@requires_corpus
@pytest.mark.parametrize("name", _labelled())
def test_xls_fixture_from_real_values(name):
    pytest.importorskip("xlwt")
    pytest.importorskip("xlrd")
    from report_synth.xlsx import render_xls

    rep, _meta = _rep(name)
    r = rx.read_report(render_xls(rep, "sheets"), format="xls")
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == rep.failed_checks()


@requires_corpus
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_doc_fixture_from_real_values(tmp_path):
    names = [n for n in _labelled() if n.startswith("p")] or _labelled()
    rep, meta = _rep(names[0])
    src = tmp_path / "real.docx"
    src.write_bytes(render_docx(rep, seed=3))
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    r = rx.read_report(tmp_path / "real.doc")
    assert cell_mismatches(r, rep.truth()) == []
    assert r.failed_checks == sorted(meta["published_check_failures"])


def _html_docs() -> list[str]:
    return sorted(p.name for p in DOCS.glob("*.html")) if DOCS.is_dir() else []


@pytest.fixture(scope="module")
def html_as_docx(tmp_path_factory):
    """The corpus's real HTML reports converted to DOCX by LibreOffice (in a temporary folder)."""
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    tmp = tmp_path_factory.mktemp("html_docx")
    for name in _html_docs():
        shutil.copy(DOCS / name, tmp / name)
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp / "out"), *[str(tmp / n) for n in _html_docs()]],
        check=True, capture_output=True, timeout=600,
    )
    return tmp / "out"


@requires_corpus
@pytest.mark.parametrize("name", _html_docs())
def test_real_report_saved_as_docx_by_libreoffice(name, html_as_docx):
    """A real published report, as Word saves a web page: every labelled cell and the metadata."""
    label, meta = load_label(name)
    r = rx.read_report(html_as_docx / name.replace(".html", ".docx"))
    assert cell_mismatches(r, label) == []
    assert r.meta["template"] == meta["template"]
    assert (r.meta["agency"], r.meta["year"]) == (meta["agency"], meta["year"])
    assert r.failed_checks == sorted(meta["published_check_failures"])
