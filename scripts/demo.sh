#!/usr/bin/env bash
# Set up (a virtualenv in .venv with the package) and run the main job on the bundled examples:
# read every report in fixtures/examples into one dataset in out/, then show one report.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e .
.venv/bin/report-extract fixtures/examples -o out
echo
echo "== outputs in out/:"
ls -1 out
echo
.venv/bin/report-extract show "fixtures/examples/2024年芷江侗族自治县罗旧镇政府信息公开工作年度报告.pipe.txt"
