"""OCR of scanned (image-only) PDF pages, with the optional ``ocr`` extra.

The engine is RapidOCR on ONNX Runtime (``rapidocr-onnxruntime``): its detection, direction and
recognition models ship inside the wheel, so nothing is downloaded at run time. The same image
ruling finder serves "searchable" scans (an image plus an invisible text layer): their tables
are found in the image and filled with the text layer's characters, without OCR. A page is
rendered (pypdfium2, shipped with pdfplumber), its ruling lines found in the image (long dark
horizontal/vertical runs) and handed to the same cell finder as vector PDFs; the recognised
text boxes become pseudo-characters that fill the cells, so a scanned table lands in the same
grid as a born-digital one.
"""

from __future__ import annotations

from functools import lru_cache

from ..options import DEFAULT_OPTIONS, ReadOptions
from .ocr_deskew import straighten
from .pdf_tables import Fragment, make_edge, page_fragments
from .pdf_text import Line, chars_to_lines

_OCR = DEFAULT_OPTIONS.ocr  # resolution, min_line_pt, straddle_pt when no options are given


def available() -> bool:
    """True when an OCR engine whose models ship with the package is installed."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # ImportError, or a broken native library
        return False
    return True


@lru_cache(maxsize=1)
def engine():
    """The OCR engine (loaded once per process)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def read_page(page, ocr_engine, options: ReadOptions = DEFAULT_OPTIONS, info: dict | None = None) -> tuple[list[Fragment], list[Line]]:
    """Tables and prose lines of a scanned pdfplumber page (levelled first; ``info["skew"]`` gets
    the :class:`~.ocr_deskew.Skew` found)."""
    import numpy as np

    settings = options.ocr
    # smoothed resampling: nearest-neighbour drops whole pixel columns of a scan made at another
    # resolution, and with them one-pixel table rules
    image = page.to_image(resolution=settings.resolution, antialias=True).original.convert("RGB")
    pixels, skew = straighten(np.asarray(image))
    if info is not None:
        info["skew"] = skew
    scale = float(page.width) / pixels.shape[1]
    result, _ = ocr_engine(pixels, use_cls=False)
    chars = boxes_to_chars(result or [], scale)
    # strokes of characters are not rules: drop "rules" lying inside one text box (a real rule a
    # box straddles goes on outside it, so boxes are not blanked beforehand)
    boxes = [_quad_bbox(quad, scale) for quad, _text, _score in result or []]
    edges = [e for e in ruling_edges(pixels, scale, min_line_pt=settings.min_line_pt) if not any(_inside(e, b) for b in boxes)]
    numeric = [b for b, (_q, text, _s) in zip(boxes, result or []) if any(ch.isdigit() for ch in str(text))]
    # strokes of characters make spurious little "tables": a table is at least a fifth of the
    # page wide and has two rows or more
    frags, rest = page_fragments(edges, chars, page.page_number, min_width=float(page.width) / 5, min_rows=2, settings=options.pdf)
    for frag in frags:
        for box in frag.boxes:
            if not box.text:  # the page-level detector misses small isolated glyphs (a lone 0)
                box.text = _read_crop(ocr_engine, pixels, box, scale)
            elif any(_straddles(b, box, settings.straddle_pt) for b in numeric):
                # the numbers of neighbouring cells read as one box across their rule: the cell
                # is re-read from its own image (kept when that gives a number)
                again = _read_crop(ocr_engine, pixels, box, scale)
                if again and all(ch.isdigit() or ch in ".,-" for ch in repair_number(again)):
                    box.text = again
            box.text = repair_number(box.text)
    return frags, chars_to_lines(rest)


