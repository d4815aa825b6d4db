"""HTML tables and cell text: the part of the HTML reader that turns markup into grids.

Cell text is assembled from the cell's inline content the way a browser shows it, then cleaned:
``&nbsp;``, U+3000 and padding are removed; a number split across spans
(``<span>2</span><span>0</span>``) is joined because spans are inline; pieces separated by block
boundaries (``<p>``, ``<div>``, ``<br>``) are joined without a separator when they meet at a CJK
character (``社会<br>公益<br>组织`` → ``社会公益组织``) and with one space otherwise.
"""

from __future__ import annotations

import re
from itertools import chain
from operator import attrgetter

from lxml import etree

from ..grid import CellSpec, Table, build_table
from ..options import DEFAULT_OPTIONS, HtmlSettings
from ..textnorm import clean_cell

# Elements whose content is never shown as text.
DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "canvas", "select",
        "option", "button", "input", "textarea", "head", "title", "meta", "link", "map", "audio", "video",
        "xml", "nav",
    }
)
# Elements that start a new line of text.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
        "section", "article", "center", "pre", "address", "figure", "figcaption", "main", "aside", "header",
        "footer", "hr", "table", "tr", "td", "th", "caption", "tbody", "thead", "tfoot", "form",
        "fieldset", "legend", "details", "summary",
    }
)
# Elements that end a line of text or whose text is not shown (a cell or paragraph holding one
# is split by ``_collect``); and the block elements a lone child may be without splitting its parent.
_LINE_BREAKING = BLOCK_TAGS | DROP_TAGS | {"br"}
_LONE_BLOCK_TAGS = BLOCK_TAGS - DROP_TAGS
# Elements whose strings are not the page's text (BeautifulSoup's string containers).
NON_TEXT_TAGS = frozenset({"script", "style", "template", "rt", "rp"})
Element = etree._Element
_TEXT_NODES = etree.XPath(
    "descendant-or-self::text()[not(ancestor::script or ancestor::style or ancestor::template"
    " or ancestor::rt or ancestor::rp)]",
    smart_strings=False,
)
_MAYBE_HIDDEN = etree.XPath("descendant-or-self::*[@hidden or contains(@style, 'none')]")
# the same over a whole page as two queries of attributes (strings that know their element): no
# union or parent step, whose sorting into document order costs more than the search
_NONE_STYLES_PAGE = etree.XPath("//@style[contains(., 'none')]")
HIDDEN_ATTRS_PAGE = etree.XPath("//@hidden")
# an element's XPath string value: its text joined in C (= "".join(itertext()) when no comment or PI is inside)
STRING_VALUE = etree.XPath("string()", smart_strings=False)
_INT_RE = re.compile(r"\d+")
_COLSPAN = attrgetter("colspan")
_MAX_HIDDEN_SCAN = 64  # hidden elements of a page sorted per table by _hidden_under
_DIGIT_RE = re.compile(r"\d")
NUMBERED_HEADING = re.compile(r"^[一二三四五六][、.，,．]")
_CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f（）【】《》“”‘’、，。：；]")


def parse_html(text: str, utf8: bytes | None = None) -> Element | None:
    """Parse markup with lxml's forgiving HTML parser: the ``<html>`` root (a fragment is wrapped
    in ``<html><body>``), or None when the text holds no element at all. ``utf8``: the text's
    UTF-8 encoding when the caller has it (the page's own bytes), parsed instead of encoding it again."""
    try:  # libxml2 parses UTF-8 bytes faster than a Python string
        data = utf8 or text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        parser = etree.HTMLParser(recover=True)
        try:
            parser.feed(text)
            return parser.close()
        except etree.Error:
            return None
    # the whole buffer at once (faster than feeding it), no table of id attributes (nothing here
    # looks elements up by id)
    try:
        return etree.fromstring(data, etree.HTMLParser(recover=True, encoding="utf-8", collect_ids=False))
    except etree.Error:
        return None


