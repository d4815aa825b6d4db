"""The ``report-extract`` entry point: answers ``--version``, ``dictionary`` and ``-h`` (of the
program and of each command) before loading anything.

The help texts are click's own, shipped in ``data/cli-help.txt`` (:func:`report_extract.cli.help_texts`
makes them; a test keeps the copy equal); they are printed only when click would wrap them the
same way (a terminal at least 80 columns wide, or no terminal). Everything else goes to the click
command line in :mod:`report_extract.cli` (click, then the pipeline and pandas only inside the
commands that use them).
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
    if args and args[-1] in _HELP and len(args) <= 2:
        text = _shipped_help(args[0] if len(args) == 2 else "")
        if text is not None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
    from .cli import main as cli

    cli.main(args=args, prog_name="report-extract")


_HELP = ("-h", "--help")
_HELP_WIDTH = 80  # = report_extract.cli.HELP_WIDTH


def _columns() -> int:
    """The terminal width click's help formatter sees (:func:`shutil.get_terminal_size`'s rules,
    without importing shutil)."""
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _shipped_help(command: str) -> str | None:
    """The shipped help of ``command`` (``""``: the program), or None when click must make it
    (unknown command, narrow terminal, no shipped copy)."""
    if _columns() < _HELP_WIDTH:
        return None
    import os

    path = os.path.join(os.path.dirname(__file__), "data", "cli-help.txt")
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            entries = fh.read().split("\f")  # = report_extract.cli.HELP_SEPARATOR
    except (OSError, UnicodeDecodeError):
        return None
    for entry in entries:
        name, _, text = entry.partition("\n")
        if name == command:
            return text
    return None


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
