"""The rows one push sends, read from the change log as ``COPY`` text.

SQLite writes each row as one line of PostgreSQL's CSV ``COPY`` format with
``'`` as the quote character, which is what its ``format('%Q')`` gives: a
value in single quotes with inner quotes doubled, a null as the bare word
``NULL``. ``COPY … FROM STDIN`` with ``COPY_OPTIONS`` reads the lines
back exactly (newlines, commas and quotes inside text included), so a push
of ten thousand spans builds one Python string per row instead of a tuple
of Python objects per row and a second pass to encode them.

A row that is gone here is a tombstone: (…, deleted = 1, changed_at); the
time a row last changed here is its ``changed_at`` on the hub. Columns come
in ``store.hub_sync``'s order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from annotator.store.db import Store

#: How ``COPY`` reads ``CopyText``.
COPY_OPTIONS = "(FORMAT csv, QUOTE '''', NULL 'NULL')"


@dataclass(frozen=True, slots=True)
class CopyText:
    """Rows of one table as ``COPY`` CSV lines (see the module docstring)."""

    count: int = 0
    text: str = ""

    @classmethod
    def of_lines(cls, lines: Iterable[str]) -> CopyText:
        """Rows from lines without their line ends."""
        rows = list(lines)
        return cls(len(rows), "".join(f"{line}\n" for line in rows))

    def __add__(self, other: CopyText) -> CopyText:
        return CopyText(self.count + other.count, self.text + other.text)

    @classmethod
    def of_tuples(cls, rows: Iterable[Sequence[object]]) -> CopyText:
        """Rows from Python values (str, int, bool or None), quoted as ``%Q`` does."""
        return cls.of_lines(",".join(_quote(v) for v in row) for row in rows)


def _quote(value: object) -> str:
    if value is None:
        return "NULL"
    text = str(int(value)) if isinstance(value, bool | int) else str(value)
    return "'" + text.replace("'", "''") + "'"


def _line(*exprs: str) -> str:
    """The SQL of one CSV line from column expressions (``%Q`` quotes as ``quote()``
    does, and one ``format`` call per row is twice as fast as concatenating)."""
    return f"format('{','.join(['%Q'] * len(exprs))}', {', '.join(exprs)})"


def _read(store: Store, sql: str, params: tuple) -> CopyText:
    return CopyText.of_lines(r[0] for r in store.execute(sql, params))


#: Log entries per part of a push batch (see ``push_parts``).
PART = 2_000


def push_parts(
    store: Store,
    first: int,
    last: int,
    layers: Sequence[str],
    decider: str | None,
    source_db: str,
    fresh_after: str = "",
    part: int | None = None,
) -> Iterator[dict]:
    """The rows log entries ``first``…``last`` name, as they are now, by table,
    in parts of about ``part`` entries (whole documents each, so no row is in
    two parts), read one part at a time: the hub can apply one part while
    the next is read.

    Only rows of ``layers`` (and documents; decisions only by ``decider``).
    Every row ends with ``source_db``, the pushing file's id. Spans created
    after ``fresh_after`` (the last sync) come apart, by layer, under
    ``fresh_spans``.
    """
    tables = {t for (t,) in store.execute(
        "SELECT DISTINCT tbl FROM sync_log WHERE seq BETWEEN ? AND ?", (first, last)
    )}  # fmt: skip
    for docs, lo, hi in _plan(store, first, last, part or PART):
        yield _part(store, (lo, hi, docs), layers, decider, (source_db, fresh_after), tables)


def _plan(store: Store, first: int, last: int, part: int) -> Iterator[tuple[list, int, int]]:
    """Groups of whole documents of about ``part`` log entries, oldest first, each
    with the lowest and highest log entry it has."""
    docs: list[str] = []
    n, lo, hi = 0, last, first
    for doc_id, count, low, high in store.execute(
        "SELECT doc_id, count(*), min(seq), max(seq) FROM sync_log WHERE seq BETWEEN ? AND ?"
        " GROUP BY doc_id ORDER BY min(seq)",
        (first, last),
    ):
        docs.append(doc_id)
        n, lo, hi = n + count, min(lo, low), max(hi, high)
        if n >= part:
            yield docs, lo, hi
            docs, n, lo, hi = [], 0, last, first
    if docs:
        yield docs, lo, hi


def _part(
    store: Store,
    where: tuple[int, int, list[str]],
    layers: Sequence[str],
    decider: str | None,
    source: tuple[str, str],
    tables: set[str],
) -> dict:
    lo, hi, docs = where
    source_db, fresh_after = source
    marks = ",".join("?" * len(layers))
    in_docs = f"l.doc_id IN ({','.join('?' * len(docs))})"
    rng = (source_db, lo, hi, *docs)
    out: dict = {t: CopyText() for t in _SQL if t != "fresh_spans"}
    out["fresh_spans"] = {}
    for table in tables & set(_SQL):
        if table == "decisions" and decider is None:
            continue
        sql = _SQL[table].format(layers=marks, docs=in_docs)
        params = {
            "documents": rng,
            "spans": (*rng, *layers, *layers),
            "relations": (*rng, *layers, *layers),
            "decisions": (source_db, decider, lo, hi, *docs),
        }.get(table, (*rng, *layers))
        if table == "spans":
            out["spans"], out["fresh_spans"] = _spans(store, sql, (fresh_after, *params))
        else:
            out[table] = _read(store, sql, params)
    return out


def _spans(store: Store, sql: str, params: tuple) -> tuple[CopyText, dict[str, CopyText]]:
    """Spans of one part: (the others, layer -> those created since the last sync).

    A span changed several times is logged as often; its last entry (the
    time of its last change) is the one kept. That is done here rather than
    by ``GROUP BY``, which sorts whole rows: a third faster for 10,000 spans.
    """
    last: dict[str, tuple[str | None, str]] = {}
    for key, layer, line in store.execute(sql, params):
        last[key] = (layer, line)
    rest: list[str] = []
    fresh: dict[str, list[str]] = {}
    for layer, line in last.values():
        (rest if layer is None else fresh.setdefault(layer, [])).append(line)
    return CopyText.of_lines(rest), {k: CopyText.of_lines(v) for k, v in fresh.items()}


_DOCS = _line(
    "d.id", "d.title", "d.text", "d.raw_sha256", "d.source", "d.meta", "d.cluster",
    "d.imported_at", "?",
)  # fmt: skip
_SPANS = _line(
    "l.key", "l.doc_id", "coalesce(s.layer, l.layer)", "coalesce(s.start, 0)",
    'coalesce(s."end", 0)', "coalesce(s.label, '')", "coalesce(s.origin, '')",
    "coalesce(s.created_at, '')", "coalesce(s.updated_at, '')", "s.id IS NULL", "l.at", "?",
)  # fmt: skip
_RELS = _line(
    "l.key", "l.doc_id", "coalesce(r.layer, l.layer)", "coalesce(r.label, '')",
    "coalesce(r.head, '')", "coalesce(r.tail, '')", "coalesce(r.created_at, '')",
    "coalesce(r.updated_at, '')", "r.id IS NULL", "max(l.at)", "?",
)  # fmt: skip
_PROGRESS = _line(
    "l.doc_id", "l.key", "coalesce(p.status, 'todo')", "coalesce(p.updated_at, '')",
    "p.doc_id IS NULL", "max(l.at)", "?",
)  # fmt: skip
_REJECTED = _line("r.doc_id", "r.layer", "r.start", 'r."end"', "r.label", "r.who", "r.at", "?")
_NOTES = _line(
    "l.doc_id", "l.layer", "substr(l.key, length(l.layer) + 2)", "coalesce(n.note, '')",
    "coalesce(n.unsure, 0)", "coalesce(n.updated_at, '')", "n.doc_id IS NULL", "max(l.at)", "?",
)  # fmt: skip
_DECISIONS = _line(
    "d.id", "d.reviewer", "d.doc_id", "d.conflict", "d.choice", "d.decided_at", "?"
)  # fmt: skip

#: table -> the query of one part ({layers}: the layers' marks, {docs}: the documents' test
#: on the log); parameters: the file's id, lo, hi, the documents, then the layers (twice for
#: spans and links). Spans come in two kinds: those created here since the last sync, alive
#: (``fresh_spans``, by layer: the hub has none of them unless a batch is sent again), and
#: the others (edits, tombstones, older rows): the spans query gives first the layer of a
#: span created after its first parameter, else NULL.
_SQL = {
    "documents": f"SELECT {_DOCS} FROM documents d WHERE d.id IN (SELECT l.key FROM sync_log l"
    " WHERE l.tbl = 'documents' AND l.seq BETWEEN ? AND ? AND {docs}) ORDER BY d.seq",
    "spans": "SELECT l.key, CASE WHEN s.created_at > ? THEN s.layer END,"
    f" {_SPANS} FROM sync_log l LEFT JOIN spans s ON s.id = l.key"
    " WHERE l.tbl = 'spans' AND l.seq BETWEEN ? AND ? AND {docs} AND l.layer IN ({layers})"
    " AND coalesce(s.layer, l.layer) IN ({layers}) ORDER BY l.seq",
    "relations": f"SELECT {_RELS} FROM sync_log l LEFT JOIN relations r ON r.id = l.key"
    " WHERE l.tbl = 'relations' AND l.seq BETWEEN ? AND ? AND {docs} AND l.layer IN ({layers})"
    " AND coalesce(r.layer, l.layer) IN ({layers}) GROUP BY l.key",
    "progress": f"SELECT {_PROGRESS} FROM sync_log l"
    " LEFT JOIN progress p ON p.doc_id = l.doc_id AND p.layer = l.key"
    " WHERE l.tbl = 'progress' AND l.seq BETWEEN ? AND ? AND {docs} AND l.key IN ({layers})"
    " GROUP BY l.doc_id, l.key",
    "rejected": f"SELECT {_REJECTED} FROM rejected_suggestions r WHERE EXISTS (SELECT 1"
    " FROM sync_log l WHERE l.tbl = 'rejected' AND l.seq BETWEEN ? AND ? AND {docs}"
    " AND l.doc_id = r.doc_id AND l.layer = r.layer"
    " AND l.key = r.start || ':' || r.\"end\" || ':' || r.label) AND r.layer IN ({layers})",
    "notes": f"SELECT {_NOTES} FROM sync_log l LEFT JOIN notes n ON n.doc_id = l.doc_id"
    " AND n.layer = l.layer AND l.key = n.layer || ':' || n.target"
    " WHERE l.tbl = 'notes' AND l.seq BETWEEN ? AND ? AND {docs} AND l.layer IN ({layers})"
    " GROUP BY l.doc_id, l.key",
    "decisions": f"SELECT {_DECISIONS} FROM decisions d WHERE d.reviewer = ? AND d.id IN"
    " (SELECT l.key FROM sync_log l WHERE l.tbl = 'decisions' AND l.seq BETWEEN ? AND ?"
    " AND {docs})",
}
