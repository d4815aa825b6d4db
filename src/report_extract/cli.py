"""The ``report-extract`` command line.

``report-extract FILES_OR_DIRS... -o OUTDIR`` reads every report and writes the dataset (the
default command, ``extract``); ``report-extract show FILE`` prints one report readably;
``report-extract dictionary`` prints the data dictionary. Failures are one line each, never a
traceback; the exit status is non-zero only when nothing could be read (or the command is wrong).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .options import DEFAULT_JOBS, DEFAULT_OPTIONS, FORMATS
from .schema import TEMPLATES
from .version import __version__

if TYPE_CHECKING:
    import pandas as pd

# Kept cheap: ``--version``, ``-h`` and ``dictionary`` import neither pandas nor the readers (the
# pipeline, the writers and pandas are imported inside the commands that use them).

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
    report-extract compare OUTDIR_OR_FILES... -o report.html [--year Y] [--level L] [--parent NAME] [--indicator CODE]
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


def _options(fmt: str | None, template: str | None, max_bytes: int | None, timeout: float | None, settings: tuple[str, ...]):
    """The :class:`ReadOptions` of the command line: ``--set KEY=VALUE`` pairs, then the named flags."""
    from .options import ReadOptions, parse_setting

    flat = {}
    for item in settings:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(f"--set {item!r}: expected KEY=VALUE (e.g. --set pdf.snap=2.5)")
        try:
            flat[key.strip()] = parse_setting(key.strip(), value)
        except ValueError as exc:
            _fail(f"--set {item!r}: {exc}")
    named = {"format": fmt, "template": template, "max_bytes": max_bytes}
    flat.update({k: v for k, v in named.items() if v is not None})
    if timeout is not None:
        flat["timeout"] = timeout or None  # 0: no limit
    try:
        return ReadOptions.from_flat(flat)
    except ValueError as exc:
        _fail(str(exc))


def _table_names() -> tuple[str, ...]:
    from .writers.fields import table_specs

    return tuple(table_specs())


class _TablesOption(click.Option):
    """``--tables``, whose help lists the dataset tables only when help is shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = _TABLES_HELP + ": " + ", ".join(_table_names()) + "."
        return super().get_help_record(ctx)


_TABLES_HELP = "Comma-separated tables to write (default all)"


def _parse_tables(spec: str | None) -> list[str] | None:
    """``--tables a,b`` -> table names (None: all); fails with the list of tables on an unknown one."""
    if spec is None:
        return None
    names = [t.strip() for t in spec.split(",") if t.strip()]
    known = _table_names()
    unknown = [t for t in names if t not in known]
    if unknown or not names:
        _fail(f"unknown table {', '.join(unknown) or '(none given)'} in --tables; choose from {', '.join(known)}")
    return names


