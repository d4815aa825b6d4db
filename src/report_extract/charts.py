"""Charts of a comparison, as Vega-Lite specifications built with Altair.

Vega-Lite renders in the browser (the HTML report inlines the Vega libraries, so Chinese labels use
the reader's system fonts) and, through ``vl-convert``, to PNG and SVG files for articles without a
browser (it finds the system's CJK fonts; ``scripts/system-deps.sh`` installs ``fonts-wqy-zenhei``).
Needs the ``report`` extra: ``pip install 'report_extract[report]'``.

Four charts: :func:`ranking_chart` (bars), :func:`timeseries_chart` (one line per publisher),
:func:`outcome_mix_chart` (stacked shares of the outcomes) and :func:`quality_strip` (data quality
per publisher and year).
"""

from __future__ import annotations

import math
import os
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import MissingDependencyError
from .indicators import indicator_defs

VL_VERSION = "6.4"
FONT = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','PingFang SC','Microsoft YaHei',sans-serif"
QUALITY_LABELS = {"ok": "通过校验 ok", "ambiguous": "有待确认的单元格 ambiguous", "check_failed": "勾稽校验未通过 check failed",
                  "no_data": "无数据 no data"}
QUALITY_COLORS = {"ok": "#4c78a8", "ambiguous": "#f2a93b", "check_failed": "#d6404e", "no_data": "#bbbbbb"}
OUTCOMES = ["granted", "partially_granted", "denied", "unable", "not_processed", "other"]


def _alt():
    try:
        import altair as alt
    except ImportError:
        raise MissingDependencyError(None, "charts need altair: pip install 'report_extract[report]'") from None
    return alt


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe rows (NaN/NA -> None, numpy scalars -> Python)."""
    out = []
    for rec in frame.to_dict("records"):
        row = {}
        for k, v in rec.items():
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                row[k] = None
            elif hasattr(v, "item"):
                row[k] = v.item()
            else:
                row[k] = v
        out.append(row)
    return out


def _label(code: str) -> str:
    ind = indicator_defs()[code]
    return f"{ind.label_zh} {ind.label_en}"


def _fmt(code: str) -> str:
    return ".1%" if indicator_defs()[code].is_share else ",.0f"


def _quality_color(alt):
    return alt.Color("quality_label:N", title="数据质量 data quality",
                     scale=alt.Scale(domain=[QUALITY_LABELS[k] for k in QUALITY_COLORS],
                                     range=list(QUALITY_COLORS.values())))


def _configure(chart):
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT).configure_legend(
        labelFont=FONT, titleFont=FONT, orient="bottom", columns=2, labelLimit=260).configure_title(font=FONT, anchor="start")


def ranking_chart(cmp: pd.DataFrame, title: str | None = None):
    """Horizontal bars of one year's ranking (a :func:`~report_extract.compare.compare` frame),
    coloured by data quality; the tooltip names the report and the cells."""
    alt = _alt()
    code = str(cmp["indicator"].iloc[0]) if not cmp.empty else "denied_share"
    data = cmp[cmp["value"].notna()].copy()
    data["quality_label"] = data["quality"].map(QUALITY_LABELS)
    data["year"] = data["year"].astype("float64")
    n = max(len(data), 1)
    chart = alt.Chart(alt.Data(values=_records(data))).mark_bar().encode(
        y=alt.Y("publisher:N", sort="-x", title="发布机关 publisher", axis=alt.Axis(labelLimit=320)),
        x=alt.X("value:Q", title=_label(code), axis=alt.Axis(format=_fmt(code))),
        color=_quality_color(alt),
        tooltip=[alt.Tooltip("publisher:N", title="发布机关"), alt.Tooltip("year:Q", title="年度", format="d"),
                 alt.Tooltip("value:Q", title=_label(code), format=_fmt(code)),
                 alt.Tooltip("rank:Q", title="排名 rank"), alt.Tooltip("quality:N", title="数据质量"),
                 alt.Tooltip("report_id:N", title="报告 report"), alt.Tooltip("cells:N", title="单元格 cells")],
    ).properties(title=title or f"排名：{_label(code)}", width=460, height=max(60, 22 * n))
    return _configure(chart)


def timeseries_chart(summ: pd.DataFrame, code: str, title: str | None = None):
    """One line per publisher over the years (a :func:`~report_extract.compare.summary` frame)."""
    alt = _alt()
    data = summ[["publisher", "year", code, "quality", "report_id"]].rename(columns={code: "value"})
    data = data[data["value"].notna() & data["year"].notna()].copy()
    data["year"] = data["year"].astype(int)
    data["quality_label"] = data["quality"].map(QUALITY_LABELS)
    base = alt.Chart(alt.Data(values=_records(data))).encode(
        x=alt.X("year:O", title="年度 year"),
        y=alt.Y("value:Q", title=_label(code), axis=alt.Axis(format=_fmt(code))),
        color=alt.Color("publisher:N", title="发布机关 publisher", legend=alt.Legend(labelLimit=300),
                        scale=alt.Scale(scheme="tableau20")),
    )
    lines = base.mark_line()
    points = base.mark_point(filled=True, size=60).encode(
        shape=alt.Shape("quality_label:N", title="数据质量 data quality"),
        tooltip=[alt.Tooltip("publisher:N", title="发布机关"), alt.Tooltip("year:O", title="年度"),
                 alt.Tooltip("value:Q", title=_label(code), format=_fmt(code)),
                 alt.Tooltip("quality:N", title="数据质量"), alt.Tooltip("report_id:N", title="报告 report")],
    )
    chart = (lines + points).properties(title=title or f"历年变化：{_label(code)}", width=520, height=300)
    return _configure(chart)


def outcome_mix_chart(summ: pd.DataFrame, title: str | None = None):
    """Stacked bars: the share of each outcome in the applications processed, per publisher (and year)."""
    alt = _alt()
    defs = indicator_defs()
    rows = []
    for rec in summ.to_dict("records"):
        processed = rec.get("processed")
        if processed is None or (isinstance(processed, float) and math.isnan(processed)) or processed == 0:
            continue
        who = f"{rec['publisher']} {'' if pd.isna(rec['year']) else int(rec['year'])}"
        for i, code in enumerate(OUTCOMES):
            v = rec.get(code)
            share = None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) / float(processed)
            rows.append({"who": who, "outcome": defs[code].label_zh, "order": i, "share": share, "count": v,
                         "report_id": rec["report_id"]})
    data = pd.DataFrame(rows, columns=["who", "outcome", "order", "share", "count", "report_id"])
    n = max(data["who"].nunique(), 1)
    chart = alt.Chart(alt.Data(values=_records(data))).mark_bar().encode(
        y=alt.Y("who:N", title="发布机关 publisher", axis=alt.Axis(labelLimit=320)),
        x=alt.X("share:Q", title="占办理结果总计的比例 share of processed", axis=alt.Axis(format="%"), stack="zero"),
        color=alt.Color("outcome:N", title="办理结果 outcome", sort=[defs[c].label_zh for c in OUTCOMES]),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("who:N", title="发布机关"), alt.Tooltip("outcome:N", title="办理结果"),
                 alt.Tooltip("count:Q", title="件数"), alt.Tooltip("share:Q", title="比例", format=".1%"),
                 alt.Tooltip("report_id:N", title="报告 report")],
    ).properties(title=title or "办理结果构成 outcome mix", width=460, height=max(60, 22 * n))
    return _configure(chart)


def quality_strip(summ: pd.DataFrame, title: str | None = None):
    """A publisher × year strip of data quality (failed checks, ambiguous cells, duplicates)."""
    alt = _alt()
    data = summ[["publisher", "year", "quality", "n_failed_checks", "n_ambiguous_cells", "failed_checks",
                 "duplicates_excluded", "report_id"]].copy()
    data = data[data["year"].notna()]
    data["year"] = data["year"].astype(int)
    data["quality_label"] = data["quality"].map(QUALITY_LABELS)
    n = max(data["publisher"].nunique(), 1)
    chart = alt.Chart(alt.Data(values=_records(data))).mark_rect(stroke="white").encode(
        x=alt.X("year:O", title="年度 year"),
        y=alt.Y("publisher:N", title="发布机关 publisher", axis=alt.Axis(labelLimit=320)),
        color=_quality_color(alt),
        tooltip=[alt.Tooltip("publisher:N", title="发布机关"), alt.Tooltip("year:O", title="年度"),
                 alt.Tooltip("quality:N", title="数据质量"), alt.Tooltip("failed_checks:N", title="未通过的校验"),
                 alt.Tooltip("n_ambiguous_cells:Q", title="待确认单元格"),
                 alt.Tooltip("duplicates_excluded:N", title="未计入的重复报告"),
                 alt.Tooltip("report_id:N", title="报告 report")],
    ).properties(title=title or "数据质量 data quality", width=max(120, 60 * data["year"].nunique()), height=max(60, 20 * n))
    return _configure(chart)


def spec(chart) -> dict[str, Any]:
    """The Vega-Lite JSON specification of a chart."""
    return chart.to_dict()


@cache
def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (from vl-convert; no network)."""
    vlc = _vlc()
    return vlc.javascript_bundle(vl_version=VL_VERSION)


