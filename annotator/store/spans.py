"""SQL for spans and relations of every layer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.model import Relation, Span
from annotator.store.db import Store, in_chunks

_SPAN_COLUMNS = 'id, doc_id, layer, start, "end", label, origin, updated_at'


def _span(row: tuple) -> Span:
    return Span(*row)


def for_document(store: Store, doc_id: str, layer: str | None = None) -> list[Span]:
    """Spans of a document (of one layer, or all), ordered by position."""
    if layer is None:
        rows = store.execute(
            f'SELECT {_SPAN_COLUMNS} FROM spans WHERE doc_id = ? ORDER BY start, "end", label',
            (doc_id,),
        )
        return [_span(r) for r in rows]
    # doc_id and layer are known: not read back per row (opening a document with
    # thousands of spans builds them all).
    rows = store.execute(
        'SELECT id, start, "end", label, origin, updated_at FROM spans'
        ' WHERE doc_id = ? AND layer = ? ORDER BY start, "end", label',
        (doc_id, layer),
    )
    return [Span(i, doc_id, layer, s, e, lab, o, u) for i, s, e, lab, o, u in rows]


def get(store: Store, span_id: str) -> Span | None:
    """The span with this id, or None."""
    row = store.execute(f"SELECT {_SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
    return _span(row) if row else None


def find(store: Store, doc_id: str, layer: str, start: int, end: int, label: str) -> Span | None:
    """The span with this key in this layer, or None."""
    row = store.execute(
        f"SELECT {_SPAN_COLUMNS} FROM spans WHERE doc_id = ? AND layer = ? AND start = ?"
        ' AND "end" = ? AND label = ?',
        (doc_id, layer, start, end, label),
    ).fetchone()
    return _span(row) if row else None


def insert(store: Store, rows: Sequence[tuple], *, ignore_existing: bool = True) -> int:
    """Insert (id, doc_id, layer, start, end, label, origin, created_at, updated_at) rows.

    With ``ignore_existing`` a row whose (doc, layer, start, end, label) is
    already stored is skipped. Returns how many rows were added (the
    statement's own rows: not what triggers or the search index wrote).
    """
    verb = "INSERT OR IGNORE" if ignore_existing else "INSERT"
    return store.conn.executemany(
        f'{verb} INTO spans (id, doc_id, layer, start, "end", label, origin, created_at,'
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    ).rowcount


def ids_by_key(store: Store, doc_id: str, layer: str) -> dict[tuple[int, int, str], str]:
    """Map (start, end, label) -> span id for one document layer."""
    rows = store.execute(
        'SELECT start, "end", label, id FROM spans WHERE doc_id = ? AND layer = ?',
        (doc_id, layer),
    )
    return {(s, e, lab): i for s, e, lab, i in rows}


def delete(store: Store, span_id: str) -> None:
    """Delete a span (its relations go with it)."""
    store.execute("DELETE FROM spans WHERE id = ?", (span_id,))


def update_label(store: Store, span_id: str, label: str, updated_at: str) -> None:
    """Change a span's label."""
    store.execute(
        "UPDATE spans SET label = ?, updated_at = ? WHERE id = ?", (label, updated_at, span_id)
    )


def update(store: Store, span: Span, updated_at: str) -> None:
    """Store a span's new edges and label (same id, same document and layer)."""
    store.execute(
        'UPDATE spans SET start = ?, "end" = ?, label = ?, updated_at = ? WHERE id = ?',
        (span.start, span.end, span.label, updated_at, span.id),
    )


def relations_for(store: Store, doc_id: str, layer: str | None = None) -> list[Relation]:
    """Relations of a document (of one layer, or all)."""
    sql = "SELECT id, doc_id, layer, label, head, tail FROM relations WHERE doc_id = ?"
    params: tuple = (doc_id,)
    if layer is not None:
        sql += " AND layer = ?"
        params += (layer,)
    return [Relation(*r) for r in store.execute(sql + " ORDER BY created_at, id", params)]


def get_relation(store: Store, relation_id: str) -> Relation | None:
    """The relation with this id, or None."""
    row = store.execute(
        "SELECT id, doc_id, layer, label, head, tail FROM relations WHERE id = ?", (relation_id,)
    ).fetchone()
    return Relation(*row) if row else None


def relations_touching(store: Store, span_id: str) -> list[Relation]:
    """Relations whose head or tail is this span."""
    rows = store.execute(
        "SELECT id, doc_id, layer, label, head, tail FROM relations WHERE head = ? OR tail = ?",
        (span_id, span_id),
    )
    return [Relation(*r) for r in rows]


def insert_relations(store: Store, rows: Sequence[tuple], *, ignore_existing: bool = True) -> int:
    """Insert (id, doc_id, layer, label, head, tail, created_at, updated_at) rows; return
    how many were added."""
    verb = "INSERT OR IGNORE" if ignore_existing else "INSERT"
    return store.conn.executemany(
        f"{verb} INTO relations (id, doc_id, layer, label, head, tail, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    ).rowcount


def delete_relation(store: Store, relation_id: str) -> None:
    """Delete one relation."""
    store.execute("DELETE FROM relations WHERE id = ?", (relation_id,))


def layers(store: Store) -> list[str]:
    """Every layer that holds spans or progress, sorted."""
    rows = store.execute("SELECT layer FROM spans UNION SELECT layer FROM progress ORDER BY 1")
    return [r[0] for r in rows]


def layers_of_document(store: Store, doc_id: str) -> list[str]:
    """Layers with spans or progress on one document, sorted."""
    rows = store.execute(
        "SELECT layer FROM spans WHERE doc_id = ? UNION SELECT layer FROM progress"
        " WHERE doc_id = ? ORDER BY 1",
        (doc_id, doc_id),
    )
    return [r[0] for r in rows]


def owners(
    store: Store, ids: Iterable[str], table: str = "spans"
) -> dict[str, tuple[str, str, str]]:
    """span id -> (doc_id, layer, label) of those of ``ids`` in ``table`` (the
    project's spans, or a staging copy of that table)."""
    out: dict[str, tuple[str, str, str]] = {}
    for chunk, marks in in_chunks(ids):
        for sid, doc, layer, label in store.execute(
            f"SELECT id, doc_id, layer, label FROM {table} WHERE id IN ({marks})", chunk
        ):
            out[sid] = (doc, layer, label)
    return out
