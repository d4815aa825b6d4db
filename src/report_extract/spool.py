"""A temporary store of finished reports on disk, by their index in the batch.

A streamed batch (:mod:`report_extract.stream`) puts every report here as it comes from the
workers, so the parent process holds none of them; the few reports that cross-report work changes
are read back, changed and put again; the outputs are then written from here in input order.
A report may come already pickled (by the worker that read it: :meth:`Spool.put_blobs`).
One SQLite file in a temporary folder, removed by :meth:`Spool.close`.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .report import Report


class Spool:
    """Reports by index; ``put`` replaces, ``get`` reads one back (None if absent)."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix=".report_extract-spool-", dir=directory))
        self.con = sqlite3.connect(self.dir / "spool.db")
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")
        self.con.execute("CREATE TABLE spool (idx INTEGER PRIMARY KEY, report BLOB, rendered BLOB)")

    def put(self, idx: int, report: Report) -> None:
        """Store ``report`` under ``idx`` (replacing, rendered rows included)."""
        self.put_blobs(idx, pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))

    def put_blobs(self, idx: int, report: bytes, rendered: bytes | None = None) -> None:
        """Store an already pickled report under ``idx`` (replacing), with its pickled rendered
        output rows if they were made (:func:`report_extract.stream.render_report`)."""
        self.con.execute("INSERT OR REPLACE INTO spool VALUES (?, ?, ?)", (idx, report, rendered))

    def reports(self) -> Iterator[tuple[int, Report]]:
        """``(idx, report)`` of every entry, in index order (one held at a time)."""
        for idx, blob in self.con.execute("SELECT idx, report FROM spool ORDER BY idx"):
            yield idx, pickle.loads(blob)

    def rendered(self) -> Iterator[tuple[int, Any, Report | None]]:
        """``(idx, rendered rows, None)`` of every entry in index order, or ``(idx, None, report)``
        for an entry stored without its rendered rows."""
        query = "SELECT idx, rendered, CASE WHEN rendered IS NULL THEN report END FROM spool ORDER BY idx"
        for idx, rendered, report in self.con.execute(query):
            if rendered is None:
                yield idx, None, pickle.loads(report)
            else:
                yield idx, pickle.loads(rendered), None

    def get(self, idx: int) -> Report | None:
        row = self.con.execute("SELECT report FROM spool WHERE idx = ?", (idx,)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def close(self) -> None:
        """Remove the store."""
        try:
            self.con.close()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["Spool"]
