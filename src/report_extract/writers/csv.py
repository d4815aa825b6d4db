"""CSV files, one per output table (optionally with a UTF-8 BOM so Excel on Windows opens them right).

Counts (nullable integers) and whole amounts are written without a decimal point; missing values
are empty cells; codes are text as they are (division codes keep their digits)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .atomic import atomic_path
from .plain import frame_for_text


def frame_to_csv_bytes(frame: pd.DataFrame, *, bom: bool = False, safe_text: bool = True) -> bytes:
    """A frame as CSV bytes: UTF-8 (with BOM if asked), ``\\n`` line ends, blanks for missing values;
    with ``safe_text`` texts a spreadsheet would run as formulas get a leading apostrophe."""
    text = frame_for_text(frame, safe=safe_text).to_csv(index=False, lineterminator="\n", na_rep="")
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


def write_csv(frames: dict[str, pd.DataFrame], outdir: Path, *, bom: bool = False, safe_text: bool = True) -> list[Path]:
    """``<table>.csv`` for every frame, written atomically."""
    written = []
    for name, frame in frames.items():
        target = outdir / f"{name}.csv"
        with atomic_path(target) as tmp:
            tmp.write_bytes(frame_to_csv_bytes(frame, bom=bom, safe_text=safe_text))
        written.append(target)
    return written