@main.command("extract")
@click.argument("inputs", nargs=-1, metavar="FILES_OR_DIRS...")
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False), help="Folder to write the dataset into.")
@click.option("--from-list", "from_list", metavar="FILE", help="Read input paths from FILE, one per line ('-' for stdin).")
@click.option("--to", "formats", default="csv", show_default=True, metavar="FORMATS",
              help="Comma-separated output formats: csv, parquet, xlsx, jsonl, sqlite, datapackage.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=DEFAULT_JOBS, show_default=True, help="Worker processes (0: one per CPU).")
@click.option("--timeout", type=click.FloatRange(min=0), default=None,
              help=f"Seconds allowed per file (default {DEFAULT_OPTIONS.timeout:g}; 0: no limit); a file over the limit becomes an error row 'timeout'.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Read every input as this format (default: sniffed per file).")
@click.option("--template", type=click.Choice(TEMPLATES), default=None, help="Force this template (default: detected per file).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help=f"Refuse files larger than this many bytes (default {DEFAULT_OPTIONS.max_bytes}).")
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="Any reading setting of ReadOptions, e.g. --set pdf.snap=2.5 --set match.match_threshold=0.8 (repeatable).")
@click.option("--region", default=None, metavar="NAMES",
              help="Province/city/county the publishers sit in (e.g. 广东): settles names several divisions bear (= --set publisher.region=NAMES).")
@click.option("--resume", is_flag=True, help="Reuse results cached in OUTDIR/.cache: only new or changed files are read.")
@click.option("--no-cache", is_flag=True, help="Do not write the result cache (OUTDIR/.cache).")
@click.option("--bom", "--excel-bom", "bom", is_flag=True, help="Write CSVs with a UTF-8 BOM (for Excel on Windows).")
@click.option("--safe-text/--no-safe-text", "safe_text", default=True, show_default=True,
              help="In CSV/XLSX, prefix texts starting with = + - @ (a spreadsheet formula) with an apostrophe.")
@click.option("--engine", type=click.Choice(["processes", "dask"]), default="processes", show_default=True,
              help="Worker processes on this machine, or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (tcp://host:port); default a local cluster.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: when stderr is a terminal).")
@click.option("-q", "--quiet", is_flag=True, help="Print only fatal errors (no per-file lines, no summary).")
@click.option("--cross-year/--no-cross-year", default=True, show_default=True,
              help="Settle ambiguous glued runs with the same publisher's adjacent-year reports in the run.")
@click.option("--labels", type=click.Choice(["zh"]), default=None, help="zh: Chinese column headers in the XLSX.")
@click.option("--tables", "tables", metavar="TABLES", default=None, cls=_TablesOption,
              help=_TABLES_HELP + ".")
def extract(inputs, outdir, from_list, formats, jobs, timeout, fmt, template, max_bytes, settings, region, resume, no_cache, bom,
            safe_text, engine, scheduler, progress, quiet, cross_year, labels, tables) -> None:
    """Read reports (files, folders, glob patterns) and write the dataset into OUTDIR.

    Every run writes OUTDIR/manifest.json; files an earlier run listed there and this run did not
    write are removed (other files are never touched)."""
    from .inputs import scan_paths
    from .stream import write_reports
    from .writers import check_formats

    try:  # every writer's dependency, before any file is read
        fmts = check_formats(formats)
    except (ValueError, RuntimeError) as exc:
        _fail(str(exc))
    options = _options(fmt, template, max_bytes, timeout, settings + ((f"publisher.region={region}",) if region else ()))
    chosen = _parse_tables(tables)
    items = list(inputs) + (_read_list(from_list) if from_list else [])
    if not items:
        _fail("no input: give files, folders or glob patterns, or --from-list FILE")
    scan = scan_paths(items)
    files = scan.files
    if not files:
        _fail("no report files found in the inputs", EXIT_NOTHING_READ)
    out = Path(outdir)
    if progress is None:
        progress = sys.stderr.isatty() and not quiet
    try:
        out.mkdir(parents=True, exist_ok=True)
        rs = write_reports(  # streamed: memory does not grow with the batch
            items, out, fmts, options, jobs=jobs, cache_dir=None if no_cache else out / ".cache", resume=resume,
            engine=engine, scheduler=scheduler, progress=progress, cross_year=cross_year,
            bom=bom, labels=labels, tables=chosen, safe_text=safe_text,
        )
        written = rs.written
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
        click.echo(f"read {n_ok} of {len(files) + len(scan.skipped)} files ({n_bad} failed); wrote {len(written)} files to {out}", err=True)
    if n_ok == 0:
        sys.exit(EXIT_NOTHING_READ)


def _table_text(frame: pd.DataFrame) -> str:
    import pandas as pd

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
@click.option("--region", default=None, metavar="NAMES",
              help="Province/city/county the publisher sits in (e.g. 广东): settles a name several divisions bear.")
def show(file: str, fmt: str | None, labels: str | None, as_json: bool, as_csv: bool, tables: str | None,
         region: str | None) -> None:
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
    pub = publisher_info(m.get("agency"), m.get("year"), region=region or m.get("publisher_region"),
                         text=m.get("publisher_places"))
    lines = [
        f"file:       {file}",
        f"title:      {m.get('title') or ''}",
        f"agency:     {m.get('agency') or ''}  (level {pub['level'] or '?'}, {pub['body'] or '?'})",
        f"division:   {pub['division_code'] or ''} {pub['division_name'] or ''} [{pub['division_status']}"
        + (f", vintage {pub['division_vintage']}" if pub["division_vintage"] else "")
        + (f", by {pub['division_evidence']}" if pub.get("division_evidence") else "") + "]",
        f"year:       {m.get('year') or ''}",
        f"template:   {m.get('template')}",
        f"format:     {m.get('source_format')}",
        f"cells:      {len(r.cells)} ({int(r.cells['value'].notna().sum()) if len(r.cells) else 0} with values)",
    ]
    import pandas as pd

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
    from importlib import resources

    # the shipped copy: a test keeps it equal to dictionary.data_dictionary(), which imports much more
    text = resources.files("report_extract.data").joinpath("data-dictionary.md").read_text(encoding="utf-8")
    if output:
        from .writers import atomic_write_bytes

        atomic_write_bytes(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


# --- compare (issue 16) -------------------------------------------------------------------------
@main.command("compare")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUTS_OR_OUTDIR...")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The report file (report.html); CSVs and chart folders are named after it.")
@click.option("--year", type=int, default=None, help="Rank this year (default: the latest year with values).")
@click.option("--level", type=click.Choice(["province", "city", "county", "township", "department"]), default=None,
              help="Only publishers of this administrative level.")
@click.option("--parent", default=None, metavar="NAME", help="Only publishers under this government (e.g. 芷江侗族自治县).")
@click.option("--indicator", default="denied_share", show_default=True, metavar="CODE",
              help="The indicator to rank (see `report-extract dictionary`).")
@click.option("--to", "formats", default="html", show_default=True, metavar="FORMATS",
              help="Comma-separated: html (the report), csv (summary and comparison tables), png, svg (charts).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes when reading reports.")
def compare_command(inputs, output, year, level, parent, indicator, formats, jobs) -> None:
    """Compare publishers and years: rankings, changes, charts, an HTML report.

    INPUTS_OR_OUTDIR is a folder written by `report-extract ... -o OUTDIR` (its CSVs are read back),
    or report files, folders and glob patterns (read now).
    """
    from .api import read_reports
    from .errors import ReportError
    from .html_report import build_report, parse_output_formats, write_outputs
    from .indicators import indicator_defs
    from .readback import is_outdir, read_outdir

    try:
        fmts = parse_output_formats(formats)
    except ValueError as exc:
        _fail(str(exc))
    if indicator not in indicator_defs():
        _fail(f"unknown indicator {indicator!r}; choose from {', '.join(indicator_defs())}")
    try:
        if len(inputs) == 1 and is_outdir(inputs[0]):
            rs = read_outdir(inputs[0])
        else:
            rs = read_reports(list(inputs), jobs=jobs or None)
        if len(rs.reports) == 0:
            why = "; ".join(f"{p}: {r}" for p, r in zip(rs.errors["path"][:3], rs.errors["reason"][:3]))
            _fail("no report could be read from the inputs" + (f" ({why})" if why else ""), EXIT_NOTHING_READ)
        cmp = build_report(rs, indicator, year, level, parent, with_charts=bool({"html", "png", "svg"} & set(fmts)))
        if cmp.summary.empty:
            s = rs.summary()
            _fail("no publisher matches the filters; in the data: levels "
                  + ", ".join(sorted(str(v) for v in s["level"].dropna().unique()))
                  + "; parents " + ", ".join(sorted(str(v) for v in s["parent"].dropna().unique())[:20]))
        if year is not None and cmp.ranking.empty:
            _fail(f"no report of {year} among the publishers chosen; years: "
                  + ", ".join(str(int(y)) for y in sorted(cmp.summary["year"].dropna().unique())))
        written = write_outputs(cmp, output, fmts)
    except ReportError as exc:
        _fail(str(exc))
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    except Exception as exc:  # never a traceback
        _fail(f"internal error: {type(exc).__name__}: {exc} (please report it)")
    click.echo(f"compared {len(cmp.summary)} publisher-years from {len(rs.reports)} reports; "
               f"wrote {', '.join(str(p) for p in written)}", err=True)


# --------------------------------------------------------------------------------------------
# serve: the local web page (report_extract.serve)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default keeps the page on this computer only).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8765, show_default=True, help="Port to listen on.")
@click.option("--max-files", type=click.IntRange(min=1), default=None, help="Files per upload (ZIP members count one each).")
@click.option("--max-file-mb", type=click.IntRange(min=1), default=None, help="Megabytes per file.")
@click.option("--timeout", type=click.FloatRange(min=1), default=None, help="Seconds allowed for one file.")
@click.option("--max-memory-mb", type=click.IntRange(min=16), default=None, help="Megabytes of memory one file may take.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes per upload.")
def serve(host: str, port: int, max_files: int | None, max_file_mb: int | None, timeout: float | None,
          max_memory_mb: int | None, jobs: int | None) -> None:
    """Start the local web page: drop reports in, see the tables checked, download the data."""
    try:
        import uvicorn

        from .serve import ServeSettings, create_app
        from .serve.settings import MB
    except ImportError as exc:
        _fail(f"the web page needs the 'serve' extra: pip install 'report_extract[serve]' ({exc})")
    given = {"max_files": max_files, "max_file_bytes": max_file_mb * MB if max_file_mb else None,
             "timeout": timeout, "max_memory_bytes": max_memory_mb * MB if max_memory_mb else None, "jobs": jobs}
    settings = ServeSettings(**{k: v for k, v in given.items() if v is not None})
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"report-extract serve: open http://{shown}:{port}/ in your browser (Ctrl+C to stop)", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("warning: listening beyond this computer; anyone who can reach it can upload files", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


# --------------------------------------------------------------------------------------------
# the help texts shipped for a fast ``-h`` (report_extract.launch)

HELP_WIDTH = 80  # click wraps help at min(terminal columns, 80) - 2: the same text on any terminal this wide


def help_texts() -> dict[str, str]:
    """What ``report-extract -h`` and ``report-extract COMMAND -h`` print on a terminal at least
    ``HELP_WIDTH`` columns wide (keyed ``""`` and by command name). :mod:`report_extract.launch`
    prints the shipped copy (``data/cli-help.txt``, :func:`shipped_help_file`; a test keeps it equal; regenerate it with
    ``python -m report_extract.cli write-help``) without importing click."""
    out = {}
    width = HELP_WIDTH - 2
    with click.Context(main, info_name="report-extract", terminal_width=width, **main.context_settings) as ctx:
        out[""] = main.get_help(ctx) + "\n"
        for name, cmd in sorted(main.commands.items()):
            with click.Context(cmd, info_name=name, parent=ctx, terminal_width=width, **cmd.context_settings) as sub:
                out[name] = cmd.get_help(sub) + "\n"
    return out


HELP_SEPARATOR = "\f"  # between entries of data/cli-help.txt; each entry: the command name, a newline, the text


def shipped_help_file(texts: dict[str, str]) -> str:
    """The text of ``data/cli-help.txt`` for ``texts`` (read by :mod:`report_extract.launch`
    without json, which would cost more than the rest of the start)."""
    return HELP_SEPARATOR.join(f"{name}\n{text}" for name, text in sorted(texts.items()))


def _write_help() -> None:
    target = Path(__file__).resolve().parent / "data" / "cli-help.txt"
    target.write_text(shipped_help_file(help_texts()), encoding="utf-8", newline="\n")
    print(f"wrote {target}")


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["write-help"]:
        _write_help()
    else:
        main()

__all__ = ["main", "help_texts"]
