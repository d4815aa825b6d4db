"""The per-report cost counted in instructions, not seconds (issue 12).

Usage::

    .venv/bin/python benchmarks/instructions.py [--shared ../shared] [--kinds html docx text glued]
                                                [--base OTHER_CHECKOUT/src] [--passes 3]

Wall-clock ratios (``benchmarks/cost.py``) move with the machine: on a shared machine the same code
gave an HTML ratio of 4.0 in one run and 7.1 in another, with lxml's own parse taking 2.1–3.6 ms a
page between them. The number of instructions a run executes does not move: valgrind's callgrind
tool counts them, the same total for the same binary, inputs and environment whatever else the
machine is doing. So this script counts, per kind of corpus document, the instructions of one pass
of

* ``read_report`` over the documents (warm, as cost.py's figure),
* ``read_document`` (the reader alone, no pipeline after it),
* the bare library call cost.py compares with (``lxml.html.fromstring``, ``docx.Document(path)``),
* for text and glued text, ``read_report`` of another checkout given with ``--base`` (its ``src``
  folder, e.g. the release before issue 12: ``git worktree add /tmp/base a04638c``),

and prints their ratios. Each call is counted in a child Python run twice under callgrind, once
with ``--passes`` passes over the documents (more for a kind of few documents: at least
``--min-reads`` documents read in all, so that where the cyclic garbage collector happens to run
averages out) and once with none; both import everything and make one warm-up pass of every call
first, so the difference divided by the passes is one pass.

Instructions are not time: the Python interpreter retires fewer instructions per cycle than
libxml2's parser, so a wall-clock ratio is higher than the instruction ratio of the same code
(about 1.3–1.5× on the machines seen here). Quote both. Needs ``valgrind`` on the PATH (Debian's
``valgrind`` package); a run takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
CALLS = ("read_report", "read_document", "baseline")
BASE_KINDS = ("text", "glued")  # compared with another checkout's read_report, not a library call
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def collected(valgrind_stderr: str) -> int:
    """The instruction count callgrind prints at exit (``==pid== Collected : N``)."""
    found = _COLLECTED.findall(valgrind_stderr)
    if not found:
        tail = valgrind_stderr.strip().splitlines()[-5:]
        raise RuntimeError("callgrind printed no instruction count:\n" + "\n".join(tail))
    return int(found[-1])


def passes_for(docs: int, passes: int, min_reads: int) -> int:
    """Passes over ``docs`` documents: ``passes``, or more to read at least ``min_reads`` documents."""
    return max(passes, -(-min_reads // max(docs, 1)))


def per_pass(with_passes: int, without: int, passes: int) -> float:
    """Instructions of one pass: the run with ``passes`` passes less the run with none."""
    if passes < 1:
        raise ValueError("passes must be at least 1")
    return (with_passes - without) / passes


def _calls(kind: str, shared: Path, groups: dict[str, list[Path]] | None = None) -> dict:
    """The measured calls of ``kind`` (cost.py's own definitions, so both scripts time the same);
    run with another checkout's ``src`` first on ``sys.path``, they measure that checkout.
    ``groups``: cost.py's corpus groups when the caller has them (sorting reads every document)."""
    import cost

    paths = (cost._groups(shared) if groups is None else groups)[kind]
    calls = {"read_report": cost._read_all(paths), "read_document": cost._read_documents(paths)}
    base = cost._baseline(kind, paths)
    if base is not None:
        calls["baseline"] = base[1]
    return {"docs": len(paths), "baseline": base[0] if base else "", "calls": calls}


def _groups_of(src: Path, shared: Path) -> dict[str, int]:
    """How many corpus documents of each kind the checkout at ``src`` sees (its own reader sorts
    text from glued text), asked of a child Python."""
    code = (
        "import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import cost; "
        "print(json.dumps({k: len(v) for k, v in cost._groups(__import__('pathlib').Path(sys.argv[3])).items()}))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(src), str(HERE), str(shared)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"could not sort the corpus with {src}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def child(kind: str, call: str, passes: int, shared: Path) -> int:
    """Warm every call once, then make ``passes`` passes of ``call`` (run under callgrind)."""
    found = _calls(kind, shared)
    for fn in found["calls"].values():
        fn()
    for _ in range(passes):
        found["calls"][call]()
    return 0


def _count(kind: str, call: str, passes: int, shared: Path, valgrind: str, src: Path = ROOT / "src") -> int:
    cmd = [
        valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, str(Path(__file__).resolve()), "--shared", str(shared), "--src", str(src),
        "--child", kind, call, str(passes),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return collected(done.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--kinds", nargs="*", default=["html", "docx"])
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--min-reads", type=int, default=24, help="documents read in all per counted run, at least")
    ap.add_argument("--base", type=Path, default=None, help="src folder of the checkout to compare text costs with")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "instructions.json")
    ap.add_argument("--src", type=Path, default=ROOT / "src", help=argparse.SUPPRESS)
    ap.add_argument("--child", nargs=3, metavar=("KIND", "CALL", "PASSES"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(args.src))
    if args.child:
        kind, call, passes = args.child
        return child(kind, call, int(passes), args.shared)
    if not (args.shared / "corpus" / "docs").is_dir():
        print(f"no corpus at {args.shared}/corpus/docs", file=sys.stderr)
        return 1
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind is not on the PATH (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1
    result: dict = {
        "passes": args.passes,
        "min_reads": args.min_reads,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "valgrind": subprocess.run([valgrind, "--version"], capture_output=True, text=True).stdout.strip(),
        "kinds": {},
    }
    print(f"{'kind':<6} {'docs':>4} {'call':<14} {'M instr/pass':>13} {'per doc':>9} {'ratio':>6}")
    kinds = [k for k in args.kinds if k not in BASE_KINDS or args.base]
    if len(kinds) < len(args.kinds):
        print(f"without --base, {', '.join(sorted(set(args.kinds) - set(kinds)))} not counted", file=sys.stderr)
    import cost

    groups = cost._groups(args.shared)  # this checkout's, sorted once
    if args.base and any(k in BASE_KINDS for k in kinds):
        ours, theirs = {k: len(v) for k, v in groups.items()}, _groups_of(args.base, args.shared)
        for kind in BASE_KINDS:
            if kind in kinds and ours.get(kind) != theirs.get(kind):
                raise SystemExit(f"{args.base} sorts {theirs.get(kind)} documents as {kind}, this checkout {ours.get(kind)}")
    for kind in kinds:
        found = _calls(kind, args.shared, groups)
        passes = passes_for(found["docs"], args.passes, args.min_reads)
        row: dict = {"docs": found["docs"], "passes": passes, "baseline": found["baseline"], "instructions_per_pass": {}}

        def one_pass(call: str, src: Path = ROOT / "src", kind: str = kind, passes: int = passes) -> float:
            return per_pass(
                _count(kind, call, passes, args.shared, valgrind, src),
                _count(kind, call, 0, args.shared, valgrind, src),
                passes,
            )

        for call in found["calls"]:
            row["instructions_per_pass"][call] = one_pass(call)
        if kind in BASE_KINDS:
            row["baseline"] = f"read_report of {args.base}"
            row["instructions_per_pass"]["baseline"] = one_pass("read_report", args.base)
        counts = row["instructions_per_pass"]
        base = counts.get("baseline")
        if base:
            row["ratio"] = counts["read_report"] / base
            row["reader_ratio"] = counts["read_document"] / base
        for call, n in counts.items():
            ratio = n / base if base else float("nan")
            name = row["baseline"] if call == "baseline" else call
            print(f"{kind:<6} {found['docs']:>4} {name[:14]:<14} {n / 1e6:>13.1f} {n / 1e6 / found['docs']:>9.2f}"
                  f" {ratio:>6.2f}")
        result["kinds"][kind] = row
    from _common import write_result

    write_result(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
