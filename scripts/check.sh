#!/usr/bin/env bash
# Install SmartPick with its test dependencies and run every check: lint, format, types, tests.
# PostgreSQL storage tests run when SMARTPICK_TEST_POSTGRES_URL is set (.ci/run starts a server);
# browser tests run when Debian's chromium is installed (/usr/bin/chromium); the ray extra is installed so
# `match simulate --engine ray` is tested on a local Ray instance.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e ".[test,ray]"
# Compile the numba kernels into their on-disk cache while lint and types run, so the test processes load
# machine code instead of each compiling the same kernels (a fresh clone has no cache).
python scripts/warm_jit.py > .warm_jit.log 2>&1 &
warm=$!
echo "== ruff check";        python -m ruff check src tests scripts benchmarks
echo "== ruff format";       python -m ruff format --check src tests scripts benchmarks
echo "== mypy (strict on the domain core)"; python -m mypy src/smartpick
echo "== numba kernels"
if wait "$warm"; then cat .warm_jit.log; else cat .warm_jit.log; exit 1; fi
rm -f .warm_jit.log
echo "== pytest"
# Tests run in parallel (pytest-xdist, one process per core; PYTEST_WORKERS overrides) with the Ray tests on
# a local Ray instance.
python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist loadfile --cov=smartpick --cov-report=term:skip-covered "$@"
