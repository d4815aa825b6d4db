"""The fast paths of HTML cell text and of grid building give what the general paths give.

``text_pieces`` answers one-line content (the common ``<td><p><span>12</span></p></td>``) by a
short walk (``_one_piece``) and ``table_rows`` reads a cell through ``_cell_text`` with the hidden
elements of its table only; both must agree with the general walk (``_split_pieces``, which splits
at every block boundary) on tricky cells. ``build_table`` places 1x1 cells by a fast path; it must
agree with a plain model of a browser's table layout.
"""

from __future__ import annotations

import random

import pytest

from report_extract.grid import CellSpec, GridCell, build_table
from report_extract.readers.html_tables import (
    _cell_text,
    _hidden_under,
    _split_pieces,
    _within_limit,
    grid_size_bound,
    hidden_elements,
    join_pieces,
    own_cells,
    own_rows,
    parse_html,
    table_rows,
    text_pieces,
)

TRICKY_CELLS = [
    "<td>12</td>",
    "<td><p>12</p></td>",
    "<td>\n <p> 12 </p>\n</td>",
    "<td><p><span>1</span><span>2</span></p></td>",
    "<td><p><span>社会</span><span><o:p></o:p></span></p></td>",
    "<td><p><span><b>3</b><i>4</i></span>5<span>6</span></p></td>",
    "<td>x<p>12</p></td>",
    "<td><p>12</p>y</td>",
    "<td><p>a</p><p>b</p></td>",
    "<td><p>社会</p><p>公益</p><p>组织</p></td>",
    "<td>社会<br>公益<br/>组织</td>",
    "<td><p><span>one<br>two</span></p></td>",
    "<td><p>1<!-- a comment -->2</p></td>",
    "<td><!--c--><p>3</p></td>",
    "<td><p>4<?php echo 1 ?>5</p></td>",
    "<td><p><span style='display:none'>9</span>7</p></td>",
    "<td><p style='display: none'>9</p></td>",
    "<td><p hidden>9</p>8</td>",
    "<td><span hidden>9</span>8</td>",
    "<td><p>&nbsp;</p></td>",
    "<td>&nbsp;<p>1&nbsp;2</p>&#12288;</td>",
    "<td><p>\u200b1\u3000</p></td>",
    "<td><p><ruby>漢<rt>かん</rt></ruby>字</p></td>",
    "<td><p>1<script>var x = 2;</script>3</p></td>",
    "<td><p>1<style>p {}</style>3</p></td>",
    "<td><div><span>a b</span></div></td>",
    "<td><div><p>a</p></div></td>",
    "<td><span><p>a</p></span></td>",
    "<td><span>a</span><p>b</p></td>",
    "<td><h3>标题</h3></td>",
    "<td><hr></td>",
    "<td><p></p></td>",
    "<td><p><span></span></p></td>",
    "<td><table><tr><td>in</td><td>ner</td></tr></table></td>",
    "<td><p>x</p><table><tr><td>in</td></tr></table></td>",
    "<td><font>1</font><font>2</font></td>",
    "<td>Total <b>12</b> cases</td>",
    "<td><p>Total</p><p>cases</p></td>",
    "<td><select><option>no</option></select>5</td>",
]


def _page(cells: list[str]) -> str:
    return "<html><body><table><tr>" + "".join(cells) + "</tr></table></body></html>"


@pytest.mark.parametrize("cell", TRICKY_CELLS)
def test_fast_cell_text_equals_the_general_walk(cell):
    root = parse_html(_page([cell]))
    hidden = hidden_elements(root)
    table = root.find(".//table")
    td = own_cells(own_rows(table)[0])[0]
    general = _split_pieces(td, hidden) if len(td) else text_pieces(td, hidden)
    assert text_pieces(td, hidden) == general
    assert text_pieces(td) == general  # hidden elements found from the cell itself
    assert _cell_text(td, _hidden_under(table, hidden)) == join_pieces(general)


