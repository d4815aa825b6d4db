"""English glosses of the schema codes, as data: ``data/glosses.csv``.

A row ``table,code,gloss`` with table ``*`` applies in every table; a row naming a table wins
there (``review_litigation,other`` is "other outcome", not "other handling").
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def glosses() -> dict[tuple[str, str], str]:
    """``(table or "*", code) -> English gloss``."""
    text = resources.files("report_extract.data").joinpath("glosses.csv").read_text(encoding="utf-8")
    return {(r["table"], r["code"]): r["gloss"] for r in csv.DictReader(text.splitlines())}


def english(code: str, table: str | None = None) -> str:
    """The English name of a schema code (a readable gloss of the code when it has none)."""
    g = glosses()
    if table is not None and (table, code) in g:
        return g[(table, code)]
    if ("*", code) in g:
        return g[("*", code)]
    for prefix in ("denied", "unable", "rejected", "other"):
        if code.startswith(prefix + "_"):
            return f"{prefix}: {code[len(prefix) + 1:].replace('_', ' ')}"
    return code.replace("_", " ")


__all__ = ["english", "glosses"]
