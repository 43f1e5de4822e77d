"""SQL for merging other project databases into this one (through ATTACH).

A source is attached read-only; its rows are read, checked by the services
(``services.merge_check``) and the accepted ones written to an in-memory
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
from annotator.store.db import Store, foreign_objects, in_chunks

STAGE = "stage"

#: The columns a merge reads from each source table.
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "seq", "id", "title", "text", "raw_sha256", "source", "meta", "cluster", "minhash",
        "imported_at",
    ),
    "annotators": ("name", "role", "created_at"),
    "spans": ("id", "doc_id", "layer", "start", "end", "label", "origin", "created_at",
              "updated_at"),
    "relations": ("id", "doc_id", "layer", "label", "head", "tail", "created_at", "updated_at"),
    "progress": ("doc_id", "layer", "status", "updated_at"),
    "decisions": ("id", "reviewer", "doc_id", "conflict", "choice", "decided_at"),
}  # fmt: skip
#: Tables a source may lack (older schema versions).
OPTIONAL: dict[str, tuple[str, ...]] = {
    "rejected_suggestions": ("doc_id", "layer", "start", "end", "label", "who", "at"),
}


@dataclass
class SourceInfo:
    """What a source database holds, read before anything is merged."""

    app_id: int
    version: int
    #: table -> its column names
    tables: dict[str, set[str]]
    #: triggers and views the annotator schema does not define
    foreign: list[str]

    def missing(self) -> str | None:
        """The first required table or column the source lacks, described, or None."""
        for table, cols in COLUMNS.items():
            if table not in self.tables:
                return f"no table {table}"
            lacking = [c for c in cols if c not in self.tables[table]]
            if lacking:
                return f"table {table} lacks column {lacking[0]}"
        for table, cols in OPTIONAL.items():
            have = self.tables.get(table)
            if have is not None and not set(cols) <= have:
                return f"table {table} lacks column {sorted(set(cols) - have)[0]}"
        return None


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


def inspect(path: Path) -> SourceInfo:
    """Header, tables and foreign objects of a database file, opened read-only.

    Raises sqlite3.DatabaseError when the file is not SQLite.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables = {
            n: {r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", (n,))}
            for n in names
        }
        foreign = foreign_objects(conn)
    finally:
        conn.close()
    return SourceInfo(app_id, version, tables, foreign)


def attach(store: Store, path: Path, alias: str) -> None:
    """ATTACH ``path`` read-only as ``alias`` (outside any transaction)."""
    store.execute(f"ATTACH DATABASE ? AS {alias}", (f"{path.resolve().as_uri()}?mode=ro",))


def attach_stage(store: Store) -> None:
    """ATTACH an in-memory ``stage`` with empty copies of the merged tables."""
    store.execute(f"ATTACH DATABASE ':memory:' AS {STAGE}")
    for table, cols in _stage_tables(store).items():
        store.execute(
            f"CREATE TABLE {STAGE}.{table} AS SELECT {_cols(cols)} FROM main.{table} WHERE 0"
        )


def _stage_tables(store: Store) -> dict[str, tuple[str, ...]]:
    tables = dict(COLUMNS)
    if _has_table(store.conn, "main", "rejected_suggestions"):
        tables.update(OPTIONAL)
    return tables


def _cols(cols: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def clear_stage(store: Store) -> None:
    """Empty every ``stage`` table (for the next source)."""
    for table in _stage_tables(store):
        store.execute(f"DELETE FROM {STAGE}.{table}")


def stage(store: Store, table: str, rows: list[tuple]) -> None:
    """Write accepted rows (in ``COLUMNS`` order) to ``stage.table``."""
    cols = _stage_tables(store)[table]
    store.conn.executemany(
        f"INSERT INTO {STAGE}.{table} ({_cols(cols)}) VALUES ({', '.join('?' * len(cols))})",
        rows,
    )


def source_rows(store: Store, src: str, table: str) -> list[tuple]:
    """Every row of ``src.table`` in ``COLUMNS`` order (``[]`` for a missing optional table).

    Text that is not valid UTF-8 is decoded with ``surrogateescape``, so the
    checks see it as lone surrogates instead of SQLite raising mid-merge.
    """
    cols = {**COLUMNS, **OPTIONAL}[table]
    if table in OPTIONAL and not _has_table(store.conn, src, table):
        return []
    conn = store.conn
    sql = f"SELECT {_cols(cols)} FROM {src}.{table}"
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc):
            raise
    conn.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.text_factory = str


def distinct_values(store: Store, src: str, table: str, column: str) -> list[object]:
    """The distinct values of ``src.table.column`` (undecodable text as surrogates)."""
    sql = f'SELECT DISTINCT "{column}" FROM {src}.{table}'
    conn = store.conn
    try:
        return [r[0] for r in conn.execute(sql)]
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc):
            raise
    conn.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
    try:
        return [r[0] for r in conn.execute(sql)]
    finally:
        conn.text_factory = str


