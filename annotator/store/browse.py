"""SQL for the document list: keyset-paged rows with status and span count."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.store.db import Store

_ROW = (
    "SELECT d.seq, d.id, d.title, coalesce(p.status, 'todo'),"
    " (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND s.layer = :layer)"
    " FROM documents d LEFT JOIN progress p ON p.doc_id = d.id AND p.layer = :layer"
)


def page(
    store: Store,
    layer: str,
    after_seq: int,
    limit: int,
    *,
    status: str | None = None,
    contains: str | None = None,
    ids: Sequence[str] | None = None,
    assigned_to: str | None = None,
) -> list[tuple[int, str, str, str, int]]:
    """Up to ``limit`` rows (seq, id, title, status, span count) with seq > ``after_seq``.

    Filters: ``status`` in ``layer``; ``contains`` as a substring of title or
    text; ``ids`` restricts to those documents; ``assigned_to`` to the
    documents the hub assigned to that curator. Rows come in import order.
    """
    where = ["d.seq > :after"]
    params: dict[str, object] = {"layer": layer, "after": after_seq, "limit": limit}
    if status is not None:
        where.append("coalesce(p.status, 'todo') = :status")
        params["status"] = status
    if contains:
        where.append("(instr(d.title, :q) > 0 OR instr(d.text, :q) > 0)")
        params["q"] = contains
    if ids is not None:
        marks = ",".join(f":id{i}" for i in range(len(ids)))
        where.append(f"d.id IN ({marks})")
        params.update({f"id{i}": doc_id for i, doc_id in enumerate(ids)})
    if assigned_to is not None:
        where.append("d.id IN (SELECT doc_id FROM assignments WHERE curator = :curator)")
        params["curator"] = assigned_to
    sql = f"{_ROW} WHERE {' AND '.join(where)} ORDER BY d.seq LIMIT :limit"
    return [tuple(r) for r in store.execute(sql, params)]


def row(store: Store, layer: str, doc_id: str) -> tuple[int, str, str, str, int] | None:
    """The list row of one document, or None."""
    got = store.execute(f"{_ROW} WHERE d.id = :id", {"layer": layer, "id": doc_id}).fetchone()
    return tuple(got) if got else None


def neighbour(store: Store, doc_id: str, step: int) -> str | None:
    """The id of the document imported just after (step 1) or before (-1) ``doc_id``."""
    op, order = (">", "ASC") if step > 0 else ("<", "DESC")
    got = store.execute(
        f"SELECT id FROM documents WHERE seq {op} (SELECT seq FROM documents WHERE id = ?)"
        f" ORDER BY seq {order} LIMIT 1",
        (doc_id,),
    ).fetchone()
    return got[0] if got else None


def done_count(store: Store, layer: str) -> int:
    """How many documents are marked done in ``layer``."""
    return store.execute(
        "SELECT count(*) FROM progress WHERE layer = ? AND status = 'done'", (layer,)
    ).fetchone()[0]
