"""Held-out layout variants of a :class:`~report_synth.SynthReport`, seen on real government sites.

Nothing in the extractor is tuned to these: they are a stress set for the general mechanisms (label
matching, header recognition, sections, metadata). A variant is a function ``rep -> VariantDoc``: the
document as blocks (paragraphs and tables as rows of :class:`~report_extract.grid.CellSpec`, built by
transforming :func:`~report_synth.standard_layout` or the report's labels), plus what a
correct reading must give (the truth cells, those the variant genuinely drops, the metadata).
:func:`render_variant` writes a variant in any of :data:`FORMATS` using the table writers of the
other synthetic renderers.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from report_extract.grid import CellSpec

from . import SECTION_HEADINGS, SynthReport, _lbl, _outcome_rows, prose, standard_layout
from .text import RENDERERS as TEXT_RENDERERS

Key = tuple[str, str, str]
Rows = list[list[CellSpec]]
Block = tuple[str, object]  # ("p", text) | ("t", rows)
FORMATS = ("pipe", "markdown", "tsv", "html", "docx", "xlsx")
ORGS = ("commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org")


@dataclass
class VariantDoc:
    """A rendered-to-be document: blocks plus what a correct extraction returns."""

    name: str
    rep: SynthReport
    blocks: list[Block]
    dropped: set[Key] = field(default_factory=set)  # truth cells the layout does not print
    agency: str | None = None
    year: int | None = None

    def truth(self) -> pd.DataFrame:
        """The expected cells: the report's truth less the dropped cells."""
        t = self.rep.truth()
        if not self.dropped:
            return t
        keep = [(a, b, c) not in self.dropped for a, b, c in zip(t["table"], t["row"], t["column"])]
        return t[keep].reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# Building blocks


def _table_width(rows: Rows) -> int:
    from report_extract.grid import build_table

    return build_table(rows).n_cols


def document(rep: SynthReport, tables: dict[int, list[Rows]] | None = None, *, title: list[str] | None = None,
             period: bool = True, after_table: dict[int, list[str]] | None = None,
             before_table: dict[int, list[str]] | None = None, skip_headings: tuple[int, ...] = ()) -> list[Block]:
    """The report as blocks: title lines, the statistics-period sentence, six sections with prose and
    tables (``tables``: section -> list of tables; default the standard layout)."""
    if tables is None:
        tables = {n: [rows] for n, rows in standard_layout(rep).items()}
    blocks: list[Block] = [("p", t) for t in (title if title is not None else [rep.title])]
    if period:
        blocks.append(("p", f"本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为{rep.year}年1月1日至{rep.year}年12月31日。"))
    for n in range(1, 7):
        if n not in skip_headings:
            blocks.append(("p", SECTION_HEADINGS[n]))
        blocks += [("p", t) for t in prose(rep, n)]
        blocks += [("p", t) for t in (before_table or {}).get(n, [])]
        for rows in tables.get(n, []):
            blocks.append(("t", rows))
        blocks += [("p", t) for t in (after_table or {}).get(n, [])]
    return blocks


def relabel(rows: Rows, fn: Callable[[str], str]) -> Rows:
    """The rows with every label cell (a cell that is not a value) rewritten by ``fn``."""
    return [[s if "key" in s.source else CellSpec(fn(s.text), s.rowspan, s.colspan, dict(s.source)) for s in row]
            for row in rows]


def revalue(rows: Rows, fn: Callable[[Key, str], str]) -> Rows:
    """The rows with every value cell's printed text rewritten by ``fn(key, text)``."""
    return [[CellSpec(fn(s.source["key"], s.text), s.rowspan, s.colspan, dict(s.source)) if "key" in s.source else s
             for s in row] for row in rows]


def _v(rep: SynthReport, key: Key, colspan: int = 1) -> CellSpec:
    return CellSpec(rep.raw[key], colspan=colspan, source={"key": key})


