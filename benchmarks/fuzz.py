"""Bounded fuzzing of read_report: mutants of generated reports in every format, each read in a
forked child process with a memory limit (``RLIMIT_AS``), a CPU-time limit (``RLIMIT_CPU``) and a
wall-time limit (read_report's ``timeout``).

Every mutant ends as one of:

* ``result``: a Report;
* ``report_error``: a :class:`~report_extract.errors.ReportError` (the expected refusal);
* ``crash``: any other exception, or the child dying of a signal or of the memory limit — a bug;
* ``hang``: the child over its CPU-time limit (``SIGXCPU``), or still running 5 s after the wall
  limit (killed) — a bug;
* ``timeout``: read_report stopped itself at the wall limit (``ReadTimeoutError``). Counted apart
  from the hangs: on a loaded machine it says more about the load than the input; its CPU time
  (listed) tells which.

The time limit that decides a hang is CPU time (``--cpu-limit``, default 30 s): the machine this
runs on is shared, and wall time there grows with the load, not with the input. The wall limit
(``--time-limit``, default 120 s) only bounds a child stuck off the CPU (sleeping, waiting).

The CPU time and peak RSS of each child come from ``wait4``. The run prints a summary (outcomes
per format, every crash with its traceback, every hang and timeout, the peak RSS, the run time and
the machine's load) and writes it as JSON (``benchmarks/results/fuzz.json`` by default; with
``--save-dir`` the problem mutants' bytes too, to replay them). ``tests/test_fuzz.py`` runs a
small fixed budget; the long run::

    PYTHONPATH=src python benchmarks/fuzz.py --mutants 2000 --seed 1

Linux/Unix only (``os.fork``, ``resource``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import math
import os
import random
import re
import resource
import select
import signal
import sys
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMATS = ("text", "flat", "html", "divgrid", "pdf", "docx", "xlsx", "xls")
PROBLEMS = ("crash", "hang", "timeout")
RESULTS = Path(__file__).resolve().parent / "results"


def _stable_zip(data: bytes) -> bytes:
    """The package with every member's timestamp (and the saving time in its core properties)
    fixed, so a seed's bytes do not depend on the clock."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":  # the time of saving
                body = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@functools.lru_cache(maxsize=4)
def seeds(n_per_format: int = 2) -> tuple[tuple[str, bytes], ...]:
    """Generated reports: ``(format, bytes)`` for every renderer of report_synth, the same bytes
    at every call (zip timestamps fixed, reportlab's ``invariant`` mode: no creation date or
    random document id), so a seed number gives the same mutants in every run and shard."""
    with contextlib.suppress(ImportError):
        from reportlab import rl_config

        rl_config.invariant = 1
    from report_synth import make_report
    from report_synth.divgrid import render_divgrid_html
    from report_synth.docx import render_docx
    from report_synth.flat import render_flat
    from report_synth.html import render_html
    from report_synth.pdf import render_pdf
    from report_synth.text import render_text
    from report_synth.xlsx import render_xls, render_xlsx

    renderers: dict[str, Callable] = {
        "text": lambda r: render_text(r).encode("utf-8"),
        "flat": lambda r: render_flat(r).encode("gb18030"),
        "html": render_html,
        "divgrid": render_divgrid_html,
        "pdf": render_pdf,
        "docx": render_docx,
        "xlsx": render_xlsx,
        "xls": render_xls,
    }
    out = []
    for i in range(n_per_format):
        rep = make_report(900 + i, "2019" if i % 2 else "2021")
        for fmt, render in renderers.items():
            try:
                data = render(rep)
                out.append((fmt, _stable_zip(data) if fmt in ("docx", "xlsx") else data))
            except ImportError:  # an optional renderer dependency (xlwt, reportlab)
                continue
    return tuple(out)


# -- mutations -----------------------------------------------------------------------------------


def _flip(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 16)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)


def _bytes(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data))
        data[i] = rng.choice([0, 0xFF, 0x7F, 0x80, ord("<"), ord(">"), ord("|"), ord("\n"), rng.randrange(256)])


