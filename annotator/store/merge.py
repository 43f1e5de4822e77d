"""SQL for merging other project databases into this one (through ATTACH).

A source is attached read-only; its rows are checked (``services.merge_check``
with ``store.merge_source``) and the accepted ones written to an in-memory
``stage`` database with the same tables, which ``merge_from`` then merges.

Rules, chosen so that merging is idempotent and order-independent:
- documents by id (content hash); a new one gets the next ``seq``, its
  search row and near-duplicate sketch; for one already present the metadata
  of the earliest import wins;
- spans and relations by id; the same id edited in two places keeps the
  newest ``updated_at`` (ties: the larger row), but never moves to another
  document or layer; the same (document, layer, start, end, label) under two
  ids keeps the smaller id, and relations are pointed at it;
- annotators by name: a new name arrives as a curator, a known one keeps
  its role in the target; labels are the target's (none are brought);
- progress by (document, layer) (newest wins), decisions by id, rejected
  suggestions by key.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, fields
from pathlib import Path

from annotator.core.arabic import index_fields
from annotator.store.db import Store
from annotator.store.merge_source import COLUMNS, OPTIONAL, cols_sql, has_table


@dataclass
class Tally:
    """Rows a merge added or updated, per table."""

    documents: int = 0
    spans: int = 0
    relations: int = 0
    annotators: int = 0
    progress: int = 0
    decisions: int = 0

    def add(self, other: Tally) -> None:
        """Add ``other``'s counts to these."""
        for f in fields(Tally):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def changed(self) -> bool:
        """True when anything at all was written."""
        return any(getattr(self, f.name) for f in fields(Tally))

    def counts(self) -> dict[str, int]:
        """The counts by table name."""
        return {f.name: getattr(self, f.name) for f in fields(Tally)}