def _vlc():
    try:
        import vl_convert as vlc
    except ImportError:
        raise MissingDependencyError(None, "chart images need vl-convert-python: pip install 'report_extract[report]'") from None
    return vlc


def _notebook_bundle(spec: dict, **_kwargs) -> dict[str, Any]:
    import base64

    png = _vlc().vegalite_to_png(spec, vl_version=VL_VERSION, scale=1)
    major = VL_VERSION.split(".")[0]
    return {f"application/vnd.vegalite.v{major}+json": spec, "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": "<chart>"}


def enable_notebook_renderer() -> None:
    """Show charts in Jupyter offline: the Vega-Lite spec (interactive where the front end renders
    it) plus a PNG drawn by vl-convert (GitHub, nbviewer, any front end), no CDN script."""
    alt = _alt()
    if "report_extract" not in alt.renderers.names():
        alt.renderers.register("report_extract", _notebook_bundle)
    alt.renderers.enable("report_extract")


def save_chart(chart, path: str | os.PathLike) -> Path:
    """Write a chart as ``.png`` (2× scale) or ``.svg``, by the file's extension."""
    from .writers import atomic_write_bytes

    vlc = _vlc()
    p = Path(path)
    s = spec(chart)
    if p.suffix.lower() == ".svg":
        data = vlc.vegalite_to_svg(s, vl_version=VL_VERSION).encode("utf-8")
    elif p.suffix.lower() == ".png":
        data = vlc.vegalite_to_png(s, vl_version=VL_VERSION, scale=2)
    else:
        raise ValueError(f"{p}: chart files are .png or .svg")
    atomic_write_bytes(p, data)
    return p


__all__ = ["ranking_chart", "timeseries_chart", "outcome_mix_chart", "quality_strip", "spec", "save_chart",
           "javascript_bundle", "enable_notebook_renderer", "QUALITY_LABELS", "OUTCOMES"]
