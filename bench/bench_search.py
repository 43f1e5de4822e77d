"""Normalised search against a plain ``LIKE`` scan over the same documents table.

Setup writes generated documents (three real Wojood sentences each, see
``bench/data.py``) and their search index rows exactly as import does
(``core.arabic.index_fields``). One document in a thousand also mentions a
name in one of several spellings (hamza forms, tashkeel, tatweel, behind a
proclitic). Figures:

- ``search rare name``: ``services.search.search`` for that name, all hits,
  against ``SELECT … WHERE text LIKE '%…%'`` for one of its spellings (which
  finds fewer documents, since LIKE knows no normalisation);
- ``search common word``, like with like, both ways: the first page of
  hits (the default limit) against a LIKE scan stopped at as many rows, and
  every hit against the full LIKE scan. Search does more per row (folding,
  every occurrence with its offsets, snippets), so its goals are fractions:
  at most 5x (page) and 10x (every hit) slower than the bare scan.

Runs take turns (LIKE, search, LIKE, search…).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from bench.common import Result, interleave
from bench.data import sentences

NAME_FORMS = ["مارك أسبر", "مارك إسبر", "ومارك اسبر", "بمارك أَسبر", "مـارك إسبر"]
QUERY = "مارك أسبر"
COMMON = "في"


def _build(db: Path, n_docs: int) -> None:
    """A project with ``n_docs`` generated documents and their search rows."""
    from annotator.core.arabic import index_fields
    from annotator.core.ids import document_id
    from annotator.services.project import open_project
    from annotator.store import documents

    rng = random.Random(11)
    pool = [s["text"] for s in sentences()]
    at = "2024-01-01T00:00:00+00:00"
    with open_project(db) as project, project.store.transaction():
        batch: list[tuple] = []
        index: list[tuple] = []
        for seq in range(1, n_docs + 1):
            parts = rng.sample(pool, 3)
            if seq % 1000 == 500:
                parts.insert(1, f"وقال {rng.choice(NAME_FORMS)} إن الاتفاق مهم.")
            text = f"{seq} " + " ".join(parts)
            doc_id = document_id(text)
            batch.append((doc_id, f"doc {seq}", text, "", "bench", "{}", doc_id, None, at, seq))
            index.append((seq, *index_fields(text)))
            if len(batch) == 5000:
                documents.insert(project.store, batch)
                documents.insert_search(project.store, index)
                batch, index = [], []
        documents.insert(project.store, batch)
        documents.insert_search(project.store, index)


def _like(store, needle: str, limit: int | None) -> list:
    """The LIKE scan, stopping after ``limit`` documents when given (like a first page)."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = "SELECT id, text FROM documents WHERE text LIKE ? ESCAPE '\\' ORDER BY seq"
    params: tuple = (f"%{escaped}%",)
    if limit is not None:
        sql += " LIMIT ?"
        params += (limit,)
    return store.execute(sql, params).fetchall()


def _pair(base, ours, runs: int):
    """Interleaved timings (base, ours, base, ours…) and the last results of each."""
    out: dict[str, object] = {}

    def timed_base(i: int) -> float:
        t0 = time.perf_counter()
        out["base"] = base()
        return time.perf_counter() - t0

    def timed_ours(i: int) -> float:
        t0 = time.perf_counter()
        out["ours"] = ours()
        return time.perf_counter() - t0

    return interleave(timed_base, timed_ours, runs), out["base"], out["ours"]


def measure(db: Path, repeat: int) -> list[Result]:
    """The search figures on an existing database."""
    from annotator.services.project import open_project
    from annotator.services.search import DEFAULT_LIMIT, search

    with open_project(db) as project:
        store = project.store
        n_docs = store.execute("SELECT count(*) FROM documents").fetchone()[0]
        _like(store, "إسبر", None)  # warm the page cache and caches for both sides
        search(project, QUERY, limit=10**6)
        search(project, COMMON)
        rare, like_rows, hits = _pair(
            lambda: _like(store, "إسبر", None), lambda: search(project, QUERY, limit=10**6), repeat
        )
        page, _, first = _pair(
            lambda: _like(store, COMMON, DEFAULT_LIMIT), lambda: search(project, COMMON), repeat
        )
        every, all_like, all_hits = _pair(
            lambda: _like(store, COMMON, None),
            lambda: search(project, COMMON, limit=10**8),
            max(2, repeat // 2),
        )
    note = f"{n_docs:,} docs; {len(hits)} hits in {len({h.doc_id for h in hits})} docs"
    note += f" (planted {n_docs // 1000}); LIKE on one spelling finds {len(like_rows)} docs"
    return [
        rare.result("search rare name vs LIKE scan (speed-up)", 50.0, speedup=True, note=note),
        page.result(
            f"search common word, first page of {DEFAULT_LIMIT} vs LIKE LIMIT {DEFAULT_LIMIT}"
            " (speed-up)",
            0.2,
            speedup=True,
            note=f"{len(first)} hits vs {DEFAULT_LIMIT} LIKE rows; search also normalises,"
            " finds every occurrence and makes snippets",
        ),
        every.result(
            "search common word, every hit vs a full LIKE scan (speed-up)",
            0.1,
            speedup=True,
            note=f"{len(all_hits):,} hits vs {len(all_like):,} LIKE rows",
        ),
    ]


def run(quick: bool) -> list[Result]:
    """Measure search against the LIKE scan (quick: 10,000 documents, else 100,000)."""
    n_docs = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        _build(db, n_docs)
        return measure(db, 3 if quick else 5)