def stage_spans(
    store: Store, src: str, refused_layers: dict[object, str], origins: frozenset[str]
) -> dict[str, int]:
    """Check ``src.spans`` in SQL and stage the sound ones; return refused counts by reason.

    A span is refused for a malformed field (an id that is not a string of
    1 to 200 characters, a timestamp that is not text, an unknown origin), a
    refused layer (``refused_layers``: layer -> reason), a document
    in neither the target nor the stage, offsets outside its text, a label the
    target does not have, or an id the target holds in another document or
    layer. ``stage.documents`` must hold the source's accepted documents.
    """
    c = store.conn
    c.execute("DROP TABLE IF EXISTS temp.merge_layers")
    c.execute("CREATE TEMP TABLE merge_layers (layer PRIMARY KEY, reason TEXT NOT NULL)")
    c.executemany("INSERT INTO temp.merge_layers VALUES (?, ?)", refused_layers.items())
    c.execute("DROP TABLE IF EXISTS temp.merge_doclen")
    c.execute("CREATE TEMP TABLE merge_doclen (id TEXT PRIMARY KEY, len INTEGER) WITHOUT ROWID")
    c.execute(
        f"INSERT OR IGNORE INTO temp.merge_doclen SELECT id, length(text) FROM {STAGE}.documents"
    )
    c.execute(
        "INSERT OR IGNORE INTO temp.merge_doclen SELECT id, length(text) FROM main.documents"
        f" WHERE id IN (SELECT doc_id FROM {src}.spans)"
    )
    marks = ", ".join("?" * len(origins))
    cols = _cols(COLUMNS["spans"])
    c.execute("DROP TABLE IF EXISTS temp.merge_spans")
    c.execute(
        f"CREATE TEMP TABLE merge_spans AS SELECT {', '.join('s.' + q for q in cols.split(', '))},"
        " CASE"
        "  WHEN typeof(s.id) != 'text' OR length(s.id) NOT BETWEEN 1 AND 200"
        "   OR typeof(s.created_at) != 'text'"
        f"   OR typeof(s.updated_at) != 'text' OR s.origin IS NULL OR s.origin NOT IN ({marks})"
        "   THEN 'a field of the wrong type'"
        "  WHEN l.reason IS NOT NULL THEN l.reason"
        "  WHEN typeof(s.layer) != 'text' THEN 'bad layer name'"
        "  WHEN d.len IS NULL THEN 'document not in the source or the target'"
        "  WHEN typeof(s.start) != 'integer' OR typeof(s.\"end\") != 'integer' OR s.start < 0"
        '   OR s."end" <= s.start OR s."end" > d.len THEN \'outside its text\''
        "  WHEN s.label IS NULL OR s.label NOT IN"
        "   (SELECT name FROM main.labels WHERE kind != 'relation')"
        "   THEN 'label the target does not have'"
        "  WHEN EXISTS (SELECT 1 FROM main.spans m WHERE m.id = s.id"
        "   AND (m.doc_id IS NOT s.doc_id OR m.layer IS NOT s.layer))"
        "   THEN 'would move an existing span to another layer or document'"
        " END AS reason"
        f" FROM {src}.spans s LEFT JOIN temp.merge_layers l ON l.layer = s.layer"
        " LEFT JOIN temp.merge_doclen d ON d.id = s.doc_id",
        tuple(sorted(origins)),
    )
    c.execute(
        f"INSERT INTO {STAGE}.spans ({cols}) SELECT {cols} FROM temp.merge_spans"
        " WHERE reason IS NULL"
    )
    refused = dict(
        c.execute(
            "SELECT reason, count(*) FROM temp.merge_spans WHERE reason IS NOT NULL GROUP BY reason"
        ).fetchall()
    )
    for table in ("merge_layers", "merge_doclen", "merge_spans"):
        c.execute(f"DROP TABLE temp.{table}")
    return refused


