"""Browsing documents: the paged document list, progress, and reading one document.

The GUI's document list pages through ``list_page`` so that 100,000
documents open instantly; each row carries the status and span count of one
layer (a curator sees only their own).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.errors import UserError
from annotator.core.model import GOLD, Document
from annotator.services import search
from annotator.services.project import Project
from annotator.services.search import Hit
from annotator.store import browse, documents, spans

PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class DocRow:
    """One line of the document list."""

    seq: int
    id: str
    title: str
    status: str
    span_count: int


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the document list shows: a status, a substring, given ids, or only the
    documents the team hub assigned to the layer's curator."""

    status: str | None = None
    contains: str | None = None
    ids: tuple[str, ...] | None = None
    assigned: bool = False


def list_page(
    project: Project,
    layer: str,
    after_seq: int = 0,
    limit: int = PAGE_SIZE,
    flt: ListFilter | None = None,
) -> list[DocRow]:
    """Up to ``limit`` rows after import position ``after_seq`` (0: from the start)."""
    flt = flt or ListFilter()
    rows = browse.page(
        project.store,
        layer,
        after_seq,
        limit,
        status=flt.status,
        contains=flt.contains or None,
        ids=flt.ids,
        assigned_to=layer if flt.assigned else None,
    )
    return [DocRow(*r) for r in rows]


def list_row(project: Project, layer: str, doc_id: str) -> DocRow | None:
    """The current list row of one document (after an edit), or None."""
    got = browse.row(project.store, layer, doc_id)
    return DocRow(*got) if got else None


def get_document(project: Project, doc_id: str) -> Document:
    """The document ``doc_id``; raises UserError if there is none."""
    doc = documents.get(project.store, doc_id)
    if doc is None:
        raise UserError(f"no document {doc_id}")
    return doc


def neighbour(project: Project, doc_id: str, step: int) -> str | None:
    """The next (step 1) or previous (step -1) document in import order, or None."""
    return browse.neighbour(project.store, doc_id, step)


def progress(project: Project, layer: str) -> tuple[int, int]:
    """(documents done in ``layer``, all documents)."""
    return browse.done_count(project.store, layer), documents.count(project.store)


def search_hits(project: Project, query: str, limit: int = 5_000) -> list[Hit]:
    """Hits (doc_id, start, end, snippet) of the normalised corpus search for ``query``.

    Whole words only: while a word is still being typed there may be none, and
    the list then filters by plain substring (``ListFilter.contains``).
    """
    return search.search(project, query, limit=limit)


def default_layer(project: Project, doc_id: str) -> str:
    """The layer to show for a document: ``gold`` if it has spans, else the first one."""
    layers = spans.layers_of_document(project.store, doc_id)
    with_spans = [ly for ly in layers if spans.for_document(project.store, doc_id, ly)]
    if GOLD in with_spans or not with_spans:
        return GOLD
    return with_spans[0]
