"""Team hub sync against a bare COPY of the same rows into PostgreSQL.

Setup starts a throwaway PostgreSQL cluster (``bench/pg.py``), a hub with one
curator, and a curator's project with 100 documents already synced. Figures:

- ``hub sync 10,000 changed spans``: ``services.sync.sync`` after the curator
  added 10,000 spans, stamped with the time they were added as the app does
  (read from the change log, sent by ``COPY`` into the curator's own layer
  on the hub, trimmed from the log after commit, then a pull),
  against ``executemany`` of the same 10,000 rows, as the hub stores them,
  into a table of the same shape as ``hub.spans`` (its columns, keys and
  defaults; no row-level security) on an open connection, committed
  (goal ≤ 3×), and against ``COPY`` of them (goal ≤ 3× too; row-level
  security rules ``COPY FROM`` out for the hub itself, so a sync inserts
  from a temporary table);
- ``hub sync with nothing to do``: a sync right after, against a fixed
  budget of 200 ms (goal ≤ 1×).

Without PostgreSQL installed the benchmark prints why and gives no figure.
Best of three for each side.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench import pg
from bench.common import Result
from bench.data import sentences

N_SPANS = 10_000
N_DOCS = 100
NO_CHANGE_BUDGET_S = 0.2


def run(quick: bool = False) -> list[Result]:
    """The figures (none when PostgreSQL is absent). ``quick`` changes nothing:
    the goal is set for 10,000 spans, and the whole run takes seconds."""
    try:
        cluster = pg.start()
    except pg.Unavailable as exc:
        print(f"hub: skipped: {exc}", file=sys.stderr)
        return []
    try:
        return _measure(cluster, N_SPANS)
    finally:
        cluster.stop()


def _measure(cluster: pg.Cluster, n_spans: int) -> list[Result]:
    import psycopg

    from annotator.services.hub_admin import add_member, init_hub
    from annotator.services.sync import sync
    from annotator.store.hub_sync import SPAN_COLS

    syncs, copies, manys, idle = [], [], [], []
    for attempt in range(3):
        dbname = cluster.create_database()
        init_hub(cluster.url(dbname))
        add_member(cluster.url(dbname), "amal", "curator", "pw-amal")
        cluster.add_password("amal", "pw-amal")
        url = cluster.url(dbname, "amal")
        with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
            project, rows = _project(Path(tmp) / f"amal{attempt}.db", url, n_spans)
            with project:
                _add_spans(project, rows)
                t = time.perf_counter()
                report = sync(project)
                syncs.append(time.perf_counter() - t)
                assert report.pushed.get("spans") == n_spans, report.pushed
                t = time.perf_counter()
                sync(project)
                idle.append(time.perf_counter() - t)
        stored = [(*row, False, row[8], "bench") for row in rows]  # as the hub keeps them
        with psycopg.connect(cluster.url(dbname), autocommit=True) as conn:
            conn.execute("CREATE TABLE bare (LIKE hub.spans INCLUDING ALL)")  # keys, defaults
            cols = ", ".join(f'"{c}"' for c in (*SPAN_COLS, "source_db"))
            t = time.perf_counter()
            with (
                conn.transaction(),
                conn.cursor() as cur,
                cur.copy(f"COPY bare ({cols}) FROM STDIN") as copy,
            ):
                for row in stored:
                    copy.write_row(row)
            copies.append(time.perf_counter() - t)
            conn.execute("TRUNCATE bare")
            marks = ", ".join(["%s"] * len(stored[0]))
            t = time.perf_counter()
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(f"INSERT INTO bare ({cols}) VALUES ({marks})", stored)
            manys.append(time.perf_counter() - t)
    return [
        Result(
            f"hub sync {n_spans:,} changed spans vs executemany",
            min(syncs),
            min(manys),
            "s",
            3.0,
            note="vs executemany of the same rows on an open connection",
        ),
        Result(
            f"hub sync {n_spans:,} changed spans vs COPY",
            min(syncs),
            min(copies),
            "s",
            3.0,
            note="vs COPY of the same rows on an open connection",
        ),
        Result(
            "hub sync with nothing to do",
            min(idle),
            NO_CHANGE_BUDGET_S,
            "s",
            1.0,
            note="vs a fixed budget of 200 ms",
        ),
    ]


def _project(path: Path, url: str, n_spans: int):
    """A curator's project with documents already on the hub, and the span rows to add."""
    from annotator.core.ids import new_ids
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project
    from annotator.services.sync import sync
    from annotator.store import documents
    from annotator.store.db import now

    folder = path.parent / "docs"
    folder.mkdir(exist_ok=True)
    pool = [s["text"] for s in sentences()]
    for i in range(N_DOCS):
        text = f"{i} " + " ".join(pool[(i * 7 + k) % len(pool)] for k in range(5))
        (folder / f"{i:03}.txt").write_text(text, encoding="utf-8")
    project = open_project(path)
    import_paths(project, [folder])
    sync(project, url)
    docs = list(documents.iter_documents(project.store))
    ids = new_ids("s", n_spans)
    at = now()  # tagged after that first sync, as the app stamps a new span
    rows = []
    for i, sid in enumerate(ids):
        doc = docs[i % len(docs)]
        start = (i // len(docs)) % max(1, len(doc.text) - 2)
        rows.append((sid, doc.id, "amal", start, start + 2, "PER", "manual", at, at))
    return project, rows


def _add_spans(project, rows) -> None:
    from annotator.store import spans

    with project.store.transaction():
        spans.insert(project.store, rows, ignore_existing=False)
