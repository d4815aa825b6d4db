"""Render a :class:`~report_synth.SynthReport` as HTML in the markup families found in the wild.

Families (``FAMILIES``):

* ``trs`` — a full saved CMS page (TRS editor): site chrome (navigation, breadcrumbs, share buttons,
  scripts, related links, footer) around ``<div class=TRS_Editor>``; cells hold
  ``<p style="text-indent: 0em;">``;
* ``word`` — a Word paste: ``MsoNormalTable``, ``<p class=MsoNormal>``, ``mso-`` styles with newlines
  inside attributes, conditional comments, ``<o:p>``, numbers split across several ``<span>``\\ s;
* ``ckeditor`` — a bare fragment (no ``<html>``): centred ``<p align="center">`` in cells, the title
  as a centred paragraph, blank cells as bare ``&nbsp;``;
* ``layout_table`` — an old portal page whose chrome and article sit in a layout ``<table>``;
* ``gbk`` — a page declaring ``charset=gb2312`` encoded in GB18030 (it uses characters outside
  GB2312, as mislabelled pages do);
* ``js_literal`` — the fragment inside a JS string literal (``let content = "…"``) with JS escapes.

Table layouts (``LAYOUTS``): ``separate`` (one table per section), ``split3`` (section 三 cut into two
tables in the middle of its rowspans, as a page break does) and ``merged`` (sections 二–四 in one
table, the headings of 三 and 四 as full-width rows) and ``wide3`` (section 三 on an 11-column grid:
自然人 spans two columns over an empty cell, 商业企业 and its values span two). ``header_split`` breaks long label cells into
several ``<p>`` (``"p"``, with ``&nbsp;`` padding) or ``<br>`` lines (``"br"``).
"""

from __future__ import annotations

import json
import random
from html import escape

from report_extract.grid import CellSpec

from . import SECTION_HEADINGS, SynthReport, prose, standard_layout

FAMILIES = ("trs", "word", "ckeditor", "layout_table", "gbk", "js_literal")
LAYOUTS = ("separate", "split3", "merged", "wide3")
HEADER_SPLITS = ("none", "br", "p")

_CJK = range(0x2E80, 0xFFF0)


def render_html(
    rep: SynthReport,
    family: str = "trs",
    layout: str = "separate",
    header_split: str = "none",
    *,
    seed: int = 0,
    bom: bool = False,
) -> bytes:
    """The report as the bytes of an HTML page (or fragment, or JS file) of ``family``."""
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    if header_split not in HEADER_SPLITS:
        raise ValueError(f"header_split must be one of {HEADER_SPLITS}")
    r = _Renderer(rep, family, header_split, random.Random(seed))
    body = r.article(layout)
    if family in ("trs", "word"):
        text = _page(rep, body, charset="utf-8", meta_title=family == "trs")
    elif family == "layout_table":
        text = _layout_page(rep, body)
    elif family == "gbk":
        text = _page(rep, body, charset="gb2312", meta_title=False, http_equiv=True)
        return text.encode("gb18030")
    elif family == "js_literal":
        text = "//字典项\nvar dict = {a: 1};\nlet content = " + json.dumps(body, ensure_ascii=False).replace("/", "\\/") + ";\n"
    else:
        text = body
    return text.encode("utf-8-sig" if bom else "utf-8")


