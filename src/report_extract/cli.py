"""The ``report-extract`` command line.

``report-extract FILES_OR_DIRS... -o OUTDIR`` reads every report and writes the dataset (the
default command, ``extract``); ``report-extract show FILE`` prints one report readably;
``report-extract dictionary`` prints the data dictionary. Failures are one line each, never a
traceback; the exit status is non-zero only when nothing could be read (or the command is wrong).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
import pandas as pd

from . import __version__
from .writers.fields import table_specs

EXIT_NOTHING_READ = 1
EXIT_USAGE = 2


class _DefaultGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to ``extract``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["extract", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="report-extract")
def main() -> None:
    """Turn government information-disclosure annual reports (政府信息公开工作年度报告) into data.

    \b
    report-extract FILES_OR_DIRS... -o OUTDIR [--to csv,xlsx,sqlite,...]
    report-extract show FILE [--labels zh] [--json | --csv --tables T]
    report-extract dictionary
    """


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"report-extract: error: {message}", err=True)
    sys.exit(code)


def _read_list(path: str) -> list[str]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        _fail(f"{path}: cannot read the list ({exc.strerror or exc})")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


_TABLE_NAMES = tuple(table_specs())


def _parse_tables(spec: str | None) -> list[str] | None:
    """``--tables a,b`` -> table names (None: all); fails with the list of tables on an unknown one."""
    if spec is None:
        return None
    names = [t.strip() for t in spec.split(",") if t.strip()]
    unknown = [t for t in names if t not in _TABLE_NAMES]
    if unknown or not names:
        _fail(f"unknown table {', '.join(unknown) or '(none given)'} in --tables; choose from {', '.join(_TABLE_NAMES)}")
    return names


@main.command("extract")
@click.argument("inputs", nargs=-1, metavar="FILES_OR_DIRS...")
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False), help="Folder to write the dataset into.")
@click.option("--from-list", "from_list", metavar="FILE", help="Read input paths from FILE, one per line ('-' for stdin).")
@click.option("--to", "formats", default="csv", show_default=True, metavar="FORMATS",
              help="Comma-separated output formats: csv, parquet, xlsx, jsonl, sqlite, datapackage.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes (0: one per CPU).")
@click.option("--timeout", type=click.FloatRange(min=0), default=300.0, show_default=True,
              help="Seconds allowed per file (0: no limit); a file over the limit becomes an error row 'timeout'.")
@click.option("--resume", is_flag=True, help="Reuse results cached in OUTDIR/.cache: only new or changed files are read.")
@click.option("--no-cache", is_flag=True, help="Do not write the result cache (OUTDIR/.cache).")
@click.option("--bom", "--excel-bom", "bom", is_flag=True, help="Write CSVs with a UTF-8 BOM (for Excel on Windows).")
@click.option("--engine", type=click.Choice(["processes", "dask"]), default="processes", show_default=True,
              help="Worker processes on this machine, or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (tcp://host:port); default a local cluster.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: when stderr is a terminal).")
@click.option("-q", "--quiet", is_flag=True, help="Print only fatal errors (no per-file lines, no summary).")
@click.option("--cross-year/--no-cross-year", default=True, show_default=True,
              help="Settle ambiguous glued runs with the same publisher's adjacent-year reports in the run.")
@click.option("--labels", type=click.Choice(["zh"]), default=None, help="zh: Chinese column headers in the XLSX.")
@click.option("--tables", "tables", metavar="TABLES", default=None,
              help="Comma-separated tables to write (default all): " + ", ".join(_TABLE_NAMES) + ".")
def extract(inputs, outdir, from_list, formats, jobs, timeout, resume, no_cache, bom, engine, scheduler, progress, quiet, cross_year,
            labels, tables) -> None:
    """Read reports (files, folders, glob patterns) and write the dataset into OUTDIR.

    Every run writes OUTDIR/manifest.json; files an earlier run listed there and this run did not
    write are removed (other files are never touched)."""
    from . import batch
    from .api import combine, expand_paths
    from .writers import check_formats

    try:  # every writer's dependency, before any file is read
        fmts = check_formats(formats)
    except (ValueError, RuntimeError) as exc:
        _fail(str(exc))
    chosen = _parse_tables(tables)
    items = list(inputs) + (_read_list(from_list) if from_list else [])
    if not items:
        _fail("no input: give files, folders or glob patterns, or --from-list FILE")
    files = expand_paths(items)
    if not files:
        _fail("no report files found in the inputs", EXIT_NOTHING_READ)
    out = Path(outdir)
    if progress is None:
        progress = sys.stderr.isatty() and not quiet
    try:
        out.mkdir(parents=True, exist_ok=True)
        if engine == "dask":
            results = batch.run_dask(files, scheduler, jobs or None, progress=progress)
        else:
            results = batch.run(
                files, jobs or None, timeout=timeout or None,
                cache_dir=None if no_cache else out / ".cache", reuse_cache=resume, progress=progress,
            )
        rs = combine(results, cross_year=cross_year)
        written = rs.write(out, fmts, bom=bom, labels=labels, tables=chosen)
    except KeyboardInterrupt:
        _fail("interrupted; rerun with --resume to continue where it stopped", 130)
    except (OSError, RuntimeError, ValueError) as exc:
        _fail(str(exc))
    except Exception as exc:  # never a traceback
        _fail(f"internal error: {type(exc).__name__}: {exc} (please report it)")
    n_ok, n_bad = len(rs.reports), len(rs.errors)
    if not quiet:
        for path, code, reason in zip(rs.errors["path"], rs.errors["error"], rs.errors["reason"]):
            click.echo(f"{path}: {code}: {reason}", err=True)
        removed = getattr(written, "removed", [])
        if removed:
            click.echo(f"removed {len(removed)} files of an earlier run not written this time: "
                       + ", ".join(p.name for p in removed), err=True)
        click.echo(f"read {n_ok} of {len(files)} files ({n_bad} failed); wrote {len(written)} files to {out}", err=True)
    if n_ok == 0:
        sys.exit(EXIT_NOTHING_READ)


def _table_text(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "  (not printed)"
    shown = frame.copy()
    for col in shown.columns:
        shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else (f"{v:g}" if isinstance(v, float) else str(v)))
    return shown.to_string(na_rep="")


@main.command("show")
@click.argument("file")
@click.option("--format", "fmt", default=None, help="Force the input format (text, html, pdf, docx, ...).")
@click.option("--labels", type=click.Choice(["zh"]), default=None, help="zh: print the tables with Chinese row and column labels.")
@click.option("--json", "as_json", is_flag=True, help="Print the report's dataset tables as one JSON object to stdout.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one table as CSV to stdout (the one --tables names; default cells).")
@click.option("--tables", "tables", metavar="TABLES", default=None,
              help="Comma-separated tables for --json/--csv (default all / cells), or template tables to print.")
def show(file: str, fmt: str | None, labels: str | None, as_json: bool, as_csv: bool, tables: str | None) -> None:
    """Print one report: metadata, the three tables, failed checks and issues (or --json / --csv)."""
    from .api import read_report
    from .errors import ReportError
    from .publishers import publisher_info

    if Path(file).is_dir():
        _fail(f"{file} is a folder; show reads one file. For a folder: report-extract {file} -o OUTDIR", EXIT_USAGE)
    if as_json and as_csv:
        _fail("choose one of --json and --csv")
    chosen = _parse_tables(tables)
    try:
        r = read_report(file, format=fmt)
    except ReportError as exc:
        _fail(str(exc), EXIT_NOTHING_READ)
    except (OSError, ValueError) as exc:
        _fail(f"{file}: {exc}", EXIT_NOTHING_READ)
    if as_json or as_csv:
        _show_data(file, r, chosen, as_json)
        return
    m = r.meta
    pub = publisher_info(m.get("agency"), m.get("year"))
    lines = [
        f"file:       {file}",
        f"title:      {m.get('title') or ''}",
        f"agency:     {m.get('agency') or ''}  (level {pub['level'] or '?'}, {pub['body'] or '?'})",
        f"division:   {pub['division_code'] or ''} {pub['division_name'] or ''} [{pub['division_status']}"
        + (f", vintage {pub['division_vintage']}" if pub["division_vintage"] else "") + "]",
        f"year:       {m.get('year') or ''}",
        f"template:   {m.get('template')}",
        f"format:     {m.get('source_format')}",
        f"cells:      {len(r.cells)} ({int(r.cells['value'].notna().sum()) if len(r.cells) else 0} with values)",
    ]
    pd.set_option("display.width", 250)
    for name, title in (("proactive", "二、主动公开政府信息情况"), ("requests", "三、收到和处理政府信息公开申请情况"),
                        ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况")):
        if chosen is None or name in chosen:
            lines += ["", f"{title} ({name})", _table_text(r.table(name, labels=labels))]
    failed = r.failed_checks
    lines += ["", f"failed checks: {len(failed)}"]
    if failed:
        sub = r.checks[r.checks["check"].isin(failed)]
        for c, e, a in zip(sub["check"], sub["expected"], sub["actual"]):
            lines.append(f"  {c}: printed {e:g}, parts sum to {a:g}")
    lines += ["", f"issues: {len(r.issues)}"]
    for code, sev, msg in zip(r.issues["code"], r.issues["severity"], r.issues["message"]):
        lines.append(f"  [{sev}] {code}: {msg}")
    click.echo("\n".join(lines))


def _show_data(file: str, report, tables: list[str] | None, as_json: bool) -> None:
    """``show --json`` (every table, or those chosen, as one JSON object) or ``show --csv`` (one table)."""
    import json

    from .api import combine
    from .writers.csv import frame_to_csv_bytes
    from .writers.jsonl import json_number

    if not as_json and tables is not None and len(tables) != 1:
        _fail("--csv prints one table: name it with --tables (e.g. --tables requests), or use --json")
    rs = combine([(file, report, None)], cross_year=False)
    frames = rs.frames(tables=tables if tables is not None else (None if as_json else ["cells"]))
    if as_json:
        data = {name: [dict(zip(frame.columns, map(json_number, row))) for row in frame.itertuples(index=False, name=None)]
                for name, frame in frames.items()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        (frame,) = frames.values()
        click.echo(frame_to_csv_bytes(frame).decode("utf-8"), nl=False)


@main.command("dictionary")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
def dictionary(output: str | None) -> None:
    """Print the data dictionary (every table, row, column, check family and output column)."""
    from .dictionary import data_dictionary

    text = data_dictionary()
    if output:
        from .writers import atomic_write_bytes

        atomic_write_bytes(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["main"]
