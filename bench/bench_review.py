"""Merging, agreement and accepting everything unanimous, each against a baseline.

Merge baseline: ATTACH the same source and copy every column of its
documents and spans into an empty project database (the target's own tables
and indexes) with plain ``INSERT … SELECT`` in one transaction (no checks, no
search rows, no conflict rules). Agreement baseline: reading every
span row of the same database with one ``SELECT``. The review window's
document list (titles, layers, gold status) against one bare ``SELECT`` of
ids, titles and layers. Accepting everything
unanimous over the corpus is measured per document against the same
per-document time over a fifth of the documents: the cost must stay linear
in the corpus size.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import Result
from bench.data import native_corpus, write_jsonl


def _source(tmp: Path, n: int) -> Path:
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    tmp.mkdir(exist_ok=True)
    db = tmp / "source.db"
    records = [dict(rec, layer="ali") for rec in native_corpus(n, 10)]
    # a second curator on half of the documents, agreeing on half of the spans
    records += [dict(rec, layer="sara", spans=rec["spans"][::2]) for rec in records[::2]]
    with open_project(db) as project:
        import_paths(project, [write_jsonl(records, tmp / "corpus.jsonl")])
    return db


def _baseline_merge(src: Path, target: Path) -> float:
    """A bare copy of the rows the merge writes: every column of documents and spans.

    Into an empty project database (the target's own tables and indexes, made
    before the clock starts, as the merge's target is), on a plain connection
    with the app's durability (WAL, synchronous FULL) and no checks.
    """
    from annotator.services.project import open_project
    from annotator.store.merge_source import COLUMNS, cols_sql

    with open_project(target):
        pass
    docs, spans = cols_sql(COLUMNS["documents"]), cols_sql(COLUMNS["spans"])
    t0 = time.perf_counter()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("ATTACH DATABASE ? AS src", (str(src),))
    conn.execute("BEGIN")
    conn.execute(f"INSERT INTO documents ({docs}) SELECT {docs} FROM src.documents")
    conn.execute(f"INSERT INTO spans ({spans}) SELECT {spans} FROM src.spans")
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


def _accept_all(src: Path, copy: Path) -> tuple[float, int]:
    """Seconds per reviewable document of accepting everything unanimous, and their count."""
    from annotator.services import review, users
    from annotator.services.project import open_project

    shutil.copy(src, copy)
    with open_project(copy) as project:
        users.add_user(project, "rana", "reviewer")
        docs = len(review.reviewable_documents(project))
        t0 = time.perf_counter()
        changes = review.adjudicate_auto(project, "rana")
        elapsed = time.perf_counter() - t0
    assert changes.spans_added
    return elapsed / docs, docs


def _review_list(src: Path) -> float:
    """Seconds to list every reviewable document as the review window does at once."""
    from annotator.services import review
    from annotator.services.project import open_project

    with open_project(src) as project:
        t0 = time.perf_counter()
        rows = review.review_rows(project)
        elapsed = time.perf_counter() - t0
    assert rows
    return elapsed


def _baseline_titles(src: Path) -> float:
    t0 = time.perf_counter()
    conn = sqlite3.connect(src)
    rows = conn.execute(
        "SELECT d.id, d.title, s.layer FROM documents d JOIN"
        " (SELECT DISTINCT doc_id, layer FROM spans) s ON s.doc_id = d.id"
    ).fetchall()
    conn.close()
    assert rows
    return time.perf_counter() - t0


def run(quick: bool) -> list[Result]:
    """Merge and agreement on 1,000 (quick: 200) documents of two curators."""
    n = 200 if quick else 1_000
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = _source(tmp, n)
        conn = sqlite3.connect(src)
        n_spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        conn.close()
        base = min(_baseline_merge(src, tmp / f"b{i}.db") for i in range(2))
        ours = min(_merge(src, tmp / f"m{i}.db") for i in range(2))
        read = min(_baseline_read(src) for _ in range(2))
        agree = min(_agreement(src) for _ in range(2))
        listing = min(_review_list(src) for _ in range(3))
        titles = min(_baseline_titles(src) for _ in range(3))
        small = _source(tmp / "small", n // 5)
        per_doc, docs = min(_accept_all(src, tmp / f"a{i}.db") for i in range(3))
        per_doc_small, docs_small = min(_accept_all(small, tmp / f"s{i}.db") for i in range(3))
    return [
        Result(
            f"review window's document list, {n:,} docs (s)",
            listing,
            titles,
            "s",
            goal=5.0,
            note="vs a bare SELECT of ids, titles and layers; counts fill in afterwards",
        ),
        Result(
            f"accept all unanimous, {docs:,} docs (s per doc)",
            per_doc,
            per_doc_small,
            "s",
            goal=1.5,
            note=f"vs the same per document over {docs_small:,} docs: stays linear",
        ),
        Result(
            f"merge {n:,} docs / {n_spans:,} spans (s)",
            ours,
            base,
            "s",
            goal=5.0,
            note="vs bare ATTACH + INSERT … SELECT of the same document and span rows",
        ),
        Result(
            f"agreement over {n:,} docs (s)",
            agree,
            read,
            "s",
            goal=30.0,
            note="pairwise F1 and token alpha vs a bare SELECT of the spans",
        ),
    ]
