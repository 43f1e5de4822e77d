"""SQL of sync on the local side: hub state, the change log, applying a pull.

While a hub is set up, triggers append every change of spans, relations,
progress, decisions and documents (and notes) to ``sync_log``; they are
created by the first sync (``start_tracking``; a file that never syncs has
none, schema v9); a push reads the log in order and deletes the entries it
sent only after the hub has committed them. A pull is applied with the
triggers muted (the ``tracking`` row of ``hub_state`` is removed inside the
same transaction), so rows that came from the hub are not sent back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from annotator.store.db import Store, in_chunks, now
from annotator.store.schema import LOG_TRIGGERS

_SPAN_READ = 'id, doc_id, layer, start, "end", label, origin, created_at, updated_at'
_REL_READ = "id, doc_id, layer, label, head, tail, created_at, updated_at"


def state(store: Store) -> dict[str, str]:
    """Everything ``hub_state`` holds (url, db_id, hub_id, cursor, last_sync…)."""
    return dict(store.execute("SELECT key, value FROM hub_state").fetchall())


def set_state(store: Store, **values: str | None) -> None:
    """Set (or, with None, remove) ``hub_state`` entries."""
    for key, value in values.items():
        if value is None:
            store.execute("DELETE FROM hub_state WHERE key = ?", (key,))
        else:
            store.execute(
                "INSERT INTO hub_state (key, value) VALUES (?, ?) ON CONFLICT(key)"
                " DO UPDATE SET value = excluded.value",
                (key, value),
            )


# Rows of a file still being imported (schema v7 does not log them either).
_OPEN = "SELECT id FROM imports"
_OPEN_DOCS = f"SELECT id FROM documents WHERE import_id IN ({_OPEN})"
_SETTLED = f"(import_id IS NULL OR import_id NOT IN ({_OPEN})) AND doc_id NOT IN ({_OPEN_DOCS})"


def start_tracking(store: Store) -> None:
    """Turn the change log on and fill it with every row there is (a first push).

    Creates the change-log triggers (inside the caller's transaction). Rows
    of a file still being imported are left for ``log_import``.
    """
    create_log_triggers(store)
    at = now()
    store.execute("DELETE FROM sync_log")
    for sql in (
        "SELECT 'documents', id, '', id FROM documents"
        f" WHERE import_id IS NULL OR import_id NOT IN ({_OPEN}) ORDER BY seq",
        f"SELECT 'spans', id, layer, doc_id FROM spans WHERE {_SETTLED}",
        f"SELECT 'relations', id, layer, doc_id FROM relations WHERE {_SETTLED}",
        f"SELECT 'progress', layer, layer, doc_id FROM progress WHERE doc_id NOT IN ({_OPEN_DOCS})",
        "SELECT 'decisions', id, reviewer, doc_id FROM decisions"
        f" WHERE doc_id NOT IN ({_OPEN_DOCS})",
        "SELECT 'rejected', start || ':' || \"end\" || ':' || label, layer, doc_id"
        f" FROM rejected_suggestions WHERE doc_id NOT IN ({_OPEN_DOCS})",
        "SELECT 'notes', layer || ':' || target, layer, doc_id FROM notes"
        f" WHERE doc_id NOT IN ({_OPEN_DOCS})",
    ):
        store.execute(
            f"INSERT INTO sync_log (tbl, key, layer, doc_id, at) SELECT *, ? FROM ({sql})", (at,)
        )
    set_state(store, tracking="1")


def create_log_triggers(store: Store) -> None:
    """Create the change-log triggers a file lacks (they log while ``tracking`` is set)."""
    for sql in LOG_TRIGGERS:
        store.execute(sql)


def log_import(store: Store, import_id: int, first_seq: int) -> None:
    """Inside the import's last transaction: log every row the file brought, once.

    While a file is written its rows are not logged (schema v7), so a removed
    file leaves no trace for the hub; once complete, its documents, then the
    spans, relations, statuses, decisions and rejected suggestions on them
    (and its spans and relations on documents stored before) are logged
    here, documents first. Nothing is
    logged without a hub.
    """
    if not store.execute("SELECT 1 FROM hub_state WHERE key = 'tracking'").fetchone():
        return
    docs = "SELECT id FROM documents WHERE seq >= ? AND import_id = ?"
    mine = (first_seq, import_id)
    for sql, params in (
        (
            "SELECT 'documents', id, '', id FROM documents WHERE seq >= ? AND import_id = ?"
            " ORDER BY seq",
            mine,
        ),
        (
            "SELECT 'spans', id, layer, doc_id FROM spans"
            f" WHERE import_id = ? OR doc_id IN ({docs})",
            (import_id, *mine),
        ),
        (
            "SELECT 'relations', id, layer, doc_id FROM relations"
            f" WHERE import_id = ? OR doc_id IN ({docs})",
            (import_id, *mine),
        ),
        (f"SELECT 'progress', layer, layer, doc_id FROM progress WHERE doc_id IN ({docs})", mine),
        (f"SELECT 'decisions', id, reviewer, doc_id FROM decisions WHERE doc_id IN ({docs})", mine),
        (
            "SELECT 'rejected', start || ':' || \"end\" || ':' || label, layer, doc_id"
            f" FROM rejected_suggestions WHERE doc_id IN ({docs})",
            mine,
        ),
        (
            "SELECT 'notes', layer || ':' || target, layer, doc_id FROM notes"
            f" WHERE doc_id IN ({docs})",
            mine,
        ),
    ):
        store.execute(
            f"INSERT INTO sync_log (tbl, key, layer, doc_id, at) SELECT *, ? FROM ({sql})",
            (now(), *params),
        )


def log_label(store: Store, name: str) -> None:
    """Log an edit of label ``name`` (while a hub is set up; a reviewer pushes it)."""
    store.execute(
        "INSERT INTO sync_log (tbl, key, layer, doc_id, at) SELECT 'labels', ?, '', '', ?"
        " WHERE EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')",
        (name, now()),
    )


def label_edits(store: Store, upto: int) -> dict[str, str]:
    """label name -> time of its last edit logged up to entry ``upto``."""
    return dict(
        store.execute(
            "SELECT key, max(at) FROM sync_log WHERE tbl = 'labels' AND seq <= ? GROUP BY key",
            (upto,),
        ).fetchall()
    )


def drop_label_edits(store: Store, upto: int) -> None:
    """Forget label edits logged up to entry ``upto`` (the hub committed them)."""
    store.execute("DELETE FROM sync_log WHERE tbl = 'labels' AND seq <= ?", (upto,))


def pending(store: Store, layers: Sequence[str] | None = None) -> int:
    """How many changed rows wait to be pushed (of ``layers``, documents and labels, or all)."""
    sql = "SELECT count(*) FROM (SELECT DISTINCT tbl, key, doc_id FROM sync_log"
    params: tuple = ()
    if layers is not None:
        marks = ",".join("?" * len(layers))
        sql += f" WHERE tbl IN ('documents', 'labels') OR layer IN ({marks})"
        params = tuple(layers)
    return store.execute(sql + ")", params).fetchone()[0]


def last_seq(store: Store) -> int:
    """The newest log entry's number (0 when the log is empty)."""
    return store.execute("SELECT coalesce(max(seq), 0) FROM sync_log").fetchone()[0]


def count_upto(store: Store, upto: int) -> int:
    """How many log entries there are up to ``upto``."""
    return store.execute("SELECT count(*) FROM sync_log WHERE seq <= ?", (upto,)).fetchone()[0]


def next_batch(store: Store, upto: int, limit: int) -> tuple[int, int] | None:
    """(first, last) seq of the oldest ``limit`` log entries up to ``upto``, or None."""
    first, last = store.execute(
        "SELECT min(seq), max(seq) FROM (SELECT seq FROM sync_log WHERE seq <= ?"
        " ORDER BY seq LIMIT ?)",
        (upto, limit),
    ).fetchone()
    return None if first is None else (first, last)


def other_layers(store: Store, first: int, last: int, layers: Sequence[str]) -> dict[str, int]:
    """layer -> changed rows among log entries ``first``…``last`` outside ``layers``
    (documents and gold not counted)."""
    marks = ",".join("?" * len(layers))
    return dict(
        store.execute(
            "SELECT layer, count(DISTINCT key) FROM sync_log WHERE seq BETWEEN ? AND ?"
            f" AND tbl IN ('spans', 'relations', 'notes') AND layer NOT IN ({marks}, 'gold')"
            " GROUP BY layer ORDER BY layer",
            (first, last, *layers),
        ).fetchall()
    )


def drop_log(store: Store, first: int, last: int) -> None:
    """Forget log entries ``first``…``last`` (sent and committed by the hub)."""
    store.execute("DELETE FROM sync_log WHERE seq BETWEEN ? AND ?", (first, last))


def logged_keys(store: Store, after: int = 0) -> set[tuple[str, str, str]]:
    """(tbl, key, doc_id) of every change not yet pushed (logged after entry ``after``)."""
    return {
        tuple(r)
        for r in store.execute(
            "SELECT DISTINCT tbl, key, doc_id FROM sync_log WHERE seq > ?", (after,)
        )
    }


def mute(store: Store) -> None:
    """Inside a transaction: stop logging changes (rows coming from the hub)."""
    store.execute("DELETE FROM hub_state WHERE key = 'tracking'")


def unmute(store: Store) -> None:
    """Inside the same transaction: log changes again (with the triggers there)."""
    create_log_triggers(store)
    set_state(store, tracking="1")


def document_texts(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """doc_id -> text of those of ``ids`` stored here."""
    out: dict[str, str] = {}
    for chunk, marks in in_chunks(ids):
        out.update(store.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})", chunk))
    return out


def delete_spans(store: Store, keys: Sequence[tuple[str, str]]) -> None:
    """Delete spans by (id, layer) (their relations go with them)."""
    store.conn.executemany("DELETE FROM spans WHERE id = ? AND layer = ?", keys)


def apply_spans(store: Store, rows: Sequence[tuple]) -> int:
    """Insert or update spans (id, doc_id, layer, start, end, label, origin,
    created_at, updated_at); a span's document and layer stay as stored.

    Where a row's (document, layer, start, end, label) is another id's here,
    the smaller id is kept (as merge does), so every file settles alike.
    Returns how many rows were skipped for that.
    """
    sql = (
        f"INSERT INTO spans ({_SPAN_READ}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ' ON CONFLICT(id) DO UPDATE SET start = excluded.start, "end" = excluded."end",'
        " label = excluded.label, origin = excluded.origin, updated_at = excluded.updated_at"
        " WHERE spans.layer = excluded.layer AND spans.doc_id = excluded.doc_id"
    )
    store.execute("SAVEPOINT pull_spans")
    try:
        store.conn.executemany(sql, rows)
        store.execute("RELEASE pull_spans")
        return 0
    except sqlite3.IntegrityError:
        store.execute("ROLLBACK TO pull_spans")
        store.execute("RELEASE pull_spans")
    skipped = 0
    for row in rows:
        other = store.execute(
            'SELECT id FROM spans WHERE doc_id = ? AND layer = ? AND start = ? AND "end" = ?'
            " AND label = ? AND id != ?",
            (row[1], row[2], row[3], row[4], row[5], row[0]),
        ).fetchone()
        if other and other[0] < row[0]:
            skipped += 1
            continue
        if other:
            store.execute("DELETE FROM spans WHERE id = ?", (other[0],))
        store.execute(sql, row)
    return skipped


def delete_relations(store: Store, ids: Sequence[str]) -> None:
    """Delete relations by id."""
    store.conn.executemany("DELETE FROM relations WHERE id = ?", [(i,) for i in ids])


def upsert_relation(store: Store, row: tuple) -> bool:
    """Insert or update one relation; False when the same link exists under another id."""
    clash = store.execute(
        "SELECT id FROM relations WHERE doc_id = ? AND layer = ? AND label = ? AND head = ?"
        " AND tail = ? AND id != ?",
        (row[1], row[2], row[3], row[4], row[5], row[0]),
    ).fetchone()
    if clash:
        return False
    store.execute(
        f"INSERT INTO relations ({_REL_READ}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET label = excluded.label, head = excluded.head,"
        " tail = excluded.tail, updated_at = excluded.updated_at"
        " WHERE relations.layer = excluded.layer AND relations.doc_id = excluded.doc_id",
        row,
    )
    return True


def upsert_progress(store: Store, rows: Sequence[tuple]) -> None:
    """Set (doc_id, layer, status, updated_at) rows."""
    store.conn.executemany(
        "INSERT INTO progress (doc_id, layer, status, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(doc_id, layer) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at",
        rows,
    )


def delete_progress(store: Store, keys: Sequence[tuple[str, str]]) -> None:
    """Delete (doc_id, layer) progress rows."""
    store.conn.executemany("DELETE FROM progress WHERE doc_id = ? AND layer = ?", keys)


def insert_rejections(store: Store, rows: Sequence[tuple]) -> None:
    """Add (doc_id, layer, start, end, label, who, at) rejected suggestions not yet stored."""
    store.conn.executemany(
        'INSERT OR IGNORE INTO rejected_suggestions (doc_id, layer, start, "end", label, who, at)'
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def insert_decisions(store: Store, rows: Sequence[tuple]) -> None:
    """Add (id, reviewer, doc_id, conflict, choice, decided_at) rows not yet stored."""
    store.conn.executemany("INSERT OR IGNORE INTO decisions VALUES (?, ?, ?, ?, ?, ?)", rows)


def set_assignments(store: Store, live: Sequence[tuple], gone: Sequence[tuple]) -> None:
    """Store (doc_id, curator, assigned_by, assigned_at) rows; remove (doc_id, curator) ones."""
    store.conn.executemany(
        "INSERT INTO assignments (doc_id, curator, assigned_by, assigned_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(curator, doc_id) DO UPDATE SET assigned_by = excluded.assigned_by,"
        " assigned_at = excluded.assigned_at",
        live,
    )
    store.conn.executemany("DELETE FROM assignments WHERE doc_id = ? AND curator = ?", gone)


def assigned(store: Store, curator: str) -> list[str]:
    """Ids of the documents assigned to ``curator``, in import order."""
    return [
        r[0]
        for r in store.execute(
            "SELECT a.doc_id FROM assignments a JOIN documents d ON d.id = a.doc_id"
            " WHERE a.curator = ? ORDER BY d.seq",
            (curator,),
        )
    ]


def upsert_notes(store: Store, rows: Sequence[tuple]) -> None:
    """Set (doc_id, layer, target, note, unsure, updated_at) notes."""
    store.conn.executemany(
        "INSERT INTO notes (doc_id, layer, target, note, unsure, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id, layer, target) DO UPDATE SET"
        " note = excluded.note, unsure = excluded.unsure, updated_at = excluded.updated_at",
        rows,
    )


def delete_notes(store: Store, keys: Sequence[tuple[str, str, str]]) -> None:
    """Delete (doc_id, layer, target) notes."""
    store.conn.executemany("DELETE FROM notes WHERE doc_id = ? AND layer = ? AND target = ?", keys)
