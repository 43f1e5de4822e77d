"""Memory of the document list: 100,000 documents against 100 (goal ratio <= 1.3).

Each size runs in a fresh process: it opens the database, warms Qt up with
the same widgets over an empty list, then builds the real document list
(``DocumentListModel`` + ``DocumentListPanel``), shows it at a usual size and
lets Qt lay it out and fetch what it wants. The figure is the growth of the
process's resident memory (RSS, from ``/proc``) over that step, the median of
three processes; the Python heap growth (tracemalloc) and the rows fetched
are given in the note. A list that loaded every row would grow with the
corpus; a lazy one costs the same for any size.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Result
from bench.data import REPO, sentences

RUNS = 3


def build_db(path: Path, n_docs: int) -> Path:
    """A project database with ``n_docs`` documents of real Arabic news sentences.

    The schema comes from ``Store``; rows go in with one ``executemany`` (set-up only).
    """
    from annotator.core.ids import document_id
    from annotator.store.db import Store, now

    Store(path).close()
    pool = [s["text"] for s in sentences()]
    stamp = now()

    def rows():
        for i in range(n_docs):
            text = f"{i} " + " ".join(pool[(i * 7 + k) % len(pool)] for k in range(3))
            title = text[:60]
            yield (i + 1, document_id(text), title, text, "", "bench", "{}", "", None, stamp)

    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO documents (seq, id, title, text, raw_sha256, source, meta, cluster,"
            " minhash, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(),
        )
    conn.close()
    return path


def _rss_kb() -> int:
    """Resident memory of this process in KiB (Linux ``/proc``; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _trim() -> None:
    """Collect garbage and hand freed heap pages back (glibc), for a clean baseline."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def measure(db: Path) -> dict:
    """In this process: memory growth of building and showing the document list on ``db``."""
    import tracemalloc

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from annotator.gui.app import ensure_app
    from annotator.gui.document_list import DocumentListModel, DocumentListPanel
    from annotator.services.browse import ListFilter
    from annotator.services.project import open_project

    app = ensure_app()
    project = open_project(db)

    def shown(flt: ListFilter | None) -> tuple[DocumentListModel, DocumentListPanel]:
        model = DocumentListModel(project, "bench")
        if flt is not None:
            model.flt = flt
        panel = DocumentListPanel(model)
        panel.resize(320, 800)
        panel.show()
        for _ in range(3):
            app.processEvents()
        return model, panel

    warm_model, warm_panel = shown(ListFilter(ids=("none",)))  # same widgets, no rows
    warm_panel.close()
    warm_panel.deleteLater()
    app.processEvents()
    del warm_model, warm_panel
    _trim()
    before = _rss_kb()
    tracemalloc.start()
    model, panel = shown(None)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _trim()
    grown = _rss_kb() - before
    out = {"rss_kb": max(grown, 1), "py_peak_kb": peak / 1024, "rows": len(model.rows)}
    panel.close()
    project.close()
    return out


def _measure_in_child(db: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_memory", str(db)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool) -> list[Result]:
    """Build both databases, measure each in fresh processes; quick: 10,000 vs 100."""
    big_n, small_n = (10_000, 100) if quick else (100_000, 100)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tmp) / "config"))
        big = build_db(Path(tmp) / "big.db", big_n)
        small = build_db(Path(tmp) / "small.db", small_n)
        got = {
            name: [_measure_in_child(db) for _ in range(RUNS)]
            for name, db in (("big", big), ("small", small))
        }
    rss = {k: statistics.median(r["rss_kb"] for r in v) for k, v in got.items()}
    py = {k: statistics.median(r["py_peak_kb"] for r in v) for k, v in got.items()}
    rows = {k: v[0]["rows"] for k, v in got.items()}
    return [
        Result(
            f"document list memory, {big_n:,} docs vs {small_n}",
            rss["big"],
            rss["small"],
            "KiB RSS",
            1.3,
            note=(
                f"model + panel built and shown, median of {RUNS} processes; Python heap "
                f"{py['big']:.0f} vs {py['small']:.0f} KiB; rows fetched {rows['big']} vs "
                f"{rows['small']}"
            ),
        )
    ]


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
