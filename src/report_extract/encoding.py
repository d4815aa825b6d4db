"""Decoding text bytes: BOMs, UTF-8 (with a few stray bytes), UTF-16 without a BOM, GB18030/GBK,
Big5 and whatever charset-normalizer recognises."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import cache

from .errors import CorruptInputError
from .options import DEFAULT_OPTIONS

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_BAD_RATIO = DEFAULT_OPTIONS.text.max_bad_ratio  # default of ReadOptions.text.max_bad_ratio
MAX_BAD_BYTES = DEFAULT_OPTIONS.text.max_bad_bytes

# frequent characters of the reports (simplified); with their traditional forms they tell a right
# decoding (Big5 or GB18030) from a wrong one that happens to be valid
_FREQUENT = (
    "的一是在不了有和人这中大为上个国我以要时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "说产种面而方后多定行学法所民得经十三之进等部度家力里如化高自二理起现实加量都两体制机当使点从业"
    "本性应开合还因由其然前外天政四日社义事平形相全表间与关各新内数正反明原利比或但质第向道此变条只"
    "没结解问意建月公无系很情者最立代已通并提直题党程展五员位入常文总次品式活设及管特件长求基资流路"
    "级统接知较将组计别期根论运区强决被干做必先回则任取据处南给门即保治北规领东导济极交受联认六共权"
    "收证改清采转更单切务具万每目至达积议报完类八名确科张信节况今集传许群记需研界律究观织装影众书复"
    "须际非验连断深难近委技备办省列习响约支般史感劳便团往历市何除构府称准值号率维划选标写存候效院查"
    "型格置层专状属调满县局照参该价严申请销予息告厅乡镇街道诉讼答案政府信息公开申请人复议行政"
)


@cache
def _frequent() -> frozenset[str]:
    from .textnorm import _trad_table

    table = _trad_table()
    trad = {chr(k) for k, v in table.items() if chr(v) in _FREQUENT}
    return frozenset(_FREQUENT) | frozenset(trad)


def _score(text: str) -> float:
    """Share of the CJK characters of ``text`` that are frequent report characters."""
    freq = _frequent()
    cjk = [c for c in text[:20000] if "\u3400" <= c <= "\u9fff"]
    return sum(c in freq for c in cjk) / len(cjk) if cjk else 0.0


@dataclass(frozen=True)
class Decoded:
    """A decoded text, the encoding used and how many undecodable bytes were replaced."""

    text: str
    encoding: str
    replaced: int = 0


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 LE/BE text without a BOM: zero bytes in the ASCII characters' high half, and a
    decoding made of CJK, ASCII and common punctuation."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 0.1 * len(sample) / 2 or min(even, odd) > 0.02 * len(sample) / 2:
        return None
    enc = "utf-16-be" if even > odd else "utf-16-le"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    ok = sum(1 for c in text[:20000] if c.isprintable() or c in "\r\n\t")
    return Decoded(text, enc) if ok >= 0.98 * min(len(text), 20000) else None


# control bytes that do not occur in text (tab, line feed, form feed and carriage return do)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def decode_text(
    data: bytes,
    path: str | None = None,
    declared: str | None = None,
    max_bad_ratio: float = MAX_BAD_RATIO,
    max_bad_bytes: int = MAX_BAD_BYTES,
) -> Decoded:
    """Decode ``data`` (see :func:`decode_bytes`), saying how many bytes were replaced.

    Order: a BOM; UTF-16 without a BOM; strict UTF-8; UTF-8 with at most ``max_bad_bytes``
    undecodable bytes replaced by U+FFFD; the ``declared`` charset (GB2312/GBK are read as their
    superset GB18030); GB18030 or Big5, whichever gives the more frequent report characters when
    both are valid; then charset-normalizer's best guess, taken when at most ``max_bad_ratio`` of
    its characters are replacement characters. Raises :class:`CorruptInputError` when no decoding
    gives readable text.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            return Decoded(text, enc, text.count("\ufffd"))
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > 0.05 * max(1, len(sample)):
        raise CorruptInputError(path, "binary data, not text (control bytes); damaged file or wrong format?")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if 0 < bad <= max_bad_bytes and bad <= max_bad_ratio * max(1, len(loose)):
        return Decoded(loose, "utf-8", bad)
    candidates = []
    if declared:
        d = declared.strip().lower()
        candidates.append("gb18030" if d in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else d)
    for enc in candidates:
        try:
            return Decoded(data.decode(enc), enc)
        except (UnicodeDecodeError, LookupError):
            continue
    valid = []
    for enc in ("gb18030", "big5hkscs"):
        try:
            valid.append((data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    if valid:
        text, enc = max(valid, key=lambda te: _score(te[0]))  # ties: GB18030, listed first
        return Decoded(text, "big5" if enc == "big5hkscs" else enc)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if text.count("\ufffd") <= max_bad_ratio * max(1, len(text)):
            return Decoded(text, best.encoding)
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") <= max_bad_ratio * max(1, len(text)):
        return Decoded(text, "gb18030", text.count("\ufffd"))
    raise CorruptInputError(path, "cannot decode the text (not UTF-8, UTF-16, GB18030, Big5 or another known encoding)")


def decode_bytes(
    data: bytes, path: str | None = None, declared: str | None = None, max_bad_ratio: float = MAX_BAD_RATIO
) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)`` (:func:`decode_text` without the count)."""
    d = decode_text(data, path, declared, max_bad_ratio)
    return d.text, d.encoding
