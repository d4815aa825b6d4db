"""Ambiguous glued runs settled by the same publisher's report of the adjacent year."""

from __future__ import annotations

import pandas as pd

import report_extract as rx
from report_extract.crossyear import identities
from report_synth import make_report
from report_synth.flat import render_flat


def _set(rep, row: str, values: dict[str, float]) -> None:
    for col, v in values.items():
        rep.values[("proactive", row, col)] = v
        rep.raw[("proactive", row, col)] = f"{v:g}"


def _pair(tmp_path, later_year: int):
    earlier = make_report(11, "2019", agency="楠木坪镇", year=2019)
    later = make_report(12, "2019", agency="楠木坪镇", year=later_year)
    _set(earlier, "penalty", {"previous_year_items": 2648, "change": 0, "decisions": 430})
    # the minus sign fixes this year's split: 2648 | -18 | 538
    _set(later, "penalty", {"previous_year_items": 2648, "change": -18, "decisions": 538})
    paths = []
    for rep in (earlier, later):
        p = tmp_path / f"{rep.year}.txt"
        p.write_text(render_flat(rep, "glued"), encoding="utf-8")
        paths.append(p)
    return paths


def _penalty(cells, rid=None):
    c = cells if rid is None else cells[cells["report_id"] == rid]
    c = c[c["row"] == "penalty"].set_index("column")
    return c["value"].to_dict(), set(c["confidence"])


def test_alone_the_run_is_ambiguous_and_flagged(tmp_path):
    r = rx.read_report(_pair(tmp_path, 2020)[0])
    _values, conf = _penalty(r.cells)
    assert conf == {"ambiguous"}
    assert any("proactive.penalty" in m for m in r.issues.loc[r.issues["code"] == "ambiguous_split", "message"])
    assert any(a["cells"][0] == "proactive.penalty.previous_year_items" for a in r.meta["alternatives"])


def test_adjacent_years_settle_the_run(tmp_path):
    paths = _pair(tmp_path, 2020)
    rs = rx.read_reports(paths)
    values, conf = _penalty(rs.cells, str(paths[0]))
    assert values == {"previous_year_items": 2648, "change": 0, "decisions": 430}
    assert conf == {"inferred"}
    issues = rs.issues[rs.issues["report_id"] == str(paths[0])]
    assert not any("proactive.penalty" in m for m in issues.loc[issues["code"] == "ambiguous_split", "message"])
    note = issues.loc[issues["code"] == "inferred_across_years", "message"]
    assert any("2648|0|430" in m and "2020 report" in m for m in note)
    assert (rs.issues.loc[rs.issues["code"] == "inferred_across_years", "severity"] == "info").all()


def test_years_that_are_not_adjacent_settle_nothing(tmp_path):
    paths = _pair(tmp_path, 2022)
    rs = rx.read_reports(paths)
    _values, conf = _penalty(rs.cells, str(paths[0]))
    assert conf == {"ambiguous"}
    assert not (rs.issues["code"] == "inferred_across_years").any()


def test_identities_are_data():
    names = {i.name for i in identities()}
    assert "items_carried.penalty" in names and "requests_carried.total" in names
    carried = next(i for i in identities() if i.name == "items_carried.penalty")
    assert carried.later == (("later", "proactive.penalty.previous_year_items", 1),)
    assert carried.earlier == (
        ("earlier", "proactive.penalty.previous_year_items", 1), ("earlier", "proactive.penalty.change", 1),
    )


def test_cross_year_can_be_turned_off_in_api_and_cli(tmp_path):
    from click.testing import CliRunner

    from report_extract.cli import main

    paths = _pair(tmp_path, 2020)
    _values, conf = _penalty(rx.read_reports(paths, cross_year=False).cells, str(paths[0]))
    assert conf == {"ambiguous"}
    for flag, expected in (("--no-cross-year", {"ambiguous"}), ("--cross-year", {"inferred"})):
        out = tmp_path / flag.strip("-")
        res = CliRunner().invoke(main, ["extract", str(paths[0]), str(paths[1]), "-o", str(out), "-j", "1", flag])
        assert res.exit_code == 0, res.output
        cells = pd.read_csv(out / "cells.csv")
        first = cells[(cells["report_id"] == str(paths[0])) & (cells["row"] == "penalty")]
        assert set(first["confidence"]) == expected
