"""PDF reader: born-digital reports (text layer + ruled tables) and, with the ``ocr`` extra, scans.

Each page is read on its own and closed at once (a 300-page file does not pile up layout
objects): its ruled tables become :class:`~.pdf_tables.Fragment`\\ s built from the drawn lines
and cell boxes, the characters outside them become lines of prose. Then, over the whole
document: page numbers and running headers/footers are dropped, table fragments continuing on
the next page are joined by their column geometry, prose lines are joined into paragraphs and
everything is laid out in reading order. The title candidate is the first large line(s) on the
first page.

Scanned pages (images, no text) are read by OCR with the ``ocr`` extra (:mod:`.ocr`), else a
:class:`~report_extract.errors.MissingDependencyError` names the extra. Scans with an invisible
text layer keep their text; with the extra, their table rules are found in the image.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from ..deadline import check as check_deadline
from ..errors import (
    CorruptInputError,
    EncryptedInputError,
    MissingDependencyError,
    ReportError,
    UnusableTextError,
)
from ..grid import Block, Document, Paragraph, ReaderIssue, TitleCandidate
from ..options import DEFAULT_OPTIONS, PdfSettings, ReadOptions
from . import ocr
from .limits import check_pages
from .ocr_deskew import ocr_skew_issues
from .pdf_tables import Fragment, continues, fragment_to_table, join_fragments, page_fragments, visible_edges
from .pdf_text import Line, chars_to_lines, is_bad_glyph, join_texts

_PAGE_NUMBER_RE = re.compile(
    r"^[-—–－_~·\s]*(第\s*)?[0-9０-９]{1,4}\s*(页)?(\s*[/／]\s*(共\s*)?[0-9０-９]{1,4}\s*页?)?[-—–－_~·\s]*$"
    r"|^[-—–－\s]*(第\s*[0-9０-９]{1,4}\s*页\s*)?(共\s*[0-9０-９]{1,4}\s*页)[-—–－\s]*$"
    r"|^[-—–－\s]*[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}[-—–－\s]*$"
)
_HEADING_RE = re.compile(r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")


@dataclass
class _Page:
    number: int
    width: float
    height: float
    fragments: list[Fragment] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    n_chars: int = 0
    bad_glyphs: int = 0
    scanned: bool = False
    ocr: bool = False
    image_ruling: bool = False  # tables found in the page image, text from the text layer


def read_pdf(data: bytes, path: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Read a PDF report into a :class:`~report_extract.grid.Document`.

    Raises :class:`EncryptedInputError` for password-protected files, :class:`CorruptInputError`
    for damaged or truncated ones, :class:`UnusableTextError` when the text layer is made of
    unmapped glyphs and :class:`MissingDependencyError` for scanned pages without the ``ocr`` extra.
    """
    pdf = _open(data, path)
    pages: list[_Page] = []
    issues: list[ReaderIssue] = []
    settings = options.pdf
    try:
        props = _metadata(pdf.metadata or {})
        props["pages"] = len(pdf.pages)
        check_pages(len(pdf.pages), path, options)
        engine = None
        for page in pdf.pages:
            check_deadline()
            try:
                content = _read_page(page, options)
                if content.scanned:
                    if engine is None and options.ocr.enabled and ocr.available():
                        engine = ocr.engine()
                    if engine is not None:
                        try:
                            info: dict = {}
                            frags, lines = ocr.read_page(page, engine, options, info)
                            issues += ocr_skew_issues(content.number, info.get("skew"), props)
                        except Exception as exc:  # the OCR engine failing is not a damaged file
                            issues.append(ReaderIssue("text_layer", f"OCR of page {content.number} failed: {type(exc).__name__}: {_short(exc)}"))
                        else:
                            content.fragments, content.lines, content.ocr = frags, lines, True
                pages.append(content)
            except (EncryptedInputError, MissingDependencyError, ReportError):
                raise
            except Exception as exc:
                raise CorruptInputError(path, f"cannot read page {page.page_number}: {type(exc).__name__}: {exc}") from None
            finally:
                page.close()
    except (EncryptedInputError, CorruptInputError, MissingDependencyError, ReportError):
        raise
    except Exception as exc:
        raise CorruptInputError(path, f"cannot parse the PDF: {type(exc).__name__}: {_short(exc)}") from None
    finally:
        pdf.close()

    if not pages:
        raise CorruptInputError(path, "the PDF has no pages")
    _check_text_layer(pages, path, issues, settings)
    scanned = [p.number for p in pages if p.scanned and not p.ocr]
    if scanned:
        if not any(p.fragments for p in pages):
            raise MissingDependencyError(
                path,
                f"{len(scanned)} of {len(pages)} pages are scanned images without a text layer; reading them "
                "needs OCR: pip install report_extract[ocr]",
            )
        issues.append(ReaderIssue("text_layer", f"pages {_ranges(scanned)} are images without text and were not read (install report_extract[ocr])"))
    if any(p.ocr for p in pages):
        props["ocr_pages"] = [p.number for p in pages if p.ocr]
    if any(p.image_ruling for p in pages):
        props["image_ruling_pages"] = [p.number for p in pages if p.image_ruling]
    _drop_furniture(pages, settings)
    blocks, title = _layout(pages, settings)
    candidates = [TitleCandidate(title, "large")] if title else []
    return Document(blocks=blocks, source_format="pdf", path=path, properties=props, title_candidates=candidates, reader_issues=issues)


