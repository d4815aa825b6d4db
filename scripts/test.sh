#!/usr/bin/env bash
# Set up (a virtualenv in .venv with the package and its test extras) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e ".[test]"
bash scripts/system-deps.sh || true
.venv/bin/ruff check src tests benchmarks fixtures
.venv/bin/python -m pytest -q "$@"
