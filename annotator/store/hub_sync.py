"""SQL of sync on the hub side: one push batch, one pull.

Push: every batch is one PostgreSQL transaction. Rows go by ``COPY`` into
temporary tables, then one ``INSERT … ON CONFLICT`` per table applies them:
documents and decisions are insert-only (labels: ``store/hub_labels.py``);
spans, relations, progress and notes keep the newest change (``changed_at``, then ``source_db``), so
pushing the same rows again changes nothing and two reviewers' gold edits
settle the same way whatever the order. A row's document and layer never
change; a deletion is a tombstone.

Pull: one ``REPEATABLE READ`` read-only transaction returns every row
written since the cursor that this person may see (row-level security
decides), and the next cursor: the snapshot's ``xmin``, below which every
transaction has finished. Rows of transactions still running are read again
next time, so nothing committed late is ever skipped; reading a row twice is
harmless.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from annotator.store.hub import HubError, load_psycopg, one_line
from annotator.store.hub_layers import partition
from annotator.store.sync_push import COPY_OPTIONS, CopyText

DOC_COLS = ("id", "title", "text", "raw_sha256", "source", "meta", "cluster", "imported_at")
LABEL_COLS = (
    "name",
    "kind",
    "name_en",
    "name_ar",
    "color",
    "shortcut",
    "head",
    "tail",
    "position",
    "changed_at",
)
SPAN_COLS = (
    "id",
    "doc_id",
    "layer",
    "start",
    "end",
    "label",
    "origin",
    "created_at",
    "updated_at",
    "deleted",
    "changed_at",
)
REL_COLS = (
    "id",
    "doc_id",
    "layer",
    "label",
    "head",
    "tail",
    "created_at",
    "updated_at",
    "deleted",
    "changed_at",
)
PROGRESS_COLS = ("doc_id", "layer", "status", "updated_at", "deleted", "changed_at")
DECISION_COLS = ("id", "reviewer", "doc_id", "conflict", "choice", "decided_at")
REJECTED_COLS = ("doc_id", "layer", "start", "end", "label", "who", "at")
NOTE_COLS = ("doc_id", "layer", "target", "note", "unsure", "updated_at", "deleted", "changed_at")
ASSIGN_COLS = ("doc_id", "curator", "assigned_by", "assigned_at", "deleted")

#: table -> (columns, conflict key, columns a newer live row updates; none: insert-only)
_TABLES: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "documents": (DOC_COLS, "id", ()),
    "spans": (
        SPAN_COLS,
        "layer, id",
        ("start", "end", "label", "origin", "created_at", "updated_at"),
    ),
    "relations": (REL_COLS, "id", ("label", "head", "tail", "created_at", "updated_at")),
    "progress": (PROGRESS_COLS, "doc_id, layer", ("status", "updated_at")),
    "decisions": (DECISION_COLS, "id", ()),
    "rejected": (REJECTED_COLS, 'doc_id, layer, start, "end", label', ()),
    "notes": (NOTE_COLS, "doc_id, layer, target", ("note", "unsure", "updated_at")),
}
_WITH_SOURCE = {"documents", "spans", "relations", "progress", "decisions", "rejected", "notes"}


def _q(col: str) -> str:
    return f'"{col}"'


@dataclass
class Batch:
    """Rows of one push transaction, by table (``COPY`` text in that table's column order)."""

    documents: CopyText = field(default_factory=CopyText)
    spans: CopyText = field(default_factory=CopyText)
    relations: CopyText = field(default_factory=CopyText)
    progress: CopyText = field(default_factory=CopyText)
    decisions: CopyText = field(default_factory=CopyText)
    rejected: CopyText = field(default_factory=CopyText)
    notes: CopyText = field(default_factory=CopyText)
    #: layer -> spans created since the last sync (see ``store.hub_layers``)
    fresh_spans: dict[str, CopyText] = field(default_factory=dict)

    def __len__(self) -> int:
        fresh = sum(rows.count for rows in self.fresh_spans.values())
        return fresh + sum(getattr(self, t).count for t in _TABLES)


def push(
    conn, parts: Iterable[Batch], source_db: str
) -> tuple[dict[str, int], dict[str, list[tuple]]]:
    """Apply the parts of one batch in one transaction.

    Parts are read (``parts`` is usually a generator over the local file)
    while a worker thread applies the part before on the hub, so the local
    reading and the server's work overlap. Returns how many hub rows it
    changed, by table, and the hub's own rows for those of the batch it
    kept instead (another file changed them later): the local file takes
    those, so both sides agree. Raises HubError (nothing of the batch
    written) when the server refuses any row, e.g. by row-level security.
    """
    psycopg = load_psycopg()
    changed: Counter[str] = Counter()
    kept_here: dict[str, list[tuple]] = {}
    try:
        with conn.transaction(), ThreadPoolExecutor(1, "hub-push") as worker:
            done: list[Future] = []
            for part in parts:
                if done and done[-1].done() and done[-1].exception():
                    break  # the hub refused: read no further
                if len(part):
                    done.append(worker.submit(_push_part, conn, part, source_db))
            for future in done:  # in order; the first refusal is raised here
                counts, kept = future.result()
                changed.update(counts)
                for table, rows in kept.items():
                    kept_here.setdefault(table, []).extend(rows)
    except psycopg.Error as exc:
        raise HubError(f"the hub refused the push: {one_line(exc)}") from None
    return dict(changed), kept_here


def _push_part(conn, part: Batch, source_db: str) -> tuple[dict[str, int], dict[str, list]]:
    """One part, table by table (in the worker thread, inside the batch's transaction)."""
    changed: dict[str, int] = {}
    kept_here: dict[str, list[tuple]] = {}
    with conn.cursor() as cur:
        rest = part.spans
        for layer, rows in part.fresh_spans.items():
            if _copy_into_layer(cur, layer, rows):
                changed["spans"] = changed.get("spans", 0) + rows.count
            else:
                rest += rows
        for table, (cols, key, kept) in _TABLES.items():
            rows: CopyText = rest if table == "spans" else getattr(part, table)
            if not rows.count:
                continue
            n = _push_table(cur, table, cols, key, kept, rows)
            changed[table] = changed.get(table, 0) + n
            if kept and n < rows.count:
                collist = ", ".join(f"h.{_q(c)}" for c in cols)
                kept_here[table] = [
                    tuple(r)
                    for r in cur.execute(
                        f"SELECT {collist} FROM hub.{table} h JOIN push_{table} t"
                        f" USING ({key}) WHERE h.source_db <> %s",
                        (source_db,),
                    )
                ]
    return changed, kept_here


def _copy_into_layer(cur, layer: str, rows: CopyText) -> bool:
    """``COPY`` spans new to the hub straight into their layer's partition; False
    (and nothing written) when the server turns them down, e.g. a batch sent
    again after a crash or a layer this person may not write: then they take
    the checked way."""
    psycopg = load_psycopg()
    from psycopg import sql

    cols = sql.SQL(", ").join(sql.Identifier(c) for c in (*SPAN_COLS, "source_db"))
    stmt = sql.SQL("COPY {} ({}) FROM STDIN " + COPY_OPTIONS).format(
        sql.Identifier("hub", partition(layer)), cols
    )
    cur.execute("SAVEPOINT fresh_spans")
    try:
        with cur.copy(stmt) as copy:
            copy.write(rows.text)
    except psycopg.Error:
        cur.execute("ROLLBACK TO SAVEPOINT fresh_spans")
        return False
    cur.execute("RELEASE SAVEPOINT fresh_spans")
    return True


def _push_table(cur, table, cols, key, kept, rows: CopyText) -> int:
    """Rows into a temporary table by ``COPY`` (row-level security allows no
    ``COPY FROM`` into the hub's own tables), then into the hub's table.

    When the hub has none of them (links made since the last sync, say)
    they go in by a plain ``INSERT``; only rows the hub has (edits,
    tombstones, a batch sent again after a crash) need ``ON CONFLICT``,
    which costs half as much again.
    """
    temp = f"push_{table}"
    if table in _WITH_SOURCE:
        cols = (*cols, "source_db")
    collist = ", ".join(_q(c) for c in cols)
    cur.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {temp} AS SELECT {collist} FROM hub.{table}"
        " WITH NO DATA; "
        f"TRUNCATE {temp}"
    )
    with cur.copy(f"COPY {temp} ({collist}) FROM STDIN {COPY_OPTIONS}") as copy:
        copy.write(rows.text)
    sql = f"INSERT INTO hub.{table} AS h ({collist}) SELECT {collist} FROM {temp}"
    if kept and not _any_known(cur, table, temp, key):
        psycopg = load_psycopg()
        cur.execute("SAVEPOINT fresh")
        try:
            cur.execute(sql)
        except psycopg.errors.UniqueViolation:  # written meanwhile by another push
            cur.execute("ROLLBACK TO SAVEPOINT fresh")
        else:
            n = max(cur.rowcount, 0)
            cur.execute("RELEASE SAVEPOINT fresh")
            return n
    if not kept:
        sql += f" ON CONFLICT ({key}) DO NOTHING"
    else:
        sets = [
            f"{_q(c)} = CASE WHEN excluded.deleted THEN h.{_q(c)} ELSE excluded.{_q(c)} END"
            for c in kept
        ]
        sets += ["deleted = excluded.deleted", "changed_at = excluded.changed_at"]
        sets += ["source_db = excluded.source_db"]
        sql += (
            f" ON CONFLICT ({key}) DO UPDATE SET {', '.join(sets)}"
            " WHERE (excluded.changed_at, excluded.source_db) > (h.changed_at, h.source_db)"
            " AND excluded.layer = h.layer AND excluded.doc_id = h.doc_id"
        )
    cur.execute(sql)
    return max(cur.rowcount, 0)


