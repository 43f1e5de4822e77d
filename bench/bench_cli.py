"""Command-line start-up: ``annotator --help`` and ``annotator stats`` against a 150 ms budget.

Each run is a new process; runs take turns with ``python -c pass`` (the
interpreter alone), whose time is given alongside. The figure is the median
wall time over the budget (goal <= 1), so slow start-up from importing every
subcommand or pandas (through sqlite-utils) shows at once.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result
from bench.data import REPO

BUDGET_S = 0.150


def _wall(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def run(quick: bool) -> list[Result]:
    """Median of 5 (quick: 3) starts of each, interleaved with ``python -c pass``."""
    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cli.db"
        env = dict(os.environ, PYTHONPATH=str(REPO))
        cli = [sys.executable, "-m", "annotator"]
        from annotator.services.project import open_project

        open_project(db).close()  # an empty project for ``stats``
        commands = {"--help": [*cli, "--help"], "stats": [*cli, "stats", "--db", str(db)]}
        times: dict[str, list[float]] = {"pass": [], **{k: [] for k in commands}}
        for _ in range(runs):
            for name, args in commands.items():
                times["pass"].append(_wall([sys.executable, "-c", "pass"], env))
                times[name].append(_wall(args, env))
    bare = statistics.median(times["pass"]) * 1000
    return [
        Result(
            f"CLI start: annotator {name} vs {BUDGET_S * 1000:.0f} ms",
            statistics.median(times[name]) * 1000,
            BUDGET_S * 1000,
            "ms",
            1.0,
            note=f"median of {runs} processes; python -c pass: {bare:.0f} ms in the same run",
        )
        for name in commands
    ]