def staged_span_owners(store: Store, ids: set[str]) -> dict[str, tuple[str, str, str]]:
    """id -> (document, layer, label) of staged spans among ``ids``."""
    out: dict[str, tuple[str, str, str]] = {}
    for chunk, marks in in_chunks(ids):
        for sid, doc, layer, label in store.execute(
            f"SELECT id, doc_id, layer, label FROM {STAGE}.spans WHERE id IN ({marks})", chunk
        ):
            out[sid] = (doc, layer, label)
    return out


def staged_layers(store: Store) -> set[str]:
    """Layers of the staged spans."""
    return {r[0] for r in store.execute(f"SELECT DISTINCT layer FROM {STAGE}.spans")}


def doc_lengths(store: Store, ids: set[str]) -> dict[str, int]:
    """Text length (code points) of the target's documents among ``ids``."""
    out: dict[str, int] = {}
    for chunk, marks in in_chunks(ids):
        out.update(
            store.execute(
                f"SELECT id, length(text) FROM main.documents WHERE id IN ({marks})", chunk
            ).fetchall()
        )
    return out


def span_owners(store: Store, ids: set[str]) -> dict[str, tuple[str, str, str]]:
    """id -> (document, layer, label) of the target's spans among ``ids``."""
    out: dict[str, tuple[str, str, str]] = {}
    for chunk, marks in in_chunks(ids):
        for sid, doc, layer, label in store.execute(
            f"SELECT id, doc_id, layer, label FROM main.spans WHERE id IN ({marks})", chunk
        ):
            out[sid] = (doc, layer, label)
    return out


def relation_owners(store: Store, ids: set[str]) -> dict[str, tuple[str, str]]:
    """id -> (document, layer) of the target's relations among ``ids``."""
    out: dict[str, tuple[str, str]] = {}
    for chunk, marks in in_chunks(ids):
        for rid, doc, layer in store.execute(
            f"SELECT id, doc_id, layer FROM main.relations WHERE id IN ({marks})", chunk
        ):
            out[rid] = (doc, layer)
    return out


def annotator_roles(store: Store) -> dict[str, str]:
    """name -> role in the target."""
    return dict(store.execute("SELECT name, role FROM main.annotators").fetchall())


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
    dec = _cols(COLUMNS["decisions"])
    counts.decisions = run(
        f"INSERT OR IGNORE INTO main.decisions ({dec}) SELECT {dec} FROM {src}.decisions"
    )
    if _has_table(c, "main", "rejected_suggestions") and _has_table(c, src, "rejected_suggestions"):
        rej = _cols(OPTIONAL["rejected_suggestions"])
        run(
            f"INSERT OR IGNORE INTO main.rejected_suggestions ({rej})"
            f" SELECT {rej} FROM {src}.rejected_suggestions"
        )
    return counts


def _has_table(c: sqlite3.Connection, schema: str, table: str) -> bool:
    return bool(
        c.execute(
            f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    )


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