def _splice(data: bytearray, rng: random.Random) -> None:
    i, j = sorted(rng.randrange(len(data)) for _ in range(2))
    k = rng.randrange(len(data))
    chunk = data[i:j][:4096]
    data[k:k] = chunk * rng.randint(1, 4)


def _cut(data: bytearray, rng: random.Random) -> None:
    i = rng.randrange(len(data))
    j = min(len(data), i + rng.randint(1, 512))
    del data[i:j]


def _truncate(data: bytearray, rng: random.Random) -> None:
    del data[rng.randrange(1, len(data)):]


def _digits(data: bytearray, rng: random.Random) -> None:
    idx = [i for i, b in enumerate(data) if 48 <= b <= 57]
    for i in rng.sample(idx, min(len(idx), rng.randint(1, 20))):
        data[i] = rng.choice(b"0123456789-.,")


BYTE_MUTATIONS = (_flip, _bytes, _splice, _cut, _truncate, _digits)


def _zip_member(data: bytes, rng: random.Random) -> bytes:
    """Mutate one XML member of an OOXML package and zip it again (deeper than the zip layer)."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        names = [n for n in src.namelist() if n.endswith(".xml")]
    except zipfile.BadZipFile:
        return data
    if not names:
        return data
    victim = rng.choice(names)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for n in src.namelist():
            body = bytearray(src.read(n))
            if n == victim and body:
                rng.choice(BYTE_MUTATIONS)(body, rng)
            dst.writestr(zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0)), bytes(body), zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def mutate(fmt: str, data: bytes, rng: random.Random) -> bytes:
    """One mutant of ``data``: zip-member mutations for OOXML half the time, else byte-level."""
    if fmt in ("docx", "xlsx") and rng.random() < 0.5:
        return _zip_member(data, rng)
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if out:
            rng.choice(BYTE_MUTATIONS)(out, rng)
    return bytes(out)


# -- running ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    fmt: str
    status: str  # result, report_error, crash, hang, timeout
    seconds: float  # wall time of the child
    peak_rss_mb: float
    detail: str = ""  # the error code, or what went wrong (a crash's traceback)
    cpu_s: float = 0.0  # CPU time of the child (user + system)
    index: int = -1  # the mutant's number in the run


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    @property
    def peak_rss_mb(self) -> float:
        return max((o.peak_rss_mb for o in self.outcomes), default=0.0)

    @property
    def slowest(self) -> float:
        return max((o.seconds for o in self.outcomes), default=0.0)

    @property
    def slowest_cpu(self) -> float:
        return max((o.cpu_s for o in self.outcomes), default=0.0)

    def figures(self) -> dict:
        """The run's figures as plain data (what the JSON file holds)."""
        by_format = {f: dict(Counter(o.status for o in self.outcomes if o.fmt == f))
                     for f in sorted({o.fmt for o in self.outcomes})}
        return {
            "mutants": len(self.outcomes),
            "counts": dict(self.counts),
            "crashes": self.counts.get("crash", 0),
            "hangs": self.counts.get("hang", 0),
            "timeouts": self.counts.get("timeout", 0),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "slowest_s": round(self.slowest, 2),
            "slowest_cpu_s": round(self.slowest_cpu, 2),
            "by_format": by_format,
            "problems": [asdict(o) for o in self.outcomes if o.status in PROBLEMS],
            "slowest": [asdict(o) for o in sorted(self.outcomes, key=lambda o: -o.cpu_s)[:5]],
            "outcomes": [[o.index, o.fmt, o.status, o.seconds, o.cpu_s, round(o.peak_rss_mb, 1)] for o in self.outcomes],
        }

    @classmethod
    def from_figures(cls, figures: dict) -> Summary:
        """The summary a figures dict (a JSON file of a run) was made from (details: problems only)."""
        details = {o["index"]: o["detail"] for o in figures.get("problems", [])}
        return cls([Outcome(fmt, status, seconds, rss, details.get(k, ""), cpu, k)
                    for k, fmt, status, seconds, cpu, rss in figures["outcomes"]])


