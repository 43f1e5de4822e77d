"""Merging a curator's database, and computing agreement, against bare sqlite3.

Merge baseline: ATTACH the same source and copy its documents and spans into
an empty database with plain ``INSERT … SELECT`` in one transaction (no
checks, no search rows, no conflict rules). Agreement baseline: reading every
span row of the same database with one ``SELECT``.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import Result, interleave
from bench.data import native_corpus, write_jsonl


def _source(tmp: Path, n: int) -> Path:
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    db = tmp / "source.db"
    records = [dict(rec, layer="ali") for rec in native_corpus(n, 10)]
    # a second curator on half of the documents, agreeing on half of the spans
    records += [dict(rec, layer="sara", spans=rec["spans"][::2]) for rec in records[::2]]
    with open_project(db) as project:
        import_paths(project, [write_jsonl(records, tmp / "corpus.jsonl")])
    return db


def _baseline_merge(src: Path, target: Path) -> float:
    t0 = time.perf_counter()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, text TEXT, meta TEXT)")
    conn.execute(
        'CREATE TABLE spans (id TEXT PRIMARY KEY, doc_id TEXT, layer TEXT, start INT, "end" INT,'
        " label TEXT)"
    )
    conn.execute("ATTACH DATABASE ? AS src", (str(src),))
    conn.execute("BEGIN")
    conn.execute("INSERT INTO documents SELECT id, text, meta FROM src.documents")
    conn.execute('INSERT INTO spans SELECT id, doc_id, layer, start, "end", label FROM src.spans')
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - t0


def _merge(src: Path, target: Path) -> float:
    from annotator.services.merge import merge_databases
    from annotator.services.project import open_project

    with open_project(target) as project:
        t0 = time.perf_counter()
        report = merge_databases(project, [src])
        elapsed = time.perf_counter() - t0
    assert report.documents > 0
    return elapsed


def _baseline_read(src: Path) -> float:
    t0 = time.perf_counter()
    conn = sqlite3.connect(src)
    rows = conn.execute('SELECT doc_id, layer, start, "end", label FROM spans').fetchall()
    conn.close()
    assert rows
    return time.perf_counter() - t0


def _agreement(src: Path) -> float:
    from annotator.services import review
    from annotator.services.project import open_project

    with open_project(src) as project:
        t0 = time.perf_counter()
        result = review.agreement(project)
        elapsed = time.perf_counter() - t0
    assert result.pairs
    return elapsed


def run(quick: bool) -> list[Result]:
    """Merge and agreement on 1,000 (quick: 200) documents of two curators."""
    n = 200 if quick else 1_000
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = _source(tmp, n)
        merge = interleave(
            lambda i: _baseline_merge(src, tmp / f"b{i}.db"),
            lambda i: _merge(src, tmp / f"m{i}.db"),
            3,
        )
        agree = interleave(lambda i: _baseline_read(src), lambda i: _agreement(src), 3)
    return [
        merge.result(
            f"merge {n:,} docs / {15 * n:,} spans (s)",
            5.0,
            note="vs bare ATTACH + INSERT … SELECT of documents and spans; runs take turns",
        ),
        agree.result(
            f"agreement over {n:,} docs (s)",
            30.0,
            note="pairwise F1 and token alpha vs a bare SELECT of the spans; runs take turns",
        ),
    ]