def _outcome_labels(rep: SynthReport) -> list[tuple[str | None, str, str]]:
    """(group label or None, leaf label, row code) of the outcome rows of section 三, total included."""
    from report_extract.schema import template_schema

    schema = template_schema(rep.template)
    out = []
    for row in _outcome_rows(rep.template, rep.other_rows) + ["total_processed"]:
        rd = schema.rows["requests"].get(row) or template_schema("2019").rows["requests"][row]
        g, _, leaf = rd.label.partition(" ")
        out.append((g, leaf, row) if leaf else (None, g, row))
    return out


_APPLICANT_HEADS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def requests_rows(rep: SynthReport, *, groups: str = "rowspan", header: str = "band",
                  heads: Callable[[str], str] = lambda t: t) -> tuple[Rows, set[Key]]:
    """Section 三 built from the report's labels in a chosen style.

    ``groups``: ``rowspan`` (the template), ``own_row`` (group labels and 三、本年度办理结果 as full-width
    rows of their own), ``inline`` / ``inline_colon`` (group and leaf in one cell, space or colon).
    ``header``: ``band`` (the template's three header rows), ``flat`` (one row of 7 column labels) or
    ``no_org`` (自然人 / 法人或其他组织 / 总计 only: the organisation columns are summed into one column
    that is not a schema column). Returns the rows and the truth cells the layout drops.
    """
    from report_extract.schema import template_schema

    cols = list(template_schema(rep.template).column_order["requests"])
    dropped: set[Key] = set()
    if header == "no_org":
        out_cols: list[str | None] = ["natural_person", None, "total"]
    else:
        out_cols = list(cols)
    lw = 3  # label columns
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    if header == "band":
        rows: Rows = [
            [CellSpec(note, rowspan=3, colspan=lw), CellSpec(heads("申请人情况"), colspan=7)],
            [CellSpec(heads("自然人"), rowspan=2), CellSpec(heads("法人或其他组织"), colspan=5), CellSpec(heads("总计"), rowspan=2)],
            [CellSpec(heads(t)) for t in _APPLICANT_HEADS],
        ]
    elif header == "flat":
        rows = [[CellSpec("", colspan=lw)] + [CellSpec(heads(t)) for t in ("自然人", *_APPLICANT_HEADS, "总计")]]
    else:
        rows = [
            [CellSpec(note, rowspan=2, colspan=lw), CellSpec(heads("申请人情况"), colspan=3)],
            [CellSpec(heads(t)) for t in ("自然人", "法人或其他组织", "总计")],
        ]

    def vals(row: str) -> list[CellSpec]:
        out = []
        for c in out_cols:
            if c is None:
                keys = [("requests", row, o) for o in ORGS]
                dropped.update(keys)
                total = sum(rep.values[k] or 0 for k in keys)
                out.append(CellSpec(str(int(total)), source={"merged": keys}))
            else:
                out.append(_v(rep, ("requests", row, c)))
        return out

    rows.append([CellSpec("一、本年新收政府信息公开申请数量", colspan=lw)] + vals("new_received"))
    rows.append([CellSpec("二、上年结转政府信息公开申请数量", colspan=lw)] + vals("carried_over"))
    outcomes = _outcome_labels(rep)
    width = lw + len(out_cols)
    if groups == "own_row":
        rows.append([CellSpec("三、本年度办理结果", colspan=width)])
        last_g = None
        for g, leaf, code in outcomes:
            if g is not None and g != last_g:
                rows.append([CellSpec(g, colspan=width)])
            last_g = g
            rows.append([CellSpec(leaf, colspan=lw)] + vals(code))
    else:
        sep = "：" if groups == "inline_colon" else " "
        spans: dict[int, int] = {}
        for i, (g, _leaf, _code) in enumerate(outcomes):
            if groups == "rowspan" and g is not None and (i == 0 or outcomes[i - 1][0] != g):
                spans[i] = sum(1 for j in range(i, len(outcomes)) if outcomes[j][0] == g and all(
                    outcomes[k][0] == g for k in range(i, j + 1)))
        for i, (g, leaf, code) in enumerate(outcomes):
            cells: list[CellSpec] = []
            if i == 0:
                cells.append(CellSpec("三、本年度办理结果", rowspan=len(outcomes)))
            if g is None:
                cells.append(CellSpec(leaf, colspan=2))
            elif groups == "rowspan":
                if i in spans:
                    cells.append(CellSpec(g, rowspan=spans[i]))
                cells.append(CellSpec(leaf))
            else:
                cells.append(CellSpec(g + sep + leaf, colspan=2))
            rows.append(cells + vals(code))
    rows.append([CellSpec("四、结转下年度继续办理", colspan=lw)] + vals("carried_forward"))
    return _quirky(rep, rows), dropped


