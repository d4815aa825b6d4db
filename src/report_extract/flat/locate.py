"""Finding the template's row labels in running text and the digit run each label is followed by.

The text is searched in a *label form* (NFKC, simplified characters, no whitespace or quotes,
``、`` as ``,``) with a map back to the original offsets, so labels broken by spaces
(``三、本年度办 理结果``) or printed with full-width brackets are still found. Rows are looked for
in template order, each after the previous one; a row whose label is not found before the next
rows' labels is missing (a report may leave rows out). A sub-row's own numbering (``2.``) is part
of its label, so the digit run of the row before it ends where that numbering starts.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from ..options import DEFAULT_OPTIONS, FlatSettings
from ..schema import TemplateSchema
from ..textnorm import nfkc
from .splits import RUN_CHARS, normalise_run

_TRAD = str.maketrans(
    "與開請數權處決條規範許罰強費總計結轉辦資訊機構織務險護內過執詢項無現製關補訪舉報訴類複覆確認獲應繳納額單萬廢發議維糾審經後",
    "与开请数权处决条规范许罚强费总计结转办资讯机构织务险护内过执询项无现制关补访举报诉类复复确认获应缴纳额单万废发议维纠审经后",
)
_DROP = set(" \t\r\n\u00a0\u3000\u200b\ufeff“”\"'‘’")
_QUOTES = set("“”\"'‘’")
_MAP = {"、": ",", "，": ",", "：": ":", "；": ";"}
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.．、]")


@dataclass
class LabelText:
    """The label form of a text and the original offset of each of its characters."""

    text: str
    key: str
    where: list[int]

    @classmethod
    def of(cls, text: str) -> LabelText:
        if len(_LABEL_TABLE) > _LABEL_TABLE_SIZE:
            _LABEL_TABLE.clear()
        where: list[int] = []
        prev = 0
        for m in _DROPPED.finditer(text):
            where.extend(range(prev, m.start()))
            prev = m.end()
        where.extend(range(prev, len(text)))
        return cls(text, text.translate(_LABEL_TABLE), where)

    def orig_start(self, k: int) -> int:
        return self.where[k] if k < len(self.where) else len(self.text)

    def orig_end(self, k_end: int) -> int:
        """Original offset just after label-form character ``k_end - 1`` (and any closing quote)."""
        end = self.where[k_end - 1] + 1 if k_end > 0 else 0
        while end < len(self.text) and self.text[end] in _QUOTES:
            end += 1
        return end

    def find(self, needle: str, start: int = 0) -> int:
        return self.key.find(needle, start)


@lru_cache(maxsize=1 << 14)
def _label_char(ch: str) -> str | None:
    """A character's label form, or None for a character the label form drops."""
    if ch in _DROP or ch.isspace():
        return None
    n = nfkc(ch)
    c = n if len(n) == 1 else ch
    return _MAP.get(c, c).translate(_TRAD)


class _LabelChars(dict):
    """``str.translate`` table of :func:`_label_char` (a dropped character maps to ""), filled
    as characters are met."""

    def __missing__(self, code: int) -> str:
        c = _label_char(chr(code))
        self[code] = got = "" if c is None else c
        return got


_LABEL_TABLE = _LabelChars()
_LABEL_TABLE_SIZE = 1 << 14  # bounded: emptied when past this many characters
# the characters the label form drops (those :func:`_label_char` maps to None), in runs
_DROPPED = re.compile("[\\s" + re.escape("".join(sorted(_DROP))) + "]+")


@dataclass
class Found:
    """A located row label: label-form span (numbering included) and the run after it."""

    table: str
    row: str
    start: int  # label form
    end: int  # label form
    run: str = ""
    run_start: int = 0  # original offset
    blank: bool = False  # printed with no value at all before the next row's label
    tail: str = ""  # label text printed past the matched alias, skipped before the run


def row_patterns(schema: TemplateSchema, table: str, row: str) -> list[tuple[str, list[str]]]:
    """(alias key, numbering prefixes) to look for, longest alias first."""
    rd = schema.rows[table][row]
    leaf = rd.label.split(" ", 1)[1] if " " in rd.label and table != "review_litigation" else rd.label
    m = _NUMBERED.match(leaf)
    prefixes: list[str] = []
    if m:
        n = m.group(1)
        prefixes = [f"{n}.", f"{n},", f"({n})"]
    aliases = sorted(set(rd.leaf_aliases), key=len, reverse=True)
    return [(a, prefixes) for a in aliases if a]


def find_row(lt: LabelText, patterns: list[tuple[str, list[str]]], start: int) -> tuple[int, int] | None:
    """Earliest (start, end) in label form of any pattern at or after ``start``."""
    best: tuple[int, int] | None = None
    for alias, prefixes in patterns:
        pos = start
        while True:
            p = lt.find(alias, pos)
            if p < 0:
                break
            s = p
            for pre in prefixes:
                if p - len(pre) >= start and lt.key[p - len(pre) : p] == pre:
                    s = p - len(pre)
                    break
            if len(alias) <= 2 and prefixes and s == p:
                pos = p + 1  # a short label (其他) only counts with its numbering
                continue
            cand = (s, p + len(alias))
            if best is None or cand[0] < best[0] or (cand[0] == best[0] and cand[1] > best[1]):
                best = cand
            break
    return best


