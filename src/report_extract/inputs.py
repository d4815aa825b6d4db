"""Expanding the inputs of a batch (files, folders, glob patterns) so every path is accounted for.

:func:`scan_paths` returns the files to read and, for every file or link met in a folder (or named
directly) that will not be read, a row for ``errors`` with its reason:

=======================  =====================================================================
``skipped_unsupported``  a file whose extension is not a report format (an image, an archive …)
``broken_link``          a symbolic link whose target does not exist
``symlink_loop``         a link that points back into a folder already being walked (or at itself)
``unreadable_path``      a folder that cannot be listed (permissions)
=======================  =====================================================================

Hidden files and folders (a name starting with ``.``, e.g. ``.cache``, ``.DS_Store``) are not
inputs and are passed over without a row. A path named directly is always read (its format is
sniffed), so a named file that does not exist becomes the reader's ``no such file`` error.
"""

from __future__ import annotations

import errno
import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from .readers.sniff import EXTENSIONS

SKIP_COLUMNS = ("path", "error", "reason")


@dataclass
class Scan:
    """Files to read (sorted within each folder, duplicates dropped) and rows of skipped paths."""

    files: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def add_file(self, path: str) -> None:
        self.files.append(path)

    def skip(self, path: str, code: str, reason: str) -> None:
        self.skipped.append({"path": path, "error": code, "reason": reason})


def _link_problem(path: str) -> tuple[str, str] | None:
    """``(code, reason)`` for a link whose target cannot be reached, else None."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink_loop", "the symbolic link points back at itself (a loop); not read"
        target = os.readlink(path) if os.path.islink(path) else "?"
        return "broken_link", f"the symbolic link's target {target!r} does not exist; not read"
    return None


def _walk(folder: str, scan: Scan, ancestors: frozenset[str]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        scan.skip(folder, "unreadable_path", f"the folder cannot be listed ({exc.strerror or exc}); not read")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = entry.path
        if entry.is_symlink():
            problem = _link_problem(path)
            if problem is not None:
                scan.skip(path, *problem)
                continue
        if entry.is_dir(follow_symlinks=True):
            real = os.path.realpath(path)
            if real in ancestors:
                scan.skip(path, "symlink_loop", f"the link leads back to the folder {real} being read (a loop); not followed")
                continue
            _walk(path, scan, ancestors | {real})
        elif entry.is_file(follow_symlinks=True):
            ext = os.path.splitext(entry.name)[1].lower()
            if ext in EXTENSIONS:
                scan.add_file(path)
            else:
                kind = f"extension {ext!r}" if ext else "no extension"
                scan.skip(path, "skipped_unsupported", f"{kind} is not a report format ({', '.join(sorted(set(EXTENSIONS.values())))}); not read")
        else:
            scan.skip(path, "skipped_unsupported", "not a regular file (a socket, pipe or device); not read")


def scan_paths(inputs: Iterable[str | os.PathLike] | str | os.PathLike) -> Scan:
    """Expand files, folders (recursively, following links but not loops) and glob patterns
    (one path, or several)."""
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    scan = Scan()
    for item in inputs:
        p = os.fspath(item)
        if os.path.islink(p) and (problem := _link_problem(p)) is not None:
            scan.skip(p, *problem)
        elif os.path.isdir(p):
            _walk(p, scan, frozenset({os.path.realpath(p)}))
        elif os.path.exists(p):
            scan.add_file(p)
        elif any(ch in p for ch in "*?["):
            matches = sorted(glob.glob(p, recursive=True))
            sub = scan_paths(m for m in matches if not os.path.isdir(m))
            scan.files += sub.files
            scan.skipped += sub.skipped
        else:
            scan.add_file(p)  # reported by the reader: no such file
    seen: set[str] = set()
    scan.files = [f for f in scan.files if not (f in seen or seen.add(f))]  # type: ignore[func-returns-value]
    return scan


__all__ = ["scan_paths", "Scan", "SKIP_COLUMNS"]