def _quirky(rep: SynthReport, rows: Rows) -> Rows:
    """The labels as the report's quirks print them (half-width brackets, 1、 numbering, typos ...)."""
    return relabel(rows, lambda t: _lbl(t, rep.quirks))


_REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
_REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")
_REVIEW_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def review_rows_style(rep: SynthReport) -> Rows:
    """Section 四 as three labelled rows of five under one header row."""
    rows: Rows = [[CellSpec("")] + [CellSpec(h) for h in _REVIEW_HEADS]]
    labels = {"review": "行政复议", "litigation_direct": "行政诉讼-未经复议直接起诉", "litigation_after_review": "复议后起诉"}
    for r in _REVIEW_ROWS:
        rows.append([CellSpec(labels[r])] + [_v(rep, ("review_litigation", r, c)) for c in _REVIEW_COLS])
    return _quirky(rep, rows)


def review_bands_reordered(rep: SynthReport) -> Rows:
    """Section 四 with its headers in two separate rows and the bands in another order
    (行政诉讼 before 行政复议)."""
    order = ("litigation_direct", "litigation_after_review", "review")
    names = {"review": "行政复议", "litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}
    return _quirky(rep, [
        [CellSpec("行政诉讼", colspan=10), CellSpec("行政复议", colspan=5)],
        [CellSpec(names[r], colspan=5) for r in order],
        [CellSpec(h) for _ in order for h in _REVIEW_HEADS],
        [_v(rep, ("review_litigation", r, c)) for r in order for c in _REVIEW_COLS],
    ])


# ----------------------------------------------------------------------------------------------
# Variants


def v_group_rows(rep: SynthReport) -> VariantDoc:
    """1. Group labels (（三）不予公开, 三、本年度办理结果) as full-width rows without values."""
    rows, _ = requests_rows(rep, groups="own_row")
    return _with(rep, "group_rows", {3: [rows]})


def v_group_inline(rep: SynthReport) -> VariantDoc:
    """2. Group and leaf label in one cell: ``（三）不予公开 1.属于国家秘密``."""
    rows, _ = requests_rows(rep, groups="inline")
    return _with(rep, "group_inline", {3: [rows]})


def v_group_inline_colon(rep: SynthReport) -> VariantDoc:
    """2b. ``（三）不予公开：1.属于国家秘密``."""
    rows, _ = requests_rows(rep, groups="inline_colon")
    return _with(rep, "group_inline_colon", {3: [rows]})


def traditional(text: str) -> str:
    """Simplified -> traditional with OpenCC (``opencc-python-reimplemented``, a test dependency)."""
    from opencc import OpenCC

    global _CC
    if _CC is None:
        _CC = OpenCC("s2t")
    return _CC.convert(text)


_CC = None


def to_traditional(doc: VariantDoc, name: str) -> VariantDoc:
    """``doc`` with every paragraph and label in traditional characters (values unchanged)."""
    blocks: list[Block] = []
    for kind, obj in doc.blocks:
        blocks.append(("p", traditional(obj)) if kind == "p" else ("t", relabel(obj, traditional)))
    # metadata is read in simplified characters
    return VariantDoc(name, doc.rep, blocks, set(doc.dropped), doc.agency, doc.year)


def v_traditional(rep: SynthReport) -> VariantDoc:
    """3. Traditional characters throughout (mirror sites): labels, headings, prose and title."""
    return to_traditional(VariantDoc("standard", rep, document(rep)), "traditional")


def v_traditional_combo(rep: SynthReport) -> VariantDoc:
    """3b. Traditional characters on group rows, unit-suffixed headers and labelled section-四 rows."""
    rows, _ = requests_rows(rep, groups="own_row", heads=lambda t: f"{t}（件）" if t != "申请人情况" else t)
    return to_traditional(_with(rep, "combo", {3: [rows], 4: [review_rows_style(rep)]}), "traditional_combo")


_HEAD_WORDS = [
    {"总计": "总 计", "本年制发件数": "本年新制发件数", "本年收费金额（单位：万元）": "本年收费金额(万元)"},
    {"总计": "合计", "本年收费金额（单位：万元）": "本年度收费金额（万元）",
     **{t: f"{i}.{t}" for i, t in enumerate(_APPLICANT_HEADS, 1)}},
    {**{t: f"{t}（件）" for t in ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "自然人", "总计",
                                  *_APPLICANT_HEADS, "结果维持", "结果纠正", "其他结果", "尚未审结")}},
]


