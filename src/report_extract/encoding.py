"""Decoding text bytes: BOMs, UTF-8, GB18030/GBK and whatever charset-normalizer recognises."""

from __future__ import annotations

import codecs

from .errors import CorruptInputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_BAD_RATIO = 0.02


def decode_bytes(
    data: bytes, path: str | None = None, declared: str | None = None, max_bad_ratio: float = MAX_BAD_RATIO
) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Order: a BOM; strict UTF-8; the ``declared`` charset (GB2312/GBK are read as their superset
    GB18030); strict GB18030; then charset-normalizer's best guess. Raises
    :class:`CorruptInputError` when no decoding gives readable text.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if controls > 0.05 * max(1, len(sample)):
        raise CorruptInputError(path, "binary data, not text (control bytes); damaged file or wrong format?")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    if declared:
        d = declared.strip().lower()
        candidates.append("gb18030" if d in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else d)
    candidates.append("gb18030")
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if text.count("\ufffd") <= max_bad_ratio * max(1, len(text)):
            return text, best.encoding
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") <= max_bad_ratio * max(1, len(text)):
        return text, "gb18030"
    raise CorruptInputError(path, "cannot decode the text (not UTF-8, GB18030 or another known encoding)")
