"""Choosing the split of every glued run by the report's own arithmetic, solved jointly.

Each row's run is cut into candidate splits (:mod:`.splits`). Then:

* section 三: a row's own total (总计 = the six applicant columns) filters its candidates; the
  rows still open are solved together by the column checks (一+二 = 三+四, outcomes sum to 总计),
  counting failed checks and taking the assignment that fails fewest; prose counts
  (``收到…申请X件``) break ties;
* section 四: the 15 numbers are cut with each group's total (维持+纠正+其他+尚未审结 = 总计)
  pruning the search;
* section 二 has no totals: soft rules (现行有效 >= 本年制发, 本年新公开 <= 对外公开总数量,
  上一年项目数量 + 本年增/减 >= 0) and prose counts narrow the splits, and short, even numbers
  are preferred.

A cell is ``certain`` when every split gives it the same value, ``inferred`` when the checks
(or the prose) settle it, ``ambiguous`` when several splits remain equally good; ambiguous cells
are named in an ``ambiguous_split`` issue with the alternatives.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..checks import check_families
from ..mapper import Issue, MappedCell
from ..options import DEFAULT_OPTIONS, FlatSettings
from ..prose import Statement, contradictions
from ..schema import TemplateSchema
from ..values import parse_value
from .bounds import Bound, within_bounds
from .splits import CellKind, Split, TooManySplits, blank_splits, cell_spans, enumerate_splits, spaced_blanks

APPLICANTS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org")
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
# search limits (max_product, row_budget, review_budget, max_keep, max_alternatives) are settings:
# ReadOptions.flat (FlatSettings), passed as ``settings``
_DEFAULT = DEFAULT_OPTIONS.flat


@dataclass
class RowRun:
    """One located row: its run, the columns it holds and its candidate splits."""

    table: str
    row: str
    columns: list[str]
    run: str
    run_start: int  # original offset of the run in the document text
    label: str
    all_splits: list[Split] = field(default_factory=list)
    kept: list[Split] = field(default_factory=list)
    chosen: Split | None = None
    ties: list[Split] = field(default_factory=list)
    unresolved: str = ""
    spans: list[set[tuple[int, int]]] = field(default_factory=list)  # every span each cell can take
    blank: bool = False  # the row is printed with no value at all
    blanks: int = 0  # blank cells the run is short of (cut with empty cells, see splits.blank_splits)
    by_spacing: bool = False  # the blanks' positions were read from the run's spacing
    notes: list[tuple[str, str]] = field(default_factory=list)  # (issue code, message) of evidence used

    _memo: dict[Split, list[float]] = field(default_factory=dict, repr=False)

    def texts(self, split: Split) -> list[str]:
        return [self.run[s:e] for s, e in split]

    def values(self, split: Split) -> list[float]:
        got = self._memo.get(split)
        if got is None:
            got = self._memo[split] = [_num(t) for t in self.texts(split)]
        return got


@functools.lru_cache(maxsize=65536)
def _num(text: str) -> float:
    """The value of a cell text (0 for placeholders: blanks count as 0 in the checks)."""
    v = parse_value(text).value
    return 0.0 if math.isnan(v) else v


def column_kinds(schema: TemplateSchema, table: str, columns: Sequence[str]) -> list[CellKind]:
    """How each column's cells may be printed (signed 本年增/减, decimal amounts)."""
    decimal = _decimal_columns(schema)
    return [_KINDS[(col == "change", (table, col) in decimal)] for col in columns]


_KINDS = {(signed, decimal): CellKind(signed=signed, decimal=decimal) for signed in (False, True) for decimal in (False, True)}
_DECIMALS: dict[int, tuple[TemplateSchema, frozenset[tuple[str, str]]]] = {}


def _decimal_columns(schema: TemplateSchema) -> frozenset[tuple[str, str]]:
    """(table, column) of the schema's decimal columns, by each pair's first cell (kept per schema)."""
    got = _DECIMALS.get(id(schema))
    if got is not None and got[0] is schema:
        return got[1]
    first: dict[tuple[str, str], str] = {}
    for c in schema.cells:
        first.setdefault((c.table, c.column), c.dtype)
    found = frozenset(k for k, dtype in first.items() if dtype == "decimal")
    if len(_DECIMALS) > 8:
        _DECIMALS.clear()
    _DECIMALS[id(schema)] = (schema, found)
    return found


