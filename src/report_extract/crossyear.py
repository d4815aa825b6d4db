"""Settle ambiguous readings of a report with the reports of the same publisher in adjacent years.

A flattened table (cells glued into one digit run) sometimes splits several equally plausible
ways (:class:`~report_extract.mapper.Mapping` keeps the readings). The template links a
publisher's consecutive reports: this year's 上一年项目数量 is last year's 上一年项目数量 plus
本年增/减, this year's 上年结转 is last year's 结转下年度继续办理, and so on
(``data/crossyear.csv``: one identity per row, as data). When the reports of adjacent years are
read together (:func:`~report_extract.read_reports`, the command line), a reading that alone
satisfies every identity it takes part in is taken; its cells become ``inferred`` and the
``ambiguous_split`` issue gives way to an ``inferred_across_years`` note naming the other report.
Only cells that are themselves settled (``certain`` or ``inferred``) serve as evidence, and a
reading is changed only when exactly one reading satisfies the identities; otherwise nothing
changes. Publishers are matched as in :mod:`.crosscheck` (``publisher_key``).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from .checks import run_checks
from .options import DEFAULT_OPTIONS
from .publishers import publisher_info
from .report import ISSUE_COLUMNS, Report, severity_of
from .values import parse_value

SETTLED = ("certain", "inferred")  # confidences whose values serve as evidence
# readings tried together for one identity; beyond it, it is not used (ReadOptions.flat.max_combinations)
MAX_COMBINATIONS = DEFAULT_OPTIONS.flat.max_combinations


@dataclass(frozen=True)
class Identity:
    """``later`` = sum of ``earlier`` terms; terms are (which report, "table.row.column", sign)."""

    name: str
    template: str
    later: tuple[tuple[str, str, int], ...]
    earlier: tuple[tuple[str, str, int], ...]
    rule: str
    table: str = ""
    settles: bool = True  # used to settle readings (else only checked)

    def cells(self, which: str) -> set[str]:
        return {c for w, c, _ in self.later + self.earlier if w == which}


def _terms(expr: str, table: str, x: str) -> tuple[tuple[str, str, int], ...]:
    out = []
    for part in expr.replace("-", "+-").split("+"):
        part = part.strip()
        if not part:
            continue
        sign = -1 if part.startswith("-") else 1
        which, cell = part.lstrip("-").strip().split(":")
        out.append((which, f"{table}.{cell.format(x=x)}", sign))
    return tuple(out)


@lru_cache(maxsize=1)
def identities() -> tuple[Identity, ...]:
    """The cross-year identities of ``data/crossyear.csv``, one per row and item of ``over``."""
    text = resources.files("report_extract").joinpath("data/crossyear.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(text.splitlines()):
        for x in row["over"].split(";"):
            out.append(Identity(
                f"{row['identity']}.{x}", row["template"], _terms(row["later"], row["table"], x),
                _terms(row["earlier"], row["table"], x), row["rule"], row["table"],
                row.get("settles", "yes").strip().lower() != "no",
            ))
    return tuple(out)


Group = Callable[[Report], Hashable | None] | Mapping[str, Hashable]


def _key(report: Report, group: Group | None = None) -> tuple[Hashable | None, int | None]:
    """(publisher, year) of a report: the caller's ``group`` (a function of the report, or a
    mapping from its path) when given, so an agency renamed between years stays one publisher;
    else the publisher key of its agency name."""
    agency, year = report.meta.get("agency"), report.meta.get("year")
    if group is None:
        key = publisher_info(agency, year).get("publisher_key") if agency else None
    elif callable(group):
        key = group(report)
    else:
        path = str(report.meta.get("path") or "")
        key = group.get(path, group.get(os.path.abspath(path)) if path else None)
    return key, int(year) if year is not None and not (isinstance(year, float) and math.isnan(year)) else None


def _by_key(reports: list[Report], group: Group | None) -> dict[tuple[Hashable, int], Report]:
    by_key: dict[tuple[Hashable, int], Report] = {}
    for rep in reports:
        key, year = _key(rep, group)
        if key is not None and year is not None:
            by_key.setdefault((key, year), rep)
    return by_key


@lru_cache(maxsize=4096)
def _num(text: str) -> float:
    v = parse_value(text).value
    return 0.0 if v is None or math.isnan(v) else float(v)


class _State:
    """A report's values as the identities see them: settled cells fixed, the cells of an
    unsettled reading free to take any of its readings."""

    def __init__(self, report: Report):
        self.report = report
        cells = report.cells
        self.fixed: dict[str, float] = {}
        self.unsettled: set[str] = set()
        for t, r, c, v, conf in zip(cells["table"], cells["row"], cells["column"], cells["value"], cells["confidence"]):
            name = f"{t}.{r}.{c}"
            self.fixed[name] = 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            if conf not in SETTLED:
                self.unsettled.add(name)
        self.group_of: dict[str, int] = {}
        for i, alt in enumerate(report.meta.get("alternatives") or ()):
            for name in alt["cells"]:
                if name in self.unsettled:
                    self.group_of[name] = i

    def choices(self, names: set[str], skip: int | None) -> list[dict[str, float]] | None:
        """Every combination of values ``names`` can take (None: a cell is unsettled and no
        reading lists it, or too many combinations)."""
        groups = set()
        for n in names:
            if n in self.unsettled:
                g = self.group_of.get(n)
                if g is None:
                    return None
                if g != skip:
                    groups.add(g)
        combos: list[dict[str, float]] = [{}]
        alts = self.report.meta["alternatives"]
        for g in sorted(groups):
            alt = alts[g]
            if not complete(alt):
                return None  # readings beyond those kept may meet what the kept ones do not
            readings = [dict(zip(alt["cells"], map(_num, split))) for split in alt["splits"]]
            combos = [{**c, **r} for c in combos for r in readings]
            if len(combos) > MAX_COMBINATIONS:
                return None
        return combos


def complete(alt: dict) -> bool:
    """Whether ``alt["splits"]`` lists every reading of its run (the solver keeps at most
    ``ReadOptions.flat.max_alternatives``; ``readings`` counts them all, absent: all kept)."""
    return int(alt.get("readings", len(alt["splits"]))) <= len(alt["splits"])


def _satisfiable(ident: Identity, role: str, trial: dict[str, float], mine: _State, skip: int, other: _State) -> bool | None:
    """Whether some values of the cells left free make ``ident`` hold (None: cannot tell)."""
    other_role = "earlier" if role == "later" else "later"
    own = ident.cells(role) - set(trial)
    theirs = ident.cells(other_role)
    if any(n not in mine.fixed for n in own) or any(n not in other.fixed for n in theirs):
        return None  # a cell the identity needs is not printed
    own_choices = mine.choices(own, skip)
    their_choices = other.choices(theirs, None)
    if own_choices is None or their_choices is None or len(own_choices) * len(their_choices) > MAX_COMBINATIONS:
        return None
    for oc in own_choices:
        vals_mine = {**mine.fixed, **oc, **trial}
        for tc in their_choices:
            vals = {role: vals_mine, other_role: {**other.fixed, **tc}}
            sums = [sum(sign * vals[w][c] for w, c, sign in terms) for terms in (ident.later, ident.earlier)]
            if abs(sums[0] - sums[1]) < 1e-6:
                return True
    return False


def settle_across_years(reports: list[Report], *, group: Group | None = None) -> list[Report]:
    """``reports`` with ambiguous readings settled by their neighbours' (same publisher, adjacent
    years) and the section-二 identities checked, in the same order: a report that changes is a
    new :class:`Report`, the reports passed in are left as they are.

    All of a publisher's years are worked on together and the pass repeats until nothing
    changes, so a reading settled by one neighbour becomes evidence for the next year (a chain of
    identities). ``group`` names the publisher of each report (a function of the report, or a
    mapping from its path, e.g. the crawl folder), for agencies renamed between years; by default
    the agency name decides. Then the identities are checked (:func:`check_across_years`)."""
    out = [_copy(rep) for rep in reports]
    _settle(out, group)
    return [new if _changed(new, old) else old for new, old in zip(out, reports)]


def _copy(rep: Report) -> Report:
    """A copy that :func:`_apply` may change without touching ``rep`` (frames are replaced, never
    edited; the alternatives' dicts are copied)."""
    meta = dict(rep.meta)
    if meta.get("alternatives"):
        meta["alternatives"] = [dict(a) for a in meta["alternatives"]]
    return Report(cells=rep.cells, checks=rep.checks, issues=rep.issues, meta=meta, sections=rep.sections)


def _changed(new: Report, old: Report) -> bool:
    return new.cells is not old.cells or new.issues is not old.issues


def _settle(reports: list[Report], group: Group | None) -> int:
    """Settle the readings of ``reports`` (copies) in place; returns how many readings were narrowed."""
    by_key = _by_key(reports, group)
    if len(by_key) < 2:
        return 0
    narrowed = 0
    changed = True
    while changed:
        changed = False
        for (key, year), rep in by_key.items():
            neighbours = [(role, by_key.get((key, y))) for role, y in (("later", year - 1), ("earlier", year + 1))]
            neighbours = [(role, o) for role, o in neighbours if o is not None]
            for alt in list(rep.meta.get("alternatives") or ()):
                if neighbours and _narrow(rep, alt, neighbours):
                    narrowed += 1
                    changed = True
    check_across_years(reports, group=group)
    return narrowed


def check_across_years(reports: list[Report], *, group: Group | None = None) -> int:
    """Check the section-二 identities between a publisher's consecutive reports (section 二 has
    no arithmetic of its own): a ``crossyear_mismatch`` warning on the later report for each
    identity whose cells are settled in both and that fails, or that fails under every reading of
    the ambiguous cells it needs (when all their readings are known). Section 三's carry-over is checked
    by :mod:`.crosscheck`. Returns the number of warnings added."""
    by_key = _by_key(reports, group)
    added = 0
    for (key, year), rep in by_key.items():
        prev = by_key.get((key, year - 1))
        if prev is None:
            continue
        later, earlier = _State(rep), _State(prev)
        new = []
        for ident in identities():
            if ident.table != "proactive" or ident.template not in ("*", rep.meta.get("template")):
                continue
            if ident.template not in ("*", prev.meta.get("template")):
                continue
            need = {"later": (later, ident.cells("later")), "earlier": (earlier, ident.cells("earlier"))}
            if any(n not in st.fixed for st, names in need.values() for n in names):
                continue
            source = f"the {prev.meta.get('year')} report ({prev.meta.get('path') or prev.meta.get('agency')})"
            if any(n in st.unsettled for st, names in need.values() for n in names):
                message = _unmet(ident, later, earlier, source)
            else:
                vals = {"later": later.fixed, "earlier": earlier.fixed}
                lhs, rhs = (sum(sign * vals[w][c] for w, c, sign in terms) for terms in (ident.later, ident.earlier))
                message = (
                    f"{ident.name}: {lhs:.12g} printed, {rhs:.12g} from {source} ({ident.rule})"
                    if abs(lhs - rhs) > 1e-6 else None
                )
            if message:
                new.append({
                    "code": "crossyear_mismatch", "severity": severity_of("crossyear_mismatch"),
                    "message": message, "where": "",
                })
        if new:
            rep.issues = pd.concat([rep.issues, pd.DataFrame(new, columns=ISSUE_COLUMNS)], ignore_index=True)
            added += len(new)
    return added


def _unmet(ident: Identity, later: _State, earlier: _State, source: str) -> str | None:
    """The message of an identity that fails whichever reading the unsettled cells it needs take
    (None when some reading meets it, or the readings are not all known): the mismatch is then
    as certain as one between settled cells, though which numbers were printed is not."""
    own = later.choices(ident.cells("later"), None)
    theirs = earlier.choices(ident.cells("earlier"), None)
    if own is None or theirs is None or len(own) * len(theirs) > MAX_COMBINATIONS:
        return None
    pairs = []
    for oc in own:
        for tc in theirs:
            vals = {"later": {**later.fixed, **oc}, "earlier": {**earlier.fixed, **tc}}
            lhs, rhs = (sum(sign * vals[w][c] for w, c, sign in terms) for terms in (ident.later, ident.earlier))
            if abs(lhs - rhs) < 1e-6:
                return None
            pairs.append(f"{lhs:.12g} vs {rhs:.12g}")
    pairs = list(dict.fromkeys(pairs))
    shown = "; ".join(pairs[:4]) + (f" (+{len(pairs) - 4} more)" if len(pairs) > 4 else "")
    return (
        f"{ident.name}: every reading of the ambiguous cells breaks it ({shown}: this report vs {source}, "
        f"reading by reading) ({ident.rule})"
    )


def _narrow(rep: Report, alt: dict, neighbours: list[tuple[str, Report]]) -> bool:
    """Keep the readings of ``alt`` that agree with the neighbours; True if any was dropped."""
    if not complete(alt):
        return False  # a reading not kept could be the one that meets the identities
    mine = _State(rep)
    skip = next(i for i, a in enumerate(rep.meta["alternatives"]) if a is alt)
    cells = set(alt["cells"])
    tests = []
    for role, other in neighbours:
        state = _State(other)
        for ident in identities():
            if ident.template not in ("*", rep.meta.get("template")) or ident.template not in ("*", other.meta.get("template")):
                continue
            if not ident.settles:
                continue
            if ident.cells(role) & cells:
                tests.append((ident, role, state, other))
    if not tests:
        return False
    table = []
    for split in alt["splits"]:
        trial = dict(zip(alt["cells"], map(_num, split)))
        table.append([_satisfiable(i, role, trial, mine, skip, st) for i, role, st, _o in tests])
    # an identity no reading meets is broken between these two reports (a publisher's slip, a
    # document that lapsed): it tells nothing about which reading is right, so it is left out
    broken = {k for k in range(len(tests)) if all(row[k] is False for row in table)}
    good, used = [], {}
    for split, row in zip(alt["splits"], table):
        if any(r is False for k, r in enumerate(row) if k not in broken):
            continue
        good.append(split)
        for k, r in enumerate(row):
            if r and k not in broken:
                used[tests[k][0].rule] = tests[k][3]
    if not good or len(good) == len(alt["splits"]):
        return False
    _apply(rep, alt, good, used)
    return True


def _apply(rep: Report, alt: dict, good: list[list[str]], used: dict[str, Report]) -> None:
    chosen = alt["chosen"] if alt["chosen"] in good else good[0]
    cells = rep.cells.copy()
    names = cells["table"] + "." + cells["row"] + "." + cells["column"]
    still = []
    for k, (name, text) in enumerate(zip(alt["cells"], chosen)):
        pv = parse_value(text)
        idx = names.index[names == name]
        cells.loc[idx, "raw"] = text
        cells.loc[idx, "value"] = pv.value
        cells.loc[idx, "unit"] = pv.unit
        if all(g[k] == text for g in good):
            cells.loc[idx, "confidence"] = "inferred"
        elif (cells.loc[idx, "confidence"] == "ambiguous").any():
            still.append(name)
    rep.cells = cells
    rep.checks = run_checks(cells, rep.meta["template"])
    n_before = len(alt["splits"])
    before = alt["chosen"]
    alt["splits"], alt["chosen"], alt["readings"] = good, chosen, len(good)
    if len(good) == 1 or not still:
        rep.meta["alternatives"] = [a for a in rep.meta["alternatives"] if a is not alt]
    issues = rep.issues
    named = issues["message"].map(lambda m: set(m.split(":", 1)[0].replace(" ", "").split(",")))
    drop = (issues["code"] == "ambiguous_split") & named.map(lambda n: n <= set(alt["cells"]))
    reports = "; ".join(f"{o.meta.get('year')} report ({o.meta.get('path') or o.meta.get('agency')})" for o in used.values())
    rules = "; ".join(sorted(used))
    shown = "; ".join("|".join(g) for g in good[:4]) + (f" (+{len(good) - 4} more)" if len(good) > 4 else "")
    new = [{
        "code": "inferred_across_years",
        "message": (
            f"{', '.join(alt['cells'])}: {len(good)} of {n_before} readings agree with the {reports} ({rules}): "
            f"{shown}; took {'|'.join(chosen)} (was {'|'.join(before)})"
        ),
        "where": "",
    }]
    if still:
        new.append({
            "code": "ambiguous_split",
            "message": f"{', '.join(still)}: {len(good)} readings remain after the other years' reports ({shown}); took {'|'.join(chosen)}",
            "where": "",
        })
    for n in new:
        n["severity"] = severity_of(n["code"])
    rep.issues = pd.concat([issues[~drop], pd.DataFrame(new, columns=ISSUE_COLUMNS)], ignore_index=True)
