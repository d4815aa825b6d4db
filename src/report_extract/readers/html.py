"""HTML: full saved pages, bare fragments and HTML held in a JS/JSON string literal.

The reader decodes the bytes (BOM, ``<meta charset>``, undeclared GBK vs UTF-8, GB2312 pages that
use GB18030 characters), parses them with BeautifulSoup + lxml, finds the report inside the page
chrome and returns its prose and tables in reading order:

* the article container of common CMSs (``TRS_Editor``, ``article_content`` …) when it holds the
  report, else the smallest element holding the template tables and the numbered section headings;
* tables become grids (``html_tables``); a table whose cells hold tables is a layout table and is
  read as a container;
* paragraphs, headings and ``<div>`` text become :class:`~report_extract.grid.Paragraph` blocks,
  split at ``<br>``, so the section splitter sees the document as a reader does;
* the title is the article's own title (its first paragraph, ``ArticleTitle`` meta, ``h1``, a
  ``*title*`` element) before the site's ``<title>`` with its ``_栏目_网站`` suffixes.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ..encoding import decode_bytes
from ..errors import NotAReportError
from ..grid import Block, Document, Paragraph, Table
from ..meta import find_title
from ..sections import heading_number
from ..textnorm import clean_cell, squeeze
from .html_tables import (
    BLOCK_TAGS,
    DROP_TAGS,
    has_nested_table,
    is_hidden,
    join_pieces,
    own_cells,
    own_rows,
    table_to_grid,
    text_pieces,
)

_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_JS_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.){40,})"|\'((?:[^\'\\\n]|\\.){40,})\'|`((?:[^`\\]|\\.){40,})`', re.S)
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}
_HTML_IN_STRING = re.compile(r"<(table|p|div|tr|td|span|br|h\d)\b", re.I)
# CMS article containers, by class or id (lower case substrings).
_CONTAINER_HINTS = (
    "trs_editor", "trs_ueditor", "article_content", "article-content", "articlecontent", "article_con",
    "content_text", "zoom", "custom_unionstyle", "news_content", "detail_content", "view", "conttext",
    "main_content", "text_con", "wenzhang", "zw",
)
_NUMBERED_HEADING = re.compile(r"^[一二三四五六][、.，,．]")
_TEMPLATE_WORDS = ("主动公开", "申请", "复议", "诉讼", "自然人", "第二十条", "公开", "处理", "许可", "处罚", "收费")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--|—|\s-\s)\s*")
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.I)
MAX_TITLE_CHARS = 80
MAX_TITLE_LINE = 40


def read_html(data: bytes, path: str | None = None) -> Document:
    """Read an HTML page, fragment or JS string literal holding HTML into a :class:`Document`."""
    text, encoding = decode_html_bytes(data, path)
    props: dict = {"encoding": encoding}
    text = _unwrap_js_literal(text, props)
    soup = BeautifulSoup(text, "lxml")
    root = soup.body or soup
    _strip_invisible(root)
    container = find_container(root)
    props["container"] = _describe(container)
    blocks = blocks_of(container)
    if not any(isinstance(b, Table) for b in blocks) and container is not root:
        blocks = blocks_of(root)
    title = find_page_title(soup, blocks)
    doc = Document(blocks=blocks, source_format="html", path=path, title=title, properties=props)
    if not blocks:
        raise NotAReportError(path, "the HTML page has no text")
    if not doc.tables:
        props["not_a_report_reason"] = "the HTML page has no tables of the national annual-report template"
    return doc


# -- decoding ---------------------------------------------------------------------------------
def decode_html_bytes(data: bytes, path: str | None = None) -> tuple[str, str]:
    """Decode an HTML page using its declared ``<meta charset>`` (http-equiv or HTML5) as a hint."""
    m = _META_CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii", "replace") if m else None
    return decode_bytes(data, path, declared)


def _unwrap_js_literal(text: str, props: dict) -> str:
    """HTML given as a JS/JSON string literal (``let content = "<p>…"``): the decoded literal(s)."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<") or not _HTML_IN_STRING.search(text):
        return text
    literals = []
    for m in _JS_LITERAL.finditer(text):
        body = m.group(1) or m.group(2) or m.group(3) or ""
        if _HTML_IN_STRING.search(body):
            literals.append(_js_unescape(body))
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


# -- finding the report -----------------------------------------------------------------------
def _strip_invisible(root: Tag) -> None:
    for tag in root.find_all(DROP_TAGS):
        tag.decompose()


def _is_report_table(table: Tag) -> bool:
    if has_nested_table(table):
        return False
    t = table.get_text()
    return sum(1 for w in _TEMPLATE_WORDS if w in t) >= 2 and any(ch.isdigit() for ch in t)


