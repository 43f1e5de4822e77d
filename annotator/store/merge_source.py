"""Reading and checking a merge source: its shape, its rows, and the stage.

``inspect`` reads a source file's header, tables and foreign objects before
anything is attached. A merge then reads the source's rows (``source_rows``),
checks them (spans here in SQL, the rest in ``services.merge_check``) and
writes the accepted ones to an in-memory ``stage`` database with the same
tables, which ``store.merge.merge_from`` merges.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.store import spans
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


def attach_stage(store: Store) -> None:
    """ATTACH an in-memory ``stage`` with empty copies of the merged tables."""
    store.execute(f"ATTACH DATABASE ':memory:' AS {STAGE}")
    for table, cols in _stage_tables(store).items():
        store.execute(
            f"CREATE TABLE {STAGE}.{table} AS SELECT {cols_sql(cols)} FROM main.{table} WHERE 0"
        )
    # Spans are checked on their way in: each staged row carries why it is refused (or NULL).
    store.execute(f"ALTER TABLE {STAGE}.spans ADD COLUMN reason TEXT")


def _stage_tables(store: Store) -> dict[str, tuple[str, ...]]:
    tables = dict(COLUMNS)
    if has_table(store.conn, "main", "rejected_suggestions"):
        tables.update(OPTIONAL)
    return tables


def cols_sql(cols: tuple[str, ...]) -> str:
    """Quoted column names, comma-separated."""
    return ", ".join(f'"{c}"' for c in cols)


def clear_stage(store: Store) -> None:
    """Empty every ``stage`` table (for the next source)."""
    for table in _stage_tables(store):
        store.execute(f"DELETE FROM {STAGE}.{table}")


def stage(store: Store, table: str, rows: list[tuple]) -> None:
    """Write accepted rows (in ``COLUMNS`` order) to ``stage.table``."""
    cols = _stage_tables(store)[table]
    store.conn.executemany(
        f"INSERT INTO {STAGE}.{table} ({cols_sql(cols)}) VALUES ({', '.join('?' * len(cols))})",
        rows,
    )


def source_rows(store: Store, src: str, table: str) -> list[tuple]:
    """Every row of ``src.table`` in ``COLUMNS`` order (``[]`` for a missing optional table).

    Text that is not valid UTF-8 is decoded with ``surrogateescape``, so the
    checks see it as lone surrogates instead of SQLite raising mid-merge.
    """
    cols = {**COLUMNS, **OPTIONAL}[table]
    if table in OPTIONAL and not has_table(store.conn, src, table):
        return []
    conn = store.conn
    sql = f"SELECT {cols_sql(cols)} FROM {src}.{table}"
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
    c.execute("CREATE TEMP TABLE merge_layers (layer BLOB PRIMARY KEY, reason TEXT NOT NULL)")
    c.executemany(  # as bytes: a layer read with surrogateescape is matched byte for byte
        "INSERT OR IGNORE INTO temp.merge_layers VALUES (?, ?)",
        [(_as_bytes(layer), why) for layer, why in refused_layers.items()],
    )
    c.create_function("annotator_utf8", 1, _is_utf8, deterministic=True)
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
    cols = cols_sql(COLUMNS["spans"])
    c.execute(
        f"INSERT INTO {STAGE}.spans ({cols}, reason)"
        f" SELECT {', '.join('s.' + q for q in cols.split(', '))},"
        " CASE"
        "  WHEN typeof(s.id) != 'text' OR length(s.id) NOT BETWEEN 1 AND 200"
        "   OR NOT annotator_utf8(CAST(s.id || s.created_at || s.updated_at AS BLOB))"
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
        " END"
        f" FROM {src}.spans s LEFT JOIN temp.merge_layers l ON l.layer = CAST(s.layer AS BLOB)"
        " LEFT JOIN temp.merge_doclen d ON d.id = s.doc_id",
        tuple(sorted(origins)),
    )
    refused = dict(
        c.execute(
            f"SELECT reason, count(*) FROM {STAGE}.spans WHERE reason IS NOT NULL GROUP BY reason"
        ).fetchall()
    )
    if refused:
        c.execute(f"DELETE FROM {STAGE}.spans WHERE reason IS NOT NULL")
    for table in ("merge_layers", "merge_doclen"):
        c.execute(f"DROP TABLE temp.{table}")
    return refused


def _as_bytes(value: object) -> object:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    return str(value).encode() if isinstance(value, int | float) else value


def _is_utf8(value: bytes | None) -> bool:
    """True for NULL or bytes that are valid UTF-8 (SQLite stores what it is given)."""
    if value is None or value.isascii():
        return True
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def staged_spans_by_text(store: Store) -> Iterator[tuple[str, list[tuple]]]:
    """(text of a document, its staged spans as (id, doc_id, layer, start, end,
    label)), each text read once: the source's own where it has the document."""
    by_doc: dict[str, list[tuple]] = {}
    for row in store.execute(f'SELECT id, doc_id, layer, start, "end", label FROM {STAGE}.spans'):
        by_doc.setdefault(row[1], []).append(row)
    for chunk, marks in in_chunks(by_doc):
        texts = dict(
            store.execute(f"SELECT id, text FROM main.documents WHERE id IN ({marks})", chunk)
        )
        texts.update(
            store.execute(f"SELECT id, text FROM {STAGE}.documents WHERE id IN ({marks})", chunk)
        )
        for doc_id in chunk:
            if doc_id in texts:
                yield texts[doc_id], by_doc[doc_id]


def restage_span(store: Store, span_id: str, start: int, end: int) -> None:
    """Move the edges of a staged span."""
    store.execute(
        f'UPDATE {STAGE}.spans SET start = ?, "end" = ? WHERE id = ?', (start, end, span_id)
    )


def unstage_span(store: Store, span_id: str) -> None:
    """Remove a staged span (one that became the same as another)."""
    store.execute(f"DELETE FROM {STAGE}.spans WHERE id = ?", (span_id,))


def staged_span_keys(store: Store, doc_ids: set[str]) -> dict[tuple, str]:
    """(doc_id, layer, start, end, label) -> id of the staged spans of ``doc_ids``."""
    out: dict[tuple, str] = {}
    for chunk, marks in in_chunks(doc_ids):
        for sid, *key in store.execute(
            f'SELECT id, doc_id, layer, start, "end", label FROM {STAGE}.spans'
            f" WHERE doc_id IN ({marks}) ORDER BY id",
            chunk,
        ):
            out.setdefault(tuple(key), sid)
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


def span_owners(
    store: Store, ids: set[str], *, staged: bool = False
) -> dict[str, tuple[str, str, str]]:
    """id -> (document, layer, label) of the target's spans among ``ids``
    (with ``staged``, of the spans staged from the source)."""
    return spans.owners(store, ids, f"{STAGE}.spans" if staged else "main.spans")


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


def has_table(c: sqlite3.Connection, schema: str, table: str) -> bool:
    """True when database ``schema`` of connection ``c`` has ``table``."""
    return bool(
        c.execute(
            f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    )
