"""Parquet files, one per output table (needs pyarrow: ``pip install report_extract[parquet]``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import atomic_path


def write_parquet(frames: dict[str, pd.DataFrame], outdir: Path) -> list[Path]:
    """``<table>.parquet`` for every frame, written atomically."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("Parquet output needs pyarrow: pip install 'report_extract[parquet]'") from None
    written = []
    for name, frame in frames.items():
        target = outdir / f"{name}.parquet"
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp)
        written.append(target)
    return written
