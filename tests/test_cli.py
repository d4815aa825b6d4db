"""The report-extract CLI over a folder of ~200 generated reports mixed with bad files: every output
format with the right row counts, errors.csv listing exactly the bad files, byte-identical reruns and
resumed runs, the Frictionless package validating, Datasette serving the SQLite database."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import CORPUS, DOCS, LABELS, load_label, requires_corpus
from report_extract.checks import run_checks
from report_extract.cli import main
from report_extract.crosscheck import crosscheck
from report_extract.publishers import publisher_info
from report_synth import QUIRKS, make_report
from report_synth.text import render_text

N_REPORTS = 200
FORMATS = "csv,parquet,xlsx,jsonl,sqlite,datapackage"
TABLE_FILES = ["reports", "cells", "proactive", "requests", "review_litigation", "checks", "issues", "errors", "crosschecks", "sections"]


def _make_corpus(folder: Path) -> dict:
    """Write N_REPORTS generated reports plus bad files; return what a correct run finds."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sub").mkdir()
    expected = {"cells": 0, "checks": 0, "failed": 0, "wide": {"proactive": 0, "requests": 0, "review_litigation": 0}, "agencies": {}}
    for seed in range(N_REPORTS):
        tpl = "2019" if seed % 4 == 0 else "2021"
        q = set(QUIRKS) if seed % 3 == 0 else set()
        if tpl == "2019":
            q.discard("single_other")
        rep = make_report(seed, tpl, quirks=q, publisher_error=(seed % 5 == 0))
        layout = ("pipe", "markdown", "tsv")[seed % 3]
        ext = {"pipe": ".txt", "markdown": ".md", "tsv": ".tsv"}[layout]
        sub = folder / "sub" if seed % 10 == 0 else folder
        path = sub / f"r{seed:03d}{ext}"
        text = render_text(rep, layout)
        path.write_bytes(text.encode("utf-8") if seed % 2 else text.encode("gb18030"))
        truth = rep.truth()
        expected["cells"] += len(truth)
        expected["checks"] += len(run_checks(truth, tpl))
        expected["failed"] += len(rep.failed_checks())
        for t in expected["wide"]:
            expected["wide"][t] += truth.loc[truth["table"] == t, "row"].nunique()
            expected.setdefault("wide_by_report", {})[(str(path), t)] = truth.loc[truth["table"] == t, "row"].nunique()
        expected["agencies"][str(path)] = rep.agency
    bad = {
        folder / "empty.txt": b"",
        folder / "binary.html": bytes(range(256)) * 40,
        folder / "notes.txt": "会议纪要\n今天讨论了明年的工作计划。\n".encode(),
        folder / "broken.docx": b"PK\x03\x04 this is not really a zip archive" * 20,
        folder / "old_format_2018.txt": (
            "平潭综合实验区2018年度政府信息公开工作年度报告\n一、概述\n本年度共主动公开政府信息206条。\n"
            "六、政府信息公开情况统计表\n指标名称 计量单位 2018年度\n主动公开文件数 条 206\n"
        ).encode(),
        folder / "sub" / "truncated.txt": render_text(make_report(999), "pipe").encode()[:300],
    }
    for p, data in bad.items():
        p.write_bytes(data)
    logo = folder / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # not an input format: a row skipped_unsupported
    expected["bad"] = sorted([*(str(p) for p in bad), str(logo)])
    return expected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    expected = _make_corpus(root / "in")
    return root, expected


