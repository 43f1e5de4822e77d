"""SQL for exports: bulk, ordered reads of documents with their annotations.

``iter_annotated`` walks documents in import order and merges in their spans
and relations from two ordered cursors, so an export of the whole database
costs three scans instead of a query per document. ``content_hash`` is a
SHA-256 over everything an export can contain, for the manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence

from annotator.core.model import Document, Relation, Span
from annotator.store.db import Store

#: (document, {layer: spans}, {layer: relations})
Annotated = tuple[Document, dict[str, list[Span]], dict[str, list[Relation]]]


def _layer_filter(alias: str, layers: Sequence[str] | None) -> tuple[str, list[str]]:
    if layers is None:
        return "", []
    return f" AND {alias}.layer IN ({','.join('?' * len(layers))})", list(layers)


def document_index(store: Store) -> list[tuple[str, str]]:
    """(doc_id, cluster) of every document, in import order."""
    return store.execute("SELECT id, cluster FROM documents ORDER BY seq").fetchall()


def layer_pairs(store: Store) -> set[tuple[str, str]]:
    """Every (doc_id, layer) with spans or a progress row."""
    rows = store.execute(
        "SELECT DISTINCT doc_id, layer FROM spans UNION SELECT doc_id, layer FROM progress"
    )
    return set(rows)


def statuses(store: Store, layers: Sequence[str] | None = None) -> dict[tuple[str, str], str]:
    """(doc_id, layer) -> status of every progress row (of ``layers``, or all)."""
    where, params = _layer_filter("p", layers)
    rows = store.execute(f"SELECT doc_id, layer, status FROM progress p WHERE 1{where}", params)
    return {(d, layer): s for d, layer, s in rows}


def iter_annotated(
    store: Store, layers: Sequence[str] | None = None, wanted: set[str] | None = None
) -> Iterator[Annotated]:
    """Documents in import order with their spans and relations by layer.

    ``layers`` limits the layers read (None: all); ``wanted`` limits the
    documents yielded (None: all). Spans come ordered by (start, end, label)
    (unique within a layer), relations by (label, head, tail, id).
    """
    span_where, span_params = _layer_filter("s", layers)
    # CROSS JOIN keeps documents the outer loop: spans then come in their
    # primary-key order (doc, layer, start, end, label) with no sort of every
    # span; that key is unique, so no tie needs the id.
    span_rows = store.conn.execute(
        'SELECT d.seq, s.id, s.doc_id, s.layer, s.start, s."end", s.label, s.origin, s.updated_at'
        f" FROM documents d CROSS JOIN spans s ON s.doc_id = d.id WHERE 1{span_where}"
        ' ORDER BY d.seq, s.layer, s.start, s."end", s.label',
        span_params,
    )
    rel_where, rel_params = _layer_filter("r", layers)
    rel_rows = store.conn.execute(
        "SELECT d.seq, r.id, r.doc_id, r.layer, r.label, r.head, r.tail"
        f" FROM documents d CROSS JOIN relations r ON r.doc_id = d.id WHERE 1{rel_where}"
        " ORDER BY d.seq, r.layer, r.label, r.head, r.tail, r.id",
        rel_params,
    )
    docs = store.conn.execute(
        "SELECT seq, id, text, title, source, cluster, meta FROM documents ORDER BY seq"
    )
    span_row = next(span_rows, None)
    rel_row = next(rel_rows, None)
    for seq, doc_id, text, title, source, cluster, meta in docs:
        by_layer: dict[str, list[Span]] = {}
        while span_row is not None and span_row[0] <= seq:
            if span_row[0] == seq:
                by_layer.setdefault(span_row[3], []).append(Span(*span_row[1:]))
            span_row = next(span_rows, None)
        rels: dict[str, list[Relation]] = {}
        while rel_row is not None and rel_row[0] <= seq:
            if rel_row[0] == seq:
                rels.setdefault(rel_row[3], []).append(Relation(*rel_row[1:]))
            rel_row = next(rel_rows, None)
        if wanted is not None and doc_id not in wanted:
            continue
        doc = Document(doc_id, text, title, source, cluster, json.loads(meta))
        yield doc, by_layer, rels


def content_hash(store: Store) -> str:
    """SHA-256 (hex) of documents, labels, spans, relations and progress, in key order
    (spans by (document, layer, start, end, label)).

    Times are left out: the hash changes when the content does, not when a
    row is rewritten unchanged.
    """
    h = hashlib.sha256()
    queries = (
        "SELECT id, title, source, cluster, meta FROM documents ORDER BY id",
        "SELECT name, kind, name_en, name_ar, color, shortcut, head, tail, position"
        " FROM labels ORDER BY name",
        # primary-key order: one pass over the table (the id index would cost a
        # lookup per span)
        'SELECT id, doc_id, layer, start, "end", label, origin FROM spans'
        ' ORDER BY doc_id, layer, start, "end", label',
        "SELECT id, doc_id, layer, label, head, tail FROM relations ORDER BY id",
        "SELECT doc_id, layer, status FROM progress ORDER BY doc_id, layer",
    )
    for sql in queries:
        h.update(sql.encode())
        cur = store.conn.execute(sql)
        while rows := cur.fetchmany(5000):
            h.update(repr(rows).encode("utf-8"))
    return h.hexdigest()
