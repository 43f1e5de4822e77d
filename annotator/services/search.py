"""Normalised search across the corpus, with hits at exact original offsets.

The FTS5 index (filled at import) narrows the corpus to documents that hold
every word of the query, possibly behind proclitics; each candidate is then
searched exactly in its normalised text and the matches are mapped back to
code-point offsets of the stored text (a batch of candidates at a time,
``core.search_many``).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.search import compile_query, fts_query, snippet
from annotator.core.search_many import find_many
from annotator.services.project import Project
from annotator.store import search as search_store

DEFAULT_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Hit:
    """One match: document, code-point offsets in its text, a one-line context."""

    doc_id: str
    start: int
    end: int
    snippet: str


def search(
    project: Project,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    taa_marbuta: bool = False,
    hamza: bool = False,
) -> list[Hit]:
    """Up to ``limit`` hits of ``query`` in import order, then by position.

    Text is folded as docs/search.md says (tashkeel, tatweel, hamza forms of
    alef, alef maksura, presentation forms …; taa marbuta against heh when
    ``taa_marbuta``, the hamza seats ؤ ئ ء as one when ``hamza``); a match may
    follow و ف ب ك ل ال (only و or ف before a first word of one or two
    letters). A blank or punctuation-only query gives no hits.
    """
    compiled = compile_query(query, taa_marbuta=taa_marbuta, hamza=hamza)
    match = fts_query(compiled)
    if match is None or limit <= 0:
        return []
    hits: list[Hit] = []
    for rows in search_store.candidates(project.store, match):
        texts = [text for _, text in rows]
        found = find_many(texts, compiled, limit - len(hits))
        for (doc_id, text), spans in zip(rows, found, strict=True):
            hits.extend(Hit(doc_id, a, b, snippet(text, a, b)) for a, b in spans)
        if len(hits) >= limit:
            break
    return hits


def matching_documents(
    project: Project,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    taa_marbuta: bool = False,
    hamza: bool = False,
) -> list[str]:
    """Ids of the documents holding at least one hit (for filtering a document list)."""
    compiled = compile_query(query, taa_marbuta=taa_marbuta, hamza=hamza)
    match = fts_query(compiled)
    if match is None:
        return []
    out: list[str] = []
    for rows in search_store.candidates(project.store, match):
        found = find_many([text for _, text in rows], compiled)
        out.extend(doc_id for (doc_id, _), spans in zip(rows, found, strict=True) if spans)
        if len(out) >= limit:
            return out[:limit]
    return out