# -- opening ----------------------------------------------------------------------------------


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "…"


def _open(data: bytes, path: str | None):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if not data.lstrip()[:1024].count(b"%PDF"):
        raise CorruptInputError(path, "not a PDF file (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # parses the page tree: fails here on damaged files
    except Exception as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in str(cause).lower():
            raise EncryptedInputError(path, "the PDF is password-protected (encrypted); decrypt it first") from None
        raise CorruptInputError(path, f"damaged or truncated PDF ({type(cause).__name__}: {_short(cause)})") from None
    return pdf


def _fix_meta_text(value) -> str | None:
    """Metadata strings, including UTF-16 ones mis-decoded as Latin-1 (``ÿþ…``)."""
    if isinstance(value, bytes):
        for enc in ("utf-16" if value[:2] in (b"\xfe\xff", b"\xff\xfe") else "utf-8", "gb18030", "latin-1"):
            try:
                return value.decode(enc)
            except UnicodeDecodeError:
                continue
    if not isinstance(value, str):
        return None if value is None else str(value)
    if value[:2] in ("ÿþ", "þÿ"):  # UTF-16 bytes that pdfminer decoded as PDFDocEncoding
        from pdfminer.utils import PDFDocEncoding

        inverse: dict[str, int] = {}
        for i, c in enumerate(PDFDocEncoding):
            inverse.setdefault(c, i)
        try:
            return bytes(inverse.get(c, 0x3F) for c in value).decode("utf-16").replace("\x00", "")
        except UnicodeDecodeError:
            return value
    return value


def _metadata(meta: dict) -> dict:
    out = {}
    for key in ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate"):
        v = _fix_meta_text(meta.get(key))
        if v and v.strip():
            out[key.lower()] = v.strip()
    return out


# -- one page ---------------------------------------------------------------------------------


def _read_page(page, options: ReadOptions) -> _Page:
    chars = [c for c in page.chars if c.get("text")]
    out = _Page(page.page_number, float(page.width), float(page.height), n_chars=len(chars))
    out.bad_glyphs = sum(1 for c in chars if is_bad_glyph(c["text"]))
    visible = [c for c in chars if c["text"].strip()]
    if len(visible) < options.pdf.min_text_chars and _image_share(page) > 0.3:
        out.scanned = True
        return out
    objects = list(page.lines) + list(page.rects) + list(page.curves)
    frags, rest = page_fragments(visible_edges(objects), chars, page.page_number, settings=options.pdf)
    if not frags and rest and _image_share(page) > 0.5 and options.ocr.enabled and ocr.available():
        # a scan with a text layer: the table rules are pixels of the image
        frags, rest = page_fragments(ocr.page_ruling(page, chars, options), chars, page.page_number, min_width=float(page.width) / 5,
                                     min_rows=2, settings=options.pdf)
        out.image_ruling = bool(frags)
    out.fragments = frags
    out.lines = chars_to_lines(rest)
    return out


def _image_share(page) -> float:
    area = float(page.width * page.height) or 1.0
    total = 0.0
    for im in page.images:
        w = max(0.0, min(im["x1"], page.width) - max(im["x0"], 0))
        h = max(0.0, min(im["bottom"], page.height) - max(im["top"], 0))
        total += w * h
    return min(1.0, total / area)


def _check_text_layer(pages: list[_Page], path: str | None, issues: list[ReaderIssue], settings: PdfSettings = DEFAULT_OPTIONS.pdf) -> None:
    bad_pages = [p.number for p in pages if p.n_chars and p.bad_glyphs / p.n_chars > settings.bad_glyph_share]
    text_pages = [p for p in pages if p.n_chars]
    if not bad_pages:
        return
    if len(bad_pages) * 2 >= len(text_pages):
        raise UnusableTextError(
            path,
            f"the text layer is unusable: pages {_ranges(bad_pages)} use fonts without a Unicode mapping "
            "((cid:NNN) or private-use glyphs); the text cannot be extracted (OCR of the rendered pages would be needed)",
        )
    issues.append(ReaderIssue("text_layer", f"pages {_ranges(bad_pages)} use fonts without a Unicode mapping; their text is unreliable"))


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and "-" not in out[-1] and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}-{n}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == n - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


