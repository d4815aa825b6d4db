"""Reading many files: worker processes with a per-file time limit, a content-hash cache, Dask.

The per-file work is a function given by the caller (``read_one``: path -> ``(report_id,
report, error)``; :func:`report_extract.api.read_reports` passes
:func:`report_extract.pipeline.read_one` bound to its options), so this module knows nothing of
how a report is read.

* Each file is read in a worker process; a file that takes longer than ``timeout`` seconds gets
  its worker killed and replaced, and becomes an error row ``timeout`` — one pathological file
  cannot stall a run. A worker that dies (a crash in a parsing library) gives ``worker_crashed``.
* With a ``cache_dir``, every result is stored under the SHA-256 of the file's bytes (and of the
  library's code and data, and the caller's ``cache_tag``: the settings' key), so a rerun after an interruption, or with new files, only reads what changed.
  Cache entries are written atomically, as tagged JSON (:mod:`report_extract.cache_codec`): a
  cache file cannot run code when read, whoever wrote it.
* Results come back in input order whatever order the workers finish in.
* Workers die with the parent: each starts its own process group (a terminal's Ctrl-C reaches
  only the parent, which stops them), asks Linux to kill it when the parent dies
  (``PR_SET_PDEATHSIG``), closes the pipes of the other workers it inherited, and ignores SIGINT.
  An interrupted run (``KeyboardInterrupt``) stops every worker and keeps the cache.
* A worker enforces the time limit itself (:class:`~report_extract.errors.ReadTimeoutError`,
  code ``timeout``); the parent kills a worker only past a grace period, with the same code.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing as mp
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .report import Report
from .version import __version__

Result = tuple[str, Report | None, dict | None]
ReadOne = Callable[[str], Result]
# what a caller makes of a finished result, in the worker that read it (``(report_id, anything, error)``)
Pack = Callable[[Result], tuple]
# errors that depend on the run, not on the file's content: never cached
_TRANSIENT = {"timeout", "worker_crashed", "internal_error"}


@cache
def code_fingerprint() -> str:
    """SHA-256 of report_extract's own code and data, so cached results go stale when either changes."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for f in sorted(root.rglob("*")):
        if f.suffix in (".py", ".csv", ".json") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def file_key(path: str, tag: str = "") -> str | None:
    """SHA-256 of the file's bytes, the library's code fingerprint and ``tag`` (the settings' key;
    None when the file cannot be read)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    h.update(b"\0report_extract " + code_fingerprint().encode())
    if tag:
        h.update(b"\0options " + tag.encode())
    return h.hexdigest()


class Cache:
    """Results keyed by content hash, one JSON file per key in ``directory`` (never pickle)."""

    def __init__(self, directory: str | os.PathLike):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)

    def get(self, key: str | None, path: str) -> Result | None:
        if key is None:
            return None
        from .cache_codec import loads

        f = self.dir / f"{key}.json"
        try:
            rep, err = loads(f.read_bytes())
        except (OSError, ValueError, TypeError, KeyError):  # missing, damaged or foreign: read again
            return None
        if not (rep is None or isinstance(rep, Report)) or not (err is None or isinstance(err, dict)):
            return None
        if rep is not None:
            rep.meta["path"] = path
        if err is not None:
            err = {**err, "path": path}
        return path, rep, err

    def put(self, key: str | None, result: Result) -> None:
        _, rep, err = result
        if key is None or (err is not None and err.get("error") in _TRANSIENT):
            return
        from .cache_codec import dumps
        from .writers import atomic_write_bytes

        try:
            data = dumps((rep, err))
        except (TypeError, ValueError):  # a value the format cannot hold: not cached, read again next time
            return
        atomic_write_bytes(self.dir / f"{key}.json", data)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _finish(result: Result, cache: Cache | None, key: str | None, pack: Pack | None) -> tuple:
    """A result as it leaves the process that read it: cached (when asked) and packed."""
    if cache is not None:
        cache.put(key, result)
    return pack(result) if pack is not None else result


def _worker_main(conn: Connection, read_one: ReadOne, parent: int = 0, inherited: tuple = (),
                 cache_dir: str | None = None, pack: Pack | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a run stops
    try:
        os.setpgrp()  # a terminal's Ctrl-C goes to the parent alone
    except (AttributeError, OSError):
        pass
    if parent:
        _die_with_parent(parent)
    for other in inherited:  # the other workers' pipes, inherited through fork
        try:
            other.close()
        except OSError:
            pass
    cache = Cache(cache_dir) if cache_dir else None
    while True:
        try:
            msg = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if msg is None:
            return
        idx, path, key = msg
        try:
            conn.send((idx, _finish(read_one(path), cache, key, pack)))
        except Exception as exc:  # an unpicklable result
            conn.send((idx, (path, None, {"path": path, "error": "internal_error", "reason": f"{type(exc).__name__}: {exc}"})))


@dataclass
class _Worker:
    proc: mp.process.BaseProcess
    conn: Connection
    tasks: deque = field(default_factory=deque)  # sent, in the order the worker runs them
    deadline: float = 0.0  # of the first task


def _context():
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


class _Pool:
    def __init__(self, n: int, read_one: ReadOne, cache_dir: str | None = None, pack: Pack | None = None):
        self.ctx = _context()
        self.read_one = read_one
        self.cache_dir, self.pack = cache_dir, pack
        self.workers: list[_Worker] = []
        for _ in range(n):
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        forked = self.ctx.get_start_method() == "fork"
        inherited = tuple([w.conn for w in self.workers] + [parent]) if forked else ()
        proc = self.ctx.Process(target=_worker_main, args=(child, self.read_one, os.getpid(), inherited, self.cache_dir, self.pack), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def replace(self, w: _Worker) -> None:
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join(5)
        w.conn.close()
        self.workers[self.workers.index(w)] = self._start()

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for w in self.workers:
            w.proc.join(2)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(2)
            w.conn.close()


_DEPTH = 2  # tasks in flight per worker, so a worker never waits for the parent between files


def _grace(timeout: float) -> float:
    """Seconds the parent waits past ``timeout`` before it kills a worker: the worker's own
    deadline normally ends the file first, so a result does not depend on the parent's load."""
    return timeout + min(30.0, 0.1 * timeout + 2.0)


