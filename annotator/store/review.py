"""SQL for review: which layers annotated what, all span keys, decisions."""

from __future__ import annotations

import json
from collections.abc import Iterable

from annotator.core.model import GOLD
from annotator.store.db import Store, in_chunks


def document_layers(store: Store) -> dict[str, list[str]]:
    """doc_id -> sorted non-gold layers with spans or progress on it."""
    rows = store.execute(
        "SELECT doc_id, layer FROM spans WHERE layer != ? UNION"
        " SELECT doc_id, layer FROM progress WHERE layer != ? ORDER BY 1, 2",
        (GOLD, GOLD),
    )
    out: dict[str, list[str]] = {}
    for doc_id, layer in rows:
        out.setdefault(doc_id, []).append(layer)
    return out


def statuses(store: Store, layer: str) -> dict[str, str]:
    """doc_id -> progress status of every document with a progress row in ``layer``."""
    rows = store.execute("SELECT doc_id, status FROM progress WHERE layer = ?", (layer,))
    return dict(rows.fetchall())


def span_keys(store: Store) -> dict[str, dict[str, list[tuple[int, int, str]]]]:
    """doc_id -> layer -> span keys (start, end, label) of every non-gold layer."""
    out: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
    for doc_id, layer, start, end, label in store.execute(
        'SELECT doc_id, layer, start, "end", label FROM spans WHERE layer != ?'
        ' ORDER BY doc_id, layer, start, "end", label',
        (GOLD,),
    ):
        out.setdefault(doc_id, {}).setdefault(layer, []).append((start, end, label))
    return out


def texts(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """doc_id -> text for ``ids``, in import order."""
    out: list[tuple[int, str, str]] = []
    for chunk, marks in in_chunks(ids):
        out.extend(
            store.execute(f"SELECT seq, id, text FROM documents WHERE id IN ({marks})", chunk)
        )
    return {doc_id: text for _, doc_id, text in sorted(out)}


def titles(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """doc_id -> title for ``ids``, in import order."""
    out: list[tuple[int, str, str]] = []
    for chunk, marks in in_chunks(ids):
        out.extend(
            store.execute(f"SELECT seq, id, title FROM documents WHERE id IN ({marks})", chunk)
        )
    return {doc_id: title for _, doc_id, title in sorted(out)}


def insert_decision(
    store: Store,
    decision_id: str,
    reviewer: str,
    doc_id: str,
    conflict: str,
    choice: dict,
    decided_at: str,
) -> None:
    """Record one adjudication decision (choice as JSON)."""
    store.execute(
        "INSERT INTO decisions (id, reviewer, doc_id, conflict, choice, decided_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            decision_id,
            reviewer,
            doc_id,
            conflict,
            json.dumps(choice, ensure_ascii=False, sort_keys=True),
            decided_at,
        ),
    )


def decisions(store: Store, doc_id: str | None = None) -> list[dict]:
    """Decisions (of one document, or all), oldest first, choice parsed."""
    sql = "SELECT id, reviewer, doc_id, conflict, choice, decided_at FROM decisions"
    params: tuple = ()
    if doc_id is not None:
        sql += " WHERE doc_id = ?"
        params = (doc_id,)
    rows = store.execute(sql + " ORDER BY decided_at, id", params)
    return [
        {
            "id": i,
            "reviewer": r,
            "doc_id": d,
            "conflict": c,
            "choice": json.loads(ch),
            "decided_at": at,
        }
        for i, r, d, c, ch, at in rows
    ]


def latest_decisions(store: Store, doc_id: str) -> dict[str, dict]:
    """conflict id -> the latest decision on it, for one document."""
    return {d["conflict"]: d for d in decisions(store, doc_id)}