# -- page furniture ---------------------------------------------------------------------------


def _drop_furniture(pages: list[_Page], settings: PdfSettings) -> None:
    """Remove page numbers and running headers/footers (lines in the margins repeated on pages)."""
    margin_texts: Counter[str] = Counter()
    for p in pages:
        seen = set()
        for ln in p.lines:
            if _in_margin(ln, p, settings.margin_share):
                key = re.sub(r"[0-9０-９]+", "#", ln.text.replace(" ", ""))
                if key not in seen:
                    seen.add(key)
                    margin_texts[key] += 1
    repeated = {k for k, n in margin_texts.items() if n >= 3 and n * 2 >= len(pages)}
    for p in pages:
        kept = []
        for ln in p.lines:
            if _in_margin(ln, p, settings.margin_share):
                t = ln.text.strip()
                if _PAGE_NUMBER_RE.match(t) or re.sub(r"[0-9０-９]+", "#", t.replace(" ", "")) in repeated:
                    continue
            kept.append(ln)
        p.lines = kept


def _in_margin(ln: Line, p: _Page, share: float) -> bool:
    return ln.bottom <= p.height * share or ln.top >= p.height * (1 - share)


# -- reading order ----------------------------------------------------------------------------


def _layout(pages: list[_Page], settings: PdfSettings) -> tuple[list[Block], str | None]:
    """Blocks in reading order: paragraphs and tables (fragments joined across pages)."""
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[round(ln.size)] += len(ln.text)
    body = float(sizes.most_common(1)[0][0]) if sizes else 10.0
    title = _title(pages, body)
    blocks: list[Block | None] = []
    tables: list[list] = []  # [block position, fragment]
    open_table: list | None = None  # the last table when nothing followed it on its page
    para: list[Line] = []
    para_page = 0
    para_right = 0.0

    def flush() -> None:
        nonlocal para
        if para:
            blocks.append(Paragraph(join_texts([ln.text for ln in para]), source={"page": para_page}))
            para = []

    body_lines = [ln for p in pages for ln in p.lines if abs(ln.size - body) <= 1.5]
    left = _quantile([ln.x0 for ln in body_lines], 0.1, 0.0)
    right = _quantile([ln.x1 for ln in body_lines], 0.9, max((p.width for p in pages), default=0.0))
    for p in pages:
        items: list[tuple[float, int, object]] = [(ln.top, 1, ln) for ln in p.lines]
        items += [(f.top, 0, f) for f in p.fragments]
        items.sort(key=lambda it: (it[0], it[1]))
        for pos, (_top, kind, obj) in enumerate(items):
            if kind == 0:
                flush()
                if pos == 0 and open_table is not None and continues(open_table[1], obj, settings):
                    open_table[1] = join_fragments(open_table[1], obj, settings)
                else:
                    open_table = [len(blocks), obj]
                    tables.append(open_table)
                    blocks.append(None)
                continue
            ln: Line = obj  # type: ignore[assignment]
            open_table = None
            big = ln.size > body * 1.15
            if para:
                prev = para[-1]
                short = prev.x1 < para_right - 1.5 * prev.size
                if big and abs(ln.size - prev.size) <= 0.15 * prev.size:
                    new_par = False  # a title or heading over several lines
                elif pos == 0:  # first line of a page continues a paragraph that filled its last line
                    new_par = short or ln.x0 > left + 0.8 * ln.size or abs(ln.size - prev.size) > 1.0
                else:
                    new_par = (
                        short
                        or (_HEADING_RE.match(ln.text) is not None and ln.x1 < right - 1.5 * ln.size)
                        or abs(ln.size - prev.size) > 1.0
                        or ln.x0 > left + 0.8 * ln.size
                        or ln.top - prev.bottom > 1.2 * max(ln.height, prev.height)
                    )
                if new_par:
                    flush()
            if not para:
                para_page = p.number
            para.append(ln)
            para_right = right
    flush()
    for n, (pos, frag) in enumerate(tables):
        blocks[pos] = fragment_to_table(frag, n)
    return [b for b in blocks if b is not None], title


def _quantile(values: list[float], q: float, default: float) -> float:
    if not values:
        return default
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _title(pages: list[_Page], body: float) -> str | None:
    """The first large line(s) of the first page with text (a title candidate)."""
    for p in pages:
        if not p.lines:
            continue
        lines = sorted(p.lines, key=lambda ln: ln.top)
        big = [ln for ln in lines if ln.size > body * 1.15]
        if not big:
            return None
        start = lines.index(big[0])
        group = []
        for ln in lines[start:]:
            if abs(ln.size - big[0].size) > 0.15 * big[0].size:
                break
            group.append(ln)
        return join_texts([ln.text for ln in group])
    return None


__all__ = ["read_pdf"]
