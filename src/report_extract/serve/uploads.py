"""Uploaded files staged in a private temporary folder, safely.

No uploaded name reaches the file system: every file is stored as ``f0001.<ext>`` where ``ext``
is the lower-case extension of the uploaded name when it is a supported one (the readers also
sniff the content). The name as uploaded is kept only as the display name (cleaned of path parts
and control characters). ZIP archives are unpacked member by member in memory-bounded chunks,
with limits on the number of members and their unpacked size; absolute names, ``..`` parts and
links are never followed (a member is written under a generated name like any upload).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..readers import EXTENSIONS
from .settings import ServeSettings

CHUNK = 1 << 20
_EXT = re.compile(r"^\.[a-z0-9]{1,8}$")


class UploadLimitError(Exception):
    """An upload over one of the limits (answered with a 4xx JSON error)."""

    def __init__(self, code: str, reason: str, status: int = 413):
        super().__init__(reason)
        self.code, self.reason, self.status = code, reason, status


@dataclass
class Staged:
    """One file to read: its display ``name`` and its ``path`` in the private folder, or the
    ``error`` ({error, reason}) that kept it from being staged."""

    name: str
    path: Path | None = None
    error: dict | None = None


def display_name(name: str | None, fallback: str) -> str:
    """The uploaded name made safe to show: path separators kept as ``/`` between cleaned parts,
    no control characters, no ``.``/``..`` parts, at most 200 characters."""
    raw = (name or "").replace("\\", "/")
    parts = []
    for part in raw.split("/"):
        part = "".join(ch for ch in part if unicodedata.category(ch)[0] != "C").strip()
        if part and part not in (".", ".."):
            parts.append(part)
    out = "/".join(parts)[-200:]
    return out or fallback


def extension(name: str) -> str:
    """The lower-case extension of ``name`` when it is a supported input format, else ``""``."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    return suffix if _EXT.match(suffix) and suffix in EXTENSIONS else ""


def is_zip(name: str, head: bytes) -> bool:
    """A ZIP archive of reports (not a DOCX/XLSX, which are ZIP containers themselves)."""
    return name.lower().endswith(".zip") or (head.startswith(b"PK\x03\x04") and not extension(name))


class Stager:
    """Writes uploads into ``folder`` under generated names, counting files against the limits."""

    def __init__(self, folder: Path, settings: ServeSettings, already: int = 0):
        self.folder = folder
        self.settings = settings
        self.already = already  # files the batch holds already (they count against max_files)
        self.count = 0
        self.staged: list[Staged] = []

    def _reserve(self) -> None:
        """Count one more file against ``max_files``."""
        self.count += 1
        if self.already + self.count > self.settings.max_files:
            raise UploadLimitError("too_many_files", f"at most {self.settings.max_files} files per batch")

    def _target(self, name: str) -> Path:
        self._reserve()
        return self.folder / f"f{self.count:04d}{extension(name)}"

    def _copy(self, src: BinaryIO, dst: Path, limit: int) -> int:
        """Copy ``src`` into ``dst``; -1 when it is longer than ``limit`` bytes (``dst`` removed)."""
        n = 0
        with open(dst, "xb") as out:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                n += len(chunk)
                if n > limit:
                    break
                out.write(chunk)
        if n > limit:
            dst.unlink()
            return -1
        return n

    def add(self, name: str | None, src: BinaryIO) -> None:
        """Stage one uploaded file (a ZIP is unpacked into one entry per report inside)."""
        shown = display_name(name, f"file{self.count + 1}")
        head = src.read(4)
        src.seek(0)
        if is_zip(shown, head):
            self._add_zip(shown, src)
            return
        target = self._target(shown)
        if self._copy(src, target, self.settings.max_file_bytes) < 0:
            self.staged.append(Staged(shown, error={"error": "input_too_large",
                                                    "reason": f"larger than {self.settings.max_file_bytes} bytes"}))
        else:
            self.staged.append(Staged(shown, target))

    def _add_zip(self, shown: str, src: BinaryIO) -> None:
        try:
            zf = zipfile.ZipFile(src)
            members = [i for i in zf.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            self.staged.append(Staged(shown, error={"error": "bad_archive", "reason": f"not a readable ZIP archive ({exc})"}))
            return
        with zf:
            wanted = [i for i in members if extension(i.filename) and not _hidden(i.filename) and not _is_link(i)]
            if not wanted:
                self.staged.append(Staged(shown, error={"error": "empty_archive", "reason": "no report files in the archive"}))
                return
            total = 0
            for info in wanted:
                name = f"{shown}/{display_name(info.filename, 'member')}"
                if info.file_size > self.settings.max_file_bytes:
                    self._reserve()
                    self.staged.append(Staged(name, error={"error": "input_too_large",
                                                           "reason": f"larger than {self.settings.max_file_bytes} bytes"}))
                    continue
                target = self._target(info.filename)
                try:
                    with zf.open(info) as member:
                        n = self._copy(member, target, min(self.settings.max_file_bytes, self.settings.max_zip_bytes - total))
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
                    target.unlink(missing_ok=True)
                    self.staged.append(Staged(name, error={"error": "bad_archive", "reason": f"cannot unpack this member ({exc})"}))
                    continue
                if n < 0:
                    self.staged.append(Staged(name, error={"error": "input_too_large",
                                                           "reason": "larger than the size allowed once unpacked"}))
                    if total >= self.settings.max_zip_bytes:
                        break
                    continue
                total += n
                self.staged.append(Staged(name, target))


def _hidden(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX" for p in parts if p)


def _is_link(info: zipfile.ZipInfo) -> bool:
    return (info.external_attr >> 16) & 0o170000 == 0o120000
