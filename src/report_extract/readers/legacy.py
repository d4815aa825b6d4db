"""Legacy Word (.doc), WPS (.wps) and RTF documents: converted to DOCX by LibreOffice, then read as DOCX.

Each conversion runs ``soffice --headless --convert-to docx`` in a private temporary directory
with its own LibreOffice profile (``-env:UserInstallation``), so parallel conversions never share a
profile or a lock (macros disabled explicitly in it: :mod:`.lo_profile`), and under a timeout (``options.legacy.timeout`` seconds, default 120) after
which the whole LibreOffice process group is killed. ``options.legacy.soffice`` names the
LibreOffice executable when it is not on ``PATH`` (the ``REPORT_EXTRACT_SOFFICE`` environment
variable is the fallback when it is not set).

What an OLE container holds (Word, workbook, encrypted) is told by :mod:`.sniff`; a workbook under
a Word name never reaches this reader (:func:`~.sniff.refine_format` sends it to the sheet reader).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import CorruptInputError, EncryptedInputError, MissingDependencyError, UnsupportedFormatError
from ..grid import Document
from ..options import DEFAULT_OPTIONS, ReadOptions
from .docx import read_docx
from .lo_profile import write_profile
from .sniff import ENCRYPTED_PACKAGE, OLE_MAGIC, ole_kind

INSTALL_HINT = (
    "reading .doc/.wps files needs LibreOffice, which was not found: install it (Debian/Ubuntu: "
    "apt-get install libreoffice-writer; macOS: brew install --cask libreoffice) or set "
    "REPORT_EXTRACT_SOFFICE to the soffice executable"
)


def find_soffice(configured: str | None = None) -> str | None:
    """The LibreOffice executable: ``configured`` (``options.legacy.soffice``), else
    ``REPORT_EXTRACT_SOFFICE``, then ``soffice``/``libreoffice`` on PATH."""
    env = configured or os.environ.get("REPORT_EXTRACT_SOFFICE")
    if env:
        return env if (os.path.isfile(env) or shutil.which(env)) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.isfile(candidate):
            return candidate
    return None


def read_doc(data: bytes, path: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Read a .doc or .wps file (or an OLE-wrapped, encrypted Office file: refused) via LibreOffice."""
    if data[:4] == b"PK\x03\x04":  # a DOCX under a .doc name
        return read_docx(data, path, options)
    if data.lstrip()[:5] == b"{\\rtf":  # RTF (often under a .doc name)
        doc = read_docx(convert_to_docx(data, path, ".rtf", options=options), path, options)
        doc.source_format = "rtf"
        doc.properties["converted_by"] = "LibreOffice"
        return doc
    if data[:8] != OLE_MAGIC:
        raise CorruptInputError(path, "not a Word document: the file is not an OLE compound file (damaged or renamed?)")
    if ENCRYPTED_PACKAGE in data:
        raise EncryptedInputError(path, "the document is password-protected (encrypted); save an unprotected copy")
    kind = ole_kind(data)
    if kind == "damaged":
        raise CorruptInputError(path, "the OLE compound file is damaged or truncated")
    if kind == "encrypted":
        raise EncryptedInputError(path, "the document is password-protected (encrypted); save an unprotected copy")
    if kind == "workbook":  # an Excel 97-2003 workbook under a Word name
        raise UnsupportedFormatError(path, "an Excel 97-2003 workbook under a Word name; read it as format 'xls'")
    suffix = Path(path).suffix.lower() if path else ""
    fmt = "wps" if suffix == ".wps" else "doc"
    # A Word-97 stream (what Kingsoft WPS writes too) converts as .doc; other OLE files keep their
    # extension so LibreOffice can pick its import filter (e.g. Microsoft Works .wps).
    if kind == "word" or suffix not in (".doc", ".wps", ".dot"):
        suffix = ".doc"
    docx_bytes = convert_to_docx(data, path, suffix, options=options)
    doc = read_docx(docx_bytes, path, options)
    doc.source_format = fmt
    doc.properties["converted_by"] = "LibreOffice"
    return doc


def convert_to_docx(
    data: bytes, path: str | None, suffix: str = ".doc", timeout: float | None = None, options: ReadOptions = DEFAULT_OPTIONS
) -> bytes:
    """Convert a legacy document's bytes to DOCX bytes with LibreOffice headless
    (within ``timeout`` seconds, default ``options.legacy.timeout``)."""
    soffice = find_soffice(options.legacy.soffice)
    if soffice is None:
        raise MissingDependencyError(path, INSTALL_HINT)
    if timeout is None:
        timeout = options.legacy.timeout
    with tempfile.TemporaryDirectory(prefix="report_extract_lo_") as tmp:
        work = Path(tmp)
        src = work / f"input{suffix}"
        out_dir = work / "out"
        out_dir.mkdir()
        src.write_bytes(data)
        write_profile(work / "profile")
        cmd = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(src),
        ]
        env = dict(os.environ, HOME=tmp)
        try:
            proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                cwd=tmp, env=env, start_new_session=True,
            )
        except OSError as exc:
            raise MissingDependencyError(path, f"LibreOffice ({soffice}) could not be started: {exc}; " + INSTALL_HINT) from None
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise CorruptInputError(path, f"LibreOffice did not finish converting the document within {timeout:.0f} s") from None
        result = out_dir / "input.docx"
        if not result.is_file() or result.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise CorruptInputError(
                path,
                "LibreOffice could not convert the document (damaged, truncated or password-protected?)"
                + (f": {detail[0][:200]}" if detail else ""),
            )
        return result.read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        proc.kill()
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pass