class _Renderer:
    def __init__(self, rep: SynthReport, family: str, header_split: str, rng: random.Random):
        self.rep = rep
        self.family = family
        self.header_split = header_split
        self.rng = rng

    # -- article --------------------------------------------------------------------------------
    def article(self, layout: str) -> str:
        rep = self.rep
        tables = standard_layout(rep)
        if layout == "wide3":
            tables[3] = widen_requests(tables[3])
        out: list[str] = []
        if self.family in ("ckeditor", "js_literal", "word", "layout_table"):
            out.append(f"<p style='text-align: center;font-weight: bold;'>{escape(rep.title)}</p>\t"
                       f"<p style='text-align: center'>发布日期：{rep.year + 1}-01-31</p>")
        out.append(self.para(f"本报告根据《中华人民共和国政府信息公开条例》要求编制，统计期限为{rep.year}年1月1日至{rep.year}年12月31日。"))
        for n in range(1, 7):
            if layout == "merged" and n in (3, 4):
                continue
            out.append(self.para(SECTION_HEADINGS[n] + ("&nbsp;" if self.family == "trs" else ""), raw=True))
            for t in prose(rep, n):
                out.append(self.para(t))
            if self.family == "gbk" and n == 1:
                out.append(self.para("联系人：王喆，地址：𠮷祥路1号。"))
            if n == 2 and layout == "merged":
                cols = max(sum(s.colspan for s in tables[4][0]), 10)
                rows = list(tables[2])
                for k in (3, 4):
                    rows.append([CellSpec(SECTION_HEADINGS[k], colspan=cols)])
                    rows += tables[k]
                out.append(self.table(rows))
            elif n == 3 and layout == "split3":
                first, second = split_rows(tables[3], 3 + self.rng.randint(2, 12))
                out.append(self.table(first))
                out.append(self.para("（续表）") if self.rng.random() < 0.5 else "")
                out.append(self.table(second))
            elif n in tables:
                out.append(self.table(tables[n]))
        out.append(self.para(f"{rep.agency}办公室"))
        inner = "\n".join(o for o in out if o)
        if self.family == "trs":
            return f"<div class=TRS_Editor>{inner}</div>"
        if self.family == "word":
            return ("<div class=WordSection1 style='layout-grid:15.6pt'>"
                    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->"
                    f"{inner}</div>")
        return inner

    def para(self, text: str, raw: bool = False) -> str:
        t = text if raw else escape(text)
        if self.family == "word":
            return (f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span "
                    f"style='font-size:16.0pt;font-family:仿宋_GB2312'>{t}<span lang=EN-US><o:p></o:p></span></span></p>")
        if self.family == "trs":
            return f'<p style="text-indent: 2em;">{t}</p>'
        return f"<p>{t}</p>"

    # -- tables ---------------------------------------------------------------------------------
    def table(self, rows: list[list[CellSpec]]) -> str:
        f = self.family
        if f == "word":
            head = ("<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 style='border-collapse:collapse;"
                    "mso-table-layout-alt:fixed;border:none;mso-border-alt:solid windowtext .5pt'>")
        elif f in ("ckeditor", "js_literal"):
            head = '<table border="1" cellpadding="0" cellspacing="0" style="width:600px;">'
        else:
            head = '<table border="1" cellspacing="0" align="center" style="border-collapse: collapse;">'
        overrun = f == "trs" and self.rng.random() < 0.5  # last-row cells with rowspan=2 (editor glitch)
        body = "".join(
            "<tr>" + "".join(self.cell(s, 2 if overrun and i == len(rows) - 1 else 1) for s in row) + "</tr>\n"
            for i, row in enumerate(rows)
        )
        if f == "word":  # Word's trailing row of empty cells for misaligned columns
            n = max(sum(s.colspan for s in row) for row in rows)
            body += ("<![if !supportMisalignedColumns]><tr height=0>" + "<td width=64 style='border:none'></td>" * n
                     + "</tr><![endif]>")
        if f == "trs" and self.rng.random() < 0.5:
            body = "<tbody>" + body + "</tbody>"
        return head + body + "</table>"

    def cell(self, spec: CellSpec, rowspan: int = 1) -> str:
        attrs = []
        if rowspan > spec.rowspan:
            spec = CellSpec(spec.text, rowspan=rowspan, colspan=spec.colspan, source=spec.source)
        is_value = "key" in spec.source
        if self.family in ("ckeditor", "js_literal"):
            if spec.colspan > 1:
                attrs.append(f'colspan="{spec.colspan}"')
            attrs.append('nowrap="nowrap"')
            if spec.rowspan > 1:
                attrs.append(f'rowspan="{spec.rowspan}"')
            attrs.append('style="width:60px;"')
        else:
            if spec.rowspan > 1:
                attrs.append(f"rowspan={spec.rowspan}")
            if spec.colspan > 1:
                attrs.append(f"colspan={spec.colspan}")
            if self.family == "word":
                attrs.append("width=64 valign=top style='width:48.0pt;border:solid windowtext 1.0pt;\n"
                             "  border-top:none;mso-border-left-alt:solid windowtext .5pt;\n  padding:0cm 5.4pt 0cm 5.4pt'")
            else:
                attrs.append('style="border: 1px solid rgb(0, 0, 0); padding: 0px;"')
        return f"<td {' '.join(attrs)}>{self.value_html(spec.text) if is_value else self.label_html(spec.text)}</td>"

    def value_html(self, text: str) -> str:
        f = self.family
        if f == "word":
            if not text:
                return "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
            spans = "".join(f"<span lang=EN-US style='font-size:10.5pt'>{escape(p)}</span>" for p in self._chunks(text))
            pad = "<span style='mso-spacerun:yes'>&nbsp; </span>" if self.rng.random() < 0.3 else ""
            return f"<p class=MsoNormal align=center style='text-align:center'>{pad}{spans}<span lang=EN-US><o:p></o:p></span></p>"
        if f in ("ckeditor", "js_literal"):
            return f'<p align="center">{escape(text)}</p>' if text else "&nbsp;"
        if not text:
            return '<p style="text-indent: 0em;">&nbsp;</p>'
        pad = "&nbsp;" if self.rng.random() < 0.2 else ""
        return f'<p style="text-indent: 0em;">{pad}{escape(text)}{pad}</p>'

    def label_html(self, text: str) -> str:
        pieces = self._split_label(text) if self.header_split != "none" else [text]
        f = self.family
        if self.header_split == "br":
            inner = "<br/>".join(escape(p) for p in pieces)
            pieces_html = [inner]
        else:
            pieces_html = [escape(p) for p in pieces]
        if f == "word":
            return "".join(f"<p class=MsoNormal align=center style='text-align:center'><span style='font-family:仿宋_GB2312;\n"
                           f"mso-hansi-font-family:Calibri'>{p}</span></p>" for p in pieces_html)
        if f in ("ckeditor", "js_literal"):
            return "".join(f'<p align="center">{p}</p>' for p in pieces_html)
        pad = "\n" + " &nbsp;" * 8 if self.header_split == "p" else ""
        return "".join(f'<p style="text-indent: 0em;">{p}</p>{pad}' for p in pieces_html)

    def _split_label(self, text: str) -> list[str]:
        """Break a label into 2–3 character lines, only where a CJK character meets the break."""
        if len(text) < 4:
            return [text]
        pieces, cur = [], ""
        size = self.rng.randint(2, 3)
        for i, ch in enumerate(text):
            cur += ch
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if len(cur) >= size and nxt and (ord(ch) in _CJK or ord(nxt) in _CJK) and not ch.isspace() and not nxt.isspace():
                pieces.append(cur)
                cur = ""
        if cur:
            pieces.append(cur)
        return pieces

    def _chunks(self, text: str) -> list[str]:
        """Split a printed number into 1–3 spans (``20`` → ``2`` + ``0``)."""
        if len(text) < 2 or self.rng.random() < 0.4:
            return [text]
        cut = self.rng.randint(1, len(text) - 1)
        return [text[:cut], text[cut:]]


