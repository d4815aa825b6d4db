"""Map table grids to the standard schema by their row and column LABELS.

The mapper knows nothing of file formats: it walks the rows of every :class:`~.grid.Table` in
reading order, recognises header rows (column labels), group and banner labels, and data rows
(a row label plus value cells), and assigns each value cell to a (table, row, column) of the
standard template. Values are never assigned by the order in which numbers appear in the document:
a data row's value cells are matched to the columns named by the header above it, so a blank cell
keeps its place and never shifts its neighbours. Section 四 has no row labels; its 15 cells are
taken by position in the standard layout, as the schema prescribes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from typing import Any, NamedTuple

from .grid import Document, GridCell, Table
from .matching import best_match, similarity
from .options import DEFAULT_OPTIONS, MatchSettings
from .schema import TemplateSchema, group_aliases, template_info, template_schema
from .sections import SECTION_TABLE, Section
from .textnorm import clean_cell, label_key
from .values import ParsedValue, parse_value

ROW_TABLES = ("proactive", "requests")
# Column-band labels that name no template column; printed without the columns under them they
# stand for a column the template does not have (法人或其他组织 as one column).
_BAND_GROUPS = ("legal_person",)
UNKNOWN_COLUMN = "?"
# A unit printed after a column label: (件), (单位:件), (万元) (label keys have half-width brackets).
_UNIT_SUFFIX_RE = re.compile(r"\((?:单位:)?(?:件|个|项|条|次|人次|万元|元)\)$")
# Group labels that switch the table context when seen in a header or banner row.
_CONTEXT_GROUPS = {
    "applicant": "requests",
    "legal_person": "requests",
    "note": "requests",
    "outcomes": "requests",
    "banner": "proactive",
    "content": "proactive",
    "review": "review_litigation",
    "litigation": "review_litigation",
    "litigation_direct": "review_litigation",
    "litigation_after_review": "review_litigation",
}


@dataclass
class Issue:
    """An extraction problem: a stable ``code``, a readable ``message`` and where it is."""

    code: str
    message: str
    where: str = ""


@dataclass(slots=True)
class MappedCell:
    """A template cell found in the document."""

    table: str
    row: str
    column: str
    raw: str
    value: float
    unit: str | None
    row_label: str
    column_label: str
    source: dict[str, Any]
    confidence: str = "certain"


@dataclass
class Mapping:
    """What the mapper found: the template, the cells and the problems."""

    template: str
    cells: list[MappedCell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    template_evidence: dict[str, int] = field(default_factory=dict)
    # equally plausible readings of cells the text alone does not settle: dicts with ``cells``
    # ("table.row.column" of each cell of a run), ``splits`` (the raw texts of each reading)
    # and ``chosen`` (the reading reported); other reports may settle them (:mod:`..crossyear`)
    alternatives: list[dict] = field(default_factory=list)


class _Cell(NamedTuple):
    """A cell of a grid row as the mapper reads it (one per merged cell)."""

    cell: GridCell
    parsed: ParsedValue
    key: str
    inherited: bool  # continues a rowspan from an earlier row
    value_like: bool  # ``parsed.is_value_like``: a number, blank or placeholder (not a label)


@dataclass(slots=True)
class _HeaderCol:
    code: str
    label: str
    start: int
    end: int


def where(cell: GridCell | None, table: Table | None = None) -> str:
    """A short human description of a cell's location."""
    parts = []
    if table is not None:
        parts.append(f"table {table.index + 1}")
        if "page" in table.source:
            parts.append(f"page {table.source['page']}")
    if cell is not None:
        parts.append(f"row {cell.row + 1} col {cell.col + 1}")
        for k in ("page", "line"):
            if k in cell.source and not (k == "page" and table is not None and "page" in table.source):
                parts.append(f"{k} {cell.source[k]}")
    return ", ".join(parts)


