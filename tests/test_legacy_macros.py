"""LibreOffice runs with macros disabled explicitly (issue 13, finding 10)."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest

from report_extract.readers import legacy
from report_extract.readers.legacy import find_soffice
from report_extract.readers.lo_profile import SETTINGS, profile_xcu, write_profile
from report_synth import make_report
from report_synth.docx import render_docx

OOR = "{http://openoffice.org/2001/registry}"


def _settings(xcu: str) -> dict[str, str]:
    root = ET.fromstring(xcu)
    return {p.get(OOR + "name"): p.findtext("value") for p in root.iter("prop")}


def test_profile_disables_macros():
    got = _settings(profile_xcu())
    assert got["DisableMacrosExecution"] == "true" and got["MacroSecurityLevel"] == "3"
    assert got == SETTINGS


def test_conversion_writes_the_profile_before_starting(monkeypatch, tmp_path):
    seen = {}

    class FakePopen:
        def __init__(self, cmd, **kw):
            profile = next(a for a in cmd if a.startswith("-env:UserInstallation=")).split("file://", 1)[1]
            seen["xcu"] = open(f"{profile}/user/registrymodifications.xcu", encoding="utf-8").read()
            self.pid = 0

        def communicate(self, timeout=None):
            return b"", b""

    monkeypatch.setattr(legacy, "find_soffice", lambda configured=None: "/bin/true")
    monkeypatch.setattr(legacy.subprocess, "Popen", FakePopen)
    with pytest.raises(legacy.CorruptInputError):  # the fake produced no output
        legacy.convert_to_docx(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "x.doc")
    assert _settings(seen["xcu"])["DisableMacrosExecution"] == "true"


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_the_settings_and_converts(tmp_path):
    profile = tmp_path / "profile"
    xcu = write_profile(profile)
    src = tmp_path / "r.docx"
    src.write_bytes(render_docx(make_report(41, "2021")))
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    assert (tmp_path / "out" / "r.doc").stat().st_size > 0
    got = _settings(xcu.read_text(encoding="utf-8"))  # LibreOffice rewrote the file and kept them
    assert got.get("DisableMacrosExecution") == "true" and got.get("MacroSecurityLevel") == "3"
