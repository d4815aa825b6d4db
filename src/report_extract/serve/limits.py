"""The per-file memory limit of the web app's worker processes.

Each upload is read in worker processes (:mod:`report_extract.batch`, which also enforces the
time limit). :func:`read_limited` caps the worker's address space at what it uses when it starts
plus ``memory_bytes`` (``RLIMIT_AS``; on systems without :mod:`resource` the cap is not applied),
so one pathological file cannot take the machine's memory: it fails with ``memory_limit`` and the
worker stays usable for the next file.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable
from pathlib import Path

from ..batch import Result

_applied: set[int] = set()  # memory caps already set in this process


def _address_space() -> int | None:
    """This process's current virtual memory size in bytes (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def cap_memory(memory_bytes: int) -> bool:
    """Cap this process's address space at its current size plus ``memory_bytes`` (once per
    process); False when the system cannot."""
    if memory_bytes in _applied:
        return True
    try:
        import resource
    except ImportError:
        return False
    now = _address_space()
    if now is None:
        return False
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + memory_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        return False
    _applied.add(memory_bytes)
    return True


def read_limited(path: str, read_one: Callable[[str], Result], memory_bytes: int | None) -> Result:
    """``read_one(path)`` in this worker with its memory capped (see the module's docstring)."""
    if memory_bytes and multiprocessing.parent_process() is not None:  # never the server's own process
        cap_memory(memory_bytes)
    try:
        result = read_one(path)
    except MemoryError:
        result = (path, None, {"path": path, "error": "memory_limit", "reason": "MemoryError"})
    _path, rep, err = result
    if err is not None and str(err.get("reason", "")).startswith("MemoryError"):
        err = {**err, "error": "memory_limit",
               "reason": f"reading the file needed more than {memory_bytes} bytes of memory" if memory_bytes else err["reason"]}
    gc.collect()
    return _path, rep, err
