"""Output rows as plain typed tuples: what the streaming writers render, without pandas.

A streamed batch (:mod:`report_extract.stream`) renders every report's rows in the worker that
read it. Building a pandas frame per report (and typing it with
:func:`report_extract.dataset.typed`) costs more than the reading itself, so the rows are made
here from the report's own plain rows, typed value by value exactly as ``typed`` types a column:

* ``integer``: a whole number as ``int``, anything else ``None`` (``typed``'s ``Int64``);
* ``number``: ``float`` (a numeric text parsed), ``None`` when missing or not a number;
* ``boolean``: ``True``/``False`` (also from their texts), ``None`` when missing;
* ``string``: ``str(value)``, ``None`` when missing.

Tuples are in the column order of the table's spec (:func:`~.fields.table_specs`).
:func:`frame_rows` gives the same tuples for a frame already typed (the whole-set tables).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from ..values import is_missing
from .fields import table_specs
from .plain import plain

Row = tuple


def as_integer(v: Any) -> int | None:
    """A value of an ``integer`` column: integral numbers as int, anything else None."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    if math.isnan(f) or not f.is_integer():
        return None
    return int(f)


def as_number(v: Any) -> float | None:
    """A value of a ``number`` column: a float (numeric texts parsed), None when missing or not a number."""
    if is_missing(v):
        return None
    if isinstance(v, int | float):  # bool included
        return float(v)
    try:
        f = float(pd.to_numeric(v, errors="coerce"))
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def as_boolean(v: Any) -> bool | None:
    """A value of a ``boolean`` column (``True``/``False``, their texts, ``1``/``0``), None when missing."""
    if is_missing(v):
        return None
    if isinstance(v, str):
        return {"true": True, "1": True, "false": False, "0": False}.get(v.strip().lower())
    return bool(v)


def as_string(v: Any) -> str | None:
    """A value of a ``string`` column: ``str(value)``, None when missing."""
    if v is None or type(v) is str:
        return v
    return None if is_missing(v) else str(v)


CONVERT: dict[str, Callable[[Any], Any]] = {"integer": as_integer, "number": as_number, "boolean": as_boolean, "string": as_string}


@lru_cache(maxsize=64)
def converters(name: str) -> tuple[Callable[[Any], Any], ...]:
    """One converter per column of table ``name``, in column order."""
    return tuple(CONVERT[f.type] for f in table_specs()[name].fields)


_NONE = type(None)
_ALREADY = {"string": {str, _NONE}, "integer": {int, _NONE}, "boolean": {bool, _NONE}, "number": {float, _NONE}}


def _typed_column(kind: str, convert: Callable[[Any], Any], values: tuple) -> Sequence[Any]:
    """One column's values typed; a column already of its type is kept as it is (NaN -> None)."""
    if set(map(type, values)) <= _ALREADY[kind]:
        if kind != "number":
            return values
        return [None if v is None or v != v else v for v in values]
    return list(map(convert, values))


def typed_rows(name: str, rows: Iterable[Sequence[Any]]) -> list[Row]:
    """``rows`` (values in the column order of table ``name``) typed as the table's spec says."""
    rows = list(rows)
    if not rows:
        return []
    kinds = kinds_of(name)
    columns = [_typed_column(k, c, col) for k, c, col in zip(kinds, converters(name), zip(*rows))]
    return list(zip(*columns))


@lru_cache(maxsize=64)
def kinds_of(name: str) -> tuple[str, ...]:
    """The type of each column of table ``name`` (``string``, ``integer``, ``number``, ``boolean``)."""
    return tuple(f.type for f in table_specs()[name].fields)


def frame_rows(name: str, frame: pd.DataFrame) -> list[Row]:
    """The rows of a frame typed for table ``name`` (:func:`report_extract.dataset.typed`) as
    plain tuples in column order (missing values None)."""
    cols = table_specs()[name].columns
    return [tuple(map(plain, row)) for row in frame[cols].itertuples(index=False, name=None)]


__all__ = ["kinds_of", "typed_rows", "frame_rows", "converters", "as_integer", "as_number", "as_boolean", "as_string", "Row"]
