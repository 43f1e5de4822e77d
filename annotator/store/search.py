"""SQL for search and suggestions: FTS candidates, labeled strings, rejections."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from annotator.store.db import Store


def candidates(store: Store, match: str, batch: int = 200) -> Iterator[list[tuple[str, str]]]:
    """Batches of (doc id, text) of documents matching the FTS5 ``match``, in import order.

    (The index is contentless: the normalised text is derived again from the
    text, a batch at a time.)
    """
    cur = store.execute(
        "SELECT d.id, d.text FROM search JOIN documents d ON d.seq = search.rowid"
        " WHERE search MATCH ? ORDER BY search.rowid",
        (match,),
    )
    while rows := cur.fetchmany(batch):
        yield rows


def like_scan(store: Store, needle: str) -> list[tuple[str, str]]:
    """(doc id, text) of documents whose text contains ``needle`` (a plain LIKE scan)."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return store.execute(
        "SELECT id, text FROM documents WHERE text LIKE ? ESCAPE '\\' ORDER BY seq",
        (f"%{escaped}%",),
    ).fetchall()


def labeled_strings(store: Store, layer: str) -> list[tuple[str, str]]:
    """Distinct (label, covered text) of every span in ``layer``."""
    return store.execute(
        'SELECT DISTINCT s.label, substr(d.text, s.start + 1, s."end" - s.start)'
        " FROM spans s JOIN documents d ON d.id = s.doc_id WHERE s.layer = ?"
        " ORDER BY 1, 2",
        (layer,),
    ).fetchall()


def span_keys(store: Store, layer: str) -> set[tuple[str, int, int, str]]:
    """(doc id, start, end, label) of every span in ``layer``."""
    rows = store.execute('SELECT doc_id, start, "end", label FROM spans WHERE layer = ?', (layer,))
    return {tuple(r) for r in rows}


def rejected_keys(store: Store, layer: str) -> set[tuple[str, int, int, str]]:
    """(doc id, start, end, label) of every suggestion rejected in ``layer``."""
    rows = store.execute(
        'SELECT doc_id, start, "end", label FROM rejected_suggestions WHERE layer = ?', (layer,)
    )
    return {tuple(r) for r in rows}


def add_rejections(store: Store, rows: Sequence[tuple[str, str, int, int, str, str, str]]) -> None:
    """Record (doc id, layer, start, end, label, who, at) rejections (repeats ignored)."""
    store.conn.executemany(
        'INSERT OR IGNORE INTO rejected_suggestions (doc_id, layer, start, "end", label, who, at)'
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
