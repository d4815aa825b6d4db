"""The batch cache's file format: tagged JSON that can hold a :class:`~.report.Report` and an
error row, and cannot run code when read (unlike pickle).

Plain JSON values are written as they are; the few other types a result holds are tagged:
``{"__frame__": …}`` (a DataFrame: columns, dtype names and values per column), ``{"__tuple__":
[…]}``, ``{"__dict__": [[key, value], …]}`` (a dict with non-text keys) and ``{"__report__": …}``.
Reading builds only those types; anything else in a result raises :class:`TypeError` when
writing (the result is then not cached), and a damaged or foreign file raises :class:`ValueError`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from .report import Report

FORMAT = "report_extract-cache/1"


def _plain(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, list | dict | tuple):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _encode(o: Any) -> Any:
    if isinstance(o, Report):
        return {"__report__": {"cells": _encode(o.cells), "checks": _encode(o.checks), "issues": _encode(o.issues),
                               "meta": _encode(o.meta), "sections": _encode(o.sections)}}
    if isinstance(o, pd.DataFrame):
        return {"__frame__": {
            "columns": [str(c) for c in o.columns],
            "dtypes": [str(t) for t in o.dtypes],
            "data": [[_encode(_plain(v)) for v in o[c].tolist()] for c in o.columns],
        }}
    if isinstance(o, dict):
        if all(isinstance(k, str) for k in o) and not any(k.startswith("__") and k.endswith("__") for k in o):
            return {k: _encode(v) for k, v in o.items()}
        return {"__dict__": [[_encode(k), _encode(v)] for k, v in o.items()]}
    if isinstance(o, tuple):
        return {"__tuple__": [_encode(v) for v in o]}
    if isinstance(o, list):
        return [_encode(v) for v in o]
    if isinstance(o, str | int | float | bool) or o is None:
        return o
    if hasattr(o, "item"):  # numpy scalars
        return _encode(o.item())
    raise TypeError(f"cannot cache a value of type {type(o).__name__}")


def _frame(d: dict) -> pd.DataFrame:
    cols, dtypes, data = d["columns"], d["dtypes"], d["data"]
    if not (isinstance(cols, list) and isinstance(dtypes, list) and isinstance(data, list) and len(cols) == len(dtypes) == len(data)):
        raise ValueError("a damaged frame in the cache")
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in zip(cols, data)}, columns=cols)
    for c, t in zip(cols, dtypes):
        if t == "float64":
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
        elif t != "object":
            frame[c] = frame[c].astype(t)
    return frame


def _hook(d: dict) -> Any:
    if len(d) == 1:
        (tag, v), = d.items()
        if tag == "__tuple__":
            return tuple(v)
        if tag == "__dict__":
            return {(tuple(k) if isinstance(k, list) else k): val for k, val in v}
        if tag == "__frame__":
            return _frame(v)
        if tag == "__report__":
            return Report(cells=v["cells"], checks=v["checks"], issues=v["issues"], meta=v["meta"], sections=v["sections"])
    return d


def dumps(value: Any) -> bytes:
    """``value`` (a result: report or None, error row or None) as cache bytes."""
    return json.dumps({"format": FORMAT, "value": _encode(value)}, ensure_ascii=False, allow_nan=True).encode("utf-8")


def loads(data: bytes) -> Any:
    """The value of :func:`dumps`; ValueError for a damaged or foreign file."""
    try:
        doc = json.loads(data.decode("utf-8"), object_hook=_hook)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"not a cache file: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError("not a cache file of this version")
    return doc["value"]


__all__ = ["dumps", "loads", "FORMAT"]