def split_row(rr: RowRun, kinds: list[CellKind], settings: FlatSettings = _DEFAULT) -> None:
    """Fill ``spans`` and ``all_splits`` (empty with ``unresolved`` set when the run cannot be cut).

    A section-三 row with a 总计 column is cut total first: each possible last cell fixes the
    total, and the six applicant cells are searched with their running sum bounded by it. Only
    when no cut passes the row total are all cuts listed, unless a cut with a blank cell (a space
    in the run where an empty cell stood) passes it; else the row total fails (a publisher's error).
    """
    with_total = rr.columns[-1:] == ["total"] and all(a in rr.columns for a in APPLICANTS)
    if not with_total and not rr.all_splits and _cut_plainly(rr, kinds, settings):
        return
    dash = False
    rr.spans = cell_spans(rr.run, kinds)
    if not rr.spans or not rr.spans[0]:
        dash = True
        rr.spans = cell_spans(rr.run, kinds, dash_before_digits=True)
    budget = [settings.row_budget]
    try:
        if with_total:
            rr.all_splits = _total_first(rr, kinds, dash, budget)
        if not rr.all_splits:
            rr.all_splits = enumerate_splits(rr.run, kinds, dash_before_digits=dash, budget=budget)
            if with_total and rr.all_splits:
                _with_blanks(rr, kinds, [settings.row_budget], need_total=True)
    except TooManySplits:
        rr.all_splits = []
        rr.unresolved = "too many ways to cut the run"
    if not rr.all_splits and not rr.unresolved and rr.run.strip():
        _with_blanks(rr, kinds, budget)
    if not rr.all_splits and not rr.unresolved:
        rr.unresolved = f"the run {rr.run.strip()!r} cannot be cut into {len(kinds)} cells"


def _cut_plainly(rr: RowRun, kinds: list[CellKind], settings: FlatSettings) -> bool:
    """A row without a row total whose run cuts as printed (no dash read as a placeholder, no
    blank cell): every cut listed, and each cell's spans are those of the cuts, as
    :func:`~.splits.cell_spans` would find them. False (nothing set) otherwise."""
    try:
        splits = enumerate_splits(rr.run, kinds, budget=[settings.row_budget])
    except TooManySplits:
        return False
    if not splits:
        return False
    rr.spans = [{s[k] for s in splits} for k in range(len(kinds))]
    rr.all_splits = splits
    return True


def _with_blanks(
    rr: RowRun, kinds: list[CellKind], budget: list[int], need_total: bool = False,
    failures: Callable[[list[str]], int] | None = None,
) -> None:
    """A run too short for its row: cut it with blank cells; the spacing may tell where they stand,
    unless it puts them where the arithmetic (``failures`` of a cut's texts) fails more than elsewhere.
    With ``need_total``, only cuts passing the row total are taken (nothing changes when none does)."""
    if need_total:
        def accept(split: Split) -> bool:
            return bool(_row_total_ok(rr, rr.values(split)))
    elif failures is not None:
        def accept(split: Split) -> bool:
            return failures(rr.texts(split)) == 0
    else:
        accept = None
    try:
        splits, d = blank_splits(rr.run, kinds, budget=budget, accept=accept)
    except TooManySplits:
        return
    if need_total:
        splits = [s for s in splits if _row_total_ok(rr, rr.values(s))]
    if not splits:
        return
    spaced = spaced_blanks(rr.run, splits)
    if spaced and rr.columns[-1:] == ["total"]:
        if not any(_row_total_ok(rr, rr.values(s)) is not False for s in spaced):
            spaced = []  # the spacing contradicts the row total: keep every position
    if spaced and failures is not None:
        if min(failures(rr.texts(x)) for x in spaced) > min(failures(rr.texts(x)) for x in splits):
            spaced = []
    rr.blanks = d
    rr.by_spacing = bool(spaced)
    rr.all_splits = spaced or splits
    rr.spans = [{s[k] for s in splits} for k in range(len(kinds))]
    where = "where the spacing shows it" if spaced else f"{len(splits)} possible positions"
    # spacing that picks one of several possible positions is layout evidence, not arithmetic: a
    # warning, so a reader checks it (a separator before the total can look like a blank)
    chosen_by_spacing = bool(spaced) and len(spaced) < len(splits)
    rr.notes.append((
        "blank_cell_spacing" if chosen_by_spacing else "blank_cell",
        f"{rr.table}.{rr.row}: the run {rr.run.strip()!r} holds {d} number(s) fewer than the row's "
        f"{len(kinds)} cells: read as {d} blank cell(s), {where}",
    ))


