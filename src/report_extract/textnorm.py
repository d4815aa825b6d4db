"""Text normalisation shared by readers and the mapper: width, spaces, numbering, variants."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# Traditional -> simplified for the characters that occur in the template's labels (mirror sites
# publish traditional-character copies); completed by zhconv's one-character table when installed.
_TRAD = str.maketrans(
    "與開請數權處決條規範許罰強費總計結轉辦資訊機構織務險護內過執詢項無現製關補訪舉報訴類複覆確認獲應繳納額單萬廢發議維糾審經後體況動門區縣鎮鄉國祕穩產層級會業學術員據實問題進預當為於對個筆採購兩並沒錄積極態論說們這專達歸稱準償續繼還時間網頁號書長記統導價聯繫絡義陽雲東華蘇廣龍財稅衛將從隱營環戶紀檔錯誤爲減廳復屬懷舊來組羅訟鶴係",
    "与开请数权处决条规范许罚强费总计结转办资讯机构织务险护内过执询项无现制关补访举报诉类复复确认获应缴纳额单万废发议维纠审经后体况动门区县镇乡国秘稳产层级会业学术员据实问题进预当为于对个笔采购两并没录积极态论说们这专达归称准偿续继还时间网页号书长记统导价联系络义阳云东华苏广龙财税卫将从隐营环户纪档错误为减厅复属怀旧来组罗讼鹤系",
)

_SPACE_RE = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "−": "-", "‐": "-", "―": "-", "─": "-"})

# Leading numbering: 一、 （一） (1) 1. 1、 1． ① etc. Applied repeatedly.
_NUMBERING_RE = re.compile(
    r"^(?:"
    r"[一二三四五六七八九十]+[、.．,，]"
    r"|[\(（][一二三四五六七八九十\d]+[\)）][、.．]?"
    r"|\d{1,2}(?:[、.．](?!\d)|\s)"
    r"|[①②③④⑤⑥⑦⑧⑨⑩]"
    r")"
)


# Caches of the pure label functions: the same labels and characters recur in every report
# (bounded, so a batch of any size keeps a flat memory).
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def nfkc(text: str) -> str:
    """NFKC plus a few fixes: full-width -> half-width, Kangxi radicals -> CJK, unify dashes."""
    return unicodedata.normalize("NFKC", text).translate(_DASHES)


@lru_cache(maxsize=_CACHE_SIZE)
def nfkc_char(ch: str) -> str:
    """One character's :func:`nfkc` form when it is one character, else the character itself
    (so offsets into the text are kept)."""
    n = unicodedata.normalize("NFKC", ch).translate(_DASHES)
    return n if len(n) == 1 else ch


@cache
def _trad_table() -> dict[int, int]:
    """Traditional -> simplified, character by character: zhconv's ``zh2Hans`` one-character
    entries (MediaWiki's conversion table; a core dependency) plus the label table above. No
    phrase conversion, so a simplified text never changes."""
    table = dict(_TRAD)
    try:
        import zhconv.zhconv as zc

        zc.loaddict()
        for k, v in zc.zhcdicts["zh2Hans"].items():
            if len(k) == 1 and len(v) == 1 and k != v and ord(k) not in table:
                table[ord(k)] = ord(v)
    except (ImportError, KeyError, AttributeError, OSError, ValueError):  # the label table alone
        pass
    return table


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters, for labels, headings and titles only (never for
    printed numbers or raw cell text)."""
    if text.isascii() or _may_convert().search(text) is None:  # most texts: no per-character lookup
        return text
    return text.translate(_trad_table())


@cache
def _may_convert() -> re.Pattern[str]:
    """A search for a character :func:`_trad_table` may convert: one of its characters of the
    Basic Multilingual Plane, or any character beyond it (translating a text holding one that is
    not in the table changes nothing). A class of BMP characters only is matched by a bitmap; one
    holding astral characters too would be a list of ranges tried in turn."""
    bmp = "".join(re.escape(chr(k)) for k in sorted(_trad_table()) if k <= 0xFFFF)
    return re.compile(f"[{bmp}\U00010000-\U0010FFFF]")


@lru_cache(maxsize=_CACHE_SIZE)
def clean_cell(text: str) -> str:
    """Collapse whitespace (incl. U+3000, NBSP, zero-width) and strip; keep the characters."""
    return _SPACE_RE.sub(" ", text).strip()


def squeeze(text: str) -> str:
    """Remove every kind of whitespace (the characters of ``_SPACE_RE``: what ``str.split``
    splits on, which is what ``\\s`` matches, and the zero-width ones), without a regex."""
    text = "".join(text.split())
    if any(ch in text for ch in _ZERO_WIDTH):
        text = text.translate(_NO_ZERO_WIDTH)
    return text


_ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"  # in ``_SPACE_RE`` but not whitespace to ``str.split``
_NO_ZERO_WIDTH = str.maketrans(dict.fromkeys(_ZERO_WIDTH))


def strip_numbering(text: str) -> str:
    """Drop leading list numbering such as ``一、``, ``（三）``, ``(1)``, ``1.``, ``1、``."""
    prev = None
    text = text.strip()
    while prev != text:
        prev = text
        text = _NUMBERING_RE.sub("", text, count=1).strip()
    return text


@lru_cache(maxsize=_CACHE_SIZE)
def label_key(text: str) -> str:
    """Canonical form of a label for matching: NFKC, simplified, no spaces, no numbering,
    half-width punctuation, no quotes."""
    t = nfkc(text).translate(_trad_table())
    t = squeeze(t)
    t = strip_numbering(t)
    t = t.replace("“", "").replace("”", "").replace('"', "").replace("'", "")
    t = t.replace("：", ":").replace("，", ",").replace("、", ",")
    return t
