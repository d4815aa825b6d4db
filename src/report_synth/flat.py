"""Render a :class:`~report_synth.SynthReport` as *flattened* scraped text.

Crawl archives keep a page's text with the table cells run together: every cell's text, in
reading order, with no separator (``glued``), one space (``spaced``) or a random mix of both
(``half``, as when some cells were padded with ``&nbsp;``). Spaces only ever fall between cells.
The body is one line after an optional crawler header (``标题: …`` up to ``==== 正文 ====``).

A blank cell would vanish from glued text without a trace, so by default blank cells (and the
``无`` placeholder, which reads as part of the next label) are printed as ``—``; their value stays
missing, as in the truth. ``blanks="space"`` prints them as a space and ``blanks="vanish"`` as
nothing, as real crawl archives do; ``chrome=True`` wraps the body in page navigation, a Word
style sheet and stray HTML comments.
"""

from __future__ import annotations

import random

from report_extract.grid import CellSpec

from . import SECTION_HEADINGS, SynthReport, prose, standard_layout

MODES = ("glued", "spaced", "half")


BLANKS = ("dash", "space", "vanish")
CHROME_HEAD = (
    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->"
    "/* Style Definitions */ table.MsoNormalTable {mso-style-name:普通表格; mso-tstyle-rowband-size:0; "
    "mso-padding-alt:0cm 5.4pt 0cm 5.4pt; font-size:10.5pt;} 首页 > 政务公开 > 政府信息公开年报 字号：大 中 小 打印本页 "
)
CHROME_TAIL = " <!--EndFragment--> 【打印本页】【关闭窗口】 扫一扫在手机打开当前页 主办单位：某某人民政府办公室"


def _flatten(rows: list[list[CellSpec]], mode: str, rng: random.Random, blanks: str = "dash") -> str:
    out: list[str] = []
    for specs in rows:
        for s in specs:
            if not s.text and "key" not in s.source:
                continue
            if out:
                if mode == "spaced" or (mode == "half" and rng.random() < 0.5):
                    out.append(" ")
            text = s.text
            if "key" in s.source and text.strip() in ("", "无"):
                text = {"dash": "—", "space": " ", "vanish": ""}[blanks]
            out.append(text)
    return "".join(out)


def render_flat(
    rep: SynthReport, mode: str = "glued", *, header: bool = True, seed: int = 0, blanks: str = "dash",
    chrome: bool = False,
) -> str:
    """The whole report as flattened text, tables rendered in ``mode`` (see :data:`MODES`), blank
    cells as ``blanks`` (see :data:`BLANKS`), with page chrome around the body when ``chrome``."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if blanks not in BLANKS:
        raise ValueError(f"blanks must be one of {BLANKS}, not {blanks!r}")
    rng = random.Random(seed)
    tables = standard_layout(rep)
    parts = [rep.title]
    for n in range(1, 7):
        parts.append(SECTION_HEADINGS[n])
        parts += prose(rep, n)
        if n in tables:
            parts.append(_flatten(tables[n], mode, rng, blanks))
    body = ("" if mode == "glued" else " ").join(parts)
    if chrome:
        body = CHROME_HEAD + body + CHROME_TAIL
    lines = []
    if header:
        lines += [
            f"标题: {rep.title}",
            "发布时间: 2024-01-15 09:30",
            "发布机构: ",
            "栏目: 政府信息公开年报",
            "==================== 正文 ====================",
        ]
    lines.append(body)
    return "\n".join(lines) + "\n"


__all__ = ["render_flat", "MODES", "BLANKS"]