def _total_first(rr: RowRun, kinds: list[CellKind], dash: bool, budget: list[int]) -> list[Split]:
    out: list[Split] = []
    for start, end in sorted(rr.spans[-1]):
        total = _num(rr.run[start:end])
        prefix = rr.run[:start]

        sums = [0.0]  # running sums of the cells cut so far (a prefix's sum is kept while it is cut on)

        def over(texts: list[str], total: float = total, sums: list[float] = sums) -> bool:
            k = len(texts)
            del sums[k:]
            got = sums[k - 1] + _num(texts[-1])
            sums.append(got)
            return got > total + 1e-6

        for sp in enumerate_splits(prefix, kinds[:-1], prune=over, dash_before_digits=dash, budget=budget):
            if abs(sum([_num(prefix[a:b]) for a, b in sp]) - total) < 1e-6:
                out.append((*sp, (start, end)))
    return out


def _lengths(rr: RowRun, split: Split) -> list[int]:
    return [_digits(t) for t in rr.texts(split)]


@functools.lru_cache(maxsize=65536)
def _digits(text: str) -> int:
    """How many digits a cell text holds."""
    return sum(ch.isdigit() for ch in text)


def _shape(rr: RowRun, split: Split) -> tuple[int, int]:
    """Short, even numbers first: (longest number, sum of squared lengths)."""
    lens = _lengths(rr, split)
    return max(lens, default=0), sum(n * n for n in lens)


# --------------------------------------------------------------------------------------------
# Section 二


PER_PROJECT_YUAN = (1e4, 1e7)  # usual average of a centralised procurement project, in 元


def _soft_violations(rr: RowRun, vals: list[float], texts: list[str] | None = None) -> int:
    """How many usual relations between a section-二 row's cells a reading breaks (a ranking, not a check)."""
    v = dict(zip(rr.columns, vals))
    bad = 0
    if "projects" in v and "amount" in v and texts is not None:
        amount_text = texts[rr.columns.index("amount")]
        if amount_text.endswith("元") and not amount_text.endswith("万元") and v["projects"] > 0:
            per = v["amount"] / v["projects"]
            bad += not (PER_PROJECT_YUAN[0] <= per <= PER_PROJECT_YUAN[1])
    if "in_force" in v and "issued" in v and v["in_force"] < v["issued"]:
        bad += 1
    if "total_published" in v and "published" in v and v["published"] > v["total_published"]:
        bad += 1
    if "previous_year_items" in v and "change" in v and v["previous_year_items"] + v["change"] < 0:
        bad += 1
    return bad


def solve_proactive(rows: list[RowRun], stated: dict[str, dict[float, Statement]], template: str | None = None) -> None:
    """Pick each section-二 row's split: readings the row's bounds (``data/bounds.csv``) rule out are
    dropped, the prose's statements choose among the rest, then soft rules and number shape rank."""
    for rr in rows:
        if rr.all_splits:
            _solve_proactive_row(rr, stated, template)


def _agreeing(rr: RowRun, splits: Sequence[Split]) -> set[int]:
    """Indexes of the cells every split of ``splits`` reads the same."""
    return {k for k in range(len(rr.columns)) if len({rr.texts(s)[k] for s in splits}) == 1}


