"""JSON Lines files, one per output table, one JSON object per row (missing values as null)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import atomic_path


def write_jsonl(frames: dict[str, pd.DataFrame], outdir: Path) -> list[Path]:
    """``<table>.jsonl`` for every frame, written atomically."""
    written = []
    for name, frame in frames.items():
        target = outdir / f"{name}.jsonl"
        text = frame.to_json(orient="records", lines=True, force_ascii=False, double_precision=15) if len(frame) else ""
        if text and not text.endswith("\n"):
            text += "\n"
        with atomic_path(target) as tmp:
            tmp.write_bytes(text.encode("utf-8"))
        written.append(target)
    return written
