"""Generated reports turned into text by the converters researchers use (the real Debian tools).

``pdftotext`` (poppler-utils) with ``-layout``, ``-raw`` or neither (``plain``: column by column),
``docx2txt`` on the DOCX rendering, ``catdoc`` on a Word 97 ``.doc`` made from it by LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from . import SynthReport

# shape name -> (the commands it needs, the Debian package(s) providing them)
CONVERTERS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdftotext-layout": (("pdftotext",), "poppler-utils"),
    "pdftotext-raw": (("pdftotext",), "poppler-utils"),
    "pdftotext-plain": (("pdftotext",), "poppler-utils"),
    "docx2txt": (("docx2txt",), "docx2txt"),
    "catdoc": (("catdoc", "soffice"), "catdoc libreoffice-writer"),
}
_PDFTOTEXT_MODE = {"pdftotext-layout": ["-layout"], "pdftotext-raw": ["-raw"], "pdftotext-plain": []}


class ConverterMissing(RuntimeError):
    """A converter this shape needs is not installed."""


def missing(shape: str) -> str | None:
    """What to install for ``shape`` when one of its tools is absent, else None."""
    commands, package = CONVERTERS[shape]
    if all(shutil.which(c) for c in commands):
        return None
    return f"{', '.join(c for c in commands if not shutil.which(c))} not installed (apt-get install {package})"


def convert(rep: SynthReport, shape: str, *, seed: int = 0) -> bytes:
    """``rep`` rendered (PDF or DOCX) and converted to text by the tool of ``shape``."""
    if shape not in CONVERTERS:
        raise ValueError(f"shape must be one of {sorted(CONVERTERS)}")
    why = missing(shape)
    if why:
        raise ConverterMissing(why)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if shape.startswith("pdftotext"):
            from .pdf import render_pdf

            pdf = tmp / "r.pdf"
            pdf.write_bytes(render_pdf(rep, seed=seed))
            cmd = ["pdftotext", "-enc", "UTF-8", *_PDFTOTEXT_MODE[shape], str(pdf), "-"]
            return subprocess.run(cmd, capture_output=True, check=True, timeout=120).stdout
        from .docx import render_docx

        data = render_docx(rep)
        docx = tmp / "r.docx"
        docx.write_bytes(data if isinstance(data, bytes) else data.getvalue())
        if shape == "docx2txt":
            subprocess.run(["docx2txt", str(docx), str(tmp / "r.txt")], check=True, capture_output=True, timeout=120)
            return (tmp / "r.txt").read_bytes()
        # a private LibreOffice profile: parallel runs do not share (and lock) one
        profile = (tmp / "lo-profile").as_uri()
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc", "--outdir", str(tmp), str(docx)],
            check=True, capture_output=True, timeout=300,
        )
        return subprocess.run(["catdoc", "-d", "utf-8", str(tmp / "r.doc")], capture_output=True, check=True, timeout=120).stdout


__all__ = ["CONVERTERS", "ConverterMissing", "convert", "missing"]