def _solve_proactive_row(rr: RowRun, stated: dict[str, dict[float, Statement]], template: str | None) -> None:
    mine = {c: stated.get(f"{rr.table}.{rr.row}.{c}", {}) for c in rr.columns}

    def evidence(split: Split) -> int:
        return -sum(1 for c, v in zip(rr.columns, rr.values(split)) if v in mine[c])

    stated_here = any(mine.values())

    def best_of(splits: Sequence[Split]) -> tuple[int, list[Split]]:
        if not stated_here and splits:  # no statement about the row: every split scores 0
            return 0, list(splits)
        scores = [evidence(s) for s in splits]
        best = min(scores)
        return best, [s for s, e in zip(splits, scores) if e == best]

    keep, used_bounds = within_bounds(template, rr.row, rr.columns, [rr.values(s) for s in rr.all_splits])
    possible = [rr.all_splits[i] for i in keep]
    # only the prose and the bounds are evidence; the soft rules merely rank what is left
    best, rr.ties = best_of(possible)

    def plausibility(split: Split) -> tuple:
        vals = rr.values(split)
        mx, sq = _shape(rr, split)
        change = abs(dict(zip(rr.columns, vals)).get("change", 0.0))
        return (_soft_violations(rr, vals, rr.texts(split)), mx, change, sq, split)

    rr.chosen = min(rr.ties, key=plausibility)
    if best < 0 and len(rr.ties) < len(possible):
        used = [mine[c][v] for c, v in zip(rr.columns, rr.values(rr.chosen)) if v in mine[c]]
        _prose_note(rr, used)
    if used_bounds:
        settled = _agreeing(rr, rr.ties) - _agreeing(rr, best_of(rr.all_splits)[1])
        if settled:
            _bounds_note(rr, used_bounds, sorted(settled), len(rr.all_splits) - len(possible))


def _bounds_note(rr: RowRun, used: list[Bound], settled: list[int], dropped: int) -> None:
    names = ", ".join(f"{rr.table}.{rr.row}.{rr.columns[k]}" for k in settled)
    rules = "; ".join(f"{b.text}: {b.rule}" for b in used)
    rr.notes.append((
        "inferred_from_bounds",
        f"{names}: the run {rr.run.strip()!r} splits {len(rr.all_splits)} ways; {dropped} break what the "
        f"columns count ({rules})",
    ))


def _prose_note(rr: RowRun, used: list[Statement]) -> None:
    quotes = "; ".join(f"{st.cell or st.phrase} = {st.value:.12g} «{st.sentence}»" for st in used)
    rr.notes.append((
        "inferred_from_prose",
        f"{rr.table}.{rr.row}: the run {rr.run.strip()!r} splits {len(rr.all_splits)} ways; "
        f"the report's prose states {quotes}",
    ))


# --------------------------------------------------------------------------------------------
# Section 三


@dataclass
class _Check:
    name: str
    terms: list[tuple[str, str, float]]  # (row, column, coefficient): sum = 0 when passing


def request_checks(rows: dict[str, RowRun]) -> list[_Check]:
    """The section-三 checks over the rows located in the text."""
    return list(_request_checks(tuple((r, tuple(rr.columns)) for r, rr in rows.items())))