class _TableMapper:
    """Walks the rows of a document's tables with the state the labels establish."""

    def __init__(self, schema: TemplateSchema, settings: MatchSettings = DEFAULT_OPTIONS.match):
        self.schema = schema
        self.settings = settings
        info = template_info(schema.template)  # section 四's rows and columns (data/templates.csv)
        self.review_row_codes = info.review_rows
        self.review_columns = info.review_columns
        self.review_labels = dict(zip(info.review_rows, info.review_row_labels))
        self.result = Mapping(schema.template)
        self.ctx: str | None = None
        self.group: str | None = None
        self.headers: dict[str, list[_HeaderCol]] = {}
        self.header_targets: dict[str, list[tuple[str, str]]] = {}  # (code, label) of each column of ``headers``
        self.header_open = False
        self.review_rows: list[tuple[Table, list[_Cell]]] = []
        self.review_labelled: dict[str, list[_Cell]] = {}  # section-四 value rows by their row label
        self.review_order: list[str] | None = None  # the bands' order as the header prints them
        self.review_top: list[str] | None = None
        self.review_sub: list[str] | None = None
        self.seen: dict[tuple[str, str, str], MappedCell] = {}
        # a group label printed as a row of its own with no numbers (（三）不予公开 over its items):
        # held back until the next row tells whether it heads items of its group or is a row itself
        self.pending: tuple | None = None
        # the template's own schema: label matches are kept across reports (labels recur)
        self.shared = schema is template_schema(schema.template)
        self.row_candidates = _template_row_candidates(schema.template) if self.shared else _row_candidates(schema)

    # -- helpers -------------------------------------------------------------------------------
    def issue(self, code: str, message: str, where_: str = "") -> None:
        self.result.issues.append(Issue(code, message, where_))

    def _column_match(self, key: str, tables: tuple[str, ...]) -> tuple[str, str] | None:
        """(table, column code) a header label key names among ``tables``; None below the threshold."""
        threshold = self.settings.header_threshold
        if self.shared:
            return _shared_column_match(self.schema.template, key, tables, threshold)
        return _column_match(key, tables, self._best_column, threshold)

    def _column_hits(self, labels: list[_Cell], grouped: set[int]) -> list[tuple[_Cell, tuple[str, str]]]:
        """The row's own (not inherited, not group) labels that name a column of the table in
        context (any table when none), each with its (table, column code)."""
        tables = (self.ctx,) if self.ctx else ("proactive", "requests", "review_litigation")
        if self.ctx == "requests":
            tables = ("requests",)
        hits = [(c, self._column_match(c.key, tables)) for c in labels if not c.inherited and id(c) not in grouped]
        return [(c, m) for c, m in hits if m is not None]

    def _row_match(self, leaf: str) -> tuple[str, str, float] | None:
        """(table, row code, score) of a row label key, favouring the table and group in context."""
        best: tuple[str, str, float] | None = None
        candidates = _shared_row_candidates(self.schema.template, leaf) if self.shared else self._row_hits(leaf)
        for t, code, score, group in candidates:
            if t == self.ctx:
                score += 0.05
            if group is not None and self.group is not None:
                score += 0.1 if similarity(self.group, group) >= 0.85 else -0.1
            if best is None or score > best[2]:
                best = (t, code, score)
        return best if best is not None and best[2] >= self.settings.match_threshold else None

    def _row_hits(self, leaf: str) -> tuple[tuple[str, str, float, str | None], ...]:
        """The best row of each row table for a label key: (table, code, score, the row's group)."""
        return _row_hits(self.schema, leaf, self._best_row)

    def _best_column(self, table: str, key: str) -> tuple[str | None, float]:
        if self.shared:
            return _best_column(self.schema.template, table, key)
        return best_match(key, self.schema.columns[table].items())

    def _best_row(self, table: str, key: str) -> tuple[str | None, float]:
        if self.shared:
            return _best_row(self.schema.template, table, key)
        return best_match(key, self.row_candidates[table])

    # -- walking -------------------------------------------------------------------------------
    def map_table(self, table: Table, section_ctx: str | None) -> None:
        if section_ctx is not None:
            self.ctx = section_ctx
        self.header_open = False
        mapped_before = len(self.result.cells)
        for r, row in enumerate(table.rows):
            self._map_row(table, r, row)
        self._flush_pending()
        if len(self.result.cells) == mapped_before and not any(t is table for t, _ in self.review_rows):
            numbers = [c for row in table.rows for c in row if not c.continued and parse_value(c.text).kind == "number"]
            if numbers:
                self.issue(
                    "unmapped_table",
                    f"a table with {len(numbers)} numbers matched no template row",
                    where(None, table),
                )

    def _map_row(self, table: Table, r: int, row: list[GridCell]) -> None:
        cells = _cells(r, row)
        labels = [c for c in cells if not c.value_like]
        if not labels:
            values = [c for c in cells if not c.inherited]
            if self.ctx == "review_litigation" and values:
                self.review_rows.append((table, values))
            elif any(v.parsed.kind == "number" for v in values):
                self.issue(
                    "unlabelled_row",
                    f"a row of {len(values)} values has no row label and could not be placed",
                    where(values[0].cell, table),
                )
            self.header_open = False
            return
        last_label_idx = len(cells) - 1
        while cells[last_label_idx].value_like:
            last_label_idx -= 1
        values = [c for c in cells[last_label_idx + 1 :] if not c.inherited]
        numbers = [v for v in values if v.parsed.kind == "number"]

        # Group and banner labels (三、本年度办理结果, （三）不予公开, 申请人情况, 第二十条 ...).
        plain: list[_Cell] = []
        header_group = False
        grouped: set[int] = set()
        bands: list[_Cell] = []  # column-band labels (法人或其他组织) of this row
        review_labels: list[tuple[int, str]] = []  # section-四 band labels of this row
        for c in labels:
            g = _group_of(c.key)
            if g is None:
                plain.append(c)
                continue
            grouped.add(id(c))
            table_name, code = g
            if code in _BAND_GROUPS and not c.inherited:
                bands.append(c)
            if table_name == "review_litigation" and not c.inherited:
                review_labels.append((c.cell.origin[1], code))
            if table_name == "requests" and code in ("denied", "unable", "rejected", "other"):
                split = _split_group(c.key)
                self.group = split[0] if split else c.key
                self.ctx = "requests"
                if split and c is labels[-1]:
                    plain.append(c._replace(key=split[1]))  # （三）不予公开 1.属于国家秘密 in one cell
                elif c is labels[-1]:
                    plain.append(c)  # （六）其他处理 as a row of its own
            elif code in _CONTEXT_GROUPS:
                header_group = header_group or code != "outcomes"
                self.ctx = _CONTEXT_GROUPS[code]
                if self.ctx != "requests" or code in ("applicant", "legal_person", "note"):
                    self.group = None

        # Header rows: several column labels, or column labels and no values. A row with numbers
        # is no header row: its column labels matter only to a section-四 row without row labels.
        col_hits: list[tuple[_Cell, tuple[str, str]]] = []
        if not numbers or (self.ctx == "review_litigation" and not plain):
            col_hits = self._column_hits(labels, grouped)
        if col_hits and not numbers and (len(col_hits) >= 2 or header_group or not values):
            self._header(table, col_hits, bands)
            return
        if self.ctx == "review_litigation" and not numbers and review_labels:
            self._note_review_bands([code for _, code in sorted(review_labels)])
        if self.ctx == "review_litigation" and len(values) >= 5 and len(col_hits) == 0 and not plain:
            self.review_rows.append((table, values))
            leaves = {code for _, code in review_labels if code in self.review_row_codes}
            if len(leaves) == 1:
                self.review_labelled.setdefault(leaves.pop(), values)
            return

        if not plain:
            self.header_open = False
            return
        leaf = plain[-1]
        match = self._row_match(leaf.key)
        if match is None:
            if numbers:
                self.issue(
                    "unmapped_row",
                    f"row label {clean_cell(leaf.cell.text)!r} matches no template row; "
                    f"{len(numbers)} values not mapped",
                    where(leaf.cell, table),
                )
            self.header_open = False
            return
        tname, code, _score = match
        self.ctx = tname
        rd = self.schema.rows[tname][code]
        if self.pending is not None:
            if rd.group is not None and self.group is not None and similarity(self.group, rd.group) >= 0.85:
                self.pending = None  # it was the heading of this item's group
            else:
                self._flush_pending()
        if id(leaf) in grouped and not numbers:
            self.pending = (table, tname, code, leaf, values)
            self.header_open = False
            return
        if rd.group is None:
            self.group = None
        self.header_open = False
        self._assign(table, tname, code, leaf, values)

    def _flush_pending(self) -> None:
        if self.pending is not None:
            table, tname, code, leaf, values = self.pending
            self.pending = None
            self._assign(table, tname, code, leaf, values)

    def _note_review_bands(self, codes: list[str]) -> None:
        """Remember the order in which a section-四 header row prints its bands."""
        leaves = [c for c in codes if c in self.review_row_codes]
        if len(set(leaves)) == 3:
            self.review_order = list(dict.fromkeys(leaves))
        top = [c for c in codes if c in ("review", "litigation")]
        if len(set(top)) == 2:
            self.review_top = list(dict.fromkeys(top))
        sub = [c for c in leaves if c != "review"]
        if len(set(sub)) == 2:
            self.review_sub = list(dict.fromkeys(sub))

    def _band_order(self) -> list[str]:
        """The order of the three rows of section 四 in a single row of 15 values."""
        if self.review_order:
            return self.review_order
        sub = self.review_sub or ["litigation_direct", "litigation_after_review"]
        top = self.review_top or ["review", "litigation"]
        return [r for t in top for r in ([t] if t == "review" else sub)]

    def _header(self, table: Table, hits: list[tuple[_Cell, tuple[str, str]]], bands: list[_Cell] = ()) -> None:
        """Record the columns a header row names. A band label (法人或其他组织) stands as a column of
        its own (code ``?``: no template column) until a later header row names the columns under it."""
        tname = hits[0][1][0]
        if tname != "review_litigation":
            self.ctx = tname
        if not self.header_open:
            self.headers[tname] = []
        self.header_open = True
        cols = self.headers.setdefault(tname, [])  # an open header row reaching another table (fuzzer)
        added: list[_HeaderCol] = []
        for c, (t, code) in hits:
            if t != tname or any(h.code == code for h in cols):
                continue
            start = c.cell.origin[1]
            added.append(_HeaderCol(code, clean_cell(c.cell.text), start, start + c.cell.colspan))
        if added and any(h.code == UNKNOWN_COLUMN for h in cols):  # the band's own columns are named now
            cols[:] = [h for h in cols if h.code != UNKNOWN_COLUMN or (table.aligned and not any(
                a.start < h.end and h.start < a.end for a in added))]
        for c in bands:
            start = c.cell.origin[1]
            added.append(_HeaderCol(UNKNOWN_COLUMN, clean_cell(c.cell.text), start, start + c.cell.colspan))
        cols += sorted(added, key=lambda h: h.start)
        order = self.schema.column_order[tname]
        if table.aligned:
            cols.sort(key=lambda h: (h.start, order.index(h.code) if h.code in order else -1))
        elif not any(h.code == UNKNOWN_COLUMN for h in cols):  # else keep the row's reading order
            cols.sort(key=lambda h: order.index(h.code))
        self.header_targets[tname] = [(h.code, h.label) for h in cols]

    def _assign(self, table: Table, tname: str, code: str, leaf: _Cell, values: list[_Cell]) -> None:
        rd = self.schema.rows[tname][code]
        header = self.headers.get(tname) or []
        by_header = self.header_targets.get(tname, []) if header else []
        targets: list[tuple[str, str]] | None = None
        chosen: list[_Cell] = []
        # 1. one value cell per column named above: take them in order
        if by_header and len(values) == len(by_header):
            targets, chosen = by_header, values
        # 2. a true grid: each value cell goes to the header column it stands under
        elif by_header and table.aligned:
            placed = self._by_position(table, code, values, header)
            if placed is not None:
                targets, chosen = [p[0] for p in placed], [p[1] for p in placed]
        # 3. cells of known order: drop blank padding at the ends, then in order
        if targets is None:
            seq = by_header or [(c, "") for c in rd.columns]
            trimmed = _trim(values, len(seq))
            if seq and len(trimmed) == len(seq):
                targets, chosen = seq, trimmed
        if targets is None:
            if values:
                self.issue(
                    "column_mismatch",
                    f"row {tname}.{code} has {len(values)} value cells but the columns above it "
                    f"name {len(header) or len(rd.columns)}; not mapped",
                    where(leaf.cell, table),
                )
            return
        row_label = clean_cell(leaf.cell.text)
        for (col, col_label), v in zip(targets, chosen):
            if col == UNKNOWN_COLUMN:
                if v.parsed.kind == "number":
                    named = {h.code for h in header}
                    lost = ", ".join(f"{tname}.{code}.{c}" for c in rd.columns if c not in named)
                    self.issue(
                        "unknown_column",
                        f"{tname}.{code} value {v.cell.text!r} stands under {col_label!r}, which is not a column "
                        f"of the template (it may sum several); not mapped. Not printed: {lost or 'none'}",
                        where(v.cell, table),
                    )
                continue
            if col not in rd.columns:
                if v.parsed.kind == "number":
                    self.issue(
                        "not_in_template",
                        f"{tname}.{code} has no column {col} in the {self.schema.template} template; "
                        f"value {v.cell.text!r} not mapped",
                        where(v.cell, table),
                    )
                continue
            self._emit(table, tname, code, col, v, row_label, col_label)

    def _by_position(self, table: Table, code: str, values: list[_Cell], header: list[_HeaderCol]):
        """Place value cells under the header columns they overlap; None when that fails."""
        placed: list[tuple[tuple[str, str], _Cell]] = []
        used: set[str] = set()
        for v in values:
            c0, c1 = v.cell.origin[1], v.cell.origin[1] + v.cell.colspan
            ov, h = max(((min(c1, h.end) - max(c0, h.start), h) for h in header), key=lambda x: x[0])
            if ov <= 0 or h.code in used:
                if v.parsed.kind == "number":
                    self.issue(
                        "unplaced_value",
                        f"value {clean_cell(v.cell.text)!r} of row {code} stands under no recognised column; not mapped",
                        where(v.cell, table),
                    )
                continue
            used.add(h.code)
            placed.append(((h.code, h.label), v))
        return placed or None

    def _emit(self, table: Table, tname: str, row: str, col: str, v: _Cell, row_label: str, col_label: str) -> None:
        key = (tname, row, col)
        grid_cell = v.cell
        raw = clean_cell(grid_cell.text)
        prev = self.seen.get(key)
        if prev is not None:
            if prev.raw != raw:
                self.issue(
                    "duplicate_cell",
                    f"{tname}.{row}.{col} printed twice ({prev.raw!r} and {raw!r}); the first is kept",
                    where(v.cell, table),
                )
            return
        origin = grid_cell.origin
        # the cell's source, then where it stands, then the table's source under keys not taken
        src = {**grid_cell.source, "table_index": table.index, "grid_row": origin[0], "grid_col": origin[1]}
        for k, val in table.source.items():
            if k not in src:
                src[k] = val
        parsed = v.parsed
        cell = MappedCell(tname, row, col, raw, parsed.value, parsed.unit, row_label, col_label, src)
        self.seen[key] = cell
        self.result.cells.append(cell)

    def finish(self) -> Mapping:
        self._flush_pending()
        self._map_review()
        return self.result

    def _map_review(self) -> None:
        rows = self.review_rows
        if not rows:
            return
        chosen: list[_Cell] | None = None
        src_table = rows[0][0]
        order = self._band_order()
        by_label = {r: _trim(v, 5) for r, v in self.review_labelled.items()}
        if len(by_label) == 3 and all(len(v) == 5 for v in by_label.values()):
            order = list(self.review_row_codes)  # three rows of five, each with its row label
            chosen = [c for r in order for c in by_label[r]]
            rows = []
        for table, vals in rows:
            trimmed = _trim(vals, 15)
            if len(trimmed) == 15:
                chosen, src_table = trimmed, table
                break
        if chosen is None and rows:
            acc: list[_Cell] = []
            for _table, vals in rows:
                acc.extend(vals)
                if len(acc) >= 15:
                    break
            acc = _trim(acc, 15)
            if len(acc) == 15:
                chosen = acc
        if chosen is None:
            n = sum(len(v) for _, v in rows)
            self.issue(
                "review_litigation_layout",
                f"section 四 has {n} value cells where the standard layout has 15; not mapped",
                where(rows[0][1][0].cell, rows[0][0]),
            )
            return
        labels = self.review_labels
        i = 0
        for row in order:
            for col in self.review_columns:
                cdef = self.schema.cell("review_litigation", row, col)
                self._emit(src_table, "review_litigation", row, col, chosen[i], labels[row], cdef.column_label if cdef else col)
                i += 1