def widen_requests(rows: list[list[CellSpec]]) -> list[list[CellSpec]]:
    """Section 三 on an 11-column grid: the columns under the headers do not line up one to one
    (自然人 colspan=2 over an empty cell, 商业企业 and its value cells colspan=2)."""
    out = [list(r) for r in rows]
    out[0][1] = CellSpec(out[0][1].text, colspan=8)
    out[1][0] = CellSpec(out[1][0].text, colspan=2)
    out[2] = [CellSpec("")] + [CellSpec(out[2][0].text, colspan=2)] + out[2][1:]
    for r in range(3, len(out)):
        v = out[r][-6]  # the commercial_enterprise value (7 values end each data row)
        out[r][-6] = CellSpec(v.text, colspan=2, source=v.source)
    return out


def split_rows(rows: list[list[CellSpec]], at: int) -> tuple[list[list[CellSpec]], list[list[CellSpec]]]:
    """Cut a table's rows before row ``at`` as a page break does: spans crossing the cut end in the
    first table and continue in the second as empty cells."""
    placed: list[list[tuple[int, CellSpec]]] = []  # per row: (column, spec)
    occupied: set[tuple[int, int]] = set()
    for r, specs in enumerate(rows):
        c = 0
        row = []
        for s in specs:
            while (r, c) in occupied:
                c += 1
            for dr in range(s.rowspan):
                for dc in range(s.colspan):
                    occupied.add((r + dr, c + dc))
            row.append((c, s))
            c += s.colspan
        placed.append(row)
    first: list[list[CellSpec]] = []
    carry: list[tuple[int, CellSpec]] = []
    for r in range(at):
        out = []
        for c, s in placed[r]:
            if r + s.rowspan > at:
                out.append(CellSpec(s.text, rowspan=at - r, colspan=s.colspan, source=s.source))
                carry.append((c, CellSpec("", rowspan=r + s.rowspan - at, colspan=s.colspan)))
            else:
                out.append(s)
        first.append(out)
    second = [[s for _, s in sorted(carry + placed[at], key=lambda x: x[0])]] + [[s for _, s in row] for row in placed[at + 1 :]]
    return first, second


