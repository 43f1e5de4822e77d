"""Import throughput against a bare sqlite3 loader of the same rows.

The baseline reads the same JSONL file, parses each line and inserts the
same document and span rows (the same columns the import stores: ids,
title, text, hash, meta, timestamps, origin) with ``executemany`` in one
transaction: WAL, synchronous=FULL, primary keys, and nothing else (no
validation, no dedupe index, no search index, no near-duplicate sketches).
The import does all of DESIGN §3's work.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Result
from bench.data import native_corpus, write_jsonl


def _baseline(src: Path, db: Path) -> float:
    t0 = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT, text TEXT, raw_sha256 TEXT,"
        " meta TEXT, imported_at TEXT)"
    )
    conn.execute(
        'CREATE TABLE spans (id TEXT PRIMARY KEY, doc_id TEXT, layer TEXT, start INT, "end" INT,'
        " label TEXT, origin TEXT, created_at TEXT, updated_at TEXT)"
    )
    raw = src.read_bytes()
    raw_hash = hashlib.sha256(raw).hexdigest()
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    docs, spans = [], []
    for line in raw.decode("utf-8").split("\n"):
        if not line:
            continue
        rec = json.loads(line)
        text = rec["text"]
        doc_id = "d_" + hashlib.sha256(text.encode()).hexdigest()[:16]
        docs.append((doc_id, text[:120], text, raw_hash, json.dumps(rec.get("meta", {})), at))
        for i, s in enumerate(rec["spans"]):
            span_id = f"s_{doc_id}{i:06x}"
            row = (span_id, doc_id, rec["layer"], s["start"], s["end"], s["label"], "imported")
            spans.append((*row, at, at))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)", docs)
    conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", spans)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - t0


def _import(src: Path, db: Path) -> float:
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    with open_project(db) as project:  # schema creation is not part of the import
        t0 = time.perf_counter()
        report = import_paths(project, [src])
        elapsed = time.perf_counter() - t0
    assert report.documents_added > 0
    return elapsed


def run(quick: bool) -> list[Result]:
    """Import 20,000 documents / 200,000 spans (quick: 2,000 / 20,000)."""
    n = 2_000 if quick else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        src = write_jsonl(native_corpus(n, 10), Path(tmp) / "corpus.jsonl")
        base = min(_baseline(src, Path(tmp) / f"b{i}.db") for i in range(3))
        ours = min(_import(src, Path(tmp) / f"a{i}.db") for i in range(3))
    return [
        Result(
            f"import {n:,} docs / {10 * n:,} spans (s)",
            ours,
            base,
            "s",
            goal=3.0,
            note=f"{n / ours:,.0f} docs/s vs bare sqlite3 {n / base:,.0f} docs/s",
        )
    ]