def _cells(r: int, row: list[GridCell]) -> list[_Cell]:
    """The cells of grid row ``r`` that start in it or continue a rowspan from above (one per
    merged cell; padding, covered positions and colspan continuations left out)."""
    out: list[_Cell] = []
    seen_origins = set()
    for c in row:
        if c.padding or c.covered:
            continue
        origin = c.origin
        if origin in seen_origins:
            continue
        inherited = origin[0] != r
        if not inherited and (origin[1] != c.col or c.row != r):  # colspan continuation
            continue
        seen_origins.add(origin)
        parsed, key, value_like = _read_cell(c.text)
        out.append(_new_cell(_Cell, (c, parsed, key, inherited, value_like)))
    return out


_new_cell = tuple.__new__  # a _Cell made without a Python-level __new__ call (rows have many cells)


@lru_cache(maxsize=1 << 16)
def _read_cell(text: str) -> tuple[ParsedValue, str, bool]:
    """A printed cell's value reading, label key and whether it is value-like (cached: cells
    repeat across reports)."""
    parsed = parse_value(text)
    return parsed, label_key(text), parsed.is_value_like


@lru_cache(maxsize=1 << 14)
def _split_group(key: str) -> tuple[str, str] | None:
    """(group key, leaf key) when a label prints an outcome group and its item in one cell
    (``（三）不予公开：1.属于国家秘密``); None otherwise."""
    for code, alias in group_aliases().get("requests", []):
        if code not in ("denied", "unable", "rejected", "other") or not key.startswith(alias):
            continue
        leaf = label_key(key[len(alias):].lstrip(":,;.-"))
        if len(leaf) >= 2:
            return alias, leaf
    return None


