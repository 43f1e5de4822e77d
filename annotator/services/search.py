"""Normalised search across the corpus, with hits at exact original offsets.

The FTS5 index (filled at import) narrows the corpus to documents that hold
every word of the query, possibly behind proclitics; each candidate is then
searched exactly in its normalised text and the matches are mapped back to
code-point offsets of the stored text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.arabic import normalize_many
from annotator.core.search import compile_query, find, fts_query, snippet
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
    follow و ف ب ك ل ال. A blank or punctuation-only query gives no hits.
    """
    compiled = compile_query(query, taa_marbuta=taa_marbuta, hamza=hamza)
    match = fts_query(compiled)
    if match is None or limit <= 0:
        return []
    hits: list[Hit] = []
    for doc_id, text, norm in _normalised(project, match):
        for start, end in find(text, compiled, limit - len(hits), norm=norm):
            hits.append(Hit(doc_id, start, end, snippet(text, start, end)))
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
    for doc_id, text, norm in _normalised(project, match):
        if find(text, compiled, 1, norm=norm):
            out.append(doc_id)
            if len(out) >= limit:
                break
    return out


def _normalised(project: Project, match: str) -> Iterator[tuple[str, str, str]]:
    """(doc id, text, normalised text) of the index's candidates, normalised a batch at once."""
    for rows in search_store.candidates(project.store, match):
        norms = normalize_many([text for _, text in rows])
        for (doc_id, text), norm in zip(rows, norms, strict=True):
            yield doc_id, text, norm