def _header_variant(k: int) -> Callable[[SynthReport], VariantDoc]:
    def make(rep: SynthReport) -> VariantDoc:
        words = _HEAD_WORDS[k]
        std = standard_layout(rep)
        # only header cells: section 三's 总计 row label keeps its wording unless the variant says 合计
        tables = {2: [relabel(std[2], lambda t: words.get(t, t))],
                  3: [requests_rows(rep, heads=lambda t: words.get(t, t))[0]],
                  4: [relabel(std[4], lambda t: words.get(t, t))]}
        return _with(rep, f"header_words_{k + 1}", tables)

    make.__doc__ = f"4. Header wording variant {k + 1}: {_HEAD_WORDS[k]}."
    return make


def v_caption_note(rep: SynthReport) -> VariantDoc:
    """5. ``单位：件`` caption rows inside tables, ``（单位：件）`` paragraphs and ``注：`` note rows."""
    std = standard_layout(rep)
    tables = {}
    for n, rows in std.items():
        w = _table_width(rows)
        cap = [CellSpec("单位：件" if n != 4 else "（单位：件）", colspan=w)]
        note = [CellSpec(f"注：本表数据统计截至{rep.year}年12月31日，1件申请含多项内容的按1件统计。", colspan=w)]
        tables[n] = [[cap] + rows + [note]] if n != 3 else [rows + [note]]
    return _with(rep, "caption_note", tables, before_table={3: ["（单位：件）"]},
                 after_table={4: ["注：行政复议、行政诉讼数据来源于本机关法制部门。"]})


def v_review_rows(rep: SynthReport) -> VariantDoc:
    """6. Section 四 as three labelled rows of five."""
    return _with(rep, "review_rows", {4: [review_rows_style(rep)]})


def v_review_bands(rep: SynthReport) -> VariantDoc:
    """6b. Section 四 with band headers in separate rows, litigation before review."""
    return _with(rep, "review_bands", {4: [review_bands_reordered(rep)]})


def v_review_three_bands(rep: SynthReport) -> VariantDoc:
    """6c. Section 四 with the three bands in one header row (行政诉讼-未经复议直接起诉 ...)."""
    names = {"review": "行政复议", "litigation_direct": "行政诉讼-未经复议直接起诉", "litigation_after_review": "行政诉讼-复议后起诉"}
    rows = [
        [CellSpec(names[r], colspan=5) for r in _REVIEW_ROWS],
        [CellSpec(h) for _ in _REVIEW_ROWS for h in _REVIEW_HEADS],
        [_v(rep, ("review_litigation", r, c)) for r in _REVIEW_ROWS for c in _REVIEW_COLS],
    ]
    return _with(rep, "review_three_bands", {4: [_quirky(rep, rows)]})


def v_merged_group_rows(rep: SynthReport) -> VariantDoc:
    """10b. Sections 二–四 in one table, section 三 with its group labels as rows of their own."""
    std = standard_layout(rep)
    std[3] = requests_rows(rep, groups="own_row")[0]
    return _merged_doc("merged_group_rows", rep, std)


def v_flat_header(rep: SynthReport) -> VariantDoc:
    """7. Section 三 under a flat header of 7 columns (no 法人或其他组织 band)."""
    rows, _ = requests_rows(rep, header="flat")
    return _with(rep, "flat_header", {3: [rows]})