def _read_crop(ocr_engine, pixels, box, scale: float) -> str:
    """Recognise one line of text in a cell's image (inside its ruling); '' when it is blank."""
    inset = 2.0
    x0, x1 = int((box.x0 + inset) / scale), int((box.x1 - inset) / scale)
    y0, y1 = int((box.top + inset) / scale), int((box.bottom - inset) / scale)
    crop = pixels[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
    if crop.size == 0 or crop.min() > 160:  # nothing dark inside: a blank cell
        return ""
    import numpy as np

    gray = crop.min(axis=2) if crop.ndim == 3 else crop
    rows = np.where((gray < 160).any(axis=1))[0]
    cols = np.where((gray < 160).any(axis=0))[0]
    pad = max(4, int((rows[-1] - rows[0]) * 0.4))
    crop = crop[max(0, rows[0] - pad) : rows[-1] + pad + 1, max(0, cols[0] - pad) : cols[-1] + pad + 1]
    result, _ = ocr_engine(np.ascontiguousarray(crop), use_det=False, use_cls=False, use_rec=True)
    if not result:
        return ""
    text, score = result[0][0], float(result[0][1])
    return str(text).strip() if score >= 0.5 else ""


_CONFUSED = str.maketrans({"D": "0", "C": "0", "O": "0", "o": "0", "〇": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "Z": "2", "S": "5", "B": "8"})


_DASHES = {"一", "ー", "―", "－", "_", "一一", "——", "-一"}  # a placeholder dash read as a CJK "one"
_SPECKS = "：:·'`‘’"  # marks OCR finds between the wide-set digits of full-width numbers


def repair_number(text: str) -> str:
    """A cell read as a number with one letter OCR confuses with a digit (``D`` for ``0``) fixed.

    Only short cells that are digits but for one such letter are changed; labels are kept. A lone
    horizontal stroke (``一``: no label of the template is that) is the placeholder dash ``—``,
    and specks between digits (``1：5`` from a full-width ``１５``) are dropped.
    """
    t = text.strip().replace(" ", "")
    if not t or len(t) > 12:
        return text
    if t in _DASHES:
        return "—"
    despecked = "".join(c for c in t if c not in _SPECKS)
    if despecked != t and despecked.isdigit() and t[0].isdigit() and t[-1].isdigit():
        return despecked
    if len(t) > 1 and t[-1] in ".,。，、" and t[:-1].replace(".", "").isdigit():
        return t[:-1]  # a speck read as a trailing point: 5. -> 5
    odd = [c for c in t if not (c.isdigit() or c in ".,-")]
    if len(odd) != 1 or odd[0] not in "DCOo〇QlI|ZSB" or (len(t) == 1 and odd[0] in "ZSB"):
        return text
    fixed = t.translate(_CONFUSED)
    return fixed if fixed.replace(".", "").replace(",", "").lstrip("-").isdigit() else text


def page_ruling(page, chars: list[dict], options: ReadOptions = DEFAULT_OPTIONS) -> list[dict]:
    """Ruling lines drawn in a page's image(s): for scans with a text layer ("searchable" PDFs),
    whose tables are pixels while their text is characters."""
    import numpy as np

    pixels = np.asarray(page.to_image(resolution=options.ocr.resolution, antialias=True).original.convert("RGB"))
    return ruling_edges(pixels, float(page.width) / pixels.shape[1], chars, min_line_pt=options.ocr.min_line_pt)


def ruling_edges(pixels, scale: float, chars: list[dict] | None = None, min_line_pt: float = _OCR.min_line_pt) -> list[dict]:
    """Horizontal and vertical ruling lines of a page image, as pdfplumber-style edges in points.

    The areas of known characters (``chars``, in points) are blanked first, so that the strokes
    of large characters are not taken for rules.
    """
    import cv2
    import numpy as np

    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) if pixels.ndim == 3 else pixels
    # darker than the neighbourhood, not than a fixed grey: a thin rule resampled from a scan of
    # another resolution is a faint grey smear two pixels wide
    dark = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 12)
    for ch in chars or ():
        w, h = ch["x1"] - ch["x0"], ch["bottom"] - ch["top"]
        x0, x1 = int((ch["x0"] + 0.1 * w) / scale), int((ch["x1"] - 0.1 * w) / scale)
        y0, y1 = int((ch["top"] + 0.1 * h) / scale), int((ch["bottom"] - 0.1 * h) / scale)
        if x1 > x0 and y1 > y0:
            dark[max(0, y0) : y1, max(0, x0) : x1] = 0
    min_px = max(10, int(min_line_pt / scale))
    edges: list[dict] = []
    for orient, kernel in (("h", (min_px, 1)), ("v", (1, min_px))):
        k = cv2.getStructuringElement(cv2.MORPH_RECT, kernel)
        mask = cv2.morphologyEx(dark, cv2.MORPH_OPEN, k)
        lines = mask if orient == "h" else mask.T  # one pixel row (column) after another
        for i in np.where(lines.any(axis=1))[0]:
            run = np.diff(np.concatenate(([0], lines[i], [0])).astype(np.int8))
            starts, ends = np.where(run == 1)[0], np.where(run == -1)[0]
            for a, b in zip(starts, ends):
                if b - a < min_px:
                    continue
                pos = (i + 0.5) * scale
                if orient == "h":
                    edges.append(make_edge("h", a * scale, b * scale, pos, pos))
                else:
                    edges.append(make_edge("v", pos, pos, a * scale, b * scale))
    return edges


def _quad_bbox(quad, scale: float, pad: float = 1.0) -> tuple[float, float, float, float]:
    xs = [p[0] * scale for p in quad]
    ys = [p[1] * scale for p in quad]
    return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


def _straddles(text_box: tuple[float, float, float, float], cell, straddle_pt: float = _OCR.straddle_pt) -> bool:
    """Whether an OCR text box lies across a left or right rule of ``cell`` (on the cell's lines)."""
    x0, top, x1, bottom = text_box
    overlap_y = min(bottom, cell.bottom) - max(top, cell.top)
    if overlap_y < 0.6 * (bottom - top) or x1 <= cell.x0 or x0 >= cell.x1:
        return False
    return x0 < cell.x0 - straddle_pt or x1 > cell.x1 + straddle_pt


def _inside(edge: dict, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= edge["x0"] and edge["x1"] <= box[2] and box[1] <= edge["top"] and edge["bottom"] <= box[3]


def boxes_to_chars(result: list, scale: float) -> list[dict]:
    """OCR boxes ``[quad, text, score]`` as pseudo-characters spread evenly over each box."""
    chars = []
    for quad, text, _score in result:
        text = str(text).strip()
        if not text:
            continue
        xs = [p[0] * scale for p in quad]
        ys = [p[1] * scale for p in quad]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        step = (x1 - x0) / len(text)
        for i, ch in enumerate(text):
            if ch.isspace():
                continue
            chars.append({"text": ch, "x0": x0 + i * step, "x1": x0 + (i + 1) * step, "top": top, "bottom": bottom, "size": bottom - top})
    return chars