def _vsize() -> int:
    """This process's virtual size in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(data: bytes, fmt: str, write_fd: int, mem_limit: int, time_limit: float, cpu_limit: float) -> None:
    """In the forked child: read the mutant and write one JSON line; never returns."""
    status, detail = "crash", ""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_vsize() + mem_limit,) * 2)  # room beyond what the fork shares
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        used = resource.getrusage(resource.RUSAGE_SELF)  # a forked child starts at 0, but be exact
        cpu = math.ceil(used.ru_utime + used.ru_stime + cpu_limit)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))  # SIGXCPU at the soft limit
        import report_extract as rx
        from report_extract.errors import ReadTimeoutError, ReportError

        file_format = {"flat": "text", "divgrid": "html"}.get(fmt)
        try:
            rx.read_report(data, file_format, timeout=time_limit)
            status = "result"
        except ReadTimeoutError as exc:
            status, detail = "timeout", exc.code
        except ReportError as exc:
            status, detail = "report_error", exc.code
        except BaseException as exc:  # noqa: BLE001 - a crash is what the fuzzer looks for
            status, detail = "crash", f"{type(exc).__name__}: {str(exc)[:300]}\n{traceback.format_exc()[-3000:]}"
    finally:
        try:
            os.write(write_fd, json.dumps({"status": status, "detail": detail}).encode() + b"\n")
        finally:
            os._exit(0)


@dataclass
class _Running:
    """A forked child reading one mutant."""

    pid: int
    fd: int
    t0: float
    fmt: str
    index: int
    chunks: list[bytes] = field(default_factory=list)


def _start(fmt: str, data: bytes, index: int, time_limit: float, mem_limit_mb: int, cpu_limit: float) -> _Running:
    r, w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _child(data, fmt, w, mem_limit_mb * 1024 * 1024, time_limit, cpu_limit)
    os.close(w)
    return _Running(pid, r, t0, fmt, index)


def _finish(run: _Running, killed: bool, time_limit: float, cpu_limit: float) -> Outcome:
    """Reap the child and classify how it ended."""
    os.close(run.fd)
    _, status, usage = os.wait4(run.pid, 0)
    seconds = time.monotonic() - run.t0
    rss = usage.ru_maxrss / 1024  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime

    def outcome(kind: str, detail: str) -> Outcome:
        return Outcome(run.fmt, kind, round(seconds, 2), rss, detail, round(cpu, 2), run.index)

    if killed:
        return outcome("hang", f"still running after {time_limit + 5:g} s wall ({cpu:.1f} s CPU)")
    try:
        msg = json.loads(b"".join(run.chunks).decode())
    except ValueError:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        if sig == signal.SIGXCPU:
            return outcome("hang", f"over the CPU-time limit of {cpu_limit:g} s ({seconds:.1f} s wall)")
        return outcome("crash", f"the child died (signal {sig}, status {status})")
    return outcome(msg["status"], msg["detail"])


def run_many(mutants: Iterator[tuple[int, str, bytes]], *, jobs: int = 1, time_limit: float = 120.0,
             mem_limit_mb: int = 1536, cpu_limit: float = 30.0) -> Iterator[Outcome]:
    """Read ``(index, format, bytes)`` mutants, ``jobs`` children at a time, each under the
    limits: ``cpu_limit`` CPU seconds (over it: a hang), ``time_limit`` wall seconds as
    read_report's timeout (the child is killed at ``time_limit + 5`` s: a hang),
    ``mem_limit_mb`` of address space (over it: a crash). Yields outcomes as children end."""
    running: dict[int, _Running] = {}
    todo = iter(mutants)
    more = True
    while running or more:
        while more and len(running) < max(1, jobs):
            nxt = next(todo, None)
            if nxt is None:
                more = False
                break
            k, fmt, data = nxt
            run = _start(fmt, data, k, time_limit, mem_limit_mb, cpu_limit)
            running[run.fd] = run
        if not running:
            break
        now = time.monotonic()
        for fd, run in list(running.items()):
            if now >= run.t0 + time_limit + 5:
                os.kill(run.pid, signal.SIGKILL)
                del running[fd]
                yield _finish(run, True, time_limit, cpu_limit)
        if not running:
            continue
        wait = max(0.0, min(run.t0 + time_limit + 5 for run in running.values()) - time.monotonic())
        ready, _, _ = select.select(list(running), [], [], wait)
        for fd in ready:
            run = running[fd]
            chunk = os.read(fd, 65536)
            if chunk:
                run.chunks.append(chunk)
            else:
                del running[fd]
                yield _finish(run, False, time_limit, cpu_limit)


def run_one(fmt: str, data: bytes, *, time_limit: float = 120.0, mem_limit_mb: int = 1536,
            cpu_limit: float = 30.0, index: int = -1) -> Outcome:
    """Read one mutant in a forked child under the limits (see :func:`run_many`)."""
    return next(run_many(iter([(index, fmt, data)]), time_limit=time_limit, mem_limit_mb=mem_limit_mb, cpu_limit=cpu_limit))


def warm_up(pool: tuple[tuple[str, bytes], ...]) -> None:
    """Read every seed once in this process before forking, so the libraries each reader imports
    lazily (pandas, pdfplumber, openpyxl, xlrd …) and the schema tables are loaded once and shared
    by every child: a child's CPU time and RSS are then the mutant's, not the imports'."""
    import report_extract as rx
    from report_extract.errors import ReportError

    for fmt, data in pool:
        with contextlib.suppress(ReportError):
            rx.read_report(data, {"flat": "text", "divgrid": "html"}.get(fmt))


