"""A SQLite database laid out for Datasette / sqlite-utils.

Tables ``reports`` (primary key ``report_id``), ``cells``, ``proactive``, ``requests``,
``review_litigation``, ``checks``, ``issues`` (each with a foreign key ``report_id`` ->
``reports``), ``errors`` and ``crosschecks``; indexes on the foreign keys and the usual filters, so
``datasette reports.db`` shows linked, facetable tables without any glue.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pandas as pd

from . import atomic_path
from .fields import table_specs

_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
_INDEXES = {
    "reports": [["agency_normalized", "year"], ["division_code"], ["template"]],
    "cells": [["table", "row", "column"]],
    "checks": [["family"], ["passed"]],
    "issues": [["code"]],
    "crosschecks": [["publisher", "year"]],
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def write_sqlite(frames: dict[str, pd.DataFrame], target: Path) -> list[Path]:
    """Write the database atomically (a fresh file each time)."""
    specs = table_specs()
    with atomic_path(target) as tmp:
        tmp.unlink()
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            for name, frame in frames.items():
                spec = specs[name]
                cols = [f"{_q(f.name)} {_SQL_TYPES[f.type]}" for f in spec.fields]
                if spec.primary_key:
                    cols.append(f"PRIMARY KEY ({', '.join(_q(c) for c in spec.primary_key)})")
                if spec.foreign_key:
                    cols.append('FOREIGN KEY ("report_id") REFERENCES "reports" ("report_id")')
                con.execute(f"CREATE TABLE {_q(name)} (\n  " + ",\n  ".join(cols) + "\n)")
                placeholders = ", ".join("?" for _ in spec.columns)
                rows = ([_value(v) for v in row] for row in frame[spec.columns].itertuples(index=False, name=None))
                con.executemany(f"INSERT INTO {_q(name)} VALUES ({placeholders})", rows)
                idx = ([["report_id"]] if spec.foreign_key else []) + _INDEXES.get(name, [])
                for cols_ in idx:
                    iname = f"idx_{name}_{'_'.join(cols_)}"
                    con.execute(f"CREATE INDEX {_q(iname)} ON {_q(name)} ({', '.join(_q(c) for c in cols_)})")
            con.commit()
        finally:
            con.close()
    return [target]
