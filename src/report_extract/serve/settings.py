"""The limits of the local web app, in one frozen, validated object."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..options import ReadOptions

MB = 1024 * 1024


@dataclass(frozen=True)
class ServeSettings:
    """Limits applied to every upload.

    ``max_files``: files in one batch (ZIP members count one each); ``max_file_bytes``: one
    uploaded file (or one ZIP member once unpacked); ``max_request_bytes``: the whole request;
    ``max_zip_bytes``: all members of one ZIP once unpacked; ``timeout``: seconds for one file (its
    worker process is killed); ``max_memory_bytes``: memory one file may take in its worker (error
``memory_limit``; see :mod:`.limits`); ``jobs``: worker processes per request; ``keep_batches``: batches
    kept in memory for the comparison view and downloads (the oldest is dropped first);
    ``options``: the :class:`~report_extract.options.ReadOptions` of every read.
    """

    max_files: int = 200
    max_file_bytes: int = 50 * MB
    max_request_bytes: int = 500 * MB
    max_zip_bytes: int = 500 * MB
    timeout: float = 120.0
    max_memory_bytes: int = 2048 * MB
    jobs: int = 2
    keep_batches: int = 8
    options: ReadOptions = field(default_factory=ReadOptions)

    def __post_init__(self) -> None:
        for name in ("max_files", "max_file_bytes", "max_request_bytes", "max_zip_bytes", "max_memory_bytes", "jobs",
                     "keep_batches"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise ValueError(f"{name} must be a positive integer, not {v!r}")
        if not isinstance(self.timeout, int | float) or self.timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds, not {self.timeout!r}")

    def read_options(self) -> ReadOptions:
        """The reading options with this app's per-file size and time limits."""
        return self.options.replace(max_bytes=min(self.options.max_bytes, self.max_file_bytes), timeout=self.timeout)