def test_fast_paths_read_the_expected_texts():
    texts = [s.text for s in table_rows(parse_html(_page(TRICKY_CELLS)).find(".//table"))[0]]
    assert texts[:6] == ["12", "12", "12", "12", "社会", "3456"]
    assert texts[6:10] == ["x 12", "12 y", "a b", "社会公益组织"]
    assert texts[TRICKY_CELLS.index("<td><p>1<!-- a comment -->2</p></td>")] == "12"
    assert texts[TRICKY_CELLS.index("<td><p><span style='display:none'>9</span>7</p></td>")] == "7"
    assert texts[TRICKY_CELLS.index("<td><p hidden>9</p>8</td>")] == "8"
    assert texts[TRICKY_CELLS.index("<td>&nbsp;<p>1&nbsp;2</p>&#12288;</td>")] == "1 2"
    assert texts[TRICKY_CELLS.index("<td><p>1<script>var x = 2;</script>3</p></td>")] == "13"


def test_paragraph_pieces_fast_path_equals_the_general_walk():
    html = (
        "<html><body><div><p><span>第一</span><span>段</span></p><p>a<br>b</p>"
        "<p><span hidden>x</span>y</p><p><b>c</b><!--z-->d</p><center><p> 居中 </p></center></div></body></html>"
    )
    root = parse_html(html)
    hidden = hidden_elements(root)
    for el in root.iter("p", "center", "div"):
        assert text_pieces(el, hidden) == _split_pieces(el, hidden)


def _reference_build(rows: list[list[CellSpec]]) -> list[list[tuple]]:
    """A browser's table layout written plainly: each cell takes the next free position of its row."""
    n = len(rows)
    taken: dict[tuple[int, int], tuple] = {}
    for r, specs in enumerate(rows):
        c = 0
        for s in specs:
            while (r, c) in taken:
                c += 1
            rs = max(1, min(int(s.rowspan or 1), n - r))
            cs = max(1, int(s.colspan or 1))
            for dr in range(rs):
                for dc in range(cs):
                    taken.setdefault((r + dr, c + dc), (s.text, (r, c), rs, cs, False))
            c += cs
    width = max((c + 1 for _, c in taken), default=0)
    return [[taken.get((r, c), ("", (r, c), 1, 1, True)) for c in range(width)] for r in range(n)]


def _as_tuples(cell: GridCell) -> tuple:
    return (cell.text, cell.origin, cell.rowspan, cell.colspan, cell.padding)


@pytest.mark.parametrize("seed", range(40))
def test_build_table_equals_a_plain_layout_model(seed):
    rnd = random.Random(seed)
    rows = [
        [
            CellSpec(
                f"{r}.{k}", rnd.choice([1, 1, 1, 2, 3, 0, None]), rnd.choice([1, 1, 1, 2, 0, None]), {"k": k}
            )
            for k in range(rnd.randint(0, 5))
        ]
        for r in range(rnd.randint(0, 7))
    ]
    table = build_table(rows)
    grid = [[_as_tuples(c) for c in row] for row in table.rows]
    assert grid == _reference_build(rows)
    for r, row in enumerate(table.rows):
        assert [(c.row, c.col) for c in row] == [(r, k) for k in range(len(row))]


@pytest.mark.parametrize("seed", range(20))
def test_quick_size_check_agrees_with_grid_size_bound(seed):
    rnd = random.Random(seed)
    rows = [
        [
            CellSpec("x", rnd.choice([1, 1, 2, 40]), rnd.choice([1, 1, 3, 50]))
            for _ in range(rnd.randint(0, 6))
        ]
        for _ in range(rnd.randint(0, 30))
    ]
    bound = grid_size_bound(rows)
    for limit in (1, bound - 1, bound, bound + 1, 2 * bound, 10**9):
        if limit > 0:
            assert _within_limit(rows, limit) == (bound <= limit)


def test_hidden_elements_of_a_table_are_its_own_or_all_of_a_busy_page():
    hidden_cells = "".join(f"<td><p hidden>{k}</p>{k}</td>" for k in range(3))
    root = parse_html(f"<html><body><p hidden>a</p><table><tr>{hidden_cells}</tr></table></body></html>")
    table = root.find(".//table")
    hidden = hidden_elements(root)
    assert len(hidden) == 4
    assert _hidden_under(table, hidden) == {p for p in table.iter("p")}
    busy = hidden | {el for el in parse_html("<p hidden>x</p>" * 100).iter("p")}
    assert _hidden_under(table, busy) is busy
    assert [s.text for s in table_rows(table, hidden=busy)[0]] == ["0", "1", "2"]
