"""A Frictionless Data Package (``datapackage.json``) describing the CSV files.

Every resource has a Table Schema: field types, descriptions (from the data dictionary), primary
key, foreign keys to ``reports`` and the missing-value marker (an empty cell). Validate with
``frictionless validate datapackage.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .atomic import atomic_write_bytes
from .fields import table_specs


def package_descriptor(names: list[str], *, bom: bool = False) -> dict:
    """The ``datapackage.json`` content for the tables ``names``."""
    specs = table_specs()
    resources = []
    for name in names:
        spec = specs[name]
        schema: dict = {
            "fields": [{"name": f.name, "type": f.type, "description": f.description} for f in spec.fields],
            "missingValues": [""],
        }
        if spec.primary_key:
            schema["primaryKey"] = spec.primary_key
        if spec.foreign_key and "reports" in names:
            schema["foreignKeys"] = [{"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}}]
        resources.append({
            "name": name,
            "path": f"{name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig" if bom else "utf-8",
            "description": spec.description,
            "schema": schema,
        })
    return {
        "name": "report-extract-dataset",
        "title": "Government information-disclosure annual reports (政府信息公开工作年度报告) as data",
        "profile": "tabular-data-package",
        "description": "Written by report_extract; see docs/data-dictionary.md for every table, row and column code.",
        "resources": resources,
    }


def write_datapackage(frames: dict[str, pd.DataFrame], outdir: Path, *, bom: bool = False) -> list[Path]:
    """Write ``datapackage.json`` (the CSVs themselves are written by the csv writer)."""
    target = outdir / "datapackage.json"
    text = json.dumps(package_descriptor(list(frames), bom=bom), ensure_ascii=False, indent=2) + "\n"
    atomic_write_bytes(target, text.encode("utf-8"))
    return [target]
