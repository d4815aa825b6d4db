"""The ``report-extract`` entry point: answers ``--version`` and ``dictionary`` before loading anything.

Everything else goes to the click command line in :mod:`report_extract.cli` (click, then the
pipeline and pandas only inside the commands that use them).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Run ``report-extract`` with ``argv`` (default ``sys.argv[1:]``)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:
        from .version import __version__

        sys.stdout.write(f"report-extract, version {__version__}\n")  # as click's version option prints it
        return
    if args == ["dictionary"]:
        sys.stdout.write(_shipped_dictionary())
        sys.stdout.flush()
        return
    from .cli import main as cli

    cli.main(args=args, prog_name="report-extract")


def _shipped_dictionary() -> str:
    """The data dictionary shipped in the package (a test keeps it equal to the generated one)."""
    import os

    path = os.path.join(os.path.dirname(__file__), "data", "data-dictionary.md")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    from importlib import resources  # an install that is not plain files (a zip)

    return resources.files("report_extract.data").joinpath("data-dictionary.md").read_text(encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    main()
