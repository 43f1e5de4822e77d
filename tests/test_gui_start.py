"""GUI start-up: opening the main window loads no heavy library.

numpy (near-duplicate signatures), psycopg (the hub) and sqlite-utils load on
first sync or first import, never at window start (the start-up goal in
``bench/bench_gui.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "psycopg", "sqlite_utils", "pandas", "lxml", "trafilatura")

pytestmark = pytest.mark.gui


def test_opening_the_window_imports_no_heavy_library(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from annotator.gui.app import open_window\n"
        f"window = open_window({str(tmp_path / 'x.db')!r}, annotator='sara')\n"
        "QApplication.processEvents()\n"
        "assert window.isVisible()\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_check_sees_a_heavy_import(tmp_path: Path) -> None:
    """The same probe reports numpy once something has loaded it (the test can fail)."""
    code = (
        "import sys\n"
        "import annotator.core.neardup\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert "numpy" in done.stdout
