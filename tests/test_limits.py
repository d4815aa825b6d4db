"""Resource limits (issue 13, findings 1-2): each refuses a hostile input early with a
LimitExceededError naming the file, the limit and its setting; read_report has a timeout."""

from __future__ import annotations

import io
import signal
import time
import zipfile

import pytest

import report_extract as rx
from report_extract.deadline import check, time_limit
from report_extract.errors import LimitExceededError, ReadTimeoutError, ReportError
from report_extract.options import DocxSettings, HtmlSettings, PdfSettings, ReadOptions, TextSettings
from report_synth import make_report
from report_synth.docx import render_docx
from report_synth.html import render_html
from report_synth.pdf import render_pdf
from report_synth.text import render_text
from report_synth.xlsx import render_xlsx


def _inflate_member(data: bytes, member: str, extra: int) -> bytes:
    """The package with ``extra`` bytes of short paragraphs' worth of whitespace appended to one
    member's XML (compresses to almost nothing, like the zip bomb of the issue)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                body = body + b" " * extra
            dst.writestr(info.filename, body)
    return out.getvalue()


def test_docx_part_limit_refuses_before_parsing(tmp_path):
    rep = make_report(1, "2021")
    data = _inflate_member(render_docx(rep), "word/document.xml", 3_000_000)
    f = tmp_path / "bomb.docx"
    f.write_bytes(data)
    with pytest.raises(LimitExceededError) as ei:
        rx.read_report(f, docx=DocxSettings(max_part_bytes=2_000_000))
    msg = str(ei.value)
    assert str(f) in msg and "word/document.xml" in msg and "docx.max_part_bytes" in msg
    assert ei.value.code == "limit_exceeded" and ei.value.value > 3_000_000
    # under the default limit the same package reads (the padding is whitespace after the root)
    assert DocxSettings().max_part_bytes <= 8 * 1024 * 1024


def test_xlsx_part_limit(tmp_path):
    data = render_xlsx(make_report(2, "2021"))
    member = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("xl/worksheets/"))
    f = tmp_path / "bomb.xlsx"
    f.write_bytes(_inflate_member(data, member, 500_000))
    with pytest.raises(LimitExceededError, match="docx.max_part_bytes"):
        rx.read_report(f, docx=DocxSettings(max_part_bytes=400_000))


def test_pdf_page_limit(tmp_path):
    f = tmp_path / "long.pdf"
    f.write_bytes(render_pdf(make_report(3, "2021")))
    pages = len(__import__("pdfplumber").open(f).pages)
    assert pages >= 2
    with pytest.raises(LimitExceededError, match="pdf.max_pages") as ei:
        rx.read_report(f, pdf=PdfSettings(max_pages=pages - 1))
    assert ei.value.value == pages
    assert rx.read_report(f, pdf=PdfSettings(max_pages=pages)).cells.shape[0] > 0


def test_html_table_tag_limit_before_parsing(tmp_path, monkeypatch):
    rows = "".join(f"<tr><td>{i}</td><td>x</td></tr>" for i in range(3000))
    f = tmp_path / "huge.html"
    f.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    import report_extract.readers.html as html_mod

    def never(*a, **k):  # the check must come before the parser
        raise AssertionError("parsed")

    monkeypatch.setattr(html_mod, "read_html", never)
    with pytest.raises(LimitExceededError, match="html.max_cell_tags"):
        rx.read_report(f, html=HtmlSettings(max_cell_tags=5000))
    with pytest.raises(LimitExceededError, match="html.max_bytes"):
        rx.read_report(f, html=HtmlSettings(max_bytes=10_000))


def test_html_limits_pass_a_report():
    data = render_html(make_report(4, "2021"))
    assert rx.read_report(data, "html").cells.shape[0] > 100


def test_text_size_limit(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(render_text(make_report(5, "2021")), encoding="utf-8")
    with pytest.raises(LimitExceededError, match="text.max_bytes"):
        rx.read_report(f, text=TextSettings(max_bytes=1000))


def test_limit_settings_are_validated():
    with pytest.raises(ValueError):
        ReadOptions(pdf=PdfSettings(max_pages=0))
    assert ReadOptions.from_flat({"html.max_cell_tags": 10}).html.max_cell_tags == 10


def test_read_report_timeout_in_process(tmp_path, monkeypatch):
    """A read that would run forever stops at ``timeout`` with a ReadTimeoutError (code timeout)."""
    import report_extract.pipeline as pl

    def slow_step(d):
        while True:  # a pure-Python loop that never checks the deadline
            time.sleep(0.01)

    monkeypatch.setattr(pl, "STEPS", (slow_step,))
    f = tmp_path / "r.txt"
    f.write_text(render_text(make_report(6, "2021")), encoding="utf-8")
    with pytest.raises(ReadTimeoutError) as ei:
        rx.read_report(f, timeout=0.5)
    assert ei.value.code == "timeout" and str(f) in str(ei.value) and "ReadOptions.timeout" in str(ei.value)
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL  # the timer is given back


def test_cooperative_deadline_without_signal():
    """Outside the main thread no timer signal is used: the deadline is checked between steps."""
    import threading

    seen: list[BaseException | None] = []

    def body():
        with time_limit(0.05, "x"):
            time.sleep(0.1)
            try:
                check()
                seen.append(None)
            except ReadTimeoutError as exc:
                seen.append(exc)
        check()  # no deadline outside

    t = threading.Thread(target=body)
    t.start()
    t.join()
    assert isinstance(seen[0], ReadTimeoutError)


def test_read_report_default_timeout_matches_options():
    assert ReadOptions().timeout == 300.0
    assert isinstance(ReadTimeoutError("f", "r"), ReportError)


def _slow_reader(monkeypatch):
    """A reader whose library catches every exception and calls the file damaged."""
    import report_extract.pipeline as pl
    from report_extract.errors import CorruptInputError

    def read_document(data, path, options):
        try:
            while True:
                time.sleep(0.01)
        except Exception as exc:  # noqa: BLE001 - imitates a library rewrapping errors
            raise CorruptInputError(path, f"parse failed: {exc}") from None

    monkeypatch.setattr(pl, "read_document", read_document)


def test_a_timeout_rewrapped_by_a_reader_is_still_a_timeout(tmp_path, monkeypatch):
    _slow_reader(monkeypatch)
    f = tmp_path / "r.txt"
    f.write_text("x" * 100, encoding="utf-8")
    with pytest.raises(ReadTimeoutError):
        rx.read_report(f, timeout=0.3)


def test_timed_out_file_is_the_same_row_at_any_job_count(tmp_path, monkeypatch):
    """Finding 9: a file over the limit is recorded as ``timeout`` by its own worker, whatever the
    job count (the parent's kill is only a backstop after a grace period)."""
    _slow_reader(monkeypatch)  # inherited by the forked workers
    f = tmp_path / "r.txt"
    f.write_text("x" * 100, encoding="utf-8")
    rows = []
    for jobs in (1, 2):
        rs = rx.read_reports([f, f.with_name("missing.txt")], jobs=jobs, timeout=0.5)
        rows.append(rs.errors.sort_values("path").to_dict("records"))
    assert rows[0] == rows[1]
    assert rows[0][1]["error"] == "timeout" and "ReadOptions.timeout" in rows[0][1]["reason"]


def test_default_part_limit_refuses_without_inflating(tmp_path, monkeypatch):
    """With the default settings a package whose document.xml unpacks past docx.max_part_bytes is
    refused from the zip directory alone: python-docx never parses it."""
    import report_extract.readers.docx as docx_mod

    limit = DocxSettings().max_part_bytes
    f = tmp_path / "bomb.docx"
    f.write_bytes(_inflate_member(render_docx(make_report(8, "2021")), "word/document.xml", limit + 1))
    monkeypatch.setattr(docx_mod, "read_docx", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(LimitExceededError, match="docx.max_part_bytes"):
        rx.read_report(f)
