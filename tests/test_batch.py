"""Batch reading: per-file time limit, crashed workers, the content-hash cache, input order, Dask."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

import report_extract as rx
from report_extract import batch
from report_extract.pipeline import read_one as real_read_one
from report_synth import make_report
from report_synth.text import render_text


@pytest.fixture()
def files(tmp_path):
    out = []
    for i in range(8):
        p = tmp_path / f"r{i}.txt"
        p.write_text(render_text(make_report(i)), encoding="utf-8")
        out.append(str(p))
    return out


def _pathological(path: str):
    """A reader that hangs on 'slow' files and kills its process on 'crash' files."""
    name = os.path.basename(path)
    if name.startswith("slow"):
        time.sleep(60)
    if name.startswith("crash"):
        os._exit(3)
    return real_read_one(path)


def test_timeout_and_crash_do_not_stall_the_run(files, tmp_path):
    slow, crash = tmp_path / "slow.txt", tmp_path / "crash.txt"
    slow.write_text(render_text(make_report(50)), encoding="utf-8")
    crash.write_text(render_text(make_report(51)), encoding="utf-8")
    todo = [files[0], str(slow), files[1], str(crash), *files[2:]]
    t0 = time.monotonic()
    results = batch.run(todo, _pathological, jobs=2, timeout=2)
    assert time.monotonic() - t0 < 30
    assert [r[0] for r in results] == todo  # input order
    errs = {r[0]: r[2]["error"] for r in results if r[2] is not None}
    assert errs == {str(slow): "timeout", str(crash): "worker_crashed"}
    assert all(r[1] is not None for r in results if r[0] in files)


def test_timeout_with_one_job(files, tmp_path):
    slow = tmp_path / "slow.txt"
    slow.write_text("x", encoding="utf-8")
    results = batch.run([str(slow), files[0]], _pathological, jobs=1, timeout=1)
    assert results[0][2]["error"] == "timeout" and "1 s" in results[0][2]["reason"]
    assert results[1][1] is not None


def test_cache_reads_only_new_or_changed_files(files, tmp_path):
    seen: list[str] = []

    def counting(path):
        seen.append(path)
        return real_read_one(path)

    cache = tmp_path / "cache"
    first = batch.run(files[:5], counting, jobs=1, cache_dir=cache)
    assert seen == files[:5]
    seen.clear()
    Path(files[1]).write_text(render_text(make_report(77)), encoding="utf-8")  # changed
    second = batch.run(files, counting, jobs=1, cache_dir=cache)
    assert seen == [files[1], *files[5:]]
    pd.testing.assert_frame_equal(first[0][1].cells, second[0][1].cells)
    assert second[0][1].meta["path"] == files[0]
    # without reuse the cache is written but not read
    seen.clear()
    batch.run(files, counting, jobs=1, cache_dir=cache, reuse_cache=False)
    assert seen == files
    # other settings (the cache tag) are other results
    seen.clear()
    batch.run(files[:2], counting, jobs=1, cache_dir=cache, cache_tag="other")
    assert seen == files[:2]


def test_cached_error_keeps_its_path(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("not a report at all\n", encoding="utf-8")
    b.write_text("not a report at all\n", encoding="utf-8")  # same content, other name
    cache = tmp_path / "c"
    batch.run([str(a)], real_read_one, jobs=1, cache_dir=cache)
    res = batch.run([str(b)], real_read_one, jobs=1, cache_dir=cache)
    assert res[0][2]["path"] == str(b) and res[0][2]["error"] == "not_a_report"


def test_parallel_matches_serial(files):
    serial = rx.read_reports(files, jobs=1)
    parallel = rx.read_reports(files, jobs=2, timeout=60)
    pd.testing.assert_frame_equal(serial.cells, parallel.cells)
    pd.testing.assert_frame_equal(serial.reports, parallel.reports)


def test_dask_engine_on_a_local_cluster(files):
    pytest.importorskip("dask.distributed")
    serial = rx.read_reports([*files, "/nonexistent/file.txt"], jobs=1)
    dist = rx.read_reports([*files, "/nonexistent/file.txt"], jobs=2, engine="dask")
    pd.testing.assert_frame_equal(serial.cells, dist.cells)
    pd.testing.assert_frame_equal(serial.errors, dist.errors)
    assert len(dist) == len(files)


def test_dask_engine_with_a_scheduler_address(files):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as cluster:
        rs = rx.read_reports(files[:4], engine="dask", scheduler=cluster.scheduler_address)
    assert len(rs) == 4 and rs.errors.empty


def test_unknown_engine(files):
    with pytest.raises(ValueError, match="engine"):
        rx.read_reports(files, engine="spark")


def test_dask_worked_example_in_docs(tmp_path, capsys):
    """The worked example of docs/batch.md runs as printed."""
    pytest.importorskip("dask.distributed")
    doc = (Path(__file__).resolve().parents[1] / "docs" / "batch.md").read_text(encoding="utf-8")
    block = next(b for b in doc.split("```python")[1:] if "LocalCluster" in b).split("```")[0]
    assert "tempfile.mkdtemp()" in block
    block = block.replace("tempfile.mkdtemp()", repr(str(tmp_path)))
    exec(compile(block, "docs/batch.md", "exec"), {})
    assert capsys.readouterr().out.strip() == "20 reports, 0 errors"
    assert (tmp_path / "out" / "reports.db").exists() and (tmp_path / "out" / "cells.csv").exists()
