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


def present(store: Store, ids: Iterable[str]) -> dict[str, int | None]:
    """Those of ``ids`` already stored -> the import that wrote them (None once done)."""
    found: dict[str, int | None] = {}
    for chunk, marks in in_chunks(ids):
        found.update(
            store.execute(f"SELECT id, import_id FROM documents WHERE id IN ({marks})", chunk)
        )
    return found


def insert(store: Store, rows: Sequence[tuple]) -> None:
    """Insert rows (id, title, text, raw_sha256, source, meta_json, cluster,
    minhash, imported_at, seq) or, with an 11th value, also import_id."""
    if rows and len(rows[0]) == 11:
        store.conn.executemany(
            "INSERT INTO documents (id, title, text, raw_sha256, source, meta, cluster, minhash,"
            " imported_at, seq, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return
    store.conn.executemany(
        "INSERT INTO documents (id, title, text, raw_sha256, source, meta, cluster, minhash,"
        " imported_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def insert_search(store: Store, rows: Sequence[tuple[int, str, str]]) -> None:
    """Index (seq, normalised text, clitic-stripped words) rows for search."""
    store.conn.executemany("INSERT INTO search (rowid, norm, stems) VALUES (?, ?, ?)", rows)


def delete_search(store: Store, rows: Iterable[tuple[int, str, str]]) -> None:
    """Take (seq, normalised text, stems) rows out of the contentless search index."""
    store.conn.executemany(
        "INSERT INTO search (search, rowid, norm, stems) VALUES ('delete', ?, ?, ?)", rows
    )


def insert_bands(store: Store, rows: Iterable[tuple[int, int]], upto: int) -> None:
    """Add (band key, seq) rows (a key already stored keeps its first document);
    record that every document up to seq ``upto`` is in."""
    store.conn.executemany("INSERT OR IGNORE INTO bands_recent (key, seq) VALUES (?, ?)", rows)
    store.execute("UPDATE band_index SET upto = max(upto, ?)", (upto,))


def lower_bands_upto(store: Store, seq: int) -> None:
    """Documents after ``seq`` may lack band keys (their seqs are given out again)."""
    store.execute("UPDATE band_index SET upto = min(upto, ?)", (seq,))


def delete_bands(store: Store, rows: Iterable[tuple[int, int]]) -> None:
    """Remove (band key, seq) rows."""
    rows = list(rows)
    store.conn.executemany("DELETE FROM bands WHERE key = ? AND seq = ?", rows)
    store.conn.executemany("DELETE FROM bands_recent WHERE key = ? AND seq = ?", rows)


def fold_bands(store: Store) -> None:
    """Move the recent band keys into the main band table (in key order, one pass)."""
    store.execute(
        "INSERT OR IGNORE INTO bands (key, seq) SELECT key, seq FROM bands_recent ORDER BY key"
    )
    store.execute("DELETE FROM bands_recent")


def bands_upto(store: Store) -> int:
    """The highest seq whose band keys are in the band index."""
    return store.execute("SELECT upto FROM band_index").fetchone()[0]


def sketches_after(store: Store, seq: int, limit: int) -> list[tuple[int, bytes]]:
    """(seq, minhash) of up to ``limit`` sketched documents after ``seq``, in order."""
    return store.execute(
        "SELECT seq, minhash FROM documents WHERE seq > ? AND minhash IS NOT NULL"
        " ORDER BY seq LIMIT ?",
        (seq, limit),
    ).fetchall()


def band_neighbours(store: Store, keys: Sequence[int]) -> list[tuple[int, str, bytes]]:
    """(seq, cluster, minhash) of the first stored document of each of ``keys``, by seq."""
    rows = store.execute(
        "SELECT b.seq FROM json_each(?1) k JOIN bands b ON b.key = k.value"
        " UNION SELECT r.seq FROM json_each(?1) k JOIN bands_recent r ON r.key = k.value",
        (json.dumps(sorted(set(keys))),),
    )
    seqs = sorted(r[0] for r in rows)
    out: list[tuple[int, str, bytes]] = []
    for chunk, marks in in_chunks(seqs):
        out.extend(
            store.execute(
                f"SELECT seq, cluster, minhash FROM documents WHERE seq IN ({marks}) ORDER BY seq",
                chunk,
            )
        )
    return out


def ids_in_seq_range(store: Store, first: int, last: int) -> list[str]:
    """Ids of the documents with ``first <= seq <= last``, in import order."""
    rows = store.execute(
        "SELECT id FROM documents WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last)
    )
    return [r[0] for r in rows]


def count(store: Store) -> int:
    """Number of documents."""
    return store.execute("SELECT count(*) FROM documents").fetchone()[0]