def is_element(node: object) -> bool:
    """True for an element (not a comment or processing instruction)."""
    return isinstance(node.tag, str)  # type: ignore[attr-defined]


def classes(el: Element) -> list[str]:
    """The element's ``class`` attribute as a list of names."""
    return (el.get("class") or "").split()


def get_text(el: Element, sep: str = "") -> str:
    """All the text inside ``el`` as a browser's ``textContent`` without scripts and styles."""
    if not len(el):
        return el.text or ""
    return sep.join(_TEXT_NODES(el))


def only_string(el: Element) -> str | None:
    """The element's single string when it holds exactly one (through single-child elements):
    BeautifulSoup's ``.string``."""
    while True:
        text = el.text
        n = len(el)
        if n == 0:
            return text
        if n > 1 or text:
            return None
        k = el[0]
        if k.tail:
            return None
        if not isinstance(k.tag, str):
            return k.text or ""
        el = k


def is_hidden(tag: Element) -> bool:
    """True for an element hidden with an inline ``display:none`` style or the hidden attribute."""
    names = tag.keys()
    if not names:
        return False
    if "hidden" in names:
        return True
    if "style" in names:
        style = tag.get("style")
        return "none" in style and hides(style)
    return False


def hidden_elements(root: Element) -> set[Element]:
    """Every element of ``root``'s subtree (itself included) that :func:`is_hidden` says is hidden,
    found by one XPath query (the set keeps their proxies alive, so membership is identity)."""
    if root.getparent() is not None:
        return {el for el in _MAYBE_HIDDEN(root) if is_hidden(el)}
    out = {a.getparent() for a in HIDDEN_ATTRS_PAGE(root)}
    out.update(s.getparent() for s in _NONE_STYLES_PAGE(root) if hides(s))
    return out


def hides(style: str) -> bool:
    """True for an inline style holding ``display:none`` (spaces and case aside); :func:`is_hidden`
    asks it of styles holding "none" as written.

    Most styles holding "none" are Word's ``border:none``; most of those hold no "y", which
    "display" needs (only "y" and "Y" lower to it): found in C, it spares the copy and the lowering."""
    if "y" not in style and "Y" not in style:
        return False
    return "display:none" in style.replace(" ", "").lower()


def text_pieces(node: Element, hidden: set[Element] | None = None) -> list[str]:
    """The lines of text inside ``node``: inline content joined, block boundaries split.

    ``hidden`` is the set of hidden elements of the page (:func:`hidden_elements`), when known."""
    if not len(node):  # the common cell: text only
        t = clean_cell(node.text or "")
        return [t] if t else []
    if hidden is None:
        hidden = hidden_elements(node)
    t = _one_piece(node, hidden)
    if t is not None:
        return [t] if t else []
    return _split_pieces(node, hidden)


def _split_pieces(node: Element, hidden: set[Element]) -> list[str]:
    """The lines of ``node`` by the general walk (:func:`_collect`), each cleaned, blank ones dropped."""
    out: list[list[str]] = [[]]
    _collect(node, out, hidden)
    pieces = []
    for p in out:
        if p:
            t = clean_cell("".join(p))
            if t:
                pieces.append(t)
    return pieces


def _one_piece(node: Element, hidden: set[Element]) -> str | None:
    """The clean text of ``node`` when its content is one line: inline elements only, or one
    block element (blank text around it) holding inline elements only; None otherwise (then
    :func:`_collect` splits it). The common shapes of cells and paragraphs (``<td><p><span>``).

    ``node`` has children; ``hidden`` may be any set holding the hidden elements under ``node``."""
    inner = node
    if len(node) == 1:
        child = node[0]
        if child.tag in _LONE_BLOCK_TAGS:
            if hidden and child in hidden:
                return None
            text = node.text
            if text and clean_cell(text):  # text before the block: a line of its own
                return None
            text = child.tail
            if text and clean_cell(text):
                return None
            if not len(child):  # <td><p>text</p></td>: the string value is the text
                return clean_cell(child.text or "")
            inner = child
    parts: list[str] = []
    if not _inline_text(inner, hidden, parts):
        return None
    return clean_cell("".join(parts))  # no comment or PI inside: the element's string value


