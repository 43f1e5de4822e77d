#!/usr/bin/env bash
# Set up (first time) and run every check headless: lint, format, layer
# contracts, then the whole test suite. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check annotator tests bench
.venv/bin/ruff format --check annotator tests bench
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
