"""summary() / compare(): one row per publisher and year, duplicates once, peer rankings, changes;
an extract's CSV folder read back; the `compare` command."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from click.testing import CliRunner

import report_extract as rx
from conftest import DOCS, ROOT, requires_corpus
from report_extract.api import ReportSet
from report_extract.cli import main

COLS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total"]


def _report_cells(rid: str, new: int, denied: int, processed: int, fmt_conf: str = "certain") -> list[dict]:
    rows = []
    for row, v in (("new_received", new), ("carried_over", 0), ("granted", processed - denied),
                   ("denied_third_party_rights", denied), ("total_processed", processed), ("carried_forward", new - processed)):
        for c in COLS:
            rows.append({"report_id": rid, "table": "requests", "row": row, "column": c,
                         "value": float(v if c in ("natural_person", "total") else 0), "raw": str(v),
                         "confidence": fmt_conf})
    return rows


def _set() -> ReportSet:
    specs = [
        # report_id, agency, year, new, denied, processed, format
        ("a23.txt", "芷江侗族自治县罗旧镇", 2023, 10, 2, 10, "text"),
        ("a24.txt", "芷江侗族自治县罗旧镇", 2024, 20, 10, 20, "text"),
        ("a24.html", "罗旧镇人民政府", 2024, 20, 10, 20, "html"),  # the same report, another rendering
        ("b24.txt", "芷江侗族自治县楠木坪镇", 2024, 8, 1, 8, "text"),
        ("c24.txt", "芷江侗族自治县土桥镇", 2024, 4, 2, 4, "text"),
        ("d24.txt", "鹤城区城中街道办事处", 2024, 50, 0, 50, "text"),  # another county
        ("e24.txt", "芷江侗族自治县教育局", 2024, 30, 3, 30, "text"),  # a department
    ]
    cells = pd.DataFrame([r for s in specs for r in _report_cells(s[0], s[3], s[4], s[5])])
    reports = pd.DataFrame([{"report_id": s[0], "agency": s[1], "year": s[2], "template": "2021", "source_format": s[6],
                             "n_failed_checks": 0, "failed_checks": "", "issues": ""} for s in specs])
    checks = pd.DataFrame(columns=["report_id", "check", "passed"])
    return ReportSet(cells=cells, checks=checks, issues=pd.DataFrame(columns=["report_id", "code"]), reports=reports,
                     errors=pd.DataFrame(columns=["path", "error", "reason"]))


def test_summary_counts_each_publisher_year_once():
    rs = _set()
    s = rs.summary()
    assert len(s) == 6  # 7 reports, one duplicate
    luojiu = s[s["publisher_key"] == "431228101000:government:"]
    assert list(luojiu["year"]) == [2023, 2024]
    row24 = luojiu[luojiu["year"] == 2024].iloc[0]
    assert row24["report_id"] == "a24.html"  # html beats text (better structured), the rule of duplicates.py
    assert row24["duplicates_excluded"] == "a24.txt"
    assert row24["received"] == 20 and row24["denied_share"] == 0.5
    # the duplicate is not summed: the township total is 20 + 8 + 4 + 50
    assert s.loc[(s["year"] == 2024) & (s["level"] == "township"), "received"].sum() == 82
    assert set(s["level"]) == {"township", "department"}
    assert (s["quality"] == "ok").all()


def test_compare_ranks_within_peer_group_and_gives_changes():
    rs = _set()
    c = rs.compare(year=2024, level="township", parent="芷江侗族自治县", indicator="denied_share")
    assert list(c["publisher"]) == ["罗旧镇人民政府", "芷江侗族自治县土桥镇", "芷江侗族自治县楠木坪镇"]
    assert list(c["value"]) == [0.5, 0.5, 0.125]
    assert list(c["rank"]) == [1, 1, 3]  # ties share the rank
    assert list(c["n_peers"]) == [3, 3, 3]
    first = c.iloc[0]
    assert first["previous_year"] == 2023 and first["previous_value"] == 0.2
    assert first["change"] == pytest.approx(0.3)
    assert math.isnan(c.iloc[1]["previous_value"])
    assert first["quality"] == "ok" and "requests.denied_third_party_rights.total=10" in first["cells"]

    # without the parent filter the other county's township joins the group; departments rank apart
    allc = rs.compare(year=2024, indicator="received")
    town = allc[allc["level"] == "township"]
    assert list(town["publisher"])[0] == "鹤城区城中街道办事处" and list(town["n_peers"].unique()) == [4]
    dept = allc[allc["level"] == "department"]
    assert list(dept["rank"]) == [1] and list(dept["n_peers"]) == [1]
    with pytest.raises(ValueError, match="unknown indicator"):
        rs.compare(indicator="nope")


def test_outdir_read_back_gives_the_same_summary(tmp_path):
    rs = rx.read_reports([ROOT / "fixtures" / "examples"], jobs=1)
    rs.to_csv(tmp_path / "out")
    back = rx.read_outdir(tmp_path / "out")
    a, b = rs.summary(), back.summary()
    pd.testing.assert_frame_equal(a.drop(columns=["publisher_key"]), b.drop(columns=["publisher_key"]), check_dtype=False)
    assert len(a) == len(rs.reports) == 8
    with pytest.raises(rx.ReportError, match="not an extract output folder"):
        rx.read_outdir(tmp_path)


def test_compare_command_csv_and_errors(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(main, ["compare", str(ROOT / "fixtures" / "examples"), "-o", str(out / "cmp.csv"),
                               "--to", "csv", "--indicator", "received"])
    assert res.exit_code == 0, res.output
    summ = pd.read_csv(out / "cmp.summary.csv")
    cmp = pd.read_csv(out / "cmp.compare.csv")
    assert len(summ) == 8 and set(cmp["indicator"]) == {"received"}
    assert summ.loc[summ["publisher"] == "楠木坪镇", "received"].iloc[0] == 543
    assert not (out / "cmp.html").exists()
    res = runner.invoke(main, ["compare", str(tmp_path / "missing"), "-o", str(out / "x.html")])
    assert res.exit_code == 1 and "no report could be read" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, ["compare", str(ROOT / "fixtures" / "examples"), "-o", str(out / "x.html"), "--to", "pdf"])
    assert res.exit_code == 2 and "unknown output format" in res.output
    res = runner.invoke(main, ["compare", str(ROOT / "fixtures" / "examples"), "-o", str(out / "x.csv"), "--to", "csv",
                               "--parent", "不存在县"])
    assert res.exit_code == 2 and "no publisher matches" in res.output and "芷江侗族自治县" in res.output
    res = runner.invoke(main, ["compare", str(ROOT / "fixtures" / "examples"), "-o", str(out / "x.csv"), "--to", "csv",
                               "--year", "2030"])
    assert res.exit_code == 2 and "no report of 2030" in res.output and "2024" in res.output
    assert not (out / "x.summary.csv").exists()


@requires_corpus
def test_compare_command_on_the_corpus_writes_html_and_csv(tmp_path):
    pytest.importorskip("altair")
    pytest.importorskip("vl_convert")
    runner = CliRunner()
    res = runner.invoke(main, ["compare", str(DOCS), "-o", str(tmp_path / "corpus.html"), "--to", "html,csv,png",
                               "--indicator", "received", "-j", "1"])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "corpus.html").read_text(encoding="utf-8")
    assert "平潭综合实验区" in html and "数字如何计算" in html
    assert "<script src" not in html and "<link" not in html  # nothing to fetch
    summ = pd.read_csv(tmp_path / "corpus.summary.csv")
    # h007.txt and h008.html are one report (2025), h001-h006 and h011-h016 the same six: counted once
    pingtan = summ[summ["publisher"] == "平潭综合实验区"]
    assert sorted(pingtan["year"]) == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    assert pingtan["duplicates_excluded"].notna().all()
    assert (tmp_path / "corpus_charts" / "ranking.png").read_bytes()[:4] == b"\x89PNG"