def _inline_text(el: Element, hidden: set[Element], parts: list[str]) -> bool:
    """Add the text inside ``el`` to ``parts`` in document order (its string value, piece by
    piece); False, stopping, at a line-breaking, hidden or non-element (comment, PI) descendant."""
    text = el.text
    if text:
        parts.append(text)
    for child in el:
        name = child.tag
        if name.__class__ is not str or name in _LINE_BREAKING or (hidden and child in hidden):
            return False
        if len(child):
            if not _inline_text(child, hidden, parts):
                return False
        else:
            text = child.text
            if text:
                parts.append(text)
        text = child.tail
        if text:
            parts.append(text)
    return True


def _collect(node: Element, out: list[list[str]], hidden: set[Element]) -> None:
    if node.text:
        out[-1].append(node.text)
    for child in node:
        name = child.tag
        if name.__class__ is str and name not in DROP_TAGS and child not in hidden:
            if name == "br":
                out.append([])
            elif name in BLOCK_TAGS:
                out.append([])
                if len(child):
                    _collect(child, out, hidden)
                elif child.text:
                    out[-1].append(child.text)
                out.append([])
            elif len(child):
                _collect(child, out, hidden)
            elif child.text:
                out[-1].append(child.text)
        if child.tail:
            out[-1].append(child.tail)


def join_pieces(pieces: list[str]) -> str:
    """Join the lines of one cell: no separator where they meet at a CJK character, else a space."""
    if not pieces:
        return ""
    text = pieces[0]
    for p in pieces[1:]:
        if _CJK_RE.match(text[-1]) or _CJK_RE.match(p[0]):
            text += p
        else:
            text += " " + p
    return text


def cell_text(cell: Element, hidden: set[Element] | None = None) -> str:
    """The text of a table cell as one clean string (``hidden``: see :func:`text_pieces`)."""
    return join_pieces(text_pieces(cell, hidden))


def _span(value: object, limit: int, zero_to_end: bool = False) -> int:
    """A rowspan/colspan attribute as a sane integer (browsers read the leading digits)."""
    if value is None:
        return 1
    m = _INT_RE.match(str(value).strip())
    if not m:
        return 1
    n = int(m.group())
    if n == 0:  # rowspan=0: to the end of the table section; colspan=0 is read as 1
        return limit if zero_to_end else 1
    return max(1, min(n, limit))


