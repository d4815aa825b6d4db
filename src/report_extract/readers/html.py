"""HTML: full saved pages, bare fragments and HTML held in a JS/JSON string literal.

The reader decodes the bytes (BOM, ``<meta charset>``, undeclared GBK vs UTF-8, GB2312 pages that
use GB18030 characters), parses them with lxml's HTML parser (libxml2, the parser BeautifulSoup used here before, without
its Python tree: ~10× faster on these pages), finds the report inside the page
chrome and returns its prose and tables in reading order:

* the article container of common CMSs (``TRS_Editor``, ``article_content`` …) when it holds the
  report, else the smallest element holding the template tables and the numbered section headings;
* tables become grids (``html_tables``); a table whose cells hold tables is a layout table and is
  read as a container;
* paragraphs, headings and ``<div>`` text become :class:`~report_extract.grid.Paragraph` blocks,
  split at ``<br>``, so the section splitter sees the document as a reader does;
* title candidates: the article's own title (its first paragraphs, ``ArticleTitle`` meta, ``h1``,
  a ``*title*`` element, centred lines) before the site's ``<title>`` with its ``_栏目_网站``
  suffixes; :mod:`report_extract.layout` picks the title among them;
* neutral facts for the layout pass: linked attachments and the number of images.
"""

from __future__ import annotations

import re

from lxml import etree

from ..encoding import decode_bytes
from ..grid import Block, Document, Paragraph, Table, TitleCandidate
from ..options import DEFAULT_OPTIONS, HtmlSettings, ReadOptions
from ..textnorm import clean_cell, squeeze
from .html_divgrid import divgrid_table
from .html_tables import (
    BLOCK_TAGS,
    DROP_TAGS,
    HIDDEN_ATTRS_PAGE,
    NON_TEXT_TAGS,
    NUMBERED_HEADING,
    STRING_VALUE,
    Element,
    classes,
    get_text,
    hides,
    join_pieces,
    only_string,
    own_cells,
    own_rows,
    parse_html,
    table_blocks,
    text_pieces,
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_\-:.]+)""",
    re.I,
)
_JS_LITERAL = re.compile(
    r'[=:(,+\[]\s*(?:"((?:[^"\\\n]|\\.){40,})"|\'((?:[^\'\\\n]|\\.){40,})\'|`((?:[^`\\]|\\.){40,})`)', re.S
)
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}
_HTML_IN_STRING = re.compile(r"<(table|p|div|tr|td|span|br|h\d)\b", re.I)
# CMS article containers, by class or id (lower case substrings).
_CONTAINER_HINTS = (
    "trs_editor", "trs_ueditor", "article_content", "article-content", "articlecontent", "article_con",
    "content_text", "zoom", "custom_unionstyle", "news_content", "detail_content", "view", "conttext",
    "main_content", "text_con", "wenzhang", "zw",
)
# Words of the template's table labels; a report table prints at least two of them.
_TEMPLATE_WORDS = (
    "自然人", "第二十条", "行政复议", "行政诉讼", "本年新收", "上年结转", "规章", "规范性文件", "行政许可",
    "行政处罚", "结果维持", "结果纠正", "信息内容", "申请人情况", "法人或其他组织", "予以公开", "不予公开",
    "不予处理", "商业企业", "尚未审结", "本年度办理结果",
)
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--|—|\s-\s)\s*")
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.I)
# elements whose "title" class makes them a title candidate, by rank (the order they are listed in)
_CLASS_TITLE_TAGS = {name: rank for rank, name in enumerate(("div", "p", "span", "td", "h3", "strong"))}
# an element's text nodes joined in document order (``"".join(el.itertext())``, without a Python
# string per text node)
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_TAGS = (*_PARAGRAPH_TAGS, "strong", "b", "div", "span", "td", "font")
_SKIP_SUBTREE = DROP_TAGS - {"head", "title", "meta"}
_HEADING_SET = frozenset(_HEADING_TAGS)
# XPath pre-filters (supersets: the exact tests follow in Python)
_HEADING_START = "一二三四五六"  # what NUMBERED_HEADING accepts as a heading's first character
# the characters squeeze() removes (so text.lstrip(SPACES)[:1] is squeeze(text)[:1]; a test checks it)
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_HEADING_FIRST = frozenset(_HEADING_START)
_SPACE_SET = frozenset(SPACES)
# the page's class names (attribute nodes, strings that know their element)
_CLASS_ATTRS = etree.XPath("descendant-or-self::*/@class")
_HIDEABLE = frozenset({"div", "span", "p", "table", "tr", "td", "section", "ul", "li", "font"})
_ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar)(\?|#|$)", re.I)
_MARKUP = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*|!doctype|!--)[\s>/]", re.I)
_UTF8_BOM = b"\xef\xbb\xbf"
MAX_TITLE_CHARS = 80
MAX_LEAD_BLOCKS = 8


def read_html(data: bytes, path: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Read an HTML page, fragment or JS string literal holding HTML into a :class:`Document`."""
    page_text, encoding, utf8 = _decode_page(data, path, options)
    props: dict = {"encoding": encoding}
    text = _unwrap_js_literal(page_text, props)
    html = parse_html(text, utf8 if text is page_text else None)
    if html is None:
        return Document(blocks=[], source_format="html", path=path, properties={**props, "container": ""})
    page = _Page(html, options.html)
    root = page.root
    container = page.find_container()
    props["container"] = _describe(container)
    blocks = page.blocks_of(container)
    if (
        container is not root
        and not any(isinstance(b, Table) for b in blocks)
        and any(page.is_report_table(t) for t in page.tags("table"))
    ):
        container = root
        blocks = page.blocks_of(root)
    candidates = page.title_candidates(blocks, in_article=container is not root or not page.tags("title"))
    return Document(
        blocks=blocks, source_format="html", path=path, properties=props, title_candidates=candidates,
        attachments=page.attachments(), images=len(page.tags("img")),
    )


