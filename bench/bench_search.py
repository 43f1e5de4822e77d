"""Normalised search against a plain ``LIKE`` scan over the same documents table.

Setup writes generated documents (three real Wojood sentences each, see
``bench/data.py``) and their search index rows exactly as import does
(``core.arabic.index_fields``). One document in a thousand also mentions a
name in one of several spellings (hamza forms, tashkeel, tatweel, behind a
proclitic). Figures:

- ``search rare name``: ``services.search.search`` for that name, all hits,
  against ``SELECT … WHERE text LIKE '%…%'`` for one of its spellings (which
  finds fewer documents, since LIKE knows no normalisation);
- ``search common word``: a word in most documents, first page of hits
  (the default limit), against the same LIKE scan for it (goal: not slower;
  the scan grows with the corpus while the first page does not).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from bench.common import Result
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


def _best(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def run(quick: bool) -> list[Result]:
    """Measure search against the LIKE scan (quick: 10,000 documents, else 100,000)."""
    from annotator.services.project import open_project
    from annotator.services.search import search
    from annotator.store.search import like_scan

    n_docs = 10_000 if quick else 100_000
    repeat = 3 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        _build(db, n_docs)
        with open_project(db) as project:
            like_scan(project.store, "إسبر")  # warm the page cache for both sides
            t_like, like_rows = _best(lambda: like_scan(project.store, "إسبر"), repeat)
            t_search, hits = _best(lambda: search(project, QUERY, limit=10**6), repeat)
            t_like_c, _ = _best(lambda: like_scan(project.store, COMMON), repeat)
            t_common, common = _best(lambda: search(project, COMMON), repeat)
    expected = n_docs // 1000
    note = f"{n_docs} docs; {len(hits)} hits in {len({h.doc_id for h in hits})} docs"
    note += f" (planted {expected}); LIKE on one spelling finds {len(like_rows)} docs"
    return [
        Result(
            "search rare name vs LIKE scan (speed-up)",
            t_like,
            t_search,
            "s",
            50.0,
            higher_is_better=True,
            note=note,
        ),
        Result(
            "search common word, first page vs LIKE scan (speed-up)",
            t_like_c,
            t_common,
            "s",
            1.0,
            higher_is_better=True,
            note=f"{len(common)} hits returned; the scan grows with the corpus, the page does not",
        ),
    ]
