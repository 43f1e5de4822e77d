#!/usr/bin/env bash
# Set up (first time) and open the annotator on the default database, which
# starts with the bundled sample corpus. Arguments go to `annotator`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/annotator "$@"