def run_fuzz(mutants: int, seed: int = 0, *, time_limit: float = 120.0, mem_limit_mb: int = 1536,
             cpu_limit: float = 30.0, jobs: int = 1, progress: bool = False, save_dir: Path | None = None,
             first: int = 0) -> Summary:
    """Read mutants ``first`` to ``mutants - 1`` (round-robin over the formats' seeds; the same
    ones for a seed whatever ``jobs`` and ``first``: a long run can be split in shards) and
    summarise the outcomes (``save_dir``: write each problem mutant's bytes there, named by its
    number and format)."""
    rng = random.Random(seed)
    pool = seeds()
    warm_up(pool)
    kept: dict[int, bytes] = {}

    def generate() -> Iterator[tuple[int, str, bytes]]:
        for k in range(mutants):
            fmt, data = pool[k % len(pool)]
            mutant = mutate(fmt, data, rng)  # made for every k: the random stream stays the same
            if k >= first:
                kept[k] = mutant
                yield k, fmt, mutant

    summary = Summary()
    for outcome in run_many(generate(), jobs=jobs, time_limit=time_limit, mem_limit_mb=mem_limit_mb, cpu_limit=cpu_limit):
        mutant = kept.pop(outcome.index)
        summary.outcomes.append(outcome)
        if outcome.status in PROBLEMS and save_dir is not None:
            save_dir.mkdir(parents=True, exist_ok=True)
            (save_dir / f"mutant{outcome.index:05d}.{outcome.fmt}").write_bytes(mutant)
        if progress and outcome.status in PROBLEMS:
            print(f"mutant {outcome.index} ({outcome.fmt}): {outcome.status} after {outcome.seconds:.1f} s "
                  f"({outcome.cpu_s:.1f} s CPU): {outcome.detail[-1500:]}", file=sys.stderr, flush=True)
        if progress and len(summary.outcomes) % 100 == 0:
            print(f"{len(summary.outcomes)} mutants: {dict(summary.counts)}, peak RSS {summary.peak_rss_mb:.0f} MB, "
                  f"slowest {summary.slowest:.1f} s ({summary.slowest_cpu:.1f} s CPU), load {_load()}",
                  file=sys.stderr, flush=True)
    summary.outcomes.sort(key=lambda o: o.index)
    return summary


def _load() -> str:
    with contextlib.suppress(OSError):
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    return "?"


