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

from .checks import check_rows, checks_frame
from .publishers import publisher_info
from .report import ISSUE_COLUMNS, LazyFrame, Report, frame_of_cells, issues_frame, severity_of
from .values import is_missing, parse_value

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
    cells = rep.cells
    ambiguous = int((cells["confidence"] == "ambiguous").sum()) if not cells.empty else 0
    return rank_of(rep.meta, ambiguous, len(cells))


def rank_of(meta: Mapping, n_ambiguous: int, n_cells: int) -> tuple:
    """:func:`structure_rank` of a report with this ``meta`` and these counts of cells."""
    flattened = (meta.get("properties") or {}).get("table_layout") == "flattened"
    return (flattened, n_ambiguous, -n_cells)


def _values(rep: Report, settled_only: bool = True) -> dict[str, float]:
    """``table.row.column`` -> value (0 when blank) of the report's settled cells (all with
    ``settled_only=False``)."""
    out: dict[str, float] = {}
    for t, r, c, v, _raw, _unit, conf, *_provenance in rep.plain_rows("cells"):
        if not settled_only or conf in SETTLED:
            out[f"{t}.{r}.{c}"] = 0.0 if is_missing(v) else float(v)
    return out


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
        ref_vals = _values(ref)
        for i in idx:
            if i != ref_i:
                out[i] = _settle_one(reports[i], ref, ref_vals)
    return out


def _settle_one(rep: Report, ref: Report, ref_vals: dict[str, float] | None = None) -> Report:
    """``rep`` settled by the reference rendering ``ref`` (whose settled values ``ref_vals`` may be
    given, when several renderings are settled by one reference). Works on the report's plain
    rows: the frames of the new report are built only when read."""
    ref_vals = _values(ref) if ref_vals is None else ref_vals
    ref_name = ref.meta.get("path") or ref.meta.get("source_format") or "the other rendering"
    new = copy.copy(rep)
    new.meta = dict(rep.meta)
    new.meta["rendering_of"] = ref_name
    rows = rep.plain_rows("cells")
    names = [f"{t}.{r}.{c}" for t, r, c, *_rest in rows]
    notes: list[dict] = []
    updates: dict[str, tuple] = {}  # cell name -> (value, raw, unit, confidence) taken, in CELL_COLUMNS order
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
            pv = parse_value(text)
            updates[name] = (pv.value, text, pv.unit, "inferred")
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
    if updates:
        rows = [(*row[:3], *updates[n], *row[7:]) if n in updates else row for n, row in zip(names, rows)]
    mine = {n: (0.0 if is_missing(row[3]) else float(row[3])) for n, row in zip(names, rows) if row[6] in SETTLED}
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
    issues = [dict(zip(ISSUE_COLUMNS, row)) for row in rep.plain_rows("issues")]
    if settled_names:
        issues = [i for i in issues if not (i["code"] == "ambiguous_split" and _named_in(i["message"], settled_names))]
        new.cells = LazyFrame(rows, frame_of_cells)
        new.checks = LazyFrame(check_rows(rows, rep.meta["template"]), checks_frame)
        new.meta["alternatives"] = kept_alts
    for n in notes:
        n["severity"] = severity_of(n["code"])
    new.issues = LazyFrame(issues + notes, issues_frame)
    return new


def _named_in(message, names: set[str]) -> bool:
    """Whether the cells an issue's message names first (``a.b.c, d.e.f: ...``) are all in ``names``."""
    named = set(str(message).split(":", 1)[0].replace(" ", "").split(","))
    return bool(named) and named <= names


__all__ = ["settle_by_renderings", "structure_rank"]
