"""SQL for corpus figures."""

from __future__ import annotations

from annotator.store.db import Store


def document_count(store: Store) -> int:
    """Number of documents."""
    return store.execute("SELECT count(*) FROM documents").fetchone()[0]


def cluster_count(store: Store) -> int:
    """Number of near-duplicate clusters (a lone document is its own)."""
    return store.execute("SELECT count(DISTINCT cluster) FROM documents").fetchone()[0]


def span_counts(store: Store) -> list[tuple[str, str, int]]:
    """(layer, label, count) rows."""
    return store.execute(
        "SELECT layer, label, count(*) FROM spans GROUP BY layer, label ORDER BY layer, label"
    ).fetchall()


def relation_counts(store: Store) -> list[tuple[str, int]]:
    """(layer, count) rows of relations."""
    return store.execute("SELECT layer, count(*) FROM relations GROUP BY layer").fetchall()


def progress_layers(store: Store) -> list[str]:
    """Layers with any progress row."""
    return [r[0] for r in store.execute("SELECT DISTINCT layer FROM progress")]