def locate_rows(
    lt: LabelText, schema: TemplateSchema, table: str, rows: list[str], start: int,
    settings: FlatSettings = DEFAULT_OPTIONS.flat,
) -> list[Found]:
    """Locate ``rows`` (in template order) after label-form offset ``start`` (at most
    ``settings.max_gap`` label-form characters apart; missing rows found with
    ``settings.fuzzy_ratio``)."""
    pats = {r: row_patterns(schema, table, r) for r in rows}
    found: list[Found] = []
    cur = start
    for i, row in enumerate(rows):
        hit = find_row(lt, pats[row], cur)
        if hit is None or hit[0] - cur > settings.max_gap:
            continue
        later = [find_row(lt, pats[r], cur) for r in rows[i + 1 : i + 3]]
        if any(h is not None and h[0] < hit[0] for h in later):
            continue
        found.append(Found(table, row, hit[0], hit[1]))
        cur = hit[1]
    return _fuzzy_missing(lt, rows, pats, found, settings.fuzzy_ratio)


_SEGMENT = re.compile(r"[^\d\-/—]+")


def _fuzzy_missing(lt: LabelText, rows: list[str], pats: dict, found: list[Found], fuzzy_ratio: float) -> list[Found]:
    """Rows missed between two located neighbours: accept a misprinted label (其他法律行政止公开)."""
    order = {r: i for i, r in enumerate(rows)}
    out = list(found)
    for k in range(len(found) - 1):
        a, b = found[k], found[k + 1]
        missing = rows[order[a.row] + 1 : order[b.row]]
        if len(missing) != 1:
            continue
        row = missing[0]
        window = lt.key[a.end : b.start]
        best: tuple[float, int, int] | None = None
        for m in _SEGMENT.finditer(window):
            seg = m.group().lstrip(".,")
            if len(seg) < 4:
                continue
            for alias, prefixes in pats[row]:
                tail = seg[-len(alias) - 2 :] if len(seg) > len(alias) + 2 else seg
                ratio = difflib.SequenceMatcher(None, tail, alias).ratio()
                if ratio >= fuzzy_ratio and (best is None or ratio > best[0]):
                    s = a.end + m.end() - len(tail)
                    for pre in prefixes:
                        if lt.key[s - len(pre) : s] == pre:
                            s -= len(pre)
                            break
                        if lt.key[s - len(pre) + 1 : s + 1] == pre:  # numbering glued to the label
                            s -= len(pre) - 1
                            break
                    best = (ratio, s, a.end + m.end())
        if best is not None:
            out.append(Found(a.table, row, best[1], best[2]))
    out.sort(key=lambda f: f.start)
    return out


def value_prefix(text: str, start: int, limit: int | None = None) -> tuple[str, int]:
    """The run of value characters (digits, spaces, signs, decimals, units) at ``start``."""
    end = start + 400 if limit is None else min(limit, start + 400)
    norm = normalise_run(text[start:end])
    k = 0
    while k < len(norm) and (norm[k] in RUN_CHARS or norm[k].isspace()):
        k += 1
    run = norm[:k].rstrip(",")
    after = norm[len(run) : len(run) + 1]
    if run.endswith(".") or after == "、":
        # the next label's own numbering (2. / 2、) glued to this run: it is not a cell
        body = run[:-1] if run.endswith(".") else run
        if body[-1:].isdigit():
            run = body[:-1]
    # a trailing unit or sign not attached to digits belongs to the following label
    while run and not (run[-1].isdigit() or run[-1].isspace() or run[-1] in "/—-"):
        if run[-1] in "元笔件个项条" and len(run) >= 2 and (run[-2].isdigit() or run[-2] in "万亿"):
            break
        run = run[:-1]
    return text[start : start + len(run)], start


MAX_TAIL = 40  # characters of label text allowed between the matched alias and the row's run
_TAIL_STOP = set("。；;")
# nothing but the next row's outline number (（七）, 七、) between a row label and the next one
_HEADING_NEXT = re.compile(r"\s*[一二三四五六七八九十]{1,2}、")  # the next section's heading
_OUTLINE_ONLY = re.compile(r"^[\s,，、.．]*(?:[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.．])?\s*$")


def attach_runs(lt: LabelText, found: list[Found], end: int | None = None) -> None:
    """Give each located row the value run printed right after its label (up to the next label).

    A label printed longer than its alias (``…逾期不补正、行政机关不再受理其…申请``, ``政府集中采购（元）``)
    leaves label text before the run: up to :data:`MAX_TAIL` characters without a sentence stop
    are skipped (``tail``). A row followed directly by the next row's label is ``blank``: a row
    printed with no digits at all; so is one followed, before the next row's label (or the next
    table, label-form offset ``end``, for the last row), by words without a digit (a sub-table's
    header: ``第二十条第（八）项信息内容…``), or by the next section's heading.
    """
    for i, f in enumerate(found):
        begin = lt.orig_end(f.end)
        nxt = found[i + 1].start if i + 1 < len(found) else end
        limit = lt.orig_start(nxt) if nxt is not None else None
        f.run, f.run_start = value_prefix(lt.text, begin, limit)
        if f.run.strip():
            continue
        between = lt.text[begin:limit] if limit is not None else ""
        if limit is not None and (_OUTLINE_ONLY.match(between) or not any(ch.isdigit() for ch in normalise_run(between))):
            f.blank = True
            continue
        if limit is None and _HEADING_NEXT.match(lt.text, begin):
            f.blank = True
            continue
        k = begin
        while k < len(lt.text) and lt.text[k].isspace():
            k += 1
        j = k
        end = len(lt.text) if limit is None else limit
        while j < end and j - k <= MAX_TAIL and not (lt.text[j].isdigit() or lt.text[j] in _TAIL_STOP):
            j += 1
        if j == k or j >= end or j - k > MAX_TAIL or not lt.text[j].isdigit():
            continue
        run, start = value_prefix(lt.text, j, limit)
        if run.strip():
            f.run, f.run_start, f.tail = run, start, lt.text[k:j]
