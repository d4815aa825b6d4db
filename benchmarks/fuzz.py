"""Bounded fuzzing of read_report: mutants of generated reports in every format, each read in a
forked child process with a memory limit (``RLIMIT_AS``) and a wall-time limit.

Every mutant ends as one of:

* ``result``: a Report;
* ``report_error``: a :class:`~report_extract.errors.ReportError` (the expected refusal);
* ``crash``: any other exception, or the child dying (a signal, the memory limit) — a bug;
* ``hang``: the child still running at the time limit (killed) — a bug.

The peak RSS of each child comes from ``wait4``. ``tests/test_fuzz.py`` runs a small fixed
budget; ``python benchmarks/fuzz.py --mutants 2000`` the long run, printing the figures::

    PYTHONPATH=src python benchmarks/fuzz.py --mutants 2000 --seed 1

Linux/Unix only (``os.fork``, ``resource``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import select
import signal
import sys
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

FORMATS = ("text", "flat", "html", "divgrid", "pdf", "docx", "xlsx", "xls")


def seeds(n_per_format: int = 2) -> list[tuple[str, bytes]]:
    """Generated reports: ``(format, bytes)`` for every renderer of report_synth."""
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
                out.append((fmt, render(rep)))
            except ImportError:  # an optional renderer dependency (xlwt, reportlab)
                continue
    return out


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
            dst.writestr(n, bytes(body))
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
    status: str  # result, report_error, crash, hang
    seconds: float
    peak_rss_mb: float
    detail: str = ""


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

    def figures(self) -> dict:
        return {
            "mutants": len(self.outcomes),
            "counts": dict(self.counts),
            "crashes": self.counts.get("crash", 0),
            "hangs": self.counts.get("hang", 0),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "slowest_s": round(self.slowest, 2),
            "by_format": {f: dict(Counter(o.status for o in self.outcomes if o.fmt == f)) for f in sorted({o.fmt for o in self.outcomes})},
            "problems": [o.__dict__ for o in self.outcomes if o.status in ("crash", "hang")][:20],
        }


def _vsize() -> int:
    """This process's virtual size in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(data: bytes, fmt: str, write_fd: int, mem_limit: int, time_limit: float) -> None:
    """In the forked child: read the mutant and write one JSON line; never returns."""
    status, detail = "crash", ""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_vsize() + mem_limit,) * 2)  # room beyond what the fork shares
        import report_extract as rx
        from report_extract.errors import ReportError

        file_format = {"flat": "text", "divgrid": "html"}.get(fmt)
        try:
            rx.read_report(data, file_format, timeout=time_limit)
            status = "result"
        except ReportError as exc:
            status, detail = "report_error", exc.code
        except BaseException as exc:  # noqa: BLE001 - a crash is what the fuzzer looks for
            status, detail = "crash", f"{type(exc).__name__}: {exc}"[:300] + " | " + traceback.format_exc(limit=-3)[-600:]
    finally:
        try:
            os.write(write_fd, json.dumps({"status": status, "detail": detail}).encode() + b"\n")
        finally:
            os._exit(0)


def run_one(fmt: str, data: bytes, *, time_limit: float = 30.0, mem_limit_mb: int = 1536) -> Outcome:
    """Read one mutant in a forked child under the limits (the child's own deadline is
    ``time_limit``; the parent kills it at ``time_limit + 5`` s: a hang)."""
    r, w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _child(data, fmt, w, mem_limit_mb * 1024 * 1024, time_limit)
    os.close(w)
    chunks = []
    hang = False
    deadline = t0 + time_limit + 5
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            hang = True
            os.kill(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([r], [], [], left)
        if ready:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(r)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - t0
    rss = usage.ru_maxrss / 1024  # KiB on Linux
    if hang:
        return Outcome(fmt, "hang", seconds, rss, f"still running after {time_limit + 5:g} s")
    try:
        msg = json.loads(b"".join(chunks).decode())
    except ValueError:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        return Outcome(fmt, "crash", seconds, rss, f"the child died (signal {sig}, status {status})")
    return Outcome(fmt, msg["status"], seconds, rss, msg["detail"])


def run_fuzz(mutants: int, seed: int = 0, *, time_limit: float = 30.0, mem_limit_mb: int = 1536,
             progress: bool = False) -> Summary:
    """Read ``mutants`` mutants (round-robin over the formats' seeds) and summarise the outcomes."""
    import report_extract  # noqa: F401 - imported once, shared by every forked child
    import report_extract.readers.builtin  # noqa: F401

    rng = random.Random(seed)
    pool = seeds()
    summary = Summary()
    for k in range(mutants):
        fmt, data = pool[k % len(pool)]
        outcome = run_one(fmt, mutate(fmt, data, rng), time_limit=time_limit, mem_limit_mb=mem_limit_mb)
        summary.outcomes.append(outcome)
        if progress and outcome.status in ("crash", "hang"):
            print(f"mutant {k} ({fmt}): {outcome.status}: {outcome.detail[:800]}", file=sys.stderr, flush=True)
        if progress and (k + 1) % 100 == 0:
            print(f"{k + 1} mutants: {dict(summary.counts)}, peak RSS {summary.peak_rss_mb:.0f} MB, "
                  f"slowest {summary.slowest:.1f} s", file=sys.stderr, flush=True)
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=30.0, help="seconds per mutant (read_report's timeout)")
    ap.add_argument("--mem-limit-mb", type=int, default=1536, help="address-space limit of each child")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args()
    t0 = time.monotonic()
    summary = run_fuzz(args.mutants, args.seed, time_limit=args.time_limit, mem_limit_mb=args.mem_limit_mb, progress=True)
    figures = {**summary.figures(), "wall_s": round(time.monotonic() - t0, 1)}
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(figures, fh, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