def _column_match(
    key: str, tables: tuple[str, ...], best_column: Callable[[str, str], tuple[str | None, float]], threshold: float
) -> tuple[str, str] | None:
    """(table, column code) of the best column of ``tables`` for a header label key (also tried
    without a printed unit), None when it scores below ``threshold``."""
    best: tuple[str, str] | None = None
    best_score = 0.0
    bare = _UNIT_SUFFIX_RE.sub("", key)  # 自然人（件）, 总计（单位：件）
    for t in tables:
        for k in {key, bare} - {""}:
            code, score = best_column(t, k)
            if code is not None and score > best_score:
                best, best_score = (t, code), score
    return best if best_score >= threshold else None


@lru_cache(maxsize=1 << 14)
def _shared_column_match(template: str, key: str, tables: tuple[str, ...], threshold: float) -> tuple[str, str] | None:
    """:func:`_column_match` against a template's own schema (kept: labels recur across reports)."""
    return _column_match(key, tables, partial(_best_column, template), threshold)


def _row_hits(
    schema: TemplateSchema, leaf: str, best_row: Callable[[str, str], tuple[str | None, float]]
) -> tuple[tuple[str, str, float, str | None], ...]:
    """The best row of each row table for a label key: (table, code, score, the row's group)."""
    hits = []
    for t in ROW_TABLES:
        code, score = best_row(t, leaf)
        if code is not None:
            hits.append((t, code, score, schema.rows[t][code].group))
    return tuple(hits)


