"""Parquet files, one per output table (needs pyarrow: ``pip install report_extract[parquet]``).

Column types come from the table specs: counts ``int64`` (nullable), amounts ``double``, codes
``string``, flags ``bool`` — also for an empty table or a column with no value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .atomic import atomic_path
from .fields import table_specs


def write_parquet(frames: dict[str, pd.DataFrame], outdir: Path) -> list[Path]:
    """``<table>.parquet`` for every frame, written atomically."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("Parquet output needs pyarrow: pip install 'report_extract[parquet]'") from None
    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    specs = table_specs()
    written = []
    for name, frame in frames.items():
        target = outdir / f"{name}.parquet"
        schema = pa.schema([(f.name, types[f.type]) for f in specs[name].fields]) if name in specs else None
        table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp)
        written.append(target)
    return written
