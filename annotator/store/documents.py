"""SQL for documents, their near-duplicate sketches and the search index."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from annotator.core.model import Document
from annotator.store.db import Store, in_chunks

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
    for chunk, marks in in_chunks(ids):
        rows = store.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE id IN ({marks}) ORDER BY seq", chunk
        )
        yield from (_document(r) for r in rows)


def existing_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` already stored."""
    found: set[str] = set()
    for chunk, marks in in_chunks(ids):
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


def all_sketches(store: Store) -> tuple[list[str], list[str], bytes]:
    """(ids, clusters, concatenated minhash blobs) of documents that have a sketch."""
    ids: list[str] = []
    clusters: list[str] = []
    blobs: list[bytes] = []
    for doc_id, cluster, blob in store.execute(
        "SELECT id, cluster, minhash FROM documents WHERE minhash IS NOT NULL ORDER BY seq"
    ):
        ids.append(doc_id)
        clusters.append(cluster)
        blobs.append(blob)
    return ids, clusters, b"".join(blobs)


def count(store: Store) -> int:
    """Number of documents."""
    return store.execute("SELECT count(*) FROM documents").fetchone()[0]