@lru_cache(maxsize=1 << 14)
def _shared_row_candidates(template: str, leaf: str) -> tuple[tuple[str, str, float, str | None], ...]:
    """:func:`_row_hits` against a template's own schema (kept: labels recur across reports)."""
    return _row_hits(template_schema(template), leaf, partial(_best_row, template))


def _row_candidates(schema: TemplateSchema) -> dict[str, list[tuple[str, list[str]]]]:
    return {t: [(code, rd.leaf_aliases) for code, rd in schema.rows[t].items()] for t in ROW_TABLES}


@lru_cache(maxsize=1 << 14)
def _group_of(key: str) -> tuple[str, str] | None:
    """(table, group code) when a label key is a group/banner label (``data/groups.csv``)."""
    best: tuple[str, str] | None = None
    best_score, best_len = 0.0, 0
    for table, aliases in group_aliases().items():
        for code, alias in aliases:
            s = 1.0 if alias in key and len(alias) >= 4 else similarity(key, alias)
            # on a tie the longer (more specific) alias wins: 行政诉讼-未经复议直接起诉
            if s > best_score or (s == best_score and s > 0 and len(alias) > best_len):
                best, best_score, best_len = (table, code), s, len(alias)
    return best if best_score >= 0.85 else None


@lru_cache(maxsize=1 << 14)
def _best_column(template: str, table: str, key: str) -> tuple[str | None, float]:
    """The best column of ``table`` for a header label key, with its score."""
    return best_match(key, template_schema(template).columns[table].items())