def report(figures: dict) -> str:
    """The human-readable summary of a run's figures."""
    statuses = ["result", "report_error", *PROBLEMS]
    lines = [f"{figures['mutants']} mutants (seed {figures.get('seed')}) in {figures.get('wall_s') or 0:.0f} s; "
             f"load average {figures.get('load_start')} at the start, {figures.get('load_end')} at the end "
             f"on {figures.get('cpus')} CPUs",
             ]
    for shard in figures.get("shards", []):
        lines.append(f"  shard {shard['file']}: mutants from {shard['first']}, {shard['mutants']} read in {shard['wall_s']} s, "
                     f"{shard['jobs']} at a time")
    lines += ["", f"{'format':<10}" + "".join(f"{s:>14}" for s in statuses)]
    for fmt, counts in figures["by_format"].items():
        lines.append(f"{fmt:<10}" + "".join(f"{counts.get(s, 0):>14}" for s in statuses))
    lines.append(f"{'all':<10}" + "".join(f"{figures['counts'].get(s, 0):>14}" for s in statuses))
    lines += ["", f"crashes {figures['crashes']}, hangs {figures['hangs']}, timeouts {figures['timeouts']}; "
              f"peak RSS {figures['peak_rss_mb']:.0f} MB; slowest {figures['slowest_s']:.1f} s wall, "
              f"{figures['slowest_cpu_s']:.1f} s CPU"]
    for o in figures["problems"]:
        lines += ["", f"-- mutant {o['index']} ({o['fmt']}): {o['status']} after {o['seconds']:.1f} s wall, "
                  f"{o['cpu_s']:.1f} s CPU, {o['peak_rss_mb']:.0f} MB", o["detail"]]
    lines += ["", "slowest by CPU time: " + ", ".join(
        f"mutant {o['index']} ({o['fmt']}, {o['status']}) {o['cpu_s']:.1f} s CPU / {o['seconds']:.1f} s wall"
        for o in figures["slowest"])]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cpu-limit", type=float, default=30.0, help="CPU seconds per mutant (over it: a hang)")
    ap.add_argument("--time-limit", type=float, default=120.0,
                    help="wall seconds per mutant (read_report's timeout; the child is killed 5 s later)")
    ap.add_argument("--mem-limit-mb", type=int, default=1536, help="address-space limit of each child")
    ap.add_argument("--jobs", type=int, default=1, help="children reading at the same time (the figures do not depend on it)")
    ap.add_argument("--json", metavar="FILE", default=str(RESULTS / "fuzz.json"), help="where the figures go (JSON)")
    ap.add_argument("--save-dir", metavar="DIR", help="write the bytes of each crash, hang or timeout mutant here")
    ap.add_argument("--first", type=int, default=0, help="skip the mutants before this one (a shard of a long run)")
    ap.add_argument("--merge", nargs="+", metavar="FILE", help="merge the JSON files of shards of one run instead of running")
    args = ap.parse_args()
    if args.merge:
        parts = [json.loads(Path(f).read_text(encoding="utf-8")) for f in args.merge]
        summary = Summary([o for p in parts for o in Summary.from_figures(p).outcomes])
        summary.outcomes.sort(key=lambda o: o.index)
        first = parts[0]
        figures = {**{k: first.get(k) for k in ("seed", "cpu_limit_s", "time_limit_s", "mem_limit_mb", "cpus")},
                   **summary.figures(), "wall_s": max(p.get("wall_s", 0) for p in parts),
                   "load_start": " / ".join(str(p.get("load_start")) for p in parts),
                   "load_end": " / ".join(str(p.get("load_end")) for p in parts),
                   "shards": [{"file": f, "first": p.get("first", 0), "mutants": p["mutants"], "wall_s": p.get("wall_s"),
                               "jobs": p.get("jobs")} for f, p in zip(args.merge, parts, strict=True)]}
        _write(figures, Path(args.json))
        return
    t0 = time.monotonic()
    load_start = _load()
    summary = run_fuzz(args.mutants, args.seed, time_limit=args.time_limit, mem_limit_mb=args.mem_limit_mb,
                       cpu_limit=args.cpu_limit, jobs=args.jobs, progress=True, first=args.first,
                       save_dir=Path(args.save_dir) if args.save_dir else None)
    figures = {**summary.figures(), "seed": args.seed, "wall_s": round(time.monotonic() - t0, 1),
               "cpu_limit_s": args.cpu_limit, "time_limit_s": args.time_limit, "jobs": args.jobs, "first": args.first, "mem_limit_mb": args.mem_limit_mb,
               "load_start": load_start, "load_end": _load(), "cpus": os.cpu_count()}
    _write(figures, Path(args.json))


def _write(figures: dict, out: Path) -> None:
    print(report(figures))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nfigures written to {out}")


if __name__ == "__main__":
    main()