def v_no_org(rep: SynthReport) -> VariantDoc:
    """7b. Section 三 with only 自然人 / 法人或其他组织 / 总计: the organisation cells are lost."""
    rows, dropped = requests_rows(rep, header="no_org")
    d = _with(rep, "no_org", {3: [rows]})
    d.dropped = dropped
    return d


def v_repeated_header(rep: SynthReport) -> VariantDoc:
    """8. The section-三 header repeated in the middle of the table (a page break)."""
    from .html import split_rows

    rows = standard_layout(rep)[3]
    first, second = split_rows(rows, 3 + 2 + 7)
    return _with(rep, "repeated_header", {3: [first + rows[:3] + second]})


def _split(rep: SynthReport, repeat: bool) -> list[Rows]:
    rows = standard_layout(rep)[3]
    from .html import split_rows

    first, second = split_rows(rows, 3 + 9)
    return [first, (rows[:3] + second) if repeat else second]


def v_split_repeat(rep: SynthReport) -> VariantDoc:
    """8b. Section 三 split into two tables, the second repeating the header."""
    return _with(rep, "split_repeat", {3: _split(rep, True)})


def v_split_bare(rep: SynthReport) -> VariantDoc:
    """8c. Section 三 split into two tables, the second without a header."""
    return _with(rep, "split_bare", {3: _split(rep, False)})


def v_value_units(rep: SynthReport) -> VariantDoc:
    """9. Values printed with a unit (``3件``), as ``0.00`` or with a leading ``+``."""
    rng = random.Random(len(rep.raw))

    def fmt(key: Key, text: str) -> str:
        v = rep.values.get(key)
        if v is None or not text.isdigit():
            return text
        x = rng.random()
        if key[2] == "amount":
            return f"{v:.2f}" if x < 0.5 else text
        if v == 0 and x < 0.3:
            return "0.00"
        if x < 0.3:
            return text + "件"
        if x < 0.45 and v > 0:
            return "+" + text
        return text

    std = standard_layout(rep)
    return _with(rep, "value_units", {n: [revalue(rows, fmt)] for n, rows in std.items()})


def _merged_doc(name: str, rep: SynthReport, std: dict[int, Rows]) -> VariantDoc:
    """Sections 二–四 of ``std`` in one table, their headings as banner rows inside it."""
    w = max(_table_width(std[n]) for n in (2, 3, 4))
    rows: Rows = []
    for n in (2, 3, 4):
        rows.append([CellSpec(SECTION_HEADINGS[n], colspan=w)])
        rows += _pad_rows(std[n], w)
    return VariantDoc(name, rep, document(rep, {2: [rows]}, skip_headings=(3, 4)))


def v_merged(rep: SynthReport) -> VariantDoc:
    """10. Sections 二–四 in one table, the headings of 二, 三 and 四 as banner rows inside it."""
    return _merged_doc("merged", rep, standard_layout(rep))


def _pad_rows(rows: Rows, w: int) -> Rows:
    """Widen a table to ``w`` columns by widening the cell at the right edge of each row."""
    from report_extract.grid import build_table

    grid = build_table(rows)
    extra = w - grid.n_cols
    if extra <= 0:
        return rows
    out: Rows = []
    for r, row in enumerate(rows):
        # widen the cell that reaches the right edge
        new = list(row)
        last_origin = grid.rows[r][-1].origin
        if last_origin[0] == r:
            s = new[-1]
            new[-1] = CellSpec(s.text, s.rowspan, s.colspan + extra, dict(s.source))
        out.append(new)
    return out


_TITLES = {
    "title_nian": lambda a, y: [f"{a}{y}年政府信息公开工作年度报告"],
    "title_year_first": lambda a, y: [f"{y}年{a}政府信息公开工作年度报告"],
    "title_two_lines": lambda a, y: [a, f"{y}年度政府信息公开工作年度报告"],
    "title_date": lambda a, y: [f"{a}{y}年度政府信息公开工作年度报告", f"发布日期：{y + 1}-01-2{y % 7}", "来源：本站"],
    "title_no_year": lambda a, y: [f"{a}政府信息公开工作年度报告"],
    "title_work_report": lambda a, y: [f"{a}{y}年度政府信息公开工作报告"],
    "title_guanyu": lambda a, y: [f"{a}关于{y}年度政府信息公开工作情况的报告"],
    "title_full_text": lambda a, y: [f"关于{a}{y}年度政府信息公开工作年度报告的报告（全文）"],
}


