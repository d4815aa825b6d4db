"""The public API: read_report's contract, errors naming the file, read_reports on a batch."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import report_extract as rx
from report_synth import make_report
from report_synth.text import render_text


@pytest.fixture()
def report_file(tmp_path):
    rep = make_report(seed=21, busy=0.6)
    path = tmp_path / "report.txt"
    path.write_text(render_text(rep, "pipe"), encoding="utf-8")
    return rep, path


def test_read_report_contract(report_file):
    rep, path = report_file
    r = rx.read_report(path)
    assert {"table", "row", "column", "value", "raw", "unit", "confidence", "line"} <= set(r.cells.columns)
    assert r.cells["value"].dtype == "float64"
    assert {"check", "passed", "expected", "actual"} <= set(r.checks.columns)
    assert list(r.issues.columns) == ["code", "severity", "message", "where"]
    assert r.meta["template"] == "2021" and r.meta["source_format"] == "text"
    assert r.meta["agency"] == rep.agency and r.meta["year"] == rep.year
    assert set(r.sections) == {1, 2, 3, 4, 5, 6}
    assert "未收取信息处理费" in r.sections[6]
    wide = r.table("requests")
    assert list(wide.columns) == ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total"]
    assert wide.loc["new_received", "total"] == rep.values[("requests", "new_received", "total")]
    assert r.table("review_litigation").shape == (3, 5)
    with pytest.raises(KeyError):
        r.table("nonsense")
    assert r.cells["line"].notna().all()  # provenance: every cell knows its source line


def test_read_report_accepts_bytes_and_file_objects(report_file):
    _, path = report_file
    data = path.read_bytes()
    a = rx.read_report(path)
    b = rx.read_report(data)
    c = rx.read_report(io.BytesIO(data))
    pd.testing.assert_frame_equal(a.cells, b.cells)
    pd.testing.assert_frame_equal(a.cells, c.cells)


def test_agency_falls_back_to_file_name(tmp_path):
    rep = make_report(seed=4)
    text = render_text(rep, "pipe").split("\n", 1)[1]  # drop the title line
    path = tmp_path / "2024年青石乡政府信息公开工作年度报告.txt"
    path.write_text(text, encoding="utf-8")
    r = rx.read_report(path)
    assert r.meta["agency"] == "青石乡" and r.meta["year"] == 2024


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", rx.CorruptInputError),
        (b"\x00\x01\x02\x03" * 200, rx.CorruptInputError),
        ("这是一篇普通的新闻稿，与年度报告无关。".encode(), rx.NotAReportError),
        (b"%PDF-1.7 truncated", rx.ReportError),
    ],
)
def test_bad_input_gives_a_clear_error_naming_the_file(tmp_path, content, error):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(error) as exc:
        rx.read_report(path)
    assert str(path) in str(exc.value)
    assert exc.value.reason


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(rx.ReportError, match="no such file"):
        rx.read_report(tmp_path / "nope.txt")
    with pytest.raises(rx.ReportError, match="directory"):
        rx.read_report(tmp_path)


def test_pre_2019_report_is_not_a_report():
    text = "平潭综合实验区2018年度政府信息公开工作年度报告\n一、概述\n六、政府信息公开情况统计表\n| 指标名称 | 计量单位 | 2018年度 |\n|---|---|---|\n| 主动公开文件数 | 条 | 206 |\n"
    with pytest.raises(rx.NotAReportError, match="no table of the national"):
        rx.read_report(text.encode(), format="text")


def test_unknown_format_is_unsupported(tmp_path):
    with pytest.raises(rx.UnsupportedFormatError):
        rx.read_report(b"abc", format="rtf")


@pytest.mark.parametrize("jobs", [1, 2])
def test_read_reports_keeps_good_files_when_some_are_bad(tmp_path, jobs):
    reps = []
    for i in range(4):
        rep = make_report(seed=100 + i)
        reps.append(rep)
        (tmp_path / f"r{i}.txt").write_text(render_text(rep, ["pipe", "markdown", "tsv", "pipe"][i]), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "news.txt").write_text("今天天气很好。", encoding="utf-8")
    rs = rx.read_reports([tmp_path], jobs=jobs)
    assert len(rs.reports) == 4
    assert sorted(rs.errors["path"].map(lambda p: p.rsplit("/", 1)[-1])) == ["empty.txt", "news.txt"]
    assert set(rs.errors["error"]) == {"corrupt_input", "not_a_report"}
    assert list(rs.reports["report_id"]) == [str(tmp_path / f"r{i}.txt") for i in range(4)]
    assert rs.cells.groupby("report_id").size().tolist() == [200] * 4
    for i, rep in enumerate(reps):
        sub = rs.cells[rs.cells.report_id == str(tmp_path / f"r{i}.txt")]
        assert isinstance(sub["table"].dtype, pd.CategoricalDtype)  # codes held compactly (issue 12)
        got = sub.astype({"table": str, "row": str, "column": str}).set_index(["table", "row", "column"])["value"]
        want = rep.truth().set_index(["table", "row", "column"])["value"]
        pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False)


def test_report_set_gives_back_one_report(tmp_path):
    from report_synth import make_report
    from report_synth.text import render_text

    paths = []
    for seed in (1, 2):
        p = tmp_path / f"r{seed}.txt"
        p.write_text(render_text(make_report(seed, "2021", publisher_error=seed == 2), "pipe"), encoding="utf-8")
        paths.append(p)
    rs = rx.read_reports(paths)
    one = rx.read_report(paths[1])
    r = rs.report(str(paths[1]))
    assert r.cells.equals(one.cells)
    assert r.failed_checks == one.failed_checks and r.failed_checks
    assert r.meta["agency"] == one.meta["agency"] and r.meta["year"] == one.meta["year"]
    with pytest.raises(KeyError):
        rs.report("nope.txt")
