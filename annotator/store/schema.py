"""The database schema, its version, and forward migrations.

``PRAGMA application_id`` marks a file as an annotator database;
``PRAGMA user_version`` holds the schema version. ``MIGRATIONS[n]`` takes a
database from version n to n + 1; a new database runs them all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x41524E41  # "ARNA"

_V1 = """
CREATE TABLE documents (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL DEFAULT '{}',
    cluster TEXT NOT NULL DEFAULT '',
    minhash BLOB,
    imported_at TEXT NOT NULL
);

CREATE TABLE annotators (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('curator', 'reviewer')),
    created_at TEXT NOT NULL
);

CREATE TABLE labels (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('entity', 'claim', 'source', 'relation')),
    name_en TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    color TEXT NOT NULL DEFAULT '#cccccc',
    shortcut TEXT NOT NULL DEFAULT '',
    head TEXT,
    tail TEXT,
    position INTEGER NOT NULL DEFAULT 0
);

-- Clustered by (document, layer, position): opening a document reads one
-- contiguous range. The id (unique, referenced by relations) has its own index.
CREATE TABLE spans (
    id TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL REFERENCES labels(name),
    origin TEXT NOT NULL DEFAULT 'manual',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (0 <= start AND start < "end"),
    PRIMARY KEY (doc_id, layer, start, "end", label)
) WITHOUT ROWID;
CREATE UNIQUE INDEX spans_id ON spans(id);

CREATE TABLE relations (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    label TEXT NOT NULL REFERENCES labels(name),
    head TEXT NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    tail TEXT NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX relations_key ON relations(doc_id, layer, label, head, tail);
CREATE INDEX relations_tail ON relations(tail);

CREATE TABLE progress (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, layer)
);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    reviewer TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    conflict TEXT NOT NULL,
    choice TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX decisions_doc ON decisions(doc_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    doc_id TEXT,
    before TEXT,
    after TEXT
);

-- rowid = documents.seq; norm = normalised text; stems = its words with
-- proclitics (و ف ب ل ك ال) stripped, so "الرباط" finds "بالرباط".
-- Contentless: the text lives in documents; rows are only ever added.
CREATE VIRTUAL TABLE search USING fts5(
    norm, stems, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 0'
);
"""

# Suggestions a layer's owner rejected: they are never suggested again.
_V2_REJECTED_SUGGESTIONS = """
CREATE TABLE rejected_suggestions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (doc_id, layer, start, "end", label)
);
"""

# Search folding grew (presentation forms, Quranic marks, superscript alef,
# Persian letters): the index is filled again with the current folding. The
# two functions are registered on every connection (``db.register_functions``).
_V3_REFOLD_SEARCH = """
INSERT INTO search (search) VALUES ('delete-all');
INSERT INTO search (rowid, norm, stems)
    SELECT seq, annotator_search_norm(text), annotator_search_stems(text) FROM documents;
