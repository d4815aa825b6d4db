"""One report given twice: paired renderings settle each other's ambiguous cells.

A crawler often saves the same report as a web page and as text (``page.html`` + ``page.txt``), or a
PDF next to its web page. Read together (:func:`~report_extract.read_reports`), the renderings of one
publisher and year are paired: the better-structured one (tables with a grid over flattened text,
then fewer ambiguous cells) is the *reference*. For every other rendering:

* an ambiguous reading (``meta["alternatives"]``) that the reference's settled cells single out is
  taken: its cells become ``inferred`` and an ``inferred_from_rendering`` note names the reference;
* a cell whose settled value differs from the reference's is named in a ``renderings_disagree``
  warning (the printed value is never changed).

:func:`settle_by_renderings` is a pure function: it returns a new list, with new :class:`Report`
objects for the renderings it changed. Which rendering a dataset keeps is the caller's choice
(``meta["rendering_of"]`` names the reference on the others).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Hashable, Mapping

import pandas as pd

from .checks import run_checks
from .publishers import publisher_info
from .report import ISSUE_COLUMNS, Report, severity_of
from .values import parse_value

SETTLED = ("certain", "inferred")
Group = Callable[[Report], Hashable | None] | Mapping[str, Hashable]


def _key(rep: Report, group: Group | None) -> tuple[Hashable, int] | None:
    year = rep.meta.get("year")
    if year is None or (isinstance(year, float) and math.isnan(year)):
        return None
    if group is None:
        agency = rep.meta.get("agency")
        key = publisher_info(agency, year).get("publisher_key") if agency else None
    elif callable(group):
        key = group(rep)
    else:
        key = group.get(str(rep.meta.get("path") or ""))
    return (key, int(year)) if key is not None else None


def structure_rank(rep: Report) -> tuple:
    """How well-structured a rendering is (smaller is better): a grid over flattened text, then
    fewer ambiguous cells, then more cells."""
    flattened = (rep.meta.get("properties") or {}).get("table_layout") == "flattened"
    cells = rep.cells
    ambiguous = int((cells["confidence"] == "ambiguous").sum()) if not cells.empty else 0
    return (flattened, ambiguous, -len(cells))


def _values(rep: Report, settled_only: bool = True) -> dict[str, float]:
    c = rep.cells
    if c.empty:
        return {}
    if settled_only:
        c = c[c["confidence"].isin(SETTLED)]
    names = c["table"] + "." + c["row"] + "." + c["column"]
    return {n: (0.0 if pd.isna(v) else float(v)) for n, v in zip(names, c["value"])}


def _num(text: str) -> float:
    v = parse_value(text).value
    return 0.0 if v is None or math.isnan(v) else float(v)


def settle_by_renderings(reports: list[Report], *, group: Group | None = None) -> list[Report]:
    """Pair the renderings of one report (same publisher and year; ``group`` as in
    :func:`~report_extract.crossyear.settle_across_years`) and let the best-structured settle the
    others' ambiguous readings. Returns a new list; the reports it changes are copies."""
    by_key: dict[tuple[Hashable, int], list[int]] = {}
    for i, rep in enumerate(reports):
        k = _key(rep, group)
        if k is not None:
            by_key.setdefault(k, []).append(i)
    out = list(reports)
    for idx in by_key.values():
        if len(idx) < 2:
            continue
        templates = {reports[i].meta.get("template") for i in idx}
        if len(templates) > 1:
            continue
        ref_i = min(idx, key=lambda i: structure_rank(reports[i]))
        ref = reports[ref_i]
        for i in idx:
            if i != ref_i:
                out[i] = _settle_one(reports[i], ref)
    return out


def _settle_one(rep: Report, ref: Report) -> Report:
    ref_vals = _values(ref)
    ref_name = ref.meta.get("path") or ref.meta.get("source_format") or "the other rendering"
    new = copy.copy(rep)
    new.meta = dict(rep.meta)
    new.meta["rendering_of"] = ref_name
    cells = rep.cells.copy()
    names = cells["table"] + "." + cells["row"] + "." + cells["column"]
    notes: list[dict] = []
    settled_names: set[str] = set()
    kept_alts = []
    for alt in rep.meta.get("alternatives") or ():
        if not all(n in ref_vals for n in alt["cells"]):
            kept_alts.append(alt)
            continue
        want = [ref_vals[n] for n in alt["cells"]]
        good = [s for s in alt["splits"] if all(abs(_num(t) - w) < 1e-6 for t, w in zip(s, want))]
        if len(good) != 1:
            kept_alts.append(alt)
            continue
        chosen = good[0]
        for name, text in zip(alt["cells"], chosen):
            idx = names.index[names == name]
            pv = parse_value(text)
            cells.loc[idx, ["raw", "value", "unit", "confidence"]] = [text, pv.value, pv.unit, "inferred"]
        settled_names.update(alt["cells"])
        notes.append({
            "code": "inferred_from_rendering",
            "message": (
                f"{', '.join(alt['cells'])}: {len(alt['splits'])} readings; the other rendering of this report "
                f"({ref_name}) prints {'|'.join(f'{w:.12g}' for w in want)}: took {'|'.join(chosen)} "
                f"(was {'|'.join(alt['chosen'])})"
            ),
            "where": "",
        })
    mine = {
        n: (0.0 if pd.isna(v) else float(v))
        for n, v, c in zip(names, cells["value"], cells["confidence"]) if c in SETTLED
    }
    differ = sorted(n for n, v in mine.items() if n in ref_vals and abs(v - ref_vals[n]) > 1e-6)
    if differ:
        shown = "; ".join(f"{n} {mine[n]:.12g} vs {ref_vals[n]:.12g}" for n in differ[:8])
        more = f" (+{len(differ) - 8} more)" if len(differ) > 8 else ""
        notes.append({
            "code": "renderings_disagree",
            "message": f"{len(differ)} cell(s) differ from the other rendering of this report ({ref_name}): {shown}{more}",
            "where": "",
        })
    if not notes:
        return new
    issues = rep.issues
    if settled_names:
        named = issues["message"].map(lambda m: set(m.split(":", 1)[0].replace(" ", "").split(",")))
        issues = issues[~((issues["code"] == "ambiguous_split") & named.map(lambda n: bool(n) and n <= settled_names))]
        new.cells = cells
        new.checks = run_checks(cells, rep.meta["template"])
        new.meta["alternatives"] = kept_alts
    for n in notes:
        n["severity"] = severity_of(n["code"])
    new.issues = pd.concat([issues, pd.DataFrame(notes, columns=ISSUE_COLUMNS)], ignore_index=True)
    return new


__all__ = ["settle_by_renderings", "structure_rank"]