def _pool_results(todo: list[tuple[int, str, str | None]], read_one: ReadOne, jobs: int, timeout: float | None,
                  cache_dir: str | None = None, pack: Pack | None = None) -> Iterator[tuple[int, tuple]]:
    """Read ``todo`` (index, path, cache key) in worker processes, which cache (in ``cache_dir``)
    and pack each result; yield ``(index, result)`` as each file finishes. A file that times out or
    kills its worker gives an error result (never cached, not packed: ``pack`` leaves errors as they are)."""
    pool = _Pool(min(jobs, len(todo)), read_one, cache_dir, pack)
    limit = _grace(timeout) if timeout else None
    pending = deque(todo)
    no_limit = float("inf")

    def fail(w: _Worker, code: str, reason: str) -> tuple[int, Result]:
        """The worker's first task failed and the worker is gone: replace it, requeue the rest."""
        idx, path, _key = w.tasks.popleft()
        pending.extendleft(reversed(w.tasks))
        pool.replace(w)
        return idx, (path, None, {"path": path, "error": code, "reason": reason})

    try:
        while pending or any(w.tasks for w in pool.workers):
            for w in pool.workers:
                while len(w.tasks) < _DEPTH and pending:
                    if not w.tasks:
                        w.deadline = time.monotonic() + limit if limit else no_limit
                    w.tasks.append(pending.popleft())
                    try:
                        w.conn.send(w.tasks[-1])
                    except OSError:  # the worker died: noticed below, its tasks requeued
                        break
            busy = [w for w in pool.workers if w.tasks]
            nearest = min(w.deadline for w in busy)
            wait_for = None if nearest == no_limit else max(0.0, nearest - time.monotonic())
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for)
            now = time.monotonic()
            for w in busy:
                if w.conn in ready:
                    try:
                        idx, result = w.conn.recv()
                    except (EOFError, OSError):
                        yield fail(w, "worker_crashed", "the worker process died while reading the file")
                        continue
                    w.tasks.popleft()
                    w.deadline = now + limit if (limit and w.tasks) else no_limit
                    yield idx, result
                elif w.proc.sentinel in ready and not w.proc.is_alive():
                    yield fail(w, "worker_crashed", f"the worker process died while reading the file (exit code {w.proc.exitcode})")
                elif now >= w.deadline:
                    yield fail(w, "timeout", f"reading took longer than {timeout:g} s")
    finally:
        pool.close()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def largest_first(todo: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``todo`` with the largest files first (ties in input order): the slow files (big PDFs) start
    early instead of being the last ones a single worker is still busy with."""
    return sorted(todo, key=lambda t: -_size(t[1]))


def iter_results(
    files: Sequence[str],
    read_one: ReadOne,
    jobs: int | None = None,
    *,
    timeout: float | None = None,
    cache_dir: str | os.PathLike | None = None,
    cache_tag: str = "",
    reuse_cache: bool = True,
    progress: bool = False,
    pack: Pack | None = None,
) -> Iterator[tuple[int, tuple]]:
    """Read ``files`` (already expanded) with ``read_one``; yield ``(index in files, (report_id,
    report, error))`` as each file is done (cache hits first), so a caller can write results away
    as they come and hold none of them (:mod:`report_extract.stream`).

    ``jobs`` worker processes (None or 0: one per CPU); ``timeout`` seconds per file (None: no
    limit); ``cache_dir`` enables the content-hash cache (results are stored there, keyed also by
    ``cache_tag``; they are reused only when ``reuse_cache``); ``progress`` shows a progress bar.
    Worker processes take the largest files first, write the cache entries themselves and, with
    ``pack`` (a function of a result returning ``(report_id, anything, error)``), send back
    ``pack(result)`` instead of the result: what the caller keeps of a report is made in parallel,
    not in the parent (cache hits are packed in the parent).
    """
    jobs = jobs or os.cpu_count() or 1
    cache = Cache(cache_dir) if cache_dir else None
    keys: dict[int, str | None] = {}
    todo: list[tuple[int, str]] = []
    hits: list[int] = []
    for i, f in enumerate(files):
        if cache is not None:
            keys[i] = file_key(f, cache_tag)
            if reuse_cache and (cache.dir / f"{keys[i]}.json").exists():
                hits.append(i)
                continue
        todo.append((i, f))
    bar = _progress(len(files), progress, initial=len(hits))
    failures = 0

    def done(idx: int, result: tuple) -> tuple[int, tuple]:
        nonlocal failures
        failures += result[2] is not None
        if bar is not None:
            bar.set_postfix(failed=failures, refresh=False)
            bar.update(1)
        return idx, result

    try:
        for i in hits:
            hit = cache.get(keys[i], files[i]) if cache is not None else None
            if hit is None:  # unreadable entry: read the file again
                todo.append((i, files[i]))
                continue
            yield i, (pack(hit) if pack is not None else hit)
        if todo and jobs <= 1 and not timeout:
            for idx, f in todo:
                yield done(idx, _finish(read_one(f), cache, keys.get(idx), pack))
        elif todo:
            tasks = [(idx, f, keys.get(idx)) for idx, f in largest_first(todo)]
            for idx, result in _pool_results(tasks, read_one, jobs, timeout, str(cache.dir) if cache else None, pack):
                yield done(idx, result)
    finally:
        if bar is not None:
            bar.close()


def run(
    files: Sequence[str],
    read_one: ReadOne,
    jobs: int | None = None,
    *,
    timeout: float | None = None,
    cache_dir: str | os.PathLike | None = None,
    cache_tag: str = "",
    reuse_cache: bool = True,
    progress: bool = False,
) -> list[Result]:
    """Read ``files`` (already expanded) with ``read_one`` and return ``(report_id, report, error)``
    in input order (every result held: for large batches use :func:`iter_results`). Arguments as
    :func:`iter_results`."""
    results: dict[int, Result] = dict(iter_results(
        files, read_one, jobs, timeout=timeout, cache_dir=cache_dir, cache_tag=cache_tag,
        reuse_cache=reuse_cache, progress=progress,
    ))
    return [results[i] for i in range(len(files))]


def _read_and_pack(read_one: ReadOne, pack: Pack, path: str) -> tuple:
    return pack(read_one(path))


def iter_dask(
    files: Sequence[str], read_one: ReadOne, scheduler: str | None = None, jobs: int | None = None, *,
    progress: bool = False, pack: Pack | None = None,
) -> Iterator[tuple[int, tuple]]:
    """Read ``files`` with ``read_one`` (a picklable function) on a Dask cluster and yield
    ``(index, result)`` as each task finishes (each result is released on the cluster once
    fetched): the scheduler at ``scheduler`` (``tcp://host:port``) or, when None, a local cluster
    of ``jobs`` worker processes on 127.0.0.1. Needs ``dask[distributed]``. With ``pack`` (as in
    :func:`iter_results`) each task returns ``pack(result)``, made on the Dask worker; files are
    submitted largest first."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RuntimeError("the Dask engine needs dask.distributed: pip install 'report_extract[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        n = jobs or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0")
        client = Client(cluster)
    bar = _progress(len(files), progress)
    try:
        task = partial(_read_and_pack, read_one, pack) if pack is not None else read_one
        todo = largest_first(list(enumerate(files)))
        futures = client.map(task, [f for _i, f in todo], pure=False)
        index = {fut.key: i for fut, (i, _f) in zip(futures, todo)}
        pending = as_completed(futures)
        del futures  # only ``pending`` holds them: each result is released once yielded
        failures = 0
        for fut in pending:
            res = fut.result()
            idx = index.pop(fut.key)
            fut.release()
            failures += res[2] is not None
            if bar is not None:
                bar.set_postfix(failed=failures, refresh=False)
                bar.update(1)
            yield idx, res
    finally:
        if bar is not None:
            bar.close()
        client.close()
        if cluster is not None:
            cluster.close()


def run_dask(
    files: Sequence[str], read_one: ReadOne, scheduler: str | None = None, jobs: int | None = None, *, progress: bool = False
) -> list[Result]:
    """Read ``files`` on a Dask cluster (see :func:`iter_dask`) and return the results in input order."""
    results = dict(iter_dask(files, read_one, scheduler, jobs, progress=progress))
    return [results[i] for i in range(len(files))]


def _progress(total: int, enabled: bool, initial: int = 0):
    if not enabled or total <= 1:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="file", desc="reading", dynamic_ncols=True)


__all__ = ["run", "run_dask", "iter_results", "iter_dask", "Cache", "file_key"]