def _run(args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture(scope="module")
def full_run(corpus):
    root, expected = corpus
    out = root / "out_full"
    code, _, err = _run([str(root / "in"), "-o", str(out), "--to", FORMATS, "--jobs", "2", "--progress"])
    assert code == 0, err
    return out, expected, err


def test_every_format_with_right_row_counts(full_run):
    out, exp, _ = full_run
    frames = {name: pd.read_csv(out / f"{name}.csv", dtype={"division_code": str}) for name in TABLE_FILES}
    assert len(frames["reports"]) == N_REPORTS
    assert len(frames["cells"]) == exp["cells"]
    assert len(frames["checks"]) == exp["checks"]
    assert int((~frames["checks"]["passed"]).sum()) == exp["failed"]
    # the wide tables hold primary reports only (generated publishers repeat, so many are duplicates)
    primaries = set(frames["reports"].loc[frames["reports"]["is_primary"], "report_id"])
    assert 0 < len(primaries) < N_REPORTS
    for t in exp["wide"]:
        assert len(frames[t]) == sum(n for (rid, t2), n in exp["wide_by_report"].items() if t2 == t and rid in primaries), t
        assert set(frames[t]["report_id"]) <= primaries
        assert list(frames[t].columns[:3]) == ["report_id", "row", "row_label_zh"]
    # agencies read from the titles, publisher metadata resolved for every generated publisher
    rep = frames["reports"].set_index("report_id")
    assert rep["agency"].to_dict() == exp["agencies"]
    assert (rep["division_status"] == "resolved").all()
    assert rep["division_code"].str.fullmatch(r"\d{12}").all()
    assert (rep["division_vintage"] == 2023).all()
    assert set(rep["level"]) == {"province", "city", "county", "township", "department"}
    # the same tables in the other formats
    for name in TABLE_FILES:
        n = len(frames[name])
        assert len(pd.read_parquet(out / f"{name}.parquet")) == n, name
        lines = (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == n, name
        if lines:
            assert set(json.loads(lines[0])) == set(frames[name].columns)
    xl = pd.read_excel(out / "reports.xlsx", sheet_name=None)
    assert set(xl) == set(TABLE_FILES)
    for name, sheet in xl.items():
        assert len(sheet) == len(frames[name]), name
    con = sqlite3.connect(out / "reports.db")
    try:
        for name in TABLE_FILES:
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(frames[name]), name
        fks = con.execute("PRAGMA foreign_key_list(cells)").fetchall()
        assert fks and fks[0][2] == "reports"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        pk = [r[1] for r in sorted(con.execute("PRAGMA table_info(cells)").fetchall(), key=lambda r: r[5]) if r[5]]
        assert pk == ["report_id", "table", "row", "column"]
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE type='index' AND tbl_name='cells'").fetchone()[0] >= 2
    finally:
        con.close()
    assert json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]["name"] == "reports"


def test_errors_csv_lists_exactly_the_bad_files(full_run):
    out, exp, err = full_run
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors.columns) == ["file", "error", "reason"]
    assert sorted(errors["file"]) == exp["bad"]
    by_file = dict(zip(errors["file"], errors["error"]))
    assert by_file[next(f for f in exp["bad"] if f.endswith("empty.txt"))] == "corrupt_input"
    assert by_file[next(f for f in exp["bad"] if f.endswith("notes.txt"))] == "not_a_report"
    assert by_file[next(f for f in exp["bad"] if f.endswith("logo.png"))] == "skipped_unsupported"
    assert errors["reason"].str.len().gt(5).all()
    # one line per failure on stderr, a summary, a progress bar, and no traceback
    assert "Traceback" not in err
    for f in exp["bad"]:
        assert f"{f}: " in err
    assert f"read {N_REPORTS} of {N_REPORTS + len(exp['bad'])} files ({len(exp['bad'])} failed)" in err
    assert "failed=" in err


def _same_tree(a: Path, b: Path) -> list[str]:
    names = sorted(p.name for p in a.iterdir() if p.is_file())
    assert names == sorted(p.name for p in b.iterdir() if p.is_file())
    return [n for n in names if not filecmp.cmp(a / n, b / n, shallow=False)]


