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

from collections.abc import Iterable, Sequence
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


def push_rows(
    store: Store, first: int, last: int, layers: Sequence[str], decider: str | None
) -> dict[str, CopyText]:
    """The rows log entries ``first``…``last`` name, as they are now, by table.

    Only rows of ``layers`` (and documents; decisions only by ``decider``).
    """
    marks = ",".join("?" * len(layers))
    rng = (first, last)
    out: dict[str, CopyText] = {}
    docs = _line(
        "d.id", "d.title", "d.text", "d.raw_sha256", "d.source", "d.meta", "d.cluster",
        "d.imported_at",
    )  # fmt: skip
    out["documents"] = _read(
        store,
        f"SELECT {docs} FROM documents d WHERE d.id IN (SELECT key FROM sync_log"
        " WHERE tbl = 'documents' AND seq BETWEEN ? AND ?) ORDER BY d.seq",
        rng,
    )
    spans = _line(
        "l.key", "l.doc_id", "coalesce(s.layer, l.layer)", "coalesce(s.start, 0)",
        'coalesce(s."end", 0)', "coalesce(s.label, '')", "coalesce(s.origin, '')",
        "coalesce(s.created_at, '')", "coalesce(s.updated_at, '')", "s.id IS NULL", "max(l.at)",
    )  # fmt: skip
    out["spans"] = _read(
        store,
        f"SELECT {spans} FROM sync_log l LEFT JOIN spans s ON s.id = l.key"
        f" WHERE l.tbl = 'spans' AND l.seq BETWEEN ? AND ? AND l.layer IN ({marks})"
        f" AND coalesce(s.layer, l.layer) IN ({marks}) GROUP BY l.key",
        (*rng, *layers, *layers),
    )
    rels = _line(
        "l.key", "l.doc_id", "coalesce(r.layer, l.layer)", "coalesce(r.label, '')",
        "coalesce(r.head, '')", "coalesce(r.tail, '')", "coalesce(r.created_at, '')",
        "coalesce(r.updated_at, '')", "r.id IS NULL", "max(l.at)",
    )  # fmt: skip
    out["relations"] = _read(
        store,
        f"SELECT {rels} FROM sync_log l LEFT JOIN relations r ON r.id = l.key"
        f" WHERE l.tbl = 'relations' AND l.seq BETWEEN ? AND ? AND l.layer IN ({marks})"
        f" AND coalesce(r.layer, l.layer) IN ({marks}) GROUP BY l.key",
        (*rng, *layers, *layers),
    )
    progress = _line(
        "l.doc_id", "l.key", "coalesce(p.status, 'todo')", "coalesce(p.updated_at, '')",
        "p.doc_id IS NULL", "max(l.at)",
    )  # fmt: skip
    out["progress"] = _read(
        store,
        f"SELECT {progress} FROM sync_log l"
        " LEFT JOIN progress p ON p.doc_id = l.doc_id AND p.layer = l.key"
        f" WHERE l.tbl = 'progress' AND l.seq BETWEEN ? AND ? AND l.key IN ({marks})"
        " GROUP BY l.doc_id, l.key",
        (*rng, *layers),
    )
    rejected = _line("r.doc_id", "r.layer", "r.start", 'r."end"', "r.label", "r.who", "r.at")
    out["rejected"] = _read(
        store,
        f"SELECT {rejected} FROM rejected_suggestions r WHERE EXISTS (SELECT 1 FROM sync_log l"
        " WHERE l.tbl = 'rejected' AND l.seq BETWEEN ? AND ? AND l.doc_id = r.doc_id"
        " AND l.layer = r.layer AND l.key = r.start || ':' || r.\"end\" || ':' || r.label)"
        f" AND r.layer IN ({marks})",
        (*rng, *layers),
    )
    notes = _line(
        "l.doc_id", "l.layer", "substr(l.key, length(l.layer) + 2)", "coalesce(n.note, '')",
        "coalesce(n.unsure, 0)", "coalesce(n.updated_at, '')", "n.doc_id IS NULL", "max(l.at)",
    )  # fmt: skip
    out["notes"] = _read(
        store,
        f"SELECT {notes} FROM sync_log l LEFT JOIN notes n ON n.doc_id = l.doc_id"
        " AND n.layer = l.layer AND l.key = n.layer || ':' || n.target"
        f" WHERE l.tbl = 'notes' AND l.seq BETWEEN ? AND ? AND l.layer IN ({marks})"
        " GROUP BY l.doc_id, l.key",
        (*rng, *layers),
    )
    out["decisions"] = CopyText()
    if decider is not None:
        decisions = _line(
            "d.id", "d.reviewer", "d.doc_id", "d.conflict", "d.choice", "d.decided_at"
        )
        out["decisions"] = _read(
            store,
            f"SELECT {decisions} FROM decisions d WHERE d.reviewer = ? AND d.id IN"
            " (SELECT key FROM sync_log WHERE tbl = 'decisions' AND seq BETWEEN ? AND ?)",
            (decider, *rng),
        )
    return out