def _title_variant(name: str) -> Callable[[SynthReport], VariantDoc]:
    def make(rep: SynthReport) -> VariantDoc:
        return VariantDoc(name, rep, document(rep, title=_TITLES[name](rep.agency, rep.year)))

    make.__doc__ = f"11. Title variant {name}."
    return make


def _with(rep: SynthReport, name: str, tables: dict[int, list[Rows]], **kw) -> VariantDoc:
    std = {n: [rows] for n, rows in standard_layout(rep).items()}
    std.update(tables)
    return VariantDoc(name, rep, document(rep, std, **kw))


VARIANTS: dict[str, Callable[[SynthReport], VariantDoc]] = {
    "group_rows": v_group_rows,
    "group_inline": v_group_inline,
    "group_inline_colon": v_group_inline_colon,
    "traditional": v_traditional,
    "traditional_combo": v_traditional_combo,
    **{f"header_words_{k + 1}": _header_variant(k) for k in range(len(_HEAD_WORDS))},
    "caption_note": v_caption_note,
    "review_rows": v_review_rows,
    "review_bands": v_review_bands,
    "review_three_bands": v_review_three_bands,
    "flat_header": v_flat_header,
    "no_org": v_no_org,
    "repeated_header": v_repeated_header,
    "split_repeat": v_split_repeat,
    "split_bare": v_split_bare,
    "value_units": v_value_units,
    "merged": v_merged,
    "merged_group_rows": v_merged_group_rows,
    **{name: _title_variant(name) for name in _TITLES},
}


# ----------------------------------------------------------------------------------------------
# Rendering


def render_variant(doc: VariantDoc, fmt: str) -> tuple[bytes, str]:
    """``(bytes, reader format)`` of ``doc`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt in TEXT_RENDERERS:
        lines: list[str] = []
        for kind, obj in doc.blocks:
            if kind == "p":
                lines.append(obj)
            else:
                lines += ([""] if fmt != "pipe" else []) + TEXT_RENDERERS[fmt](obj) + ([""] if fmt != "pipe" else [])
        return ("\n".join(lines) + "\n").encode("utf-8"), "text"
    if fmt == "html":
        return _html(doc).encode("utf-8"), "html"
    if fmt == "docx":
        return _docx(doc), "docx"
    if fmt == "xlsx":
        return _xlsx(doc), "xlsx"
    raise ValueError(f"format must be one of {FORMATS}")


def _html(doc: VariantDoc) -> str:
    out = ["<html><head><meta charset='utf-8'></head><body><div class=article>"]
    for kind, obj in doc.blocks:
        if kind == "p":
            out.append(f"<p>{escape(obj)}</p>")
            continue
        out.append('<table border="1" cellspacing="0">')
        for row in obj:
            tds = []
            for s in row:
                attrs = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + (f' colspan="{s.colspan}"' if s.colspan > 1 else "")
                tds.append(f"<td{attrs}>{escape(s.text) if s.text else '&nbsp;'}</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</table>")
    out.append("</div></body></html>")
    return "\n".join(out)


def _docx(doc: VariantDoc) -> bytes:
    import docx

    from .docx import _add_table

    d = docx.Document()
    rng = random.Random(0)
    prev_table = False
    for kind, obj in doc.blocks:
        if kind == "p":
            d.add_paragraph(obj)
            prev_table = False
        else:
            if prev_table:
                d.add_paragraph("")
            _add_table(d, obj, rng)
            prev_table = True
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx(doc: VariantDoc) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    from .xlsx import _xlsx_table

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    rng = random.Random(0)
    wb = Workbook()
    ws = wb.active
    r = 1
    for kind, obj in doc.blocks:
        if kind == "p":
            ws.cell(row=r, column=1, value=obj)
            r += 1
        else:
            r = _xlsx_table(ws, obj, r, border, rng) + 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["VariantDoc", "VARIANTS", "FORMATS", "render_variant", "document", "relabel", "revalue",
           "requests_rows", "traditional"]