def test_rerun_and_resumed_run_are_byte_identical(corpus, full_run, tmp_path):
    root, exp = corpus
    out_full, _, _ = full_run
    # a rerun into a fresh folder
    again = tmp_path / "again"
    assert _run([str(root / "in"), "-o", str(again), "--to", FORMATS, "--jobs", "2"])[0] == 0
    assert _same_tree(out_full, again) == []
    # an interrupted run: only part of the files were done, then --resume on the full set
    files = sorted(str(p) for p in (root / "in").rglob("*") if p.is_file())
    part = tmp_path / "part.lst"
    part.write_text("\n".join(files[: len(files) // 3]) + "\n", encoding="utf-8")
    resumed = tmp_path / "resumed"
    code, _, _ = _run(["--from-list", str(part), "-o", str(resumed), "--to", FORMATS, "--jobs", "2"])
    assert code == 0
    n_cached = len(list((resumed / ".cache").glob("*.json")))
    assert 0 < n_cached <= len(files) // 3
    code, _, _ = _run([str(root / "in"), "-o", str(resumed), "--to", FORMATS, "--jobs", "2", "--resume"])
    assert code == 0
    assert _same_tree(out_full, resumed) == []
    # and a rerun over the same folder with --resume is byte-identical too
    code, _, _ = _run([str(root / "in"), "-o", str(resumed), "--to", FORMATS, "--resume", "--jobs", "1"])
    assert code == 0 and _same_tree(out_full, resumed) == []


def test_frictionless_validates_the_package(full_run, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    out, _, _ = full_run
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    # with a BOM for Excel, the package still validates and the CSVs start with the BOM
    small = tmp_path / "bom"
    files = [str(p) for p in sorted((out.parent / "in").glob("r00*"))][:5]
    assert _run([*files, "-o", str(small), "--to", "datapackage", "--bom", "--jobs", "1"])[0] == 0
    assert (small / "cells.csv").read_bytes().startswith("\ufeff".encode())
    report = frictionless.validate(str(small / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_serves_the_database(full_run):
    pytest.importorskip("datasette")
    out, exp, _ = full_run
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(out / "reports.db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("datasette did not start within 30 s")
                time.sleep(0.2)
        sql = "select count(*) as n from cells join reports using (report_id) where reports.division_status = 'resolved'"
        url = base + "/reports.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})
        rows = json.loads(urllib.request.urlopen(url, timeout=10).read())
        assert rows == [{"n": exp["cells"]}]
        rows = json.loads(urllib.request.urlopen(base + "/reports/errors.json?_shape=array", timeout=10).read())
        assert sorted(r["file"] for r in rows) == exp["bad"]
    finally:
        proc.kill()
        proc.wait(10)


def test_exit_status_and_one_line_errors(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "x.html").write_bytes(b"<html><body><p>nothing here</p></body></html>")
    code, _, err = _run([str(bad), "-o", str(tmp_path / "o")])
    assert code == 1 and "Traceback" not in err
    assert (tmp_path / "o" / "errors.csv").exists()
    assert len(pd.read_csv(tmp_path / "o" / "errors.csv")) == 2
    code, _, err = _run([str(bad), "-o", str(tmp_path / "o"), "--to", "csv,pdf"])
    assert code == 2 and err.strip().count("\n") == 0 and "unknown output format" in err
    code, _, err = _run([str(tmp_path / "nothing-*.txt"), "-o", str(tmp_path / "o2")])
    assert code == 1 and "Traceback" not in err
    code, _, err = _run(["show", str(bad / "empty.txt")])
    assert code == 1 and err.startswith("report-extract: error:") and "empty" in err


def test_glob_and_show(tmp_path):
    rep = make_report(7, busy=0.6)
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(render_text(make_report(i)), encoding="utf-8")
    (tmp_path / "one.txt").write_text(render_text(rep), encoding="utf-8")
    code, _, _ = _run([str(tmp_path / "a*.txt"), "-o", str(tmp_path / "o"), "-q"])
    assert code == 0 and len(pd.read_csv(tmp_path / "o" / "reports.csv")) == 3
    code, out, _ = _run(["show", str(tmp_path / "one.txt")])
    assert code == 0
    assert rep.agency in out and "requests" in out and "failed checks: 0" in out
    total = rep.values[("requests", "new_received", "total")]
    line = next(ln for ln in out.splitlines() if ln.startswith("new_received"))
    assert line.split()[-1] == f"{total:g}"


def test_console_script_installed():
    exe = shutil.which("report-extract", path=os.path.dirname(sys.executable))
    if exe is None:
        pytest.skip("console script not installed in this environment")
    res = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and "FILES_OR_DIRS" in res.stdout


@requires_corpus
def test_corpus_folder(tmp_path):
    """Every corpus document ends up in reports.csv or errors.csv (once), publishers get division codes."""
    out = tmp_path / "corpus"
    code, _, err = _run([str(DOCS), "-o", str(out), "--jobs", "2", "--timeout", "300"])
    assert "Traceback" not in err
    reports = pd.read_csv(out / "reports.csv", dtype={"division_code": str})
    errors = pd.read_csv(out / "errors.csv")
    docs = sorted(str(p) for p in DOCS.iterdir() if p.is_file())
    assert sorted([*reports["report_id"], *errors["file"]]) == docs
    assert code == (0 if len(reports) else 1)
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", dtype=str).set_index("file")
    for rid, agency, status, div in zip(reports["report_id"], reports["agency"], reports["division_status"], reports["division_code"]):
        printed = manifest.loc[Path(rid).name, "agency"]
        if isinstance(printed, str) and agency == printed:
            assert status in {"resolved", "partial"} and len(div) == 12, rid


@requires_corpus
def test_crosscheck_on_labelled_corpus():
    """On the hand-checked labels: consecutive reports of one publisher carry pending requests over
    consistently, the text twins of HTML pages are duplicates, and 洪泽区人民政府 (2023) and
    淮安市洪泽区人民政府 (2024) are recognised as one publisher."""
    manifest = pd.read_csv(CORPUS / "MANIFEST.csv", dtype=str)
    manifest = manifest[manifest["agency"].notna() & manifest["file"].map(lambda f: (LABELS / f"{f}.cells.csv").exists())]
    pubs = pd.DataFrame([publisher_info(a) for a in manifest["agency"]])
    reports = pd.concat([pd.DataFrame({"report_id": manifest["file"].values, "year": manifest["year"].astype(int).values}),
                         pubs[["agency_normalized", "publisher_key"]]], axis=1)
    cells = pd.concat([load_label(f)[0].assign(report_id=f) for f in manifest["file"]], ignore_index=True)
    out = crosscheck(reports, cells)
    carry = out[out["crosscheck"] == "carry_over"]
    assert carry["passed"].all()
    assert (carry["expected"] > 0).any()  # a nonzero carry-over is among them (2021 -> 2022)
    assert ("p003.pdf", "p002.pdf") in set(zip(carry["report_id"], carry["other_report_id"]))
    dup = out[out["crosscheck"] == "duplicate"]
    pairs = {tuple(sorted(p)) for p in zip(dup["report_id"], dup["other_report_id"])}
    twins = {tuple(sorted((t, h))) for t, h in [("h001.txt", "h011.html"), ("h002.txt", "h012.html"), ("h003.txt", "h013.html"),
                                                ("h004.txt", "h014.html"), ("h005.txt", "h015.html"), ("h006.txt", "h016.html"),
                                                ("h007.txt", "h008.html")]}
    assert pairs == twins



def test_killed_run_then_resume_is_byte_identical(corpus, full_run, tmp_path):
    """Kill a real run part-way (SIGKILL: no clean-up at all), then finish it with --resume."""
    root, _ = corpus
    out_full, _, _ = full_run
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "report_extract.cli", str(root / "in"), "-o", str(out), "--to", FORMATS, "--jobs", "1", "--timeout", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((out / ".cache").glob("*.json"))) >= 40 if (out / ".cache").is_dir() else False:
                break
            time.sleep(0.02)
        killed = proc.poll() is None
        proc.kill()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    if not killed:
        pytest.skip("the run finished before it could be interrupted")
    assert not (out / "reports.csv").exists()  # nothing half-written: the outputs come at the end
    code, _, _ = _run([str(root / "in"), "-o", str(out), "--to", FORMATS, "--jobs", "2", "--resume"])
    assert code == 0
    assert _same_tree(out_full, out) == []


def test_cli_dask_engine(tmp_path):
    pytest.importorskip("dask.distributed")
    for i in range(4):
        (tmp_path / f"r{i}.txt").write_text(render_text(make_report(i)), encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    code, _, err = _run([str(tmp_path), "-o", str(tmp_path / "o"), "--engine", "dask", "--jobs", "2"])
    assert code == 0, err
    assert len(pd.read_csv(tmp_path / "o" / "reports.csv")) == 4
    assert list(pd.read_csv(tmp_path / "o" / "errors.csv")["file"]) == [str(tmp_path / "bad.txt")]


def test_show_settles_a_shared_name_with_region(tmp_path):
    """`show --region` passes the hint to the division lookup (a name several divisions bear)."""
    (tmp_path / "r.txt").write_text(render_text(make_report(3, agency="城中街道", year=2023)), encoding="utf-8")
    code, out, _ = _run(["show", str(tmp_path / "r.txt")])
    assert code == 0 and "[ambiguous" in out
    code, out, _ = _run(["show", str(tmp_path / "r.txt"), "--region", "湖南 怀化市"])
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("division:"))
    assert "431202001000" in line and "by region" in line
