"""A per-call time limit for reading one report, in the calling process.

:func:`time_limit` sets a deadline for the code inside it. Two mechanisms enforce it:

* a cooperative deadline (a context variable) that the pipeline checks between its steps and the
  readers between pages (:func:`check`), so it works in any thread;
* in the main thread of a Unix process whose ``SIGALRM`` is not used by anyone else, a real
  timer (``signal.setitimer``) that interrupts pure-Python loops between two checks.

Either raises :class:`~report_extract.errors.ReadTimeoutError` naming the file.
"""

from __future__ import annotations

import contextlib
import contextvars
import signal
import threading
import time
from collections.abc import Iterator

from .errors import ReadTimeoutError

_DEADLINE: contextvars.ContextVar[tuple[float, float, str | None] | None] = contextvars.ContextVar("report_deadline", default=None)


def _error(seconds: float, path: str | None) -> ReadTimeoutError:
    return ReadTimeoutError(path, f"reading took longer than the timeout of {seconds:g} s (ReadOptions.timeout; None for no limit)")


def check() -> None:
    """Raise :class:`ReadTimeoutError` when the current deadline has passed (no-op without one)."""
    d = _DEADLINE.get()
    if d is not None and time.monotonic() > d[0]:
        raise _error(d[1], d[2])


def _can_alarm() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


@contextlib.contextmanager
def time_limit(seconds: float | None, path: str | None = None) -> Iterator[None]:
    """Run the body with a deadline ``seconds`` from now (None: no limit; an outer, nearer
    deadline is kept)."""
    if seconds is None:
        yield
        return
    end = time.monotonic() + seconds
    outer = _DEADLINE.get()
    if outer is not None and outer[0] <= end:
        yield
        return
    token = _DEADLINE.set((end, seconds, path))
    alarm = _can_alarm()
    if alarm:
        def on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
            raise _error(seconds, path)

        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        _DEADLINE.reset(token)


__all__ = ["time_limit", "check"]
