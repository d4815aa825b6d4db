"""Process hygiene of a real CLI run (issue 13, finding 4): SIGKILL of the parent leaves no
worker alive; SIGINT stops cleanly with exit 130, keeps the cache, writes no output and says
how to resume. And the cache cannot run code (finding 10)."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from report_extract import batch
from report_extract.pipeline import read_one
from report_synth import make_report
from report_synth.text import render_text

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("many")
    for i in range(80):
        (d / f"r{i:03d}.txt").write_text(render_text(make_report(100 + i, "2021")), encoding="utf-8")
    return d


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _start(folder: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "report_extract.cli", "extract", str(folder), "-o", str(out), "--jobs", "2", "--no-progress"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)


def _wait_for_work(proc: subprocess.Popen, out: Path, n: int) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        cached = len(list((out / ".cache").glob("*.*"))) if (out / ".cache").is_dir() else 0
        if len(workers) >= 2 and cached >= n:
            return workers
        time.sleep(0.02)
    proc.kill()
    pytest.skip("the run finished before it could be interrupted")


def test_sigkill_of_the_parent_leaves_no_worker(folder, tmp_path):
    out = tmp_path / "o"
    proc = _start(folder, out)
    workers = _wait_for_work(proc, out, 1)
    proc.kill()
    proc.wait(10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]


def test_sigint_stops_cleanly_and_keeps_the_cache(folder, tmp_path):
    out = tmp_path / "o"
    proc = _start(folder, out)
    workers = _wait_for_work(proc, out, 3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "--resume" in err.decode() and "Traceback" not in err.decode()
    assert len(list((out / ".cache").glob("*.json"))) >= 3  # the cache is kept
    assert sorted(p.name for p in out.iterdir()) == [".cache"]  # no output, nothing half-written
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch BOOM_MARKER",))


def test_cache_is_json_and_never_unpickled(tmp_path, monkeypatch):
    f = tmp_path / "r.txt"
    f.write_text(render_text(make_report(7, "2021")), encoding="utf-8")
    cache = tmp_path / "cache"
    first = batch.run([str(f)], read_one, jobs=1, cache_dir=cache)
    files = list(cache.iterdir())
    assert [p.suffix for p in files] == [".json"]
    assert json.loads(files[0].read_text(encoding="utf-8"))["format"].startswith("report_extract-cache/")
    # a planted pickle (old format name and new) is never loaded: the file is read again
    monkeypatch.chdir(tmp_path)
    key = files[0].stem
    (cache / f"{key}.pkl").write_bytes(pickle.dumps(_Boom()))
    files[0].write_bytes(pickle.dumps(_Boom()))
    calls = []

    def counting(path):
        calls.append(path)
        return read_one(path)

    again = batch.run([str(f)], counting, jobs=1, cache_dir=cache)
    assert calls == [str(f)] and not (tmp_path / "BOOM_MARKER").exists()
    assert again[0][1].cells.equals(first[0][1].cells)
    # and the rewritten entry is used by the next run
    batch.run([str(f)], counting, jobs=1, cache_dir=cache)
    assert len(calls) == 1
