"""SQL for documents, their near-duplicate sketches and the search index."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from annotator.core.model import Document
from annotator.store.db import Store

_DOC_COLUMNS = "id, text, title, source, cluster, meta"


def _document(row: tuple) -> Document:
    return Document(
        id=row[0], text=row[1], title=row[2], source=row[3], cluster=row[4], meta=json.loads(row[5])
    )


def get(store: Store, doc_id: str) -> Document | None:
    """The document with id ``doc_id``, or None."""
    row = store.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return _document(row) if row else None


def iter_documents(store: Store, ids: Sequence[str] | None = None) -> Iterable[Document]:
    """All documents (or those in ``ids``) in import order."""
    if ids is None:
        cur = store.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY seq")
        for row in cur:
            yield _document(row)
        return
    for chunk_start in range(0, len(ids), 500):
        chunk = list(ids[chunk_start : chunk_start + 500])
        marks = ",".join("?" * len(chunk))
        rows = store.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE id IN ({marks}) ORDER BY seq", chunk
        )
        yield from (_document(r) for r in rows)


def existing_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` already stored."""
    found: set[str] = set()
    ids = list(ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0] for r in store.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)
        )
    return found


def next_seq(store: Store) -> int:
    """The import sequence number the next new document gets."""
    return store.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]


def insert(store: Store, rows: Sequence[tuple]) -> None:
    """Insert rows (id, title, text, raw_sha256, source, meta_json, cluster,
    minhash, imported_at, seq)."""
    store.conn.executemany(
        "INSERT INTO documents (id, title, text, raw_sha256, source, meta, cluster, minhash,"
        " imported_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def insert_search(store: Store, rows: Sequence[tuple[int, str, str]]) -> None:
    """Index (seq, normalised text, clitic-stripped words) rows for search."""
    store.conn.executemany("INSERT INTO search (rowid, norm, stems) VALUES (?, ?, ?)", rows)


def insert_lsh(store: Store, rows: Sequence[tuple[int, str]]) -> None:
    """Store (band key, doc_id) rows of near-duplicate sketches."""
    store.conn.executemany("INSERT INTO lsh (key, doc_id) VALUES (?, ?)", rows)


def lsh_matches(store: Store, keys: Iterable[int]) -> dict[int, list[str]]:
    """Stored doc ids for each band key present in ``keys``."""
    keys = list(set(keys))
    out: dict[int, list[str]] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for key, doc_id in store.execute(
            f"SELECT key, doc_id FROM lsh WHERE key IN ({marks})", chunk
        ):
            out.setdefault(key, []).append(doc_id)
    return out


def sketches(store: Store, ids: Iterable[str]) -> dict[str, tuple[bytes, str]]:
    """(minhash blob, cluster) of each stored document in ``ids``."""
    ids = list(ids)
    out: dict[str, tuple[bytes, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for doc_id, blob, cluster in store.execute(
            f"SELECT id, minhash, cluster FROM documents WHERE id IN ({marks})", chunk
        ):
            out[doc_id] = (blob, cluster)
    return out


def count(store: Store) -> int:
    """Number of documents."""
    return store.execute("SELECT count(*) FROM documents").fetchone()[0]
