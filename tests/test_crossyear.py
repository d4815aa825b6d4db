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


# -- a whole archive: renamed agencies, chains of the in-force identity, section-二 checks ---------


def _normative(rep, issued: int, repealed: int, in_force: int) -> None:
    for col, v in (("issued", issued), ("repealed", repealed), ("in_force", in_force)):
        rep.values[("proactive", "normative_documents", col)] = v
        rep.raw[("proactive", "normative_documents", col)] = str(v)


def _years(tmp_path, agencies: dict[int, str], normative: dict[int, tuple[int, int, int]]):
    paths = {}
    for year, agency in agencies.items():
        rep = make_report(20 + year % 100, "2021", agency=agency, year=year)
        _normative(rep, *normative[year])
        p = tmp_path / f"unit_{year}.txt"
        p.write_text(render_flat(rep, "glued"), encoding="utf-8")
        paths[year] = str(p)
    return paths


def _norm_cells(rs, path):
    c = rs.cells[(rs.cells["report_id"] == path) & (rs.cells["row"] == "normative_documents")]
    return dict(zip(c["column"], c["raw"])), set(c["confidence"])


def test_in_force_identity_chains_through_a_publishers_years(tmp_path):
    # 2022: 12 in force (certain); 2023 "5215" is 5|2|15 as 12 + 5 - 2 = 15; 2024 "2017" is 2|0|17
    # only once 2023 is settled (15 + 2 - 0 = 17; 20|1|7 would need 15 + 20 - 1 = 7)
    normative = {2022: (0, 0, 12), 2023: (5, 2, 15), 2024: (2, 0, 17)}
    paths = _years(tmp_path, dict.fromkeys(normative, "楠木坪镇"), normative)
    alone = rx.read_reports(list(paths.values()), cross_year=False)
    assert _norm_cells(alone, paths[2023])[1] == {"ambiguous"}
    rs = rx.read_reports(list(paths.values()))
    assert _norm_cells(rs, paths[2023]) == ({"issued": "5", "repealed": "2", "in_force": "15"}, {"inferred"})
    # the 2024 run is settled by the 2023 report that was itself settled by 2022 (a chain)
    assert _norm_cells(rs, paths[2024]) == ({"issued": "2", "repealed": "0", "in_force": "17"}, {"inferred"})
    notes = rs.issues[(rs.issues["report_id"] == paths[2024]) & (rs.issues["code"] == "inferred_across_years")]
    assert any("2023 report" in m and "现行有效件数" in m for m in notes["message"])


def test_a_renamed_agency_is_one_publisher_when_the_caller_groups_it(tmp_path):
    normative = {2022: (0, 0, 12), 2023: (5, 2, 15)}
    paths = _years(tmp_path, {2022: "国有资产管理局", 2023: "投资促进局"}, normative)
    by_name = rx.read_reports(list(paths.values()))
    assert _norm_cells(by_name, paths[2023])[1] == {"ambiguous"}
    group = dict.fromkeys(paths.values(), "unit")
    rs = rx.read_reports(list(paths.values()), group=group)
    assert _norm_cells(rs, paths[2023]) == ({"issued": "5", "repealed": "2", "in_force": "15"}, {"inferred"})


def test_section_two_identities_are_checked_across_years(tmp_path):
    earlier = make_report(11, "2019", agency="楠木坪镇", year=2019)
    later = make_report(12, "2019", agency="楠木坪镇", year=2020)
    _set(earlier, "licensing", {"previous_year_items": 5, "change": 2, "decisions": 4})
    _set(later, "licensing", {"previous_year_items": 9, "change": 0, "decisions": 4})  # 5 + 2 != 9
    paths = []
    for rep in (earlier, later):
        p = tmp_path / f"{rep.year}.txt"
        p.write_text(render_flat(rep, "spaced"), encoding="utf-8")
        paths.append(str(p))
    rs = rx.read_reports(paths)
    warn = rs.issues[rs.issues["code"] == "crossyear_mismatch"]
    assert set(warn["report_id"]) == {paths[1]}  # on the later report only
    licensing = [m for m in warn["message"] if m.startswith("items_carried.licensing:")]
    assert len(licensing) == 1 and "9 printed, 7 from the 2019 report" in licensing[0]
    assert (warn["severity"] == "warning").all()
    # the same reports one year apart too many: nothing to check
    later.year = 2021
    far = tmp_path / "2021.txt"
    far.write_text(render_flat(later, "spaced"), encoding="utf-8")
    rs = rx.read_reports([paths[0], str(far)])
    assert "crossyear_mismatch" not in rs.issues["code"].tolist()


def test_an_identity_every_reading_breaks_is_a_mismatch(tmp_path):
    # 2022: 12 in force (certain); 2023 "3023" is 3|0|23 or 30|2|3 and neither meets
    # 12 + issued - repealed = in force (15 vs 23, 40 vs 3): the run stays ambiguous, but the
    # publisher's numbers fail the identity whichever reading is right
    normative = {2022: (0, 0, 12), 2023: (3, 0, 23)}
    paths = _years(tmp_path, dict.fromkeys(normative, "楠木坪镇"), normative)
    rs = rx.read_reports(list(paths.values()))
    assert _norm_cells(rs, paths[2023])[1] == {"ambiguous"}
    warn = rs.issues[rs.issues["code"] == "crossyear_mismatch"]
    assert set(warn["report_id"]) == {paths[2023]}
    msg = [m for m in warn["message"] if m.startswith("normative_in_force.normative_documents:")]
    assert len(msg) == 1 and "every reading" in msg[0] and "23 vs 15" in msg[0] and "3 vs 40" in msg[0]
    assert "2022 report" in msg[0]
    # a run some reading of which meets the identity is no mismatch (it is settled instead)
    normative = {2022: (0, 0, 12), 2023: (5, 2, 15)}
    paths = _years(tmp_path, dict.fromkeys(normative, "楠木坪镇"), normative)
    rs = rx.read_reports(list(paths.values()))
    assert not _normative_mismatch(rs)


def _normative_mismatch(rs) -> list[str]:
    warn = rs.issues[rs.issues["code"] == "crossyear_mismatch"]
    return [m for m in warn["message"] if m.startswith("normative_in_force.normative_documents:")]


def test_readings_not_all_kept_neither_settle_nor_fail_an_identity(tmp_path):
    from report_extract.options import ReadOptions

    one = ReadOptions().replace(**{"flat.max_alternatives": 1})
    # "5215" reads 3 ways; with one kept, the others could meet the identity as well: no settling
    normative = {2022: (0, 0, 12), 2023: (5, 2, 15)}
    paths = _years(tmp_path, dict.fromkeys(normative, "楠木坪镇"), normative)
    rs = rx.read_reports(list(paths.values()), one)
    assert _norm_cells(rs, paths[2023])[1] == {"ambiguous"}
    assert not (rs.issues["code"] == "inferred_across_years").any()
    alone = rx.read_report(paths[2023], options=one)
    (alt,) = [a for a in alone.meta["alternatives"] if "proactive.normative_documents.issued" in a["cells"]]
    assert alt["readings"] == 3 and len(alt["splits"]) == 1
    # and no reading kept meeting it is no proof that none does
    normative = {2022: (0, 0, 12), 2023: (3, 0, 23)}
    paths = _years(tmp_path, dict.fromkeys(normative, "楠木坪镇"), normative)
    assert _normative_mismatch(rx.read_reports(list(paths.values())))
    assert not _normative_mismatch(rx.read_reports(list(paths.values()), one))
