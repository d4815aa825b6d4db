"""A SQLite database laid out for Datasette / sqlite-utils.

Tables ``reports`` (primary key ``report_id``), ``cells``, ``proactive``, ``requests``,
``review_litigation``, ``checks``, ``issues`` (each with a foreign key ``report_id`` ->
``reports``), ``errors`` and ``crosschecks``; indexes on the foreign keys and the usual filters, so
``datasette reports.db`` shows linked, facetable tables without any glue. ``sections`` (the
prose) has a full-text index ``sections_fts`` (SQLite FTS5, trigram tokenizer so Chinese text is
searchable by any 3+ character substring). Next to the database, ``metadata.json`` gives
Datasette the table and column descriptions of the data dictionary with the Chinese labels:
``datasette reports.db --metadata metadata.json``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .atomic import atomic_path, atomic_write_bytes
from .fields import table_specs
from .rows import frame_rows

_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
_INDEXES = {
    "reports": [["agency_normalized", "year"], ["division_code"], ["template"]],
    "cells": [["table", "row", "column"]],
    "checks": [["family"], ["passed"]],
    "issues": [["code"]],
    "crosschecks": [["publisher", "year"]],
}
FTS_TABLE = "sections_fts"
METADATA = "metadata.json"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fts_tokenizer() -> str:
    """trigram (any substring of 3+ characters, right for Chinese) where SQLite has it (3.34+)."""
    return "trigram" if sqlite3.sqlite_version_info >= (3, 34, 0) else "unicode61"


def datasette_metadata(names: list[str], db_name: str = "reports") -> dict:
    """Datasette metadata for the tables ``names``: descriptions of tables and columns (with the
    Chinese labels of the template), the label column of ``reports`` and the full-text index."""
    specs = table_specs()
    tables: dict = {}
    for name in names:
        spec = specs[name]
        meta: dict = {"description": spec.description, "columns": {f.name: f.description for f in spec.fields}}
        if name == "reports":
            meta["label_column"] = "agency"
        if name == "sections":
            meta["fts_table"] = FTS_TABLE
            meta["fts_pk"] = "rowid"
        tables[name] = meta
    return {
        "title": "政府信息公开工作年度报告 — government information-disclosure annual reports as data",
        "description": "Written by report_extract. Codes are the standard schema's; the wide tables carry the Chinese row "
                       "label (row_label_zh) and the column descriptions the Chinese column labels. Wide tables hold "
                       "primary reports only (reports.is_primary).",
        "databases": {db_name: {"tables": tables}},
    }


def create_table(con: sqlite3.Connection, name: str, with_reports: bool) -> None:
    """``CREATE TABLE`` for one output table (its spec's columns, types and keys)."""
    spec = table_specs()[name]
    cols = [f"{_q(f.name)} {_SQL_TYPES[f.type]}" for f in spec.fields]
    if spec.primary_key:
        cols.append(f"PRIMARY KEY ({', '.join(_q(c) for c in spec.primary_key)})")
    if spec.foreign_key and with_reports:
        cols.append('FOREIGN KEY ("report_id") REFERENCES "reports" ("report_id")')
    con.execute(f"CREATE TABLE {_q(name)} (\n  " + ",\n  ".join(cols) + "\n)")


def insert_tuples(con: sqlite3.Connection, name: str, rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (plain values in the column order of table ``name``)."""
    placeholders = ", ".join("?" for _ in table_specs()[name].columns)
    con.executemany(f"INSERT INTO {_q(name)} VALUES ({placeholders})", rows)


def insert_rows(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    """Insert the rows of ``frame`` (a typed frame of table ``name``)."""
    insert_tuples(con, name, frame_rows(name, frame))


def finish_database(con: sqlite3.Connection, names: list[str]) -> None:
    """Indexes on the foreign keys and usual filters, and the full-text index of ``sections``."""
    specs = table_specs()
    for name in names:
        idx = ([["report_id"]] if specs[name].foreign_key else []) + _INDEXES.get(name, [])
        for cols_ in idx:
            iname = f"idx_{name}_{'_'.join(cols_)}"
            con.execute(f"CREATE INDEX {_q(iname)} ON {_q(name)} ({', '.join(_q(c) for c in cols_)})")
    if "sections" in names:
        con.execute(f"CREATE VIRTUAL TABLE {_q(FTS_TABLE)} USING fts5(heading, text, content='sections', "
                    f"content_rowid='rowid', tokenize='{_fts_tokenizer()}')")
        con.execute(f"INSERT INTO {_q(FTS_TABLE)}({_q(FTS_TABLE)}) VALUES ('rebuild')")


def write_metadata(target: Path, names: list[str]) -> Path:
    """Datasette's ``metadata.json`` next to the database ``target``."""
    meta = datasette_metadata(names, target.stem)
    meta_path = target.parent / METADATA
    atomic_write_bytes(meta_path, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return meta_path


def write_sqlite(frames: dict[str, pd.DataFrame], target: Path) -> list[Path]:
    """Write the database atomically (a fresh file each time) and its Datasette ``metadata.json``."""
    with atomic_path(target) as tmp:
        tmp.unlink()
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            for name, frame in frames.items():
                create_table(con, name, "reports" in frames)
                insert_rows(con, name, frame)
            finish_database(con, list(frames))
            con.commit()
        finally:
            con.close()
    return [target, write_metadata(target, list(frames))]
