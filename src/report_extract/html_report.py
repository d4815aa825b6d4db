"""The comparison as one self-contained HTML page (no network: the chart libraries are inlined).

:func:`build_report` gathers the frames and charts of a comparison; :func:`render_html` turns them
into one page: the ranking (chart and table with each figure's cells and report), the time series,
the outcome mix, the data-quality strip, the sortable summary table, the failed checks and
ambiguous cells called out, and how the numbers are computed. :func:`write_outputs` writes the
page, the CSVs and the chart images.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts
from .compare import compare, format_value, select, summary
from .duplicates import __doc__ as DUPLICATES_DOC
from .indicators import indicator_defs

MAX_SERIES = 12
SUMMARY_INDICATORS = ["received", "processed", "granted", "partially_granted", "denied", "unable", "not_processed",
                      "other", "carried_forward", "denied_share", "review", "litigation"]
OUTPUT_FORMATS = ("html", "csv", "png", "svg")


@dataclass
class Comparison:
    """The frames and charts of one comparison."""

    indicator: str
    year: int | None
    level: str | None
    parent: str | None
    summary: pd.DataFrame
    ranking: pd.DataFrame
    changes: pd.DataFrame
    charts: dict[str, Any] = field(default_factory=dict)
    n_reports: int = 0
    n_errors: int = 0
    cells: pd.DataFrame | None = None


def _latest_year(frame: pd.DataFrame) -> int | None:
    years = frame.loc[frame["value"].notna(), "year"].dropna()
    return int(years.max()) if len(years) else None


def build_report(rs: Any, indicator: str = "denied_share", year: int | None = None, level: str | None = None,
                 parent: str | None = None, with_charts: bool = True) -> Comparison:
    """Compute everything the report shows. ``year`` None ranks the latest year with values."""
    full = summary(rs)
    all_years = compare(rs, None, level, parent, indicator, summary_frame=full)
    rank_year = year if year is not None else _latest_year(all_years)
    ranking = (compare(rs, rank_year, level, parent, indicator, summary_frame=full) if rank_year is not None
               else all_years.iloc[0:0])
    summ = select(full, level, parent)
    cmp = Comparison(indicator=indicator, year=rank_year, level=level, parent=parent, summary=summ,
                     ranking=ranking, changes=all_years, n_reports=len(rs.reports), n_errors=len(rs.errors),
                     cells=rs.cells)
    if with_charts and not summ.empty:
        cmp.charts["ranking"] = charts.ranking_chart(ranking)
        series = summ
        if summ["publisher_key"].nunique() > MAX_SERIES:
            top = ranking.sort_values("value", ascending=False)["publisher_key"].head(MAX_SERIES)
            series = summ[summ["publisher_key"].isin(set(top))]
        cmp.charts["timeseries"] = charts.timeseries_chart(series, indicator)
        mix = summ[summ["year"] == rank_year] if rank_year is not None else summ
        cmp.charts["outcomes"] = charts.outcome_mix_chart(mix, title=f"办理结果构成 outcome mix {rank_year or ''}")
        cmp.charts["quality"] = charts.quality_strip(summ)
    return cmp


# ---------------------------------------------------------------------------------------------
# HTML

CSS = """
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','PingFang SC','Microsoft YaHei',sans-serif;
margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:1em 0}th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3}table.sortable th{cursor:pointer}table.sortable th:after{content:' \\21C5';color:#aaa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.q-ok{color:#2b5d8f}.q-ambiguous{color:#b36b00;font-weight:bold}.q-check_failed{color:#b3192b;font-weight:bold}
.q-no_data{color:#888}details{font-size:.85em}code{font-size:.9em;overflow-wrap:anywhere}.chart{margin:1em 0}
.note{background:#fff8e5;border-left:4px solid #f2a93b;padding:.5em 1em}
"""

SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function(table){
  table.querySelectorAll('th').forEach(function(th, col){
    th.addEventListener('click', function(){
      var body = table.tBodies[0]; var rows = Array.prototype.slice.call(body.rows);
      var asc = th.getAttribute('data-sort') !== 'asc';
      table.querySelectorAll('th').forEach(function(h){ h.removeAttribute('data-sort'); });
      th.setAttribute('data-sort', asc ? 'asc' : 'desc');
      rows.sort(function(a, b){
        var x = a.cells[col].getAttribute('data-v') || a.cells[col].textContent;
        var y = b.cells[col].getAttribute('data-v') || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'zh');
        return asc ? c : -c;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  });
});
"""


def _e(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    return escape(str(v))


def _q(quality: Any) -> str:
    q = _e(quality) or "no_data"
    return f'<span class="q-{q}">{escape(charts.QUALITY_LABELS.get(q, q))}</span>'


def _num_cell(v: Any, unit: str) -> str:
    data_v = "" if v is None or pd.isna(v) else f' data-v="{float(v)}"'
    return f'<td class="num"{data_v}>{escape(format_value(v, unit))}</td>'


def _change(v: Any, unit: str) -> str:
    if v is None or pd.isna(v):
        return "<td></td>"
    txt = f"{v * 100:+.1f} pp" if unit == "share" else f"{v:+,.0f}"
    return f'<td class="num" data-v="{float(v)}">{escape(txt)}</td>'


def _ranking_table(cmp: Comparison) -> str:
    unit = indicator_defs()[cmp.indicator].unit
    head = ("<tr><th>排名 rank</th><th>发布机关 publisher</th><th>层级 level</th><th>数值 value</th>"
            "<th>上次 previous</th><th>变化 change</th><th>数据质量 quality</th><th>来源 source</th></tr>")
    rows = []
    for r in cmp.ranking.to_dict("records"):
        prev = "" if pd.isna(r["previous_year"]) else f"{format_value(r['previous_value'], unit)} ({int(r['previous_year'])})"
        cells = "<br>".join(_e(c) for c in str(r["cells"] or "").split(";") if c)
        extra = ""
        if r["failed_checks"]:
            extra += f"<br>未通过的校验 failed checks: <code>{_e(r['failed_checks'])}</code>"
        if r["ambiguous_cells"]:
            extra += f"<br>待确认单元格 ambiguous cells: <code>{_e(r['ambiguous_cells'])}</code>"
        if r["duplicates_excluded"]:
            extra += f"<br>未计入的重复报告 duplicates excluded: {_e(r['duplicates_excluded'])}"
        source = (f"<details><summary>{_e(Path(str(r['report_id'])).name)}</summary>报告 report: <code>{_e(r['report_id'])}</code>"
                  f"<br>单元格 cells (as printed):<br><code>{cells}</code>{extra}</details>")
        rank = "" if pd.isna(r["rank"]) else int(r["rank"])
        rows.append(f"<tr><td class=\"num\">{rank}</td><td>{_e(r['publisher'])}</td><td>{_e(r['level'])}</td>"
                    f"{_num_cell(r['value'], unit)}<td>{_e(prev)}</td>{_change(r['change'], unit)}"
                    f"<td>{_q(r['quality'])}</td><td>{source}</td></tr>")
    return f'<table class="sortable" id="ranking-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _summary_table(cmp: Comparison) -> str:
    defs = indicator_defs()
    codes = [c for c in dict.fromkeys(SUMMARY_INDICATORS + [cmp.indicator]) if c in defs]
    head = "<tr><th>发布机关 publisher</th><th>年度 year</th><th>层级 level</th><th>上级 parent</th>" + "".join(
        f"<th title=\"{_e(defs[c].label_en)}\">{_e(defs[c].label_zh)}</th>" for c in codes) + \
        "<th>数据质量 quality</th><th>报告 report</th></tr>"
    rows = []
    for r in cmp.summary.to_dict("records"):
        vals = "".join(_num_cell(r[c], defs[c].unit) for c in codes)
        rows.append(f"<tr><td>{_e(r['publisher'])}</td><td class=\"num\">{_e(r['year'])}</td><td>{_e(r['level'])}</td>"
                    f"<td>{_e(r['parent'])}</td>{vals}<td>{_q(r['quality'])}</td>"
                    f"<td><code>{_e(Path(str(r['report_id'])).name)}</code></td></tr>")
    return f'<table class="sortable" id="summary-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _problems(cmp: Comparison) -> str:
    s = cmp.summary
    bad = s[(s["n_failed_checks"] > 0) | (s["n_ambiguous_cells"] > 0) | (s["duplicates_excluded"] != "")]
    if bad.empty:
        return "<p>所有报告均通过勾稽校验，没有待确认的单元格。Every report passes its checks; no ambiguous cells.</p>"
    amb: dict[str, list[str]] = {}
    if cmp.cells is not None and not cmp.cells.empty:
        a = cmp.cells[cmp.cells["confidence"] == "ambiguous"]
        for rid, t, r, c, raw in zip(a["report_id"], a["table"], a["row"], a["column"], a["raw"]):
            amb.setdefault(str(rid), []).append(f"{t}.{r}.{c}={'' if pd.isna(raw) else raw}")
    items = []
    for r in bad.to_dict("records"):
        parts = []
        if r["n_failed_checks"]:
            parts.append(f"未通过的校验 failed checks ({int(r['n_failed_checks'])}): <code>{_e(r['failed_checks'])}</code>")
        if r["n_ambiguous_cells"]:
            parts.append(f"待确认单元格 ambiguous cells ({int(r['n_ambiguous_cells'])}): <code>"
                         + _e("; ".join(amb.get(str(r["report_id"]), []))) + "</code>")
        if r["duplicates_excluded"]:
            parts.append(f"未计入的重复报告 duplicates excluded: {_e(r['duplicates_excluded'])}")
        items.append(f"<li><b>{_e(r['publisher'])} {_e(r['year'])}</b> (<code>{_e(r['report_id'])}</code>)<br>"
                     + "<br>".join(parts) + "</li>")
    return ('<p class="note">以下报告的数字未通过模板勾稽校验或含有待确认的单元格：相关数字按原文照录，使用时请核对原文。'
            " The figures of these reports are as printed; check the source before quoting them.</p>"
            f'<ul id="problems">{"".join(items)}</ul>')


def _method() -> str:
    rows = "".join(
        f"<tr><td><code>{_e(i.code)}</code></td><td>{_e(i.label_zh)}</td><td>{_e(i.label_en)}</td>"
        f"<td><code>{_e(i.formula)}</code></td><td>{_e(i.blank)}</td><td>{_e(i.description)}</td></tr>"
        for i in indicator_defs().values())
    dup = escape((DUPLICATES_DOC or "").strip())
    return (
        "<p>每个指标由标准模板的单元格（<code>table.row.column</code>）按下表公式计算（<code>*</code> 为通配符，"
        "<code>@</code> 引用另一指标）。Each indicator is computed from the cells of the national template by the formula "
        "below. Blanks: <code>zero</code> counts a blank cell as 0 when another cell of the sum prints a number "
        "(empty when none does); <code>missing</code> leaves the figure empty when a cell is blank. A share is empty when "
        "nothing was processed. Figures are as printed: a report whose numbers fail the template's arithmetic checks is "
        "kept and marked <span class=\"q-check_failed\">check failed</span>; a cell the text did not settle is marked "
        "<span class=\"q-ambiguous\">ambiguous</span>. Rankings: within the same year and administrative level "
        "(and parent government when chosen); rank 1 is the highest value; ties share a rank. Change: against the "
        "publisher's previous report in the data.</p>"
        f'<table id="indicators"><thead><tr><th>code</th><th>中文</th><th>English</th><th>formula</th><th>blanks</th>'
        f"<th>description</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<details><summary>重复报告 duplicates: 规则 the rule</summary><pre>{dup}</pre></details>"
    )


def _script_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")


def render_html(cmp: Comparison) -> str:
    """The self-contained page of a comparison."""
    ind = indicator_defs()[cmp.indicator]
    scope = "，".join(x for x in (
        f"{cmp.year} 年" if cmp.year else "", f"层级 level {cmp.level}" if cmp.level else "",
        f"上级 parent {cmp.parent}" if cmp.parent else "") if x)
    n_dups = int((cmp.summary["duplicates_excluded"] != "").sum()) if not cmp.summary.empty else 0
    specs = {name: charts.spec(ch) for name, ch in cmp.charts.items()}
    chart_divs = {name: f'<div class="chart" id="chart-{name}"></div>' for name in specs}
    embed = (
        "var SPECS = " + _script_json(specs) + ";\n"
        "Object.keys(SPECS).forEach(function(name){\n"
        "  vegaEmbed('#chart-' + name, SPECS[name], {renderer: 'svg', actions: false})\n"
        "    .then(function(){ document.getElementById('chart-' + name).setAttribute('data-rendered', '1'); })\n"
        "    .catch(function(err){ console.error('chart ' + name + ': ' + err); });\n"
        "});\n"
    )
    bundle = charts.javascript_bundle() if specs else ""
    title = f"政府信息公开年度报告比较：{ind.label_zh}"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head><body>
<h1>{_e(title)}</h1>
<p>{_e(ind.label_en)} — {_e(scope) or "全部 all publishers and years"}. 报告 {cmp.n_reports} 份 reports read,
{len(cmp.summary)} 个发布机关-年度 publisher-years counted, {n_dups} 份有重复（只计一次 duplicates counted once）,
{cmp.n_errors} 个文件无法读取 files could not be read.</p>
<h2 id="ranking">排名 Ranking {cmp.year or ''}</h2>
{chart_divs.get("ranking", "")}
{_ranking_table(cmp)}
<h2 id="timeseries">历年变化 Over the years</h2>
{chart_divs.get("timeseries", "")}
<h2 id="outcomes">办理结果构成 Outcome mix</h2>
{chart_divs.get("outcomes", "")}
<h2 id="quality">数据质量 Data quality</h2>
{chart_divs.get("quality", "")}
{_problems(cmp)}
<h2 id="summary">汇总表 Summary (点击表头排序 click a header to sort)</h2>
{_summary_table(cmp)}
<h2 id="method">数字如何计算 How these numbers are computed</h2>
{_method()}
<script>{bundle}</script>
<script>{embed}{SORT_JS}</script>
</body></html>
"""


def parse_output_formats(spec: str) -> list[str]:
    """``"html,csv"`` -> formats (html, csv, png, svg); raises ValueError on an unknown one."""
    out = []
    for f in (x.strip().lower().lstrip(".") for x in spec.split(",")):
        if not f:
            continue
        if f not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {f!r}; choose from {', '.join(OUTPUT_FORMATS)}")
        if f not in out:
            out.append(f)
    return out


def write_outputs(cmp: Comparison, output: str | os.PathLike, formats: list[str]) -> list[Path]:
    """Write the comparison: ``html`` the page at ``output`` (``.html`` added when missing); ``csv``
    ``<stem>.summary.csv`` and ``<stem>.compare.csv`` (rankings and changes over every year);
    ``png``/``svg`` the four charts in ``<stem>_charts/``."""
    from .writers import atomic_write_bytes

    out = Path(output)
    stem = out.with_suffix("") if out.suffix.lower() in (".html", ".htm", ".csv") else out
    written: list[Path] = []
    if "html" in formats:
        target = out if out.suffix.lower() in (".html", ".htm") else stem.with_suffix(".html")
        atomic_write_bytes(target, render_html(cmp).encode("utf-8"))
        written.append(target)
    if "csv" in formats:
        for name, frame in (("summary", cmp.summary), ("compare", cmp.changes)):
            target = stem.parent / f"{stem.name}.{name}.csv"
            atomic_write_bytes(target, frame.to_csv(index=False).encode("utf-8"))
            written.append(target)
    for fmt in ("png", "svg"):
        if fmt in formats:
            for name, chart in cmp.charts.items():
                written.append(charts.save_chart(chart, stem.parent / f"{stem.name}_charts" / f"{name}.{fmt}"))
    return written


__all__ = ["Comparison", "build_report", "render_html", "write_outputs", "parse_output_formats", "OUTPUT_FORMATS"]