# -- decoding ---------------------------------------------------------------------------------
def decode_html_bytes(data: bytes, path: str | None = None, options: ReadOptions = DEFAULT_OPTIONS) -> tuple[str, str]:
    """Decode an HTML page using its declared ``<meta charset>`` (http-equiv or HTML5) as a hint."""
    text, encoding, _ = _decode_page(data, path, options)
    return text, encoding


def _decode_page(data: bytes, path: str | None, options: ReadOptions) -> tuple[str, str, bytes | None]:
    """:func:`decode_html_bytes`, plus the page's bytes when they are exactly the UTF-8 encoding
    of the text (a valid UTF-8 page): the parser takes them as they are, without encoding the text again."""
    m = _META_CHARSET.search(data[:8192])
    declared = (m.group(1) or m.group(2)).decode("ascii", "replace") if m else None
    if declared and declared.lower().replace("_", "-") in ("utf-8", "utf8"):
        # a UTF-8 page with a few stray bytes is still UTF-8, not GB18030 mojibake
        text = data.decode("utf-8", errors="replace")
        stray = text.count("\ufffd") if "\ufffd" in text else 0  # a search first: most pages have none
        if stray <= max(options.html.max_stray_bytes, len(text) // 1000):
            # no replacement character: every byte decoded as it is, so the bytes are the text's UTF-8
            return text.removeprefix("\ufeff"), "utf-8", None if stray else data.removeprefix(_UTF8_BOM)
    return (*decode_bytes(data, path, declared, max_bad_ratio=options.text.max_bad_ratio), None)


def _unwrap_js_literal(text: str, props: dict) -> str:
    """HTML given as a JS/JSON string literal (``let content = "<p>…"``): the decoded literal(s)."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<") or not (_HTML_IN_STRING.search(text) or "\\u003c" in text.lower()):
        return text
    literals = []
    for m in _JS_LITERAL.finditer(text):
        body = _js_unescape(m.group(1) or m.group(2) or m.group(3) or "")
        if _HTML_IN_STRING.search(body):
            literals.append(body)
    if not literals:
        return text
    props["js_literal"] = True
    return "\n".join(literals)


def _js_unescape(s: str) -> str:
    def repl(m: re.Match) -> str:
        e = m.group(1)
        if e.startswith("u{"):
            return chr(min(int(e[2:-1], 16), 0x10FFFF))
        if e[0] in "ux" and len(e) > 1:
            return chr(int(e[1:], 16))
        return _JS_SIMPLE.get(e, e)

    out = _JS_ESCAPE.sub(repl, s)
    # surrogate pairs written as two \\u escapes
    return out.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if re.search("[\ud800-\udfff]", out) else out


# -- the page ---------------------------------------------------------------------------------
class _Page:
    """A parsed page, scanned once for what finding the report needs (``find_all`` is slow); the
    elements of a tag name are found by lxml's walk in C when first asked for (:meth:`tags`)."""

    def __init__(self, html: Element, settings: HtmlSettings = DEFAULT_OPTIONS.html):
        self.html = html
        self.settings = settings
        body = html.find("body")
        self.root: Element = body if body is not None else html
        # one pass over the page: hidden elements (the sets keep the proxies alive: membership is
        # identity), where numbered headings may start, elements with a "title" class
        self.hidden: set[Element] = set()
        self._heading_starts: list[Element] = []
        self._title_class: list[Element] = []
        self._centre: dict[str, list[Element]] = {"p": [], "div": [], "center": []}
        self._nodes: list[Element] = []  # every node, so each keeps one proxy for the page's life
        self._scan()
        # the elements the index leaves out: subtrees of dropped tags and of hidden block elements
        skipped: set[Element] = set()
        for top in (*html.iter(*_SKIP_SUBTREE), *(el for el in self.hidden if el.tag in _HIDEABLE)):
            if top not in skipped:
                skipped.update(top.iter())
        self.skipped = skipped
        self.by_name: dict[str, list[Element]] = {}  # outside skipped subtrees, made when asked
        # elements with a script/style/template/rt/rp inside (their text is not all page text)
        self._impure: set[Element] = set()
        for el in html.iter(*NON_TEXT_TAGS):
            self._impure.add(el)
            self._impure.update(el.iterancestors())
        # tables holding tables are layout tables; every ancestor of a table "contains a table"
        self.nesting_tables: set[Element] = set()
        self.holds_table: set[Element] = set()
        self._layout: dict[Element, bool] = {}
        self._pieces: dict[Element, list[str]] = {}
        for t in self.tags("table"):
            p = t.getparent()
            inner = True
            while p is not None:
                if p in self.holds_table and not inner:
                    break
                self.holds_table.add(p)
                if p.tag == "table" and inner:
                    self.nesting_tables.add(p)
                    inner = False
                p = p.getparent()

    def _scan(self) -> None:
        """Visit every node of the page once, noting: the hidden elements (:func:`is_hidden`), the
        nodes where a numbered heading may start (an element whose text, or the parent of a node
        whose tail, starts with 一 … 六; comments, which ``only_string`` may return), the elements
        with "title" in a class name (names hold no spaces) and the centred ones (:meth:`_centred`).
        The nodes are kept: later passes find their proxies instead of making new ones.

        Attributes few elements carry (``hidden``, ``class``) are found by XPath, the others read
        once per element: an attribute read costs about as much as visiting the node."""
        html = self.html
        hidden, starts, centre = self.hidden, self._heading_starts, self._centre
        first, spaces = _HEADING_FIRST, _SPACE_SET
        self._nodes = nodes = list(html.iter())
        for node in nodes:
            tag = node.tag
            t = node.text
            if tag.__class__ is not str:
                starts.append(node)
            else:
                # the first character past the spaces, stripping only when the text starts with one
                if t and ((c := t[0]) in first or (c in spaces and t.lstrip(SPACES)[:1] in first)):
                    starts.append(node)
                style = node.get("style")
                if style is not None and "none" in style and hides(style):
                    hidden.add(node)
                if tag == "p" or tag == "div":
                    if _centred_by_attributes(node, style):
                        centre[tag].append(node)
                elif tag == "center":
                    centre[tag].append(node)
            t = node.tail
            if t and ((c := t[0]) in first or (c in spaces and t.lstrip(SPACES)[:1] in first)):
                starts.append(node.getparent())
        hidden.update(a.getparent() for a in HIDDEN_ATTRS_PAGE(html))
        self._title_class = [a.getparent() for a in _CLASS_ATTRS(html) if "title" in a.lower()]

    def _heading_holders(self) -> set[Element]:
        """Elements whose text may start a numbered heading: the ancestors of every text that
        starts with 一 … 六 (and of comments, which ``only_string`` may return)."""
        out: set[Element] = set()
        for el in self._heading_starts:
            while el is not None and el not in out:
                out.add(el)
                el = el.getparent()
        return out

    def text(self, el: Element, sep: str = "") -> str:
        """:func:`get_text` of ``el``; when no script or style is inside, its XPath string value
        (the same text, joined in C) or lxml's ``itertext`` joined by ``sep``."""
        if el in self._impure:
            return get_text(el, sep)
        return STRING_VALUE(el) if not sep else sep.join(el.itertext())

    def tags(self, *names: str) -> list[Element]:
        """Indexed elements of the given names, in document order per name."""
        if len(names) == 1:
            return self._tags(names[0])
        return [t for n in names for t in self._tags(n)]

    def _tags(self, name: str) -> list[Element]:
        # lxml's walk in C per name asked (a handful a page) costs less than indexing every
        # element by tag in the Python scan
        found = self.by_name.get(name)
        if found is None:
            skipped = self.skipped
            found = list(self.html.iter(name))
            if not skipped.isdisjoint(found):  # a test in C first: most names are never skipped
                found = [el for el in found if el not in skipped]
            self.by_name[name] = found
        return found

    def is_layout_table(self, table: Element) -> bool:
        """A table whose cells hold the tables (page layout), rather than a data table with a
        small table in a few of its cells (whose text is then read as cell text)."""
        if table not in self.nesting_tables:
            return False
        key = table
        if key not in self._layout:
            cells = [c for tr in own_rows(table) for c in own_cells(tr)]
            nesting = sum(1 for c in cells if c in self.holds_table)
            self._layout[key] = len(cells) - nesting < self.settings.min_data_cells or nesting * 4 > len(cells)
        return self._layout[key]

    def attachments(self) -> list[str]:
        """Names of linked document files (PDF, Word, Excel, OFD) on the page."""
        out = []
        for a in self.tags("a"):
            href = str(a.get("href") or "")
            m = _ATTACHMENT.search(href)
            if m:
                name = clean_cell(self.text(a)) or href.rsplit("/", 1)[-1]
                if name not in out:
                    out.append(name)
        return out

    # -- finding the report -------------------------------------------------------------------
    def is_report_table(self, table: Element) -> bool:
        """A data table (no nested tables) printing template words and digits."""
        if self.is_layout_table(table):
            return False
        t = squeeze(self.text(table))
        return sum(1 for w in _TEMPLATE_WORDS if w in t) >= 2 and any(ch.isdigit() for ch in t)

    def find_container(self) -> Element:
        """The element holding the report: a CMS article container or the smallest common
        ancestor of the template tables and the numbered section headings."""
        root = self.root
        anchors: list[Element] = [t for t in self.tags("table") if self.is_report_table(t)]
        # only elements holding a text that starts with a heading number can be headings; the order
        # of the anchors does not matter
        skipped = self.skipped
        for el in self._heading_holders():
            if el.tag not in _HEADING_SET or el in skipped:
                continue
            if el.tag in _PARAGRAPH_TAGS:
                if el in self.holds_table:
                    continue
                t = squeeze(self.text(el))
            else:
                s = only_string(el)
                if s is None:
                    continue
                t = squeeze(s)
            if 4 <= len(t) <= 40 and NUMBERED_HEADING.match(t) and any(w in t for w in ("情况", "事项", "问题")):
                anchors.append(el)
        if not anchors:
            return root
        core = _common_ancestor(anchors)
        if core is None:
            core = root
        parent = core.getparent()
        if parent is not None and any(a is core for a in anchors):
            core = parent  # a lone heading: read it with what surrounds it
        inside = core if core.tag == "table" else _enclosing_table(core)
        if inside is not None and any(a is inside for a in anchors) and inside.getparent() is not None:
            core = inside.getparent()  # a lone report table: read it with what surrounds it
        # the nearest CMS article container around it, unless that also holds much else
        core_len = None
        for depth, el in enumerate([core, *core.iterancestors()]):
            if el is root or depth > self.settings.max_container_depth:
                break
            if _looks_like_container(el):
                if depth == 0:
                    return el
                core_len = core_len or len(self.text(core))
                if len(self.text(el)) <= self.settings.max_container_growth * core_len + 500:
                    return el
                break
        return core

    # -- blocks -------------------------------------------------------------------------------
    def blocks_of(self, container: Element) -> list[Block]:
        """Prose paragraphs and tables of ``container`` in document order."""
        blocks: list[Block] = []
        line: list[str] = []
        self._walk(container, blocks, line)
        _flush(blocks, line)
        k = 0
        for b in blocks:
            if isinstance(b, Table):
                b.index = k
                b.source["html_table"] = k + 1
                k += 1
        return blocks

    def _walk(self, node: Element, blocks: list[Block], line: list[str], text: bool = True) -> None:
        """Blocks of ``node``'s content; ``text`` is False inside ruby annotations (not page text)."""
        if text and node.text:
            line.append(node.text)
        for child in node:
            name = child.tag
            if name.__class__ is str and not (name in DROP_TAGS or (name in _HIDEABLE and child in self.hidden)):
                self._walk_child(child, name, blocks, line, text)
            if text and child.tail:
                line.append(child.tail)

    def _walk_child(self, child: Element, name: str, blocks: list[Block], line: list[str], text: bool) -> None:
        if name == "br":
            _flush(blocks, line)
        elif name == "table":
            _flush(blocks, line)
            if self.is_layout_table(child):
                for tr in own_rows(child):
                    for td in own_cells(tr):
                        self._walk(td, blocks, line, text)
                        _flush(blocks, line)
            else:
                blocks.extend(table_blocks(child, self.settings, self.hidden))
        elif name in ("div", "section") and (grid := divgrid_table(child, self.hidden)) is not None:
            _flush(blocks, line)
            blocks.append(grid)
        elif name in BLOCK_TAGS:
            _flush(blocks, line)
            if name in _PARAGRAPH_TAGS and child not in self.holds_table:
                for p in self.pieces(child):
                    blocks.append(Paragraph(p, {"tag": name}))
            else:
                self._walk(child, blocks, line, text)
                _flush(blocks, line)
        else:
            self._walk(child, blocks, line, text and name not in NON_TEXT_TAGS)

    # -- title candidates ---------------------------------------------------------------------
    def title_candidates(self, blocks: list[Block], in_article: bool = True) -> list[TitleCandidate]:
        """Where the report's title may be, the article's own title first, the site's ``<title>`` last.

        ``in_article`` says the blocks come from the article container (so its first lines are
        the article's own); otherwise they are page chrome and come after the title elements."""
        page_title = ""
        hidden = self.hidden
        titles = self.tags("title")
        if titles:
            page_title = clean_cell(self.text(titles[0], " "))
        out: list[TitleCandidate] = []
        if in_article:
            out += _lead_lines(blocks)
        for m in self.tags("meta"):
            key = str(m.get("name") or m.get("property") or "").lower()
            if key in ("articletitle", "title", "og:title") and m.get("content"):
                out.append(TitleCandidate(str(m.get("content")), "metadata"))
        for h in self.tags("h1", "h2"):
            out.append(TitleCandidate(join_pieces(text_pieces(h, hidden)), "heading"))
        for el in self._title_classed():
            t = join_pieces(self.pieces(el))
            if len(t) <= MAX_TITLE_CHARS:
                out.append(TitleCandidate(t, "heading"))
        for el in self._centred():
            t = join_pieces(self.pieces(el))
            if t and len(t) <= MAX_TITLE_CHARS:
                out.append(TitleCandidate(t, "heading"))
        if not in_article:
            out += _lead_lines(blocks)
        if page_title:
            parts = _TITLE_SPLIT.split(page_title)
            out += [TitleCandidate(p, "page") for p in parts]
            if parts[0]:
                out.append(TitleCandidate(parts[0], "fallback"))
        return out

    def pieces(self, el: Element) -> list[str]:
        """:func:`text_pieces` of ``el`` with the page's hidden elements, computed once per element."""
        found = self._pieces.get(el)
        if found is None:
            found = self._pieces[el] = text_pieces(el, self.hidden)
        return found

    def _title_classed(self) -> list[Element]:
        """Elements of :data:`_CLASS_TITLE_TAGS` with "title" in a class name (names hold no spaces),
        outside tables holding tables, grouped by tag in that order, in document order within a tag.

        Found among the elements the page scan noted (:meth:`_scan`)."""
        found: list[tuple[int, Element]] = []
        for el in self._title_class:
            rank = _CLASS_TITLE_TAGS.get(el.tag)
            if rank is not None and el not in self.skipped and el not in self.holds_table:
                found.append((rank, el))
        found.sort(key=_first)  # stable: document order within a tag
        return [el for _, el in found]

    def _centred(self) -> list[Element]:
        """``<p>``, ``<div>`` (``align="center"`` or a ``text-align: center`` style) and
        ``<center>`` elements, in that order (document order within a tag), outside skipped
        subtrees and tables holding tables; noted by :meth:`_scan`."""
        skipped, holds_table = self.skipped, self.holds_table
        return [el for name in ("p", "div", "center") for el in self._centre[name]
                if el not in skipped and el not in holds_table]


def _centred_by_attributes(el: Element, style: str | None) -> bool:
    """``align="center"`` or a ``text-align: center`` inline style (``style``: the element's)."""
    align = el.get("align")
    if align is not None and align.lower() == "center":
        return True
    # "center" first: a cheap necessary condition of the case-blind pattern
    return bool(style and "center" in style.lower() and _CENTER_STYLE.search(style))


def _first(pair: tuple[int, Element]) -> int:
    return pair[0]


def _lead_lines(blocks: list[Block]) -> list[TitleCandidate]:
    """The first paragraphs, up to the first table, as title candidates of kind ``"line"``."""
    lead: list[TitleCandidate] = []
    for b in blocks[:MAX_LEAD_BLOCKS]:
        if isinstance(b, Table):
            break
        lead.append(TitleCandidate(b.text))
    return lead


def _enclosing_table(el: Element) -> Element | None:
    p = el.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _looks_like_container(el: Element) -> bool:
    names = [c.lower() for c in classes(el)]
    if el.get("id"):
        names.append(str(el.get("id")).lower())
    return any(h == n or (len(h) > 3 and h in n) for n in names for h in _CONTAINER_HINTS)


def _common_ancestor(tags: list[Element]) -> Element | None:
    chains = []
    for t in tags:
        chain = [t, *t.iterancestors()]
        chain.reverse()
        chains.append(chain)
    common: Element | None = None
    for level in zip(*chains):
        first = level[0]
        if all(x is first for x in level):
            common = first
        else:
            break
    return common


def _describe(el: Element) -> str:
    cls = " ".join(classes(el))
    return f"{el.tag}{'.' + cls.replace(' ', '.') if cls else ''}"


def _flush(blocks: list[Block], line: list[str]) -> None:
    if line:
        text = clean_cell("".join(line))
        if text:
            blocks.append(Paragraph(text))
        line.clear()
