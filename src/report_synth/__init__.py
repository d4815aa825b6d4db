"""Synthetic reports with known values, for tests, fixtures and benchmarks.

:func:`make_report` draws values that satisfy the template's checks (or break chosen ones, to
imitate publisher errors) and :func:`standard_layout` lays them out as the official template does
(rowspans, colspans, banners, the section-四 header band) as rows of :class:`~report_extract.grid.CellSpec`.
Renderers for each format (``synth.text``, ``synth.html`` ...) turn that layout into a document,
so every format is tested against the same truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pandas as pd

from report_extract.grid import CellSpec
from report_extract.schema import template_schema

Key = tuple[str, str, str]

QUIRKS = (
    "halfwidth",        # (一) instead of （一）, : instead of ：
    "dun_numbering",    # 1、 instead of 1.
    "paren_numbering",  # （1） instead of 1.
    "spaces",           # stray spaces inside labels (商业 企业, 三、本年度办 理结果)
    "typos",            # real typos: 其他法律行政止公开, 先行有效件数
    "truncated_review", # section-四 headers truncated (结果 for 结果纠正)
    "single_other",     # （六）其他处理 as one row (row `other`)
    "placeholders",     # zeros printed as blanks, '/', '—', '无'
    "units",            # amounts printed with 元
    "thousands",        # thousands separators 1,234
    "fullwidth_digits", # ０１２
)

_OUTCOMES_2021 = [
    "granted", "partially_granted",
    "denied_state_secret", "denied_prohibited_by_law", "denied_security_stability", "denied_third_party_rights",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_files", "denied_query_matters",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_reconfirmation",
]
APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org"]
# Real publishers at every level (township, street, county, city, department, province office), so
# that publisher metadata and division codes can be checked on generated reports.
_AGENCIES = [
    "楠木坪镇", "芷江侗族自治县罗旧镇", "怀化市鹤城区城中街道", "芷江侗族自治县人民政府",
    "怀化市人民政府", "怀化市财政局", "鹤城区教育局", "湖南省人民政府办公厅",
]


@dataclass
class SynthReport:
    """A report with known truth: printed text and value of every cell, plus metadata."""

    template: str
    agency: str
    year: int
    other_rows: int
    raw: dict[Key, str] = field(default_factory=dict)
    values: dict[Key, float | None] = field(default_factory=dict)
    quirks: frozenset[str] = frozenset()
    errors: list[str] = field(default_factory=list)  # checks broken on purpose

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年度政府信息公开工作年度报告"

    def truth(self) -> pd.DataFrame:
        """The cells a correct extraction returns: ``table,row,column,value,raw``."""
        rows = [
            {"table": k[0], "row": k[1], "column": k[2], "value": (float("nan") if v is None else float(v)), "raw": self.raw[k]}
            for k, v in self.values.items()
        ]
        return pd.DataFrame(rows)

    def failed_checks(self) -> list[str]:
        """The checks the printed numbers fail (computed with the library's own check table)."""
        from report_extract.checks import run_checks

        checks = run_checks(self.truth(), self.template)
        return sorted(checks.loc[~checks["passed"].astype(bool), "check"])


def _outcome_rows(template: str, other_rows: int) -> list[str]:
    rows = list(_OUTCOMES_2021)
    if other_rows == 3 and template == "2021":
        rows += ["other_overdue_correction", "other_overdue_fee", "other_other"]
    else:
        rows += ["other"]
    return rows


def make_report(
    seed: int = 0,
    template: str = "2021",
    *,
    other_rows: int | None = None,
    quirks: frozenset[str] | set[str] | tuple[str, ...] = (),
    busy: float = 0.3,
    publisher_error: bool = False,
    agency: str | None = None,
    year: int | None = None,
) -> SynthReport:
    """Draw a report whose numbers satisfy every check (unless ``publisher_error``).

    ``busy`` is the share of nonzero cells; ``quirks`` names layout quirks from :data:`QUIRKS`
    that renderers and value formatting imitate.
    """
    rng = random.Random(seed)
    q = frozenset(quirks)
    if other_rows is None:
        other_rows = 1 if (template == "2019" or "single_other" in q) else 3
    year = year or (rng.choice([2019, 2020]) if template == "2019" else rng.choice([2021, 2022, 2023, 2024, 2025]))
    rep = SynthReport(template, agency or rng.choice(_AGENCIES), year, other_rows, quirks=q)
    vals: dict[Key, float] = {}

    def small(p=busy, hi=9):
        return rng.randint(1, hi) if rng.random() < p else 0

    # section 二
    schema = template_schema(template)
    for row, rd in schema.rows["proactive"].items():
        for col in rd.columns:
            if col == "amount":
                v = round(rng.uniform(0, 30000), rng.choice([0, 2, 4])) if rng.random() < 0.7 else 0
            elif col == "change":
                v = rng.randint(-20, 20) if rng.random() < busy else 0
            else:
                v = small(hi=400)
            vals[("proactive", row, col)] = v
    # section 三
    outcomes = _outcome_rows(template, other_rows)
    for col in APPLICANTS:
        for row in outcomes:
            vals[("requests", row, col)] = small(busy / 2 if col != "natural_person" else busy, hi=30)
        tp = sum(vals[("requests", r, col)] for r in outcomes)
        fwd = small(busy / 2, hi=5)
        over = rng.randint(0, min(tp + fwd, 4)) if rng.random() < busy else 0
        vals[("requests", "total_processed", col)] = tp
        vals[("requests", "carried_forward", col)] = fwd
        vals[("requests", "carried_over", col)] = over
        vals[("requests", "new_received", col)] = tp + fwd - over
    for row in ["new_received", "carried_over", *outcomes, "total_processed", "carried_forward"]:
        vals[("requests", row, "total")] = sum(vals[("requests", row, c)] for c in APPLICANTS)
    # section 四
    for row in ("review", "litigation_direct", "litigation_after_review"):
        parts = [small(busy / 2, hi=6) for _ in range(4)]
        for col, v in zip(("upheld", "corrected", "other", "pending"), parts):
            vals[("review_litigation", row, col)] = v
        vals[("review_litigation", row, "total")] = sum(parts)
    if publisher_error:
        kind = rng.choice(["row_total", "review_total", "outcome"])
        if kind == "row_total":
            row = rng.choice(outcomes)
            vals[("requests", row, "total")] += 1
            rep.errors.append(f"requests.row_total.{row}")
        elif kind == "review_total":
            vals[("review_litigation", "review", "total")] += 2
            rep.errors.append("review_litigation.row_total.review")
        else:
            vals[("requests", "total_processed", "natural_person")] += 1
            vals[("requests", "total_processed", "total")] += 1
            rep.errors += ["requests.outcomes.natural_person", "requests.outcomes.total"]
    order = [(c.table, c.row, c.column) for c in schema.cells]
    if other_rows == 1 and template == "2021":
        order = [k for k in order if not k[1].startswith("other_")]
        idx = next(i for i, k in enumerate(order) if k[1] == "total_processed")
        order[idx:idx] = [("requests", "other", c) for c in schema.column_order["requests"]]
    for key in order:
        v = vals[key]
        raw, value = _format(v, key, q, rng)
        rep.raw[key] = raw
        rep.values[key] = value
    return rep


def _format(v: float, key: Key, q: frozenset[str], rng: random.Random) -> tuple[str, float | None]:
    if v == 0 and "placeholders" in q and rng.random() < 0.15:
        return rng.choice(["", "/", "—", "无", "-"]), None
    if isinstance(v, float) and not float(v).is_integer():
        text = f"{v}"
    else:
        text = str(int(v))
    if "thousands" in q and abs(v) >= 1000 and float(v).is_integer():
        text = f"{int(v):,}"
    if "units" in q and key[2] == "amount" and key[1] == "procurement":
        text += "元"
    if "fullwidth_digits" in q and rng.random() < 0.2:
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return text, float(v)


# ----------------------------------------------------------------------------------------------
# The official layout


def _lbl(text: str, q: frozenset[str]) -> str:
    if "halfwidth" in q:
        text = text.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")
    if "dun_numbering" in q:
        for i in range(1, 9):
            text = text.replace(f"{i}.", f"{i}、")
    elif "paren_numbering" in q:
        for i in range(1, 9):
            text = text.replace(f"{i}.", f"（{i}）")
    if "typos" in q:
        text = text.replace("其他法律行政法规禁止公开", "其他法律行政止公开").replace("现行有效件数", "先行有效件数")
    if "spaces" in q:
        text = {"商业企业": "商业 企业", "科研机构": "科研 机构", "三、本年度办理结果": "三、本年度办 理结果"}.get(text, text)
        if text.startswith("4.无正当理由") or text.startswith("4、无正当理由"):
            text = text.replace("反复申请", "反复 申请")
    return text


def _v(rep: SynthReport, key: Key, colspan: int = 1) -> CellSpec:
    return CellSpec(rep.raw[key], colspan=colspan, source={"key": key})


def standard_layout(rep: SynthReport) -> dict[int, list[list[CellSpec]]]:
    """The three tables of the official template for ``rep``: {section number: rows of CellSpec}."""
    q = rep.quirks
    schema = template_schema(rep.template)
    L = lambda t, **kw: CellSpec(_lbl(t, q), **kw)  # noqa: E731
    sec2: list[list[CellSpec]] = []
    if rep.template == "2021":
        blocks = [
            ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["rules", "normative_documents"]),
            ("第二十条第（五）项", ["本年处理决定数量"], ["licensing"]),
            ("第二十条第（六）项", ["本年处理决定数量"], ["penalty", "coercion"]),
            ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["fees"]),
        ]
    else:
        three = ["上一年项目数量", "本年增/减", "处理决定数量"]
        blocks = [
            ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], ["rules", "normative_documents"]),
            ("第二十条第（五）项", three, ["licensing", "other_services"]),
            ("第二十条第（六）项", three, ["penalty", "coercion"]),
            ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["fees"]),
            ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ["procurement"]),
        ]
    for banner, headers, rows in blocks:
        sec2.append([L(banner, colspan=4)])
        spans = _spans(len(headers))
        sec2.append([L("信息内容")] + [L(h, colspan=s) for h, s in zip(headers, spans)])
        for row in rows:
            rd = schema.rows["proactive"][row]
            sec2.append([L(rd.label)] + [_v(rep, ("proactive", row, c), s) for c, s in zip(rd.columns, spans)])

    sec3: list[list[CellSpec]] = [
        [L("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3), L("申请人情况", colspan=7)],
        [L("自然人", rowspan=2), L("法人或其他组织", colspan=5), L("总计", rowspan=2)],
        [L(t) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    cols = schema.column_order["requests"]

    def vals(row):
        return [_v(rep, ("requests", row, c)) for c in cols]

    sec3.append([L("一、本年新收政府信息公开申请数量", colspan=3)] + vals("new_received"))
    sec3.append([L("二、上年结转政府信息公开申请数量", colspan=3)] + vals("carried_over"))
    outcome_rows = _outcome_rows(rep.template, rep.other_rows) + ["total_processed"]
    groups: list[tuple[str | None, list[str]]] = []
    for row in outcome_rows:
        rd = schema.rows["requests"].get(row) or template_schema("2019").rows["requests"][row]
        g = rd.label.split(" ")[0] if " " in rd.label else None
        if groups and g is not None and groups[-1][0] == g:
            groups[-1][1].append(row)
        else:
            groups.append((g, [row]))
    first = True
    for g, rows in groups:
        for i, row in enumerate(rows):
            rd = schema.rows["requests"].get(row) or template_schema("2019").rows["requests"][row]
            cells: list[CellSpec] = []
            if first:
                cells.append(L("三、本年度办理结果", rowspan=len(outcome_rows)))
                first = False
            if g is None:
                cells.append(L(rd.label, colspan=2))
            else:
                if i == 0:
                    cells.append(L(g, rowspan=len(rows)))
                cells.append(L(rd.label.split(" ", 1)[1]))
            sec3.append(cells + vals(row))
    sec3.append([L("四、结转下年度继续办理", colspan=3)] + vals("carried_forward"))

    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    if "truncated_review" in q:
        heads = ["结果维持", "结果", "其他", "尚未", "总计"]
    sec4 = [
        [L("行政复议", colspan=5), L("行政诉讼", colspan=10)],
        [L(h, rowspan=2) for h in heads] + [L("未经复议直接起诉", colspan=5), L("复议后起诉", colspan=5)],
        [L(h) for h in heads] * 2,
        [_v(rep, ("review_litigation", r, c)) for r in ("review", "litigation_direct", "litigation_after_review") for c in ("upheld", "corrected", "other", "pending", "total")],
    ]
    return {2: sec2, 3: sec3, 4: sec4}


def _spans(n: int) -> list[int]:
    """Column spans that fill the three value columns of a section-二 block."""
    return {1: [3], 2: [1, 2], 3: [1, 1, 1]}[n]


SECTION_HEADINGS = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


def prose(rep: SynthReport, section: int) -> list[str]:
    """Paragraphs of filler prose for sections 一, 五, 六 (and a line before each table)."""
    new = rep.values.get(("requests", "new_received", "total")) or 0
    return {
        1: [f"（一）主动公开情况。{rep.year}年，{rep.agency}严格落实政府信息公开条例，主动公开各类政府信息。",
            f"（二）依申请公开情况。全年共收到政府信息公开申请{int(new)}件，均按时答复。"],
        5: ["存在的主要问题：信息公开的及时性有待加强。", "改进情况：建立信息公开台账，明确责任人。"],
        6: ["本年度未收取信息处理费。"],
    }.get(section, [])


__all__ = ["SynthReport", "make_report", "standard_layout", "prose", "SECTION_HEADINGS", "QUIRKS", "APPLICANTS"]
