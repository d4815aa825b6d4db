"""JSON Lines files, one per output table, one JSON object per row (missing values as null,
counts and whole numbers as JSON integers)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .atomic import atomic_path
from .plain import json_number


def frame_to_jsonl(frame: pd.DataFrame) -> str:
    """The rows of ``frame`` as JSON Lines text."""
    return rows_to_jsonl(list(frame.columns), frame.itertuples(index=False, name=None))


def rows_to_jsonl(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """``rows`` (values in the order of ``columns``) as JSON Lines text."""
    return "".join(json.dumps(dict(zip(columns, map(json_number, row))), ensure_ascii=False) + "\n" for row in rows)


def write_jsonl(frames: dict[str, pd.DataFrame], outdir: Path) -> list[Path]:
    """``<table>.jsonl`` for every frame, written atomically."""
    written = []
    for name, frame in frames.items():
        target = outdir / f"{name}.jsonl"
        with atomic_path(target) as tmp:
            tmp.write_bytes(frame_to_jsonl(frame).encode("utf-8"))
        written.append(target)
    return written