def own_rows(table: Element) -> list[Element]:
    """The ``<tr>`` of ``table`` itself (not of nested tables), thead first and tfoot last."""
    head: list[Element] = []
    body: list[Element] = []
    foot: list[Element] = []
    for child in table:
        name = child.tag
        if name == "tr":
            body.append(child)
        elif name in ("thead", "tbody", "tfoot"):
            rows = [r for r in child if r.tag == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[name].extend(rows)
    return head + body + foot


def own_cells(tr: Element) -> list[Element]:
    """The ``<td>``/``<th>`` of a row."""
    return [c for c in tr if c.tag in ("td", "th")]


def table_blocks(
    table: Element, settings: HtmlSettings = DEFAULT_OPTIONS.html, hidden: set[Element] | None = None
) -> list[Table]:
    """A data ``<table>`` as a grid (none when it holds no text, or spans no real table has:
    a grid of millions of cells). Section headings printed as rows are the layout pass's business."""
    rows = table_rows(table, settings, hidden)
    if not any(s.text for row in rows for s in row):
        return []
    if not _within_limit(rows, settings.max_grid_cells):
        return []
    return [build_table(rows)]


def _within_limit(rows: list[list[CellSpec]], limit: int) -> bool:
    """True when :func:`grid_size_bound` of ``rows`` is within ``limit``; found without it when
    twice the rows times the colspans' sum, never below it (each term of it is at most the rows
    times the colspans' sum), is within the limit already: the common table."""
    if 2 * len(rows) * sum(map(_COLSPAN, chain.from_iterable(rows))) <= limit:
        return True
    return grid_size_bound(rows) <= limit


def grid_size_bound(rows: list[list[CellSpec]]) -> int:
    """An upper bound on the positions :func:`build_table` would create for ``rows``."""
    n = len(rows)
    area = 0
    spanning = 0
    widest = 0
    for r, specs in enumerate(rows):
        width = 0
        for s in specs:
            rs = min(s.rowspan, n - r)
            area += rs * s.colspan
            width += s.colspan
            if rs > 1:
                spanning += s.colspan
        widest = max(widest, width)
    return max(area, n * (widest + spanning))


def table_rows(
    table: Element, settings: HtmlSettings = DEFAULT_OPTIONS.html, hidden: set[Element] | None = None
) -> list[list[CellSpec]]:
    """The rows of a ``<table>`` as cell specs, trailing spacer rows dropped (``hidden``: see
    :func:`text_pieces`)."""
    hidden = hidden_elements(table) if hidden is None else _hidden_under(table, hidden)
    max_rowspan, max_colspan = settings.max_rowspan, settings.max_colspan
    rows: list[list[CellSpec]] = []
    for r, tr in enumerate(own_rows(table), 1):
        if hidden and tr in hidden:
            continue
        specs = []
        c = 0
        for td in tr:
            tag = td.tag
            if tag != "td" and tag != "th":
                continue
            c += 1
            rowspan = td.get("rowspan")
            colspan = td.get("colspan")
            specs.append(
                CellSpec(
                    _cell_text(td, hidden),
                    1 if rowspan is None else _span(rowspan, max_rowspan, zero_to_end=True),
                    1 if colspan is None else _span(colspan, max_colspan),
                    {"html_row": r, "html_cell": c},
                )
            )
        rows.append(specs)
    _drop_spacer_rows(rows)
    return rows


def _hidden_under(table: Element, hidden: set[Element]) -> set[Element]:
    """The members of ``hidden`` inside ``table`` (itself included): the only ones its cells can
    meet, and most often none, which spares the cells a look-up per element. A page with many
    hidden elements keeps them all (a walk up from each per table would cost more than it saves)."""
    if not hidden or len(hidden) > _MAX_HIDDEN_SCAN:
        return hidden
    return {el for el in hidden if el is table or any(a is table for a in el.iterancestors())}


def _cell_text(td: Element, hidden: set[Element]) -> str:
    """:func:`cell_text` of a table cell whose hidden elements are known (``hidden`` holds them,
    maybe with others)."""
    if not len(td):
        text = td.text
        return clean_cell(text) if text else ""
    t = _one_piece(td, hidden)
    if t is not None:
        return t
    return join_pieces(_split_pieces(td, hidden))


def _drop_spacer_rows(rows: list[list[CellSpec]]) -> None:
    """Drop trailing rows with no text at all (``&nbsp;`` spacer rows) after a row of numbers.

    Empty rows right under a header row are kept: they are a data row whose cells are blank."""
    end = len(rows)
    while end and all(not s.text for s in rows[end - 1]):
        end -= 1
    if end < len(rows) and (end == 0 or any(_DIGIT_RE.search(s.text) for s in rows[end - 1])):
        del rows[end:]


__all__ = [
    "DROP_TAGS", "BLOCK_TAGS", "NUMBERED_HEADING", "text_pieces", "join_pieces", "cell_text", "table_blocks",
    "table_rows", "grid_size_bound", "own_rows", "own_cells", "is_hidden", "parse_html", "is_element", "classes",
    "get_text", "only_string", "Element", "NON_TEXT_TAGS", "hidden_elements", "hides", "STRING_VALUE",
]