"""

# The team hub (store/synclog.py): what this file knows of its hub, the
# documents assigned to each curator, and a change log that triggers fill
# while a hub is set up (the 'tracking' row of hub_state), so that sync
# pushes edits and deletions (as tombstones) whoever made them, and a
# curator's rejected suggestions.
_V4_HUB = """
CREATE TABLE IF NOT EXISTS hub_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS assignments (
    doc_id TEXT NOT NULL,
    curator TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (curator, doc_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sync_log (
    seq INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    layer TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


def _log_trigger(table: str, event: str, key: str, layer: str, doc: str) -> str:
    row = "OLD" if event == "DELETE" else "NEW"
    layer = f"{row}.{layer}" if layer else "''"
    return f"""
CREATE TRIGGER IF NOT EXISTS sync_{table}_{event.lower()} AFTER {event} ON {table}
WHEN EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')
BEGIN
    INSERT INTO sync_log (tbl, key, layer, doc_id, at) VALUES ('{table}', {row}.{key},
        {layer}, {row}.{doc}, strftime('%Y-%m-%dT%H:%M:%f', 'now'));
END;
"""


#: Tables whose every change the hub's change log records: (table, key
#: column, layer column, document column).
_LOGGED_TABLES = (
    ("spans", "id", "layer", "doc_id"),
    ("relations", "id", "layer", "doc_id"),
    ("progress", "layer", "layer", "doc_id"),
    ("decisions", "id", "reviewer", "doc_id"),
)

_V4_HUB += "".join(
    _log_trigger(table, event, key, layer, doc)
    for table, key, layer, doc in _LOGGED_TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
)
_V4_HUB += _log_trigger("documents", "INSERT", "id", "", "id")
# A rejected suggestion's key is "start:end:label" (rejections are only ever added).
_V4_HUB += """
CREATE TRIGGER IF NOT EXISTS sync_rejected_suggestions_insert AFTER INSERT ON rejected_suggestions
WHEN EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')
BEGIN
    INSERT INTO sync_log (tbl, key, layer, doc_id, at) VALUES ('rejected',
        NEW.start || ':' || NEW."end" || ':' || NEW.label, NEW.layer, NEW.doc_id,
        strftime('%Y-%m-%dT%H:%M:%f', 'now'));
END;
"""
# A span whose id changes (merge keeps the smaller of two ids): the old id is gone.
_V4_HUB += """
CREATE TRIGGER IF NOT EXISTS sync_spans_rename AFTER UPDATE OF id ON spans
WHEN OLD.id != NEW.id AND EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')
BEGIN
    INSERT INTO sync_log (tbl, key, layer, doc_id, at)
    VALUES ('spans', OLD.id, OLD.layer, OLD.doc_id, strftime('%Y-%m-%dT%H:%M:%f', 'now'));
END;
"""

# Streaming import. ``bands``: each near-duplicate band key with the first
# sketched document that has it (so an import looks candidates up instead of
# holding every signature in memory); ``band_index.upto``: the highest seq
# whose bands are in (documents merged in later are added by the next
# import). ``imports``: one row per file being written, removed when it is
# done (ids are never reused); rows an import writes carry its ``import_id``
# so a failed, cancelled or killed import is removed whole. New band keys go
# to the small ``bands_recent`` and are folded into ``bands`` in bulk (random
# keys inserted batch by batch into one big table would rewrite most of its
# pages at every commit).
_V5_STREAMING_IMPORT = """
CREATE TABLE bands (
    key INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
);
CREATE TABLE bands_recent (
    key INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
);
CREATE TABLE band_index (upto INTEGER NOT NULL);
INSERT INTO band_index (upto) VALUES (0);
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    started_at TEXT NOT NULL
);
ALTER TABLE documents ADD COLUMN import_id INTEGER;
ALTER TABLE spans ADD COLUMN import_id INTEGER;
ALTER TABLE relations ADD COLUMN import_id INTEGER;
"""

# Notes and the "unsure" flag a layer's owner puts on a span (target = span id)
# or on a document (target = ''). A span's note outlives the span's deletion
# (ids are never reused), so undoing the deletion brings it back.
_V6_NOTES = """
CREATE TABLE notes (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    unsure INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, layer, target)
);
"""


def _settled(row: str, own: bool, doc: str) -> str:
    """SQL: ``row`` is not part of a file still being imported (its own
    ``import_id``, with ``own``, or its document's, with ``doc``, registered)."""
    parts = []
    if own:
        parts.append(
            f"({row}.import_id IS NULL OR {row}.import_id NOT IN (SELECT id FROM imports))"
        )
    if doc:
        parts.append(
            f"NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = {row}.{doc}"
            " AND d.import_id IN (SELECT id FROM imports))"
        )
    return f"(NOT EXISTS (SELECT 1 FROM imports) OR ({' AND '.join(parts)}))"


def _settled_create(table: str, event: str, key: str, layer: str, doc: str) -> str:
    """CREATE TRIGGER of one change-log trigger as schema v7 defines it."""
    guard = _settled(
        "OLD" if event == "DELETE" else "NEW",
        table in ("spans", "relations", "documents"),
        "" if table == "documents" else doc,
    )
    sql = _log_trigger(table, event, key, layer, doc).replace(
        "WHEN EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')",
        f"WHEN EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')\n    AND {guard}",
    )
    return sql.replace(" IF NOT EXISTS ", " ")


def _settled_trigger(table: str, event: str, key: str, layer: str, doc: str) -> str:
    name = f"sync_{table}_{event.lower()}"
    return f"DROP TRIGGER IF EXISTS {name};" + _settled_create(table, event, key, layer, doc)


# The hub and the streaming import: rows of a file still being imported are
# not logged (the file may yet be removed whole, and a tombstone for a row the
# hub never had, or a document pushed before its file is complete, must not
# reach it); ``synclog.log_import`` logs them all when the file is complete.
_V7_SETTLED_LOG = "".join(
    _settled_trigger(table, event, key, layer, doc)
    for table, key, layer, doc in _LOGGED_TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
)
_V7_SETTLED_LOG += _settled_trigger("documents", "INSERT", "id", "", "id")
_REJECTED_LOG = f"""
CREATE TRIGGER sync_rejected_suggestions_insert AFTER INSERT ON rejected_suggestions
WHEN EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')
    AND {_settled("NEW", False, "doc_id")}
BEGIN
    INSERT INTO sync_log (tbl, key, layer, doc_id, at) VALUES ('rejected',
        NEW.start || ':' || NEW."end" || ':' || NEW.label, NEW.layer, NEW.doc_id,
        strftime('%Y-%m-%dT%H:%M:%f', 'now'));
END;
"""
_RENAME_LOG = f"""
CREATE TRIGGER sync_spans_rename AFTER UPDATE OF id ON spans
WHEN OLD.id != NEW.id AND EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')
    AND {_settled("OLD", True, "doc_id")}
BEGIN
    INSERT INTO sync_log (tbl, key, layer, doc_id, at)
    VALUES ('spans', OLD.id, OLD.layer, OLD.doc_id, strftime('%Y-%m-%dT%H:%M:%f', 'now'));
END;
"""
_V7_SETTLED_LOG += "\nDROP TRIGGER IF EXISTS sync_rejected_suggestions_insert;" + _REJECTED_LOG
_V7_SETTLED_LOG += "\nDROP TRIGGER IF EXISTS sync_spans_rename;" + _RENAME_LOG

# The team hub's change log covers notes (a note's log key is "layer:target",
# so a document's own note, target '', stays apart from other layers'), but
# not those on a document still being imported (``synclog.log_import`` logs
# them with it). Notes written while a hub was already tracked, before this
# version, are logged now.
_NOTES_LOG = [
    f"""
CREATE TRIGGER IF NOT EXISTS sync_notes_{event.lower()} AFTER {event} ON notes
WHEN EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')
    AND {_settled(row, False, "doc_id")}
BEGIN
    INSERT INTO sync_log (tbl, key, layer, doc_id, at) VALUES ('notes',
        {row}.layer || ':' || {row}.target, {row}.layer, {row}.doc_id,
        strftime('%Y-%m-%dT%H:%M:%f', 'now'));
END;
"""
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
]
_V8_SYNC_NOTES = "".join(_NOTES_LOG)
_V8_SYNC_NOTES += f"""
INSERT INTO sync_log (tbl, key, layer, doc_id, at)
    SELECT 'notes', layer || ':' || target, layer, doc_id, strftime('%Y-%m-%dT%H:%M:%f', 'now')
    FROM notes WHERE EXISTS (SELECT 1 FROM hub_state WHERE key = 'tracking')
    AND {_settled("notes", False, "doc_id")};
"""


def _create(sql: str) -> str:
    """One trigger's SQL as a single ``CREATE TRIGGER IF NOT EXISTS`` statement."""
    sql = sql.strip().removesuffix(";")
    return sql.replace("CREATE TRIGGER IF NOT EXISTS ", "CREATE TRIGGER ", 1).replace(
        "CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1
    )


#: The hub's change-log triggers, as schema v7 and v8 define them, one
#: statement each: ``synclog.start_tracking`` creates them with a file's first
#: sync (schema v9 keeps them only in files that track a hub).
LOG_TRIGGERS: tuple[str, ...] = tuple(
    _create(sql)
    for sql in (
        *(
            _settled_create(table, event, key, layer, doc)
            for table, key, layer, doc in _LOGGED_TABLES
            for event in ("INSERT", "UPDATE", "DELETE")
        ),
        _settled_create("documents", "INSERT", "id", "", "id"),
        _REJECTED_LOG,
        _RENAME_LOG,
        *_NOTES_LOG,
    )
)
#: Their names.
LOG_TRIGGER_NAMES: tuple[str, ...] = tuple(sql.split()[5] for sql in LOG_TRIGGERS)


def _v9_log_only_with_hub(conn: sqlite3.Connection) -> None:
    """Drop the change-log triggers of a file that tracks no hub.

    Each checked per row whether a hub is tracked, which cost a quarter or
    more of every span insert in files that never sync; a file that tracks
    one keeps them.
    """
    if conn.execute("SELECT 1 FROM hub_state WHERE key = 'tracking'").fetchone():
        return
    for name in LOG_TRIGGER_NAMES:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


#: One step: a DDL script, or a function of the connection (inside the
#: migration's transaction).
Migration = str | Callable[[sqlite3.Connection], None]

#: MIGRATIONS[n] upgrades version n to n + 1.
MIGRATIONS: list[Migration] = [
    _V1,
    _V2_REJECTED_SUGGESTIONS,
    _V3_REFOLD_SEARCH,
    _V4_HUB,
    _V5_STREAMING_IMPORT,
    _V6_NOTES,
    _V7_SETTLED_LOG,
    _V8_SYNC_NOTES,
    _v9_log_only_with_hub,
]
SCHEMA_VERSION = len(MIGRATIONS)
