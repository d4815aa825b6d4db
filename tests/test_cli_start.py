"""A cheap start: ``--version``, ``-h`` and ``dictionary`` load neither pandas nor the readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from report_extract import api, cli
from report_extract.dictionary import data_dictionary
from report_extract.launch import main as launch

SRC = str(Path(__file__).resolve().parents[1] / "src")
HEAVY = ("pandas", "numpy", "lxml", "report_extract.readers", "report_extract.api", "report_extract.pipeline")

_PROBE = """
import contextlib, io, json, sys
args = json.loads(sys.argv[1])
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        if args[0] == "launch":
            from report_extract.launch import main
            main(args[1:])
        else:
            from report_extract.cli import main
            main.main(args=args[1:], prog_name="report-extract")
    except SystemExit as exc:
        assert not exc.code, exc.code
print(json.dumps({"out": out.getvalue(), "loaded": sorted(m for m in sys.modules if m in json.loads(sys.argv[2]))}))
"""


def _probe(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(list(args)), json.dumps(HEAVY)],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "args",
    [("launch", "--version"), ("launch", "dictionary"), ("cli", "--version"), ("cli", "-h"), ("launch", "-h")],
)
def test_start_loads_no_pandas_nor_readers(args):
    result = _probe(*args)
    assert result["out"].strip()  # it printed its answer
    assert result["loaded"] == [], f"{args} imported {result['loaded']}"


def test_fast_version_prints_what_click_prints(capsys):
    launch(["--version"])
    fast = capsys.readouterr().out
    assert fast == CliRunner().invoke(cli.main, ["--version"]).output
    assert fast.startswith("report-extract, version ")


def test_fast_dictionary_is_the_generated_dictionary(capsys):
    launch(["dictionary"])
    assert capsys.readouterr().out == data_dictionary()


def test_launch_hands_other_commands_to_click(tmp_path):
    target = tmp_path / "dd.md"
    with pytest.raises(SystemExit) as exc:
        launch(["dictionary", "-o", str(target)])
    assert exc.value.code == 0
    assert target.read_text(encoding="utf-8") == data_dictionary()


def test_cli_default_jobs_is_the_api_default():
    assert cli.DEFAULT_JOBS == api.DEFAULT_JOBS


def test_package_attributes_load_on_demand():
    import report_extract as rx

    assert rx.read_report is api.read_report
    assert set(rx.__all__) <= set(dir(rx))
    with pytest.raises(AttributeError):
        rx.no_such_name  # noqa: B018


def _probe_env(columns: int, *args: str, modules: tuple[str, ...] = HEAVY) -> dict:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "COLUMNS": str(columns)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(list(args)), json.dumps(list(modules))],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("args", [["-h"], ["--help"], *([name, "-h"] for name in sorted(cli.main.commands))])
def test_fast_help_prints_what_click_prints(args):
    fast = _probe_env(120, "launch", *args, modules=("click",))
    slow = _probe_env(120, "cli", *args)
    assert fast["out"] == slow["out"]
    assert fast["out"].startswith("Usage: report-extract")
    assert fast["loaded"] == []  # not even click


def test_shipped_help_is_the_generated_help():
    shipped = Path(cli.__file__).parent / "data" / "cli-help.txt"
    assert shipped.read_text(encoding="utf-8") == cli.shipped_help_file(cli.help_texts()), (
        "regenerate with: PYTHONPATH=src python -m report_extract.cli write-help")


def test_narrow_terminal_help_is_clicks_own():
    fast = _probe_env(60, "launch", "extract", "-h", modules=("click",))
    assert fast["out"] == _probe_env(60, "cli", "extract", "-h")["out"]
    assert fast["loaded"] == ["click"]  # made by click, for this width
    assert max(len(line) for line in fast["out"].splitlines()) <= 60