def find_container(root: Tag) -> Tag:
    """The element holding the report: a CMS article container or the smallest common ancestor
    of the template tables and the numbered section headings."""
    anchors: list[Tag] = [t for t in root.find_all("table") if _is_report_table(t)]
    for el in root.find_all(("p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "div", "span", "td")):
        s = el.string
        if s is None:
            continue
        t = squeeze(str(s))
        if 4 <= len(t) <= 40 and _NUMBERED_HEADING.match(t) and any(w in t for w in ("情况", "事项", "问题")):
            anchors.append(el)
    if not anchors:
        return root
    core = _common_ancestor(anchors) or root
    for el in [core, *core.parents]:
        if not isinstance(el, Tag) or el is root:
            break
        if _looks_like_container(el):
            return el
    return core


def _looks_like_container(el: Tag) -> bool:
    ids = el.get("class") or []
    if isinstance(ids, str):
        ids = [ids]
    names = [c.lower() for c in ids]
    if el.get("id"):
        names.append(str(el.get("id")).lower())
    return any(h == n or (len(h) > 3 and h in n) for n in names for h in _CONTAINER_HINTS)


def _common_ancestor(tags: list[Tag]) -> Tag | None:
    chains = []
    for t in tags:
        chain = [t, *t.parents]
        chain.reverse()
        chains.append(chain)
    common: Tag | None = None
    for level in zip(*chains):
        first = level[0]
        if all(x is first for x in level):
            common = first
        else:
            break
    if common is not None and common.name == "[document]":
        return None
    return common


def _describe(el: Tag) -> str:
    cls = el.get("class") if isinstance(el, Tag) else None
    cls = " ".join(cls) if isinstance(cls, list) else (cls or "")
    return f"{el.name}{'.' + cls.replace(' ', '.') if cls else ''}"


# -- blocks -----------------------------------------------------------------------------------
def blocks_of(container: Tag) -> list[Block]:
    """Prose paragraphs and tables of ``container`` in document order."""
    blocks: list[Block] = []
    line: list[str] = []
    _walk(container, blocks, line)
    _flush(blocks, line)
    k = 0
    for b in blocks:
        if isinstance(b, Table):
            b.index = k
            b.source["html_table"] = k + 1
            k += 1
    return blocks


def _flush(blocks: list[Block], line: list[str]) -> None:
    if line:
        text = clean_cell("".join(line))
        if text:
            blocks.append(Paragraph(text))
        line.clear()


def _walk(node: Tag, blocks: list[Block], line: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                line.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in DROP_TAGS or is_hidden(child):
            continue
        if name == "br":
            _flush(blocks, line)
        elif name == "table":
            _flush(blocks, line)
            if has_nested_table(child):
                _walk_layout_table(child, blocks, line)
            else:
                t = table_to_grid(child)
                if t is not None:
                    blocks.append(t)
        elif name in BLOCK_TAGS:
            _flush(blocks, line)
            if name in ("p", "h1", "h2", "h3", "h4", "h5", "h6") and child.find("table") is None:
                pieces = text_pieces(child)
                for p in pieces:
                    blocks.append(Paragraph(p, {"tag": name}))
            else:
                _walk(child, blocks, line)
                _flush(blocks, line)
        else:
            _walk(child, blocks, line)


def _walk_layout_table(table: Tag, blocks: list[Block], line: list[str]) -> None:
    for tr in own_rows(table):
        for td in own_cells(tr):
            _walk(td, blocks, line)
            _flush(blocks, line)


# -- title ------------------------------------------------------------------------------------
def find_page_title(soup: BeautifulSoup, blocks: list[Block]) -> str | None:
    """The report's title: the article's own title first, the site's ``<title>`` last."""
    candidates: list[str] = []
    lead: list[str] = []
    for b in blocks[:8]:
        if isinstance(b, Table) or heading_number(b.text) is not None:
            break
        lead.append(b.text)
    for i, t in enumerate(lead):
        # a title printed over two lines: 平潭综合实验区2019年 / 政府信息公开工作年度报告
        if i + 1 < len(lead) and len(t) <= MAX_TITLE_LINE and len(lead[i + 1]) <= MAX_TITLE_LINE:
            if not find_title([t]) and find_title([lead[i + 1]]):
                candidates.append(t + lead[i + 1])
        if len(t) <= MAX_TITLE_CHARS:
            candidates.append(t)
    for m in soup.find_all("meta", attrs={"name": re.compile(r"^(ArticleTitle|title|og:title)$", re.I)}):
        if m.get("content"):
            candidates.append(str(m["content"]))
    for m in soup.find_all("meta", attrs={"property": "og:title"}):
        if m.get("content"):
            candidates.append(str(m["content"]))
    for h in soup.find_all(("h1", "h2")):
        candidates.append(join_pieces(text_pieces(h)))
    for el in soup.find_all(class_=re.compile("title", re.I)):
        t = join_pieces(text_pieces(el))
        if len(t) <= MAX_TITLE_CHARS:
            candidates.append(t)
    for el in soup.find_all(("p", "div")):
        if el.get("align", "").lower() == "center" or _CENTER_STYLE.search(el.get("style", "") or ""):
            t = join_pieces(text_pieces(el))
            if t and len(t) <= MAX_TITLE_CHARS:
                candidates.append(t)
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if page_title:
        candidates.extend(_TITLE_SPLIT.split(page_title))
    found = find_title([c for c in candidates if c])
    if found:
        return found
    if page_title:
        return _TITLE_SPLIT.split(page_title)[0] or None
    return None