# -- pages ------------------------------------------------------------------------------------
_NAV = ("首页", "政务公开", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开", "互动交流")


def _chrome_head(rep: SynthReport) -> str:
    links = "".join(f'<li><a href="/c{i}/">{t}</a></li>' for i, t in enumerate(_NAV))
    return (
        f'<div class="header"><div class="logo">{escape(rep.agency)}门户网站</div>'
        f'<ul class="nav">{links}</ul></div>\n'
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        '<a href="/zwgk/nb/">政府信息公开年报</a></div>\n'
        '<script>var tpl = "<p>一、总体情况</p><table><tr><td>自然人</td></tr></table>";</script>\n'
        "<style>.TRS_Editor p{line-height:2}</style>\n"
    )


def _chrome_tail(rep: SynthReport) -> str:
    related = "".join(
        f'<li><a href="/nb/{y}.htm">{escape(rep.agency)}{y}年度政府信息公开工作年度报告</a></li>' for y in (rep.year - 1, rep.year - 2)
    )
    return (
        '<div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a> <a onclick="window.print()">打印</a></div>\n'
        f'<div class="attachments">附件：<a href="/f/1.pdf">{escape(rep.title)}.pdf</a></div>\n'
        f'<div class="related"><div class="title">相关文章</div><ul class="list">{related}</ul></div>\n'
        f'<div class="footer">主办单位：{escape(rep.agency)}办公室　网站标识码：3500000001　'
        "<a>网站地图</a> <a>联系我们</a></div>\n"
    )


def _page(rep: SynthReport, article: str, charset: str, meta_title: bool, http_equiv: bool = False) -> str:
    cs = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if http_equiv
          else f'<meta charset="{charset}">')
    meta = f'<meta name="ArticleTitle" content="{escape(rep.title)}"/>' if meta_title else ""
    return (
        f"<!DOCTYPE html>\n<html>\n<head>{cs}\n{meta}\n"
        f"<title>{escape(rep.title)}_政府信息公开年报_{escape(rep.agency)}门户网站</title>\n</head>\n<body>\n"
        + _chrome_head(rep)
        + f'<div class="article"><div class="article_title">{escape(rep.title)}</div>\n'
        f'<div class="article_info">发布时间：{rep.year + 1}-01-20 来源：{escape(rep.agency)} 字号：<a>大</a> <a>中</a> <a>小</a></div>\n'
        f'<div class="article_content">{article}</div></div>\n'
        + _chrome_tail(rep)
        + "</body>\n</html>\n"
    )


def _layout_page(rep: SynthReport, article: str) -> str:
    links = "".join(f'<tr><td><a href="/c{i}/">{t}</a></td></tr>' for i, t in enumerate(_NAV))
    return (
        "<html><head><meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">"
        f"<title>{escape(rep.title)}</title></head><body>\n"
        + _chrome_head(rep)
        + '<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr>'
        f'<td width="200" valign="top"><table class="menu">{links}</table></td>'
        f'<td valign="top" class="main">{article}</td></tr></table>\n'
        + _chrome_tail(rep)
        + "</body></html>"
    )


__all__ = ["render_html", "split_rows", "widen_requests", "FAMILIES", "LAYOUTS", "HEADER_SPLITS"]