def _any_known(cur, table: str, temp: str, key: str) -> bool:
    """Whether the hub has a row (one this person may see) of those in ``temp``."""
    sql = f"SELECT EXISTS (SELECT 1 FROM {temp} t JOIN hub.{table} h USING ({key}))"
    return bool(cur.execute(sql).fetchone()[0])


@dataclass
class Pulled:
    """What one pull brought, and the cursor to pull from next time."""

    cursor: str
    people: list[tuple[str, str]]
    labels: list[tuple]
    documents: list[tuple]
    spans: list[tuple]
    relations: list[tuple]
    progress: list[tuple]
    decisions: list[tuple]
    assignments: list[tuple]
    rejected: list[tuple] = field(default_factory=list)
    notes: list[tuple] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows that may change the local file (people and labels not counted)."""
        return sum(
            len(x)
            for x in (
                self.documents,
                self.spans,
                self.relations,
                self.progress,
                self.decisions,
                self.assignments,
                self.rejected,
                self.notes,
            )
        )


def pull(conn, cursor: str, source_db: str) -> Pulled:
    """Everything visible to this person written since ``cursor`` (one snapshot).

    Rows this local file pushed itself (``source_db``) are left out: they are
    already here. The queries go out in one pipeline (one round trip).
    """
    psycopg = load_psycopg()
    since = {"c": cursor, "me": source_db}

    def rows(table: str, cols: tuple[str, ...], mine: bool = True) -> str:
        where = "xid >= %(c)s::xid8" + (" AND source_db <> %(me)s" if mine else "")
        order = "seq" if table == "documents" else "xid"
        collist = ", ".join(_q(c) for c in cols)
        return f"SELECT {collist} FROM hub.{table} WHERE {where} ORDER BY {order}"

    queries = {
        "people": "SELECT name, role FROM hub.people",
        "labels": f"SELECT {', '.join(LABEL_COLS)} FROM hub.labels ORDER BY position, name",
        "documents": rows("documents", DOC_COLS),
        "spans": rows("spans", SPAN_COLS),
        "relations": rows("relations", REL_COLS),
        "progress": rows("progress", PROGRESS_COLS),
        "decisions": rows("decisions", DECISION_COLS),
        "assignments": rows("assignments", ASSIGN_COLS, mine=False),
        "rejected": rows("rejected", REJECTED_COLS),
        "notes": rows("notes", NOTE_COLS),
    }
    try:
        with conn.transaction(), conn.pipeline():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            nxt = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
            sent = {
                name: conn.execute(sql, since if "%(" in sql else None)
                for name, sql in queries.items()
            }
            got = {name: [tuple(r) for r in cur.fetchall()] for name, cur in sent.items()}
            return Pulled(cursor=nxt.fetchone()[0], **got)
    except psycopg.Error as exc:
        raise HubError(f"cannot pull from the hub: {one_line(exc)}") from None