@lru_cache(maxsize=1 << 14)
def _best_row(template: str, table: str, key: str) -> tuple[str | None, float]:
    """The best row of ``table`` for a row label key, with its score."""
    return best_match(key, _template_row_candidates(template)[table])


@cache
def _template_row_candidates(template: str) -> dict[str, list[tuple[str, list[str]]]]:
    return _row_candidates(template_schema(template))


def _trim(values: list[_Cell], n: int) -> list[_Cell]:
    """Drop blank cells at the ends (label padding, empty trailing cells) while there are too many."""
    vals = list(values)
    while len(vals) > n and vals and vals[0].parsed.kind == "blank":
        vals.pop(0)
    while len(vals) > n and vals and vals[-1].parsed.kind == "blank":
        vals.pop()
    return vals


def map_document(
    doc: Document, sections: dict[int, Section], template: str, settings: MatchSettings = DEFAULT_OPTIONS.match
) -> Mapping:
    """Map every table of ``doc`` to cells of ``template`` (thresholds from ``settings``)."""
    schema = template_schema(template)
    mapper = _TableMapper(schema, settings)
    table_section: dict[int, int] = {}
    for n, sec in sections.items():
        for t in sec.tables:
            table_section[id(t)] = n
    for table in doc.tables:
        n = table_section.get(id(table))
        mapper.map_table(table, SECTION_TABLE.get(n) if n else None)
    return mapper.finish()