@functools.lru_cache(maxsize=256)
def _request_checks(layout: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[_Check, ...]:
    """:func:`request_checks` of the rows ``(row, columns)`` (reports share their layouts; the
    checks are read, never changed)."""
    rows = dict(layout)
    out = []
    cols = sorted({c for columns in rows.values() for c in columns})
    for fam in check_families():
        if fam.table != "requests":
            continue
        if fam.axis == "column":
            for col in cols:
                terms = [(r, col, 1.0) for r in fam.lhs if r in rows] + [(r, col, -1.0) for r in fam.rhs if r in rows]
                if any(t[2] > 0 for t in terms) and any(t[2] < 0 for t in terms):
                    out.append(_Check(f"{fam.family}.{col}", terms))
        else:
            for r, columns in rows.items():
                terms = [(r, c, 1.0) for c in fam.lhs if c in columns] + [(r, c, -1.0) for c in fam.rhs if c in columns]
                if any(t[2] > 0 for t in terms) and any(t[2] < 0 for t in terms):
                    out.append(_Check(f"{fam.family}.{r}", terms))
    return tuple(out)


def _row_total_ok(rr: RowRun, vals: list[float]) -> bool | None:
    """Whether a reading passes the row total (总计 = the six applicant columns); None without one."""
    where = _total_places(tuple(rr.columns))
    if where is None:
        return None
    if len(vals) < len(rr.columns):  # a short reading: only the columns it reaches
        v = dict(zip(rr.columns, vals))
        if not all(a in v for a in (*APPLICANTS, "total")):
            return None
        return abs(sum(v[a] for a in APPLICANTS) - v["total"]) < 1e-6
    parts, total = where
    return abs(sum([vals[i] for i in parts]) - vals[total]) < 1e-6


@functools.lru_cache(maxsize=256)
def _total_places(columns: tuple[str, ...]) -> tuple[tuple[int, ...], int] | None:
    """The indexes of the six applicant columns and of 总计 in a row's columns (the last of a
    repeated name), or None when the row lacks one."""
    at = {c: i for i, c in enumerate(columns)}
    if "total" not in at or not all(a in at for a in APPLICANTS):
        return None
    return tuple(at[a] for a in APPLICANTS), at["total"]


def solve_requests(rows: dict[str, RowRun], statements: Sequence[Statement] = (), settings: FlatSettings = _DEFAULT) -> None:
    """Choose the section-三 splits that fail the fewest checks, jointly over rows and columns."""
    for rr in rows.values():
        if not rr.all_splits:
            continue
        ok = [s for s in rr.all_splits if _row_total_ok(rr, rr.values(s)) is not False]
        if ok:
            rr.kept = ok
        else:
            def dev(s: Split, rr: RowRun = rr) -> tuple:
                v = dict(zip(rr.columns, rr.values(s)))
                return (abs(sum(v.get(a, 0.0) for a in APPLICANTS) - v.get("total", 0.0)), _shape(rr, s))

            rr.kept = sorted(rr.all_splits, key=dev)[: settings.max_keep]
    live = {r: rr for r, rr in rows.items() if rr.kept}
    checks = [c for c in request_checks(live) if not c.name.startswith("requests.row_total.")]
    var = [r for r, rr in live.items() if len(rr.kept) > 1]
    fixed_vals: dict[tuple[str, str], float] = {}
    for r, rr in live.items():
        if len(rr.kept) == 1:
            fixed_vals.update({(r, c): v for c, v in zip(rr.columns, rr.values(rr.kept[0]))})
    base = [sum(k * fixed_vals.get((r, c), 0.0) for r, c, k in ch.terms) for ch in checks]
    # contribution of each candidate of each open row to each check
    contrib: dict[str, list[list[float]]] = {}
    own_fail: dict[str, list[int]] = {}
    for r in var:
        rr = live[r]
        coef = [{c: k for rr_, c, k in ch.terms if rr_ == r} for ch in checks]
        contrib[r] = []
        own_fail[r] = []
        for s in rr.kept:
            v = dict(zip(rr.columns, rr.values(s)))
            contrib[r].append([sum(k * v.get(c, 0.0) for c, k in cf.items()) for cf in coef])
            own_fail[r].append(0 if _row_total_ok(rr, rr.values(s)) is not False else 1)

    def score(assign: Sequence[int]) -> tuple[int, int]:
        fails = sum(own_fail[r][i] for r, i in zip(var, assign))
        for j, b in enumerate(base):
            total = b + sum(contrib[r][i][j] for r, i in zip(var, assign))
            fails += abs(total) > 1e-6
        return fails, -len(_prose_hits(live, var, assign, prose))

    prose = [st for st in statements if all(c.startswith("requests.") for alt in st.targets for c in alt)]
    sizes = [len(live[r].kept) for r in var]
    if math.prod(sizes) <= settings.max_product:
        scored = [(score(a), a) for a in itertools.product(*(range(n) for n in sizes))]
    else:
        scored = _descent(var, sizes, score)
    best = min(s for s, _ in scored) if scored else (0, 0)
    winners = [a for s, a in scored if s == best] or [tuple(0 for _ in var)]

    def shape(a: Sequence[int]) -> tuple:
        return tuple(_shape(live[r], live[r].kept[i]) for r, i in zip(var, a))

    pick = min(winners, key=shape)
    by_checks = [a for s, a in scored if s[0] == best[0]]
    used = _prose_hits(live, var, pick, prose) if len(by_checks) > len(winners) else []
    for rr in live.values():
        if len(rr.kept) == 1:
            rr.chosen, rr.ties = rr.kept[0], [rr.kept[0]]
    for k, r in enumerate(var):
        rr = live[r]
        rr.chosen = rr.kept[pick[k]]
        seen: dict[Split, None] = {}
        for a in winners:
            seen.setdefault(rr.kept[a[k]], None)
        rr.ties = list(seen)
        if used and len({a[k] for a in by_checks}) > len(seen):
            _prose_note(rr, used)


def _prose_hits(live: dict[str, RowRun], var: list[str], assign: Sequence[int], prose: Sequence[Statement]) -> list[Statement]:
    """The statements an assignment meets (any of their alternatives)."""
    if not prose:
        return []
    vals: dict[str, float] = {}
    for r, rr in live.items():
        split = rr.kept[assign[var.index(r)]] if r in var else rr.kept[0]
        vals.update({f"{rr.table}.{r}.{c}": v for c, v in zip(rr.columns, rr.values(split))})
    hits, seen = [], set()
    for st in prose:
        if st.value in seen:
            continue
        for alt in st.targets:
            if all(c in vals for c in alt) and abs(sum(vals[c] for c in alt) - st.value) < 1e-6:
                hits.append(st)
                seen.add(st.value)
                break
    return hits


def _descent(var: list[str], sizes: list[int], score) -> list:
    """Coordinate descent when the product of open rows is too large to enumerate."""
    assign = [0] * len(var)
    cur = score(assign)
    improved = True
    sweeps = 0
    while improved and sweeps < 20:
        improved = False
        sweeps += 1
        for k, n in enumerate(sizes):
            for i in range(n):
                trial = assign.copy()
                trial[k] = i
                s = score(trial)
                if s < cur:
                    assign, cur, improved = trial, s, True
    out = [(cur, tuple(assign))]
    for k, n in enumerate(sizes):  # equally good single-row alternatives
        for i in range(n):
            trial = assign.copy()
            trial[k] = i
            if trial != assign and score(trial) == cur:
                out.append((cur, tuple(trial)))
    return out


# --------------------------------------------------------------------------------------------
# Section 四


def solve_review(rr: RowRun, settings: FlatSettings = _DEFAULT) -> None:
    """Cut the 15 section-四 numbers so that each group's four results sum to its total."""
    kinds = [CellKind()] * 15

    def failures(texts: list[str]) -> int:
        bad = 0
        for g in range(len(texts) // 5):
            v = [_num(t) for t in texts[g * 5 : g * 5 + 5]]
            bad += abs(sum(v[:4]) - v[4]) > 1e-6
        return bad

    budget = [settings.review_budget]
    for allowed in (0, 1, 3):
        try:
            splits = enumerate_splits(
                rr.run, kinds, prune=lambda t, a=allowed: len(t) % 5 == 0 and failures(t) > a, budget=budget
            )
        except TooManySplits:
            rr.unresolved = "too many ways to cut the section-四 run"
            return
        if splits:
            break
    spans = None
    if not splits:  # a run short of a number: blank cells
        _with_blanks(rr, kinds, budget, failures=failures)
        splits, spans = rr.all_splits, rr.spans
    if not splits:
        rr.unresolved = f"the run {rr.run.strip()!r} cannot be cut into 15 cells"
        return
    rr.all_splits = rr.kept = splits
    rr.spans = spans or cell_spans(rr.run, kinds)
    best = min(failures(rr.texts(s)) for s in splits)
    rr.ties = [s for s in splits if failures(rr.texts(s)) == best]
    rr.chosen = min(rr.ties, key=lambda s: _shape(rr, s))


# --------------------------------------------------------------------------------------------
# Cells and issues


def emit(
    rr: RowRun, schema: TemplateSchema, locate_line, cells: list[MappedCell], issues: list[Issue],
    alternatives: list[dict] | None = None, settings: FlatSettings = _DEFAULT,
) -> None:
    """Turn a solved row into mapped cells (with confidences) and its issues; the readings of
    an ambiguous row (at most ``settings.max_alternatives``) go to ``alternatives`` (see
    :class:`~report_extract.mapper.Mapping`)."""
    for code, message in rr.notes:
        issues.append(Issue(code, message, _where(locate_line, rr.run_start)))
    if rr.chosen is None and rr.blank:
        _emit_blank_row(rr, schema, locate_line, cells, issues)
        return
    if rr.chosen is None:
        if not rr.run.strip():
            issues.append(
                Issue(
                    "unmapped_row",
                    f"row label {rr.label!r} ({rr.table}.{rr.row}) is followed by no numbers; its cells are not mapped",
                    _where(locate_line, rr.run_start),
                )
            )
        else:
            issues.append(
                Issue(
                    "unresolved_split",
                    f"{', '.join(f'{rr.table}.{rr.row}.{c}' for c in rr.columns)}: {rr.unresolved or 'no split'}; "
                    "not mapped",
                    _where(locate_line, rr.run_start),
                )
            )
        return
    texts = rr.texts(rr.chosen)
    ambiguous_cols = []
    run, spans, ties, cell = rr.run, rr.spans, rr.ties, schema.cell
    for k, col in enumerate(rr.columns):
        mine = texts[k]
        conf = "certain" if spans and spans[k] and _all_read(run, spans[k], mine) else ""
        if not conf:
            conf = "inferred" if _all_read(run, [s[k] for s in ties], mine) else "ambiguous"
            if conf == "ambiguous":
                ambiguous_cols.append(col)
        pv = parse_value(mine)
        start = rr.run_start + rr.chosen[k][0]
        line, offset = locate_line(start)
        cd = cell(rr.table, rr.row, col)
        cells.append(
            MappedCell(
                rr.table, rr.row, col, mine, pv.value, pv.unit, rr.label,
                cd.column_label if cd else col, {"line": line, "offset": offset}, conf,
            )
        )
    if ambiguous_cols:
        alts = ["|".join(rr.texts(s)) for s in rr.ties[:4]]
        more = f" (+{len(rr.ties) - 4} more)" if len(rr.ties) > 4 else ""
        names = ", ".join(f"{rr.table}.{rr.row}.{c}" for c in ambiguous_cols)
        issues.append(
            Issue(
                "ambiguous_split",
                f"{names}: the run {rr.run.strip()!r} splits {len(rr.ties)} equally plausible ways "
                f"({'; '.join(alts)}{more}); took {'|'.join(texts)}",
                _where(locate_line, rr.run_start),
            )
        )
        if alternatives is not None:
            alternatives.append({
                "cells": [f"{rr.table}.{rr.row}.{c}".replace(".*.", ".") for c in rr.columns],
                "splits": [rr.texts(s) for s in rr.ties[: settings.max_alternatives]],
                "readings": len(rr.ties),  # all of them, kept or not (crossyear.complete)
                "chosen": texts,
            })


def _all_read(run: str, spans, text: str) -> bool:
    """Whether every (start, end) of ``spans`` reads ``text`` in ``run``."""
    for a, b in spans:
        if run[a:b] != text:
            return False
    return True


def _emit_blank_row(rr: RowRun, schema: TemplateSchema, locate_line, cells: list[MappedCell], issues: list[Issue]) -> None:
    """A row printed with no digits at all: every cell blank, as printed."""
    line, offset = locate_line(rr.run_start)
    for col in rr.columns:
        cd = schema.cell(rr.table, rr.row, col)
        cells.append(
            MappedCell(
                rr.table, rr.row, col, "", math.nan, None, rr.label,
                cd.column_label if cd else col, {"line": line, "offset": offset}, "certain",
            )
        )
    issues.append(
        Issue(
            "blank_row",
            f"row label {rr.label!r} ({rr.table}.{rr.row}) is printed with no numbers before the next row: "
            "its cells are read as blank",
            _where(locate_line, rr.run_start),
        )
    )


def _where(locate_line, offset: int) -> str:
    line, off = locate_line(offset)
    return f"line {line}, offset {off}" if line is not None else f"offset {offset}"


def prose_issues(statements: Sequence[Statement], cells: Sequence[MappedCell]) -> list[Issue]:
    """``prose_contradicts_table`` warnings: a statement no settled cell reading meets."""
    values = {
        f"{c.table}.{c.row}.{c.column}": (0.0 if math.isnan(c.value) else c.value)
        for c in cells if c.confidence in ("certain", "inferred")
    }
    out = []
    seen = set()
    for st, got in contradictions(list(statements), values):
        key = (st.targets, st.value)
        if key in seen:
            continue
        seen.add(key)
        names = " or ".join("+".join(alt) for alt in st.targets)
        out.append(Issue(
            "prose_contradicts_table",
            f"{names}: the report's prose states {st.value:.12g} «{st.sentence}» but the table prints {got:.12g}",
            f"offset {st.offset}",
        ))
    return out
