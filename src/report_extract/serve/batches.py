"""The batches read so far, kept in memory for the comparison view and the dataset downloads.

A batch is the files of one ``POST /api/read`` under a random id, or of several when the later
requests name it (``?batch=ID``: the page sends one file per request, for its progress bar). Downloads are written by the dataset writers (:meth:`ReportSet.write`) into a temporary
folder removed right after; the bytes are returned.
"""

from __future__ import annotations

import io
import secrets
import tempfile
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..api import ReportSet, combine
from ..batch import Result

# download name -> (writer format, file name, media type); a folder of files is sent as a ZIP
DOWNLOADS: dict[str, tuple[str, str, str]] = {
    "csv": ("csv", "reports-csv.zip", "application/zip"),
    "xlsx": ("xlsx", "reports.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "sqlite": ("sqlite", "reports.db", "application/vnd.sqlite3"),
    "datapackage": ("datapackage", "reports-datapackage.zip", "application/zip"),
}
SINGLE = {"xlsx": "reports.xlsx", "sqlite": "reports.db"}


@dataclass
class Download:
    filename: str
    media_type: str
    content: bytes


class Batch:
    """The files read into one batch, in order: ``(name, report, error)`` as
    :func:`report_extract.api.combine` takes them; safe to extend from many threads."""

    def __init__(self) -> None:
        self.items: list[Result] = []
        self.lock = threading.Lock()
        self._set: tuple[int, ReportSet] | None = None

    def names(self) -> set[str]:
        with self.lock:
            return {name for name, _rep, _err in self.items}

    def add(self, items: list[Result]) -> None:
        with self.lock:
            self.items.extend(items)

    def report_set(self) -> ReportSet:
        """Every file of the batch as one ReportSet (as printed: no cross-year settling)."""
        with self.lock:
            n = len(self.items)
            if self._set is None or self._set[0] != n:
                self._set = (n, combine(list(self.items), cross_year=False))
            return self._set[1]


class BatchStore:
    """At most ``keep`` batches (the oldest dropped first); safe to use from many threads."""

    def __init__(self, keep: int):
        self.keep = keep
        self._items: OrderedDict[str, Batch] = OrderedDict()
        self._lock = threading.Lock()

    def new(self) -> tuple[str, Batch]:
        """A new empty batch and its id."""
        bid = secrets.token_urlsafe(12)
        with self._lock:
            self._items[bid] = batch = Batch()
            while len(self._items) > self.keep:
                self._items.popitem(last=False)
        return bid, batch

    def get(self, bid: str) -> Batch | None:
        with self._lock:
            return self._items.get(bid)


def dataset_download(rs: ReportSet, kind: str) -> Download:
    """The whole dataset of ``rs`` in one of :data:`DOWNLOADS` (a ZIP for the CSV folder and the
    data package), written by the dataset writers with Chinese headers in the XLSX."""
    fmt, filename, media = DOWNLOADS[kind]
    with tempfile.TemporaryDirectory(prefix="report-extract-dl-") as tmp:
        out = Path(tmp) / "dataset"
        rs.write(out, fmt, bom=fmt == "csv", labels="zh" if fmt == "xlsx" else None)
        if kind in SINGLE:
            return Download(filename, media, (out / SINGLE[kind]).read_bytes())
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(out.rglob("*")):
                if f.is_file():
                    zf.write(f, f.relative_to(out).as_posix())
        return Download(filename, media, buf.getvalue())
