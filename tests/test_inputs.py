"""Every input path accounted for (issue 13, finding 5): files and links that are not read are
rows of ``errors`` with a code and a reason."""

from __future__ import annotations

import os

import pytest

import report_extract as rx
from report_extract.inputs import scan_paths
from report_synth import make_report
from report_synth.text import render_text

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(render_text(make_report(11, "2021")), encoding="utf-8")
    (d / "sub" / "b.txt").write_text(render_text(make_report(12, "2021")), encoding="utf-8")
    (d / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    (d / "notes.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    os.symlink(d / "missing.txt", d / "dangling.txt")
    os.symlink(d, d / "sub" / "back")  # a loop back to the top folder
    os.symlink(d / "self.txt", d / "self.txt")  # a link pointing at itself
    (d / ".hidden.txt").write_text("x", encoding="utf-8")
    return d


def test_scan_accounts_for_every_path(folder):
    scan = scan_paths([folder])
    assert sorted(os.path.basename(f) for f in scan.files) == ["a.txt", "b.txt"]
    codes = {os.path.basename(r["path"]): r["error"] for r in scan.skipped}
    assert codes == {
        "photo.jpg": "skipped_unsupported", "notes.zip": "skipped_unsupported",
        "dangling.txt": "broken_link", "back": "symlink_loop", "self.txt": "symlink_loop",
    }
    assert all(r["reason"] for r in scan.skipped)
    assert "'.jpg'" in next(r["reason"] for r in scan.skipped if r["path"].endswith("photo.jpg"))


def test_read_reports_has_a_row_for_each_skipped_path(folder):
    rs = rx.read_reports(folder, jobs=1)
    assert len(rs.reports) == 2
    got = dict(zip(rs.errors["path"].map(os.path.basename), rs.errors["error"]))
    assert got["photo.jpg"] == "skipped_unsupported" and got["dangling.txt"] == "broken_link"
    assert got["back"] == "symlink_loop"
    assert len(rs.reports) + len(rs.errors) == 7  # every non-hidden path of the folder


def test_a_link_named_directly(tmp_path):
    os.symlink(tmp_path / "nowhere.pdf", tmp_path / "l.pdf")
    scan = scan_paths([tmp_path / "l.pdf"])
    assert scan.files == [] and scan.skipped[0]["error"] == "broken_link"