@dataclass
class MergeCounts(Tally):
    """What one source added or changed."""

    #: span id -> (kept: "target" or "source", target updated_at, source updated_at)
    edited_twice: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def read_header(path: Path) -> tuple[int, int]:
    """(application_id, user_version) of a database file, opened read-only.

    Raises sqlite3.DatabaseError when the file is not SQLite.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
    return app_id, version


def attach(store: Store, path: Path, alias: str) -> None:
    """ATTACH ``path`` read-only as ``alias`` (outside any transaction)."""
    store.execute(f"ATTACH DATABASE ? AS {alias}", (f"{path.resolve().as_uri()}?mode=ro",))


def detach(store: Store, alias: str) -> None:
    """DETACH ``alias``."""
    store.execute(f"DETACH DATABASE {alias}")


def max_attached(store: Store) -> int:
    """How many databases one connection may attach."""
    return store.conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED)


def merge_from(store: Store, src: str) -> MergeCounts:
    """Merge attached database ``src`` into main (inside the caller's transaction)."""
    c = store.conn
    counts = MergeCounts()

    def run(sql: str, params: tuple = ()) -> int:
        # rowcount, not total_changes: the search index writes its own tables
        # whenever it flushes, which total_changes would count too.
        return max(c.execute(sql, params).rowcount, 0)

    run("PRAGMA defer_foreign_keys = ON")
    counts.annotators = run(  # new names as curators; a known name keeps its role
        "INSERT OR IGNORE INTO main.annotators (name, role, created_at)"
        f" SELECT name, 'curator', created_at FROM {src}.annotators"
    )
    counts.documents = _documents(c, src, run)
    counts.edited_twice = _edited_spans(c, src)
    counts.spans = _spans(c, src, run)
    counts.relations = _relations(c, src, run)
    counts.progress = run(
        "INSERT INTO main.progress (doc_id, layer, status, updated_at)"
        f" SELECT doc_id, layer, status, updated_at FROM {src}.progress WHERE true"
        " ON CONFLICT(doc_id, layer) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at"
        " WHERE (excluded.updated_at, excluded.status) > (progress.updated_at, progress.status)"
    )
    dec = cols_sql(COLUMNS["decisions"])
    counts.decisions = run(
        f"INSERT OR IGNORE INTO main.decisions ({dec}) SELECT {dec} FROM {src}.decisions"
    )
    if has_table(c, "main", "rejected_suggestions") and has_table(c, src, "rejected_suggestions"):
        rej = cols_sql(OPTIONAL["rejected_suggestions"])
        run(
            f"INSERT OR IGNORE INTO main.rejected_suggestions ({rej})"
            f" SELECT {rej} FROM {src}.rejected_suggestions"
        )
    return counts


_DOC_META = "imported_at, raw_sha256, title, source, meta, cluster"


def _documents(c: sqlite3.Connection, src: str, run) -> int:
    run("DROP TABLE IF EXISTS temp.merge_docs")
    run(
        "CREATE TEMP TABLE merge_docs AS SELECT d.id AS id, d.seq AS src_seq,"
        " (SELECT coalesce(max(seq), 0) FROM main.documents)"
        " + row_number() OVER (ORDER BY d.seq) AS seq"
        f" FROM {src}.documents d WHERE d.id NOT IN (SELECT id FROM main.documents)"
    )
    added = run(
        "INSERT INTO main.documents (id, title, text, raw_sha256, source, meta, cluster, minhash,"
        " imported_at, seq) SELECT d.id, d.title, d.text, d.raw_sha256, d.source, d.meta,"
        f" d.cluster, d.minhash, d.imported_at, n.seq FROM {src}.documents d"
        " JOIN temp.merge_docs n ON n.id = d.id"
    )
    rows = c.execute(
        "SELECT d.seq, d.text FROM main.documents d JOIN temp.merge_docs n ON n.id = d.id"
    )
    c.executemany(
        "INSERT INTO main.search (rowid, norm, stems) VALUES (?, ?, ?)",
        [(seq, *index_fields(text)) for seq, text in rows.fetchall()],
    )
    changed = run(
        "UPDATE main.documents SET (imported_at, raw_sha256, title, source, meta, cluster) ="
        f" (SELECT {_DOC_META} FROM {src}.documents s WHERE s.id = documents.id)"
        f" WHERE id NOT IN (SELECT id FROM temp.merge_docs) AND EXISTS (SELECT 1 FROM"
        f" {src}.documents s WHERE s.id = documents.id AND (s.imported_at, s.raw_sha256,"
        " s.title, s.source, s.meta, s.cluster) < (documents.imported_at, documents.raw_sha256,"
        " documents.title, documents.source, documents.meta, documents.cluster))"
    )
    run("DROP TABLE temp.merge_docs")
    return added + changed


#: What an edit of a span may change (never its document or layer).
_SPAN_ROW = 'updated_at, start, "end", label, origin, created_at'


def _edited_spans(c: sqlite3.Connection, src: str) -> dict[str, tuple[str, str, str]]:
    """Span ids present on both sides with different content, and which side wins."""
    rows = c.execute(
        "SELECT m.id, m.updated_at, s.updated_at,"
        ' (s.updated_at, s.start, s."end", s.label, s.origin, s.layer, s.doc_id, s.created_at)'
        ' > (m.updated_at, m.start, m."end", m.label, m.origin, m.layer, m.doc_id, m.created_at)'
        f" FROM main.spans m JOIN {src}.spans s ON s.id = m.id"
        ' WHERE (s.start, s."end", s.label, s.layer, s.doc_id, s.origin)'
        ' <> (m.start, m."end", m.label, m.layer, m.doc_id, m.origin)'
    ).fetchall()
    return {i: ("source" if newer else "target", mt, st) for i, mt, st, newer in rows}


def _spans(c: sqlite3.Connection, src: str, run) -> int:
    # The same id on both sides: the newest row wins.
    changed = run(
        f"UPDATE OR IGNORE main.spans SET ({_SPAN_ROW}) ="
        f" (SELECT {_SPAN_ROW} FROM {src}.spans s WHERE s.id = spans.id)"
        f" WHERE EXISTS (SELECT 1 FROM {src}.spans s WHERE s.id = spans.id AND"
        ' (s.updated_at, s.start, s."end", s.label, s.origin, s.layer, s.doc_id, s.created_at)'
        ' > (spans.updated_at, spans.start, spans."end", spans.label, spans.origin,'
        " spans.layer, spans.doc_id, spans.created_at))"
    )
    # The same key under two ids: map the source id to the kept (smaller) one.
    run("DROP TABLE IF EXISTS temp.merge_alias")
    run(
        "CREATE TEMP TABLE merge_alias AS SELECT s.id AS src_id, m.id AS main_id"
        f" FROM {src}.spans s JOIN main.spans m ON m.doc_id = s.doc_id AND m.layer = s.layer"
        ' AND m.start = s.start AND m."end" = s."end" AND m.label = s.label'
        " WHERE m.id != s.id AND s.id NOT IN (SELECT id FROM main.spans)"
    )
    added = run(
        'INSERT OR IGNORE INTO main.spans (id, doc_id, layer, start, "end", label, origin,'
        ' created_at, updated_at) SELECT id, doc_id, layer, start, "end", label, origin,'
        f" created_at, updated_at FROM {src}.spans"
    )
    renames = c.execute(
        "SELECT main_id, src_id FROM temp.merge_alias WHERE src_id < main_id"
    ).fetchall()
    for old, new in renames:
        c.execute(
            "UPDATE main.spans SET (id, origin, created_at, updated_at) ="
            f" (SELECT id, origin, created_at, updated_at FROM {src}.spans WHERE id = ?)"
            " WHERE id = ?",
            (new, old),
        )
        c.execute("UPDATE main.relations SET head = ? WHERE head = ?", (new, old))
        c.execute("UPDATE main.relations SET tail = ? WHERE tail = ?", (new, old))
    run("DELETE FROM temp.merge_alias WHERE src_id < main_id")
    return changed + added + len(renames)


def _relations(c: sqlite3.Connection, src: str, run) -> int:
    mapped = (
        "SELECT r.id, r.doc_id, r.layer, r.label,"
        " coalesce((SELECT main_id FROM temp.merge_alias WHERE src_id = r.head), r.head) AS head,"
        " coalesce((SELECT main_id FROM temp.merge_alias WHERE src_id = r.tail), r.tail) AS tail,"
        f" r.created_at, r.updated_at FROM {src}.relations r"
    )
    run("DROP TABLE IF EXISTS temp.merge_rels")
    run(f"CREATE TEMP TABLE merge_rels AS {mapped}")
    # The same link under two ids: keep the smaller id.
    run(
        "DELETE FROM main.relations WHERE EXISTS (SELECT 1 FROM temp.merge_rels r"
        " WHERE r.doc_id = relations.doc_id AND r.layer = relations.layer"
        " AND r.label = relations.label AND r.head = relations.head"
        " AND r.tail = relations.tail AND r.id < relations.id)"
    )
    changed = run(
        "UPDATE OR IGNORE main.relations SET (label, head, tail, created_at, updated_at) ="
        " (SELECT label, head, tail, created_at, updated_at FROM temp.merge_rels r"
        " WHERE r.id = relations.id) WHERE EXISTS (SELECT 1 FROM temp.merge_rels r"
        " WHERE r.id = relations.id AND (r.updated_at, r.label, r.head, r.tail)"
        " > (relations.updated_at, relations.label, relations.head, relations.tail))"
    )
    added = run(
        "INSERT OR IGNORE INTO main.relations (id, doc_id, layer, label, head, tail,"
        " created_at, updated_at) SELECT * FROM temp.merge_rels"
    )
    run("DROP TABLE temp.merge_rels")
    run("DROP TABLE temp.merge_alias")
    return added + changed  # a replaced link counts once, as added


def copy_database(source: Path, dest: Path) -> None:
    """A consistent copy of ``source`` at ``dest`` (SQLite's backup; source read-only)."""
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
