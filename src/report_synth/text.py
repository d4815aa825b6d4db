"""Render a :class:`~report_synth.SynthReport` as scraped text: pipe, Markdown or TSV."""

from __future__ import annotations

from report_extract.grid import CellSpec, build_table

from . import SECTION_HEADINGS, SynthReport, prose, standard_layout


def _pipe(rows: list[list[CellSpec]]) -> list[str]:
    """The pipe rendering of scraped pages: a ``|`` line opens a row, each present cell is a line
    ``text |``, and a line of ``|`` per row stands for the cells covered by merges."""
    grid = build_table(rows)
    out = []
    for specs in rows:
        out.append("|")
        for s in specs:
            out.append(f"{s.text} |" if s.text else "\u3000|")
        covered = grid.n_cols - len(specs)
        if covered:
            out.append("|" * covered)
    return out


def _expanded(rows: list[list[CellSpec]]) -> list[list[str]]:
    """Grid texts with span continuations left empty (as most converters print them)."""
    grid = build_table(rows)
    return [["" if c.continued else c.text for c in row] for row in grid.rows]


def _markdown(rows: list[list[CellSpec]]) -> list[str]:
    texts = _expanded(rows)
    out = ["| " + " | ".join(texts[0]) + " |", "|" + "---|" * len(texts[0])]
    out += ["| " + " | ".join(r) + " |" for r in texts[1:]]
    return out


def _tsv(rows: list[list[CellSpec]]) -> list[str]:
    return ["\t".join(r) for r in _expanded(rows)]


RENDERERS = {"pipe": _pipe, "markdown": _markdown, "tsv": _tsv}


def render_text(rep: SynthReport, layout: str = "pipe") -> str:
    """The whole report as text with its tables in ``layout`` (``pipe``, ``markdown``, ``tsv``)."""
    tables = standard_layout(rep)
    render = RENDERERS[layout]
    lines = [rep.title]
    for n in range(1, 7):
        lines.append(SECTION_HEADINGS[n])
        lines += prose(rep, n)
        if n in tables:
            if layout != "pipe":
                lines.append("")
            lines += render(tables[n])
            if layout != "pipe":
                lines.append("")
    return "\n".join(lines) + "\n"
