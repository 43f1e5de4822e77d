"""SQL of the streaming import: the registry of files being written and their rows.

A file is written in several short transactions; every row it adds carries
its ``import_id`` and the file is registered in ``imports`` until it is
complete, so a failed, cancelled or killed import can be removed whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.store.db import Store


def set_durable(store: Store, durable: bool) -> None:
    """``synchronous`` FULL (every commit on disk) or NORMAL (on disk at checkpoints).

    Import batches use NORMAL: a crash may lose the last batches, but the file
    stays registered until its final commit, so the next open removes it whole.
    They also checkpoint the WAL ten times less often (pages that every batch
    touches are copied back once per checkpoint, not once per batch).
    Call outside a transaction.
    """
    store.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    store.execute(f"PRAGMA wal_autocheckpoint = {1000 if durable else 10000}")


def insert_spans(store: Store, rows: Sequence[tuple]) -> None:
    """Insert (id, doc_id, layer, start, end, label, origin, created_at, updated_at,
    import_id) rows; a span whose (doc, layer, start, end, label) is stored is skipped."""
    store.conn.executemany(
        'INSERT OR IGNORE INTO spans (id, doc_id, layer, start, "end", label, origin,'
        " created_at, updated_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def insert_relations(store: Store, rows: Sequence[tuple]) -> None:
    """Insert (id, doc_id, layer, label, head, tail, created_at, updated_at, import_id)
    rows; a stored relation is skipped."""
    store.conn.executemany(
        "INSERT OR IGNORE INTO relations (id, doc_id, layer, label, head, tail, created_at,"
        " updated_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def imported_by(
    store: Store, import_id: int, first_seq: int, limit: int
) -> list[tuple[int, str, bytes]]:
    """(seq, text, minhash) of up to ``limit`` documents an unfinished import wrote."""
    return store.execute(
        "SELECT seq, text, minhash FROM documents WHERE seq >= ? AND import_id = ?"
        " ORDER BY seq LIMIT ?",
        (first_seq, import_id, limit),
    ).fetchall()


def delete_documents(store: Store, seqs: Sequence[int]) -> None:
    """Remove documents by seq with their spans, relations, statuses, decisions and notes.

    Those go first, while their document is still there: the hub's change log
    (schema v7) then knows them as rows of an unfinished file, not logged.
    """
    rows = [(s,) for s in seqs]
    doc = "(SELECT id FROM documents WHERE seq = ?)"
    for table in ("relations", "spans", "progress", "decisions", "rejected_suggestions", "notes"):
        store.conn.executemany(f"DELETE FROM {table} WHERE doc_id = {doc}", rows)
    store.conn.executemany("DELETE FROM documents WHERE seq = ?", rows)


def delete_imported(store: Store, import_id: int) -> None:
    """Remove the spans and relations an unfinished import added (a scan of both tables)."""
    store.execute("DELETE FROM relations WHERE import_id = ?", (import_id,))
    store.execute("DELETE FROM spans WHERE import_id = ?", (import_id,))


def start_import(store: Store, file: str, first_seq: int, pid: int, host: str, at: str) -> int:
    """Register a file being written; return its import id."""
    cur = store.execute(
        "INSERT INTO imports (file, first_seq, pid, host, started_at) VALUES (?, ?, ?, ?, ?)",
        (file, first_seq, pid, host, at),
    )
    return int(cur.lastrowid)


def end_import(store: Store, import_id: int) -> None:
    """The file's import is complete (or removed): forget it."""
    store.execute("DELETE FROM imports WHERE id = ?", (import_id,))


def unfinished_imports(store: Store) -> list[tuple[int, str, int, int, str]]:
    """(id, file, first_seq, pid, host) of every import still registered."""
    sql = "SELECT id, file, first_seq, pid, host FROM imports ORDER BY id"
    return store.execute(sql).fetchall()


def stage_status(store: Store, rows: Sequence[tuple[str, str, str]]) -> None:
    """Keep (doc_id, layer, status) rows aside (a temporary table: no write lock)."""
    store.execute(
        "CREATE TEMP TABLE IF NOT EXISTS import_status (doc_id TEXT, layer TEXT, status TEXT)"
    )
    store.conn.executemany("INSERT INTO temp.import_status VALUES (?, ?, ?)", rows)


def clear_staged_status(store: Store) -> None:
    """Forget the rows ``stage_status`` kept."""
    store.execute("DROP TABLE IF EXISTS temp.import_status")


def apply_staged_status(store: Store, at: str) -> None:
    """Write the kept statuses: explicit ones override the stored status, an
    implied ``in_progress`` is added only where none is stored."""
    if not store.execute(
        "SELECT 1 FROM temp.sqlite_master WHERE name = 'import_status'"
    ).fetchone():
        return
    store.execute(
        "INSERT INTO progress (doc_id, layer, status, updated_at)"
        " SELECT doc_id, layer, status, ? FROM temp.import_status"
        " WHERE status != 'in_progress' ORDER BY rowid"
        " ON CONFLICT(doc_id, layer) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at",
        (at,),
    )
    store.execute(
        "INSERT OR IGNORE INTO progress (doc_id, layer, status, updated_at)"
        " SELECT doc_id, layer, status, ? FROM temp.import_status"
        " WHERE status = 'in_progress' ORDER BY rowid",
        (at,),
    )
