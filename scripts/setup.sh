#!/usr/bin/env bash
# Set up everything the app needs on Debian/Ubuntu (other systems: install
# Qt's libraries yourself): Qt's system libraries, a virtual environment in
# .venv and the package in it. `setup.sh test` adds the test tools and the
# PostgreSQL server the team-hub tests start; `setup.sh hub` adds psycopg
# (for annotator sync and annotator hub).
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
extra=${1:-}

# Libraries the PySide6 wheels load (offscreen and on an X11/Wayland desktop),
# plus venv support and a font with Arabic glyphs for fallback.
DEB_PACKAGES=(
  python3-venv libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-xkb1 libwayland-client0 libwayland-cursor0 libwayland-egl1
  fonts-dejavu-core
)
# The hub tests run a throwaway PostgreSQL cluster (tests/hub/conftest.py).
[ "$extra" = "test" ] && DEB_PACKAGES+=(postgresql)

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for pkg in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
      if ! command -v sudo >/dev/null 2>&1; then
        echo "setup: missing system packages and no sudo; as root, run:" >&2
        echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
      fi
      sudo="sudo"
    fi
    echo "setup: installing system packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    # `env` because sudo drops DEBIAN_FRONTEND from the environment.
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi

spec="."
[ "$extra" = "test" ] && spec=".[test]"
[ "$extra" = "hub" ] && spec=".[hub]"  # psycopg, for annotator sync and annotator hub
stamp=".venv/.installed-${extra:-app}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing the annotator into .venv" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
  touch "$stamp"
fi

# Compile the app's modules once, as pip does for a regular install (an
# editable install leaves them as source): a start then reads cached bytecode
# even where PYTHONDONTWRITEBYTECODE is set. Only changed files are compiled.
.venv/bin/python -m compileall -q annotator >/dev/null
