"""Annotation edits: spans, relations and document status, with permissions.

Every function is one transaction that also appends to the events journal,
so an edit is durable once the function returns (``synchronous=FULL``).
Curators write only their own layer; reviewers may also write ``gold``.
Every writing function returns the ``Changes`` it made, for undo and for
refreshing views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from annotator.core.changes import Changes, StatusChange
from annotator.core.errors import PermissionDenied, UserError
from annotator.core.ids import new_id
from annotator.core.model import GOLD, STATUSES, Relation, Span, check_span_bounds
from annotator.core.validate import layer_name_problem
from annotator.services.project import Project
from annotator.store import documents, meta, spans
from annotator.store.db import now

#: The journal entry of a batch of accepted suggestions (``services.suggest.accept_all``).
SUGGESTION_BATCH = "accept_suggestions"


def role_of(project: Project, name: str) -> str | None:
    """The role of annotator ``name`` (None if unknown)."""
    return meta.annotators(project.store).get(name)


def register(project: Project, name: str, role: str = "curator") -> str:
    """Make ``name`` known (as ``role`` if new); return their role.

    Raises UserError for an empty name or the reserved layer name ``gold``.
    """
    name = name.strip()
    problem = layer_name_problem(name)
    if problem:
        raise UserError(f"cannot be an annotator name: {problem}")
    with project.store.transaction():
        return meta.ensure_annotator(project.store, name, role)


def check_write(project: Project, actor: str, layer: str) -> None:
    """Raise PermissionDenied unless ``actor`` may write ``layer``."""
    role = role_of(project, actor)
    if role is None:
        raise PermissionDenied(f"unknown annotator {actor!r}")
    if layer == actor and actor != GOLD:
        return
    if layer == GOLD and role == "reviewer":
        return
    if layer == GOLD:
        raise PermissionDenied(f"{actor} is a curator: only reviewers write the gold layer")
    raise PermissionDenied(f"{actor} may not write the layer of {layer}")


def add_span(
    project: Project,
    actor: str,
    doc_id: str,
    start: int,
    end: int,
    label: str,
    *,
    layer: str | None = None,
    origin: str = "manual",
) -> Changes:
    """Store a span in ``layer`` (default: the actor's own).

    Returns the new span in ``spans_added``; adding a span that the layer
    already has changes nothing (``Changes()``). Raises UserError for an
    unknown document or label or bad offsets.
    """
    layer = layer or actor
    check_write(project, actor, layer)
    text = _checked_text(project, doc_id, start, end, label)
    with project.store.transaction():
        if spans.find(project.store, doc_id, layer, start, end, label):
            return Changes()
        at = now()
        span = Span(new_id("s"), doc_id, layer, start, end, label, origin, at)
        _insert_span(project, span, at)
        meta.log_event(project.store, actor, "add_span", doc_id, None, _span_json(span, text))
        status = _touch_status(project, doc_id, layer)
    return Changes(spans_added=(span,), statuses=status)


def update_span(
    project: Project,
    actor: str,
    span_id: str,
    *,
    start: int | None = None,
    end: int | None = None,
    label: str | None = None,
) -> Changes:
    """Relabel or move the edges of one span in place (same id, links kept).

    Returns the span as it is now in ``spans_changed`` (``Changes()`` when
    nothing differs). Raises UserError for bad offsets, an unknown label, a
    label its links do not allow, or a span the layer already has.
    """
    old = spans.get(project.store, span_id)
    if old is None:
        raise UserError(f"no span {span_id}")
    check_write(project, actor, old.layer)
    new = old._replace(
        start=old.start if start is None else start,
        end=old.end if end is None else end,
        label=old.label if label is None else label,
    )
    if new.key == old.key:
        return Changes()
    text = _checked_text(project, new.doc_id, new.start, new.end, new.label)
    with project.store.transaction():
        if spans.find(project.store, new.doc_id, new.layer, *new.key):
            raise UserError(f"the layer already has {new.label} [{new.start}, {new.end})")
        if new.label != old.label:
            _check_links_allow(project, old, new.label)
        at = now()
        new = new._replace(updated_at=at)
        spans.update(project.store, new, at)
        meta.log_event(
            project.store,
            actor,
            "update_span",
            new.doc_id,
            _span_json(old, text),
            _span_json(new, text),
        )
    return Changes(spans_changed=(new,))


def restore_span(
    project: Project, actor: str, span: Span, relations: Sequence[Relation] = ()
) -> Changes:
    """Put back a deleted span, with its id and relations (undo of delete)."""
    check_write(project, actor, span.layer)
    with project.store.transaction():
        _insert_span(project, span, now())
        _insert_relations(project, relations)
        meta.log_event(project.store, actor, "restore_span", span.doc_id, None, span._asdict())
    return Changes(spans_added=(span,), relations_added=tuple(relations))


def delete_span(project: Project, actor: str, span_id: str) -> Changes:
    """Delete a span and its relations; both are in the returned Changes (for undo)."""
    span = spans.get(project.store, span_id)
    if span is None:
        raise UserError(f"no span {span_id}")
    check_write(project, actor, span.layer)
    with project.store.transaction():
        rels = spans.relations_touching(project.store, span_id)
        spans.delete(project.store, span_id)
        meta.log_event(
            project.store,
            actor,
            "delete_span",
            span.doc_id,
            {"span": span._asdict(), "relations": [asdict(r) for r in rels]},
            None,
        )
    return Changes(spans_removed=(span,), relations_removed=tuple(rels))


def add_relation(
    project: Project, actor: str, head_id: str, tail_id: str, label: str = "ATTRIBUTED_TO"
) -> Changes:
    """Link two spans of one layer (e.g. a CLAIM to its SOURCE).

    Returns the link in ``relations_added`` (``Changes()`` when it exists).
    Raises UserError if the spans are in different documents or layers, or
    their labels do not fit the relation type.
    """
    rel_type = project.schema.relation(label)
    if rel_type is None:
        raise UserError(f"unknown relation {label!r}")
    head, tail = spans.get(project.store, head_id), spans.get(project.store, tail_id)
    if head is None or tail is None:
        raise UserError("both spans of a link must exist")
    if (head.doc_id, head.layer) != (tail.doc_id, tail.layer):
        raise UserError("a link joins two spans of the same document and layer")
    if head.label != rel_type.head or tail.label != rel_type.tail:
        raise UserError(f"{label} links a {rel_type.head} to a {rel_type.tail}")
    check_write(project, actor, head.layer)
    with project.store.transaction():
        for rel in spans.relations_for(project.store, head.doc_id, head.layer):
            if (rel.label, rel.head, rel.tail) == (label, head_id, tail_id):
                return Changes()
        rel = Relation(new_id("r"), head.doc_id, head.layer, label, head_id, tail_id)
        _insert_relations(project, [rel])
        meta.log_event(project.store, actor, "add_relation", rel.doc_id, None, asdict(rel))
    return Changes(relations_added=(rel,))


def delete_relation(project: Project, actor: str, relation_id: str) -> Changes:
    """Delete one relation; it is in the returned ``relations_removed`` (for undo)."""
    rel = spans.get_relation(project.store, relation_id)
    if rel is None:
        raise UserError(f"no relation {relation_id}")
    check_write(project, actor, rel.layer)
    with project.store.transaction():
        spans.delete_relation(project.store, relation_id)
        meta.log_event(project.store, actor, "delete_relation", rel.doc_id, asdict(rel), None)
    return Changes(relations_removed=(rel,))


def restore_relation(project: Project, actor: str, relation: Relation) -> Changes:
    """Put back a deleted relation (undo of delete)."""
    check_write(project, actor, relation.layer)
    with project.store.transaction():
        _insert_relations(project, [relation])
        meta.log_event(
            project.store, actor, "restore_relation", relation.doc_id, None, asdict(relation)
        )
    return Changes(relations_added=(relation,))


def status_of(project: Project, doc_id: str, layer: str) -> str:
    """A document's status in a layer (``todo`` when never set)."""
    return meta.status(project.store, doc_id, layer)


def set_status(
    project: Project, actor: str, doc_id: str, status: str, *, layer: str | None = None
) -> Changes:
    """Set a document's status in a layer; the new one is in ``statuses``."""
    layer = layer or actor
    if status not in STATUSES:
        raise UserError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
    check_write(project, actor, layer)
    with project.store.transaction():
        before = meta.status(project.store, doc_id, layer)
        if before == status:
            return Changes()
        meta.set_status(project.store, [(doc_id, layer, status)])
        meta.log_event(
            project.store,
            actor,
            "set_status",
            doc_id,
            {"layer": layer, "status": before},
            {"layer": layer, "status": status},
        )
    return Changes(statuses=((doc_id, layer, status),))


def recent_edits(project: Project, actor: str, limit: int) -> list[tuple]:
    """The last ``limit`` journal entries of ``actor``: (id, action, doc_id, before, after)."""
    return meta.recent_events(project.store, actor, limit)


def layer_spans(project: Project, doc_id: str, layer: str) -> list[Span]:
    """Spans of one layer of a document, ordered by position."""
    return spans.for_document(project.store, doc_id, layer)


def layer_relations(project: Project, doc_id: str, layer: str) -> list[Relation]:
    """Relations of one layer of a document."""
    return spans.relations_for(project.store, doc_id, layer)


def _insert_span(project: Project, span: Span, at: str) -> None:
    stamp = span.updated_at or at
    spans.insert(
        project.store,
        [
            (
                span.id,
                span.doc_id,
                span.layer,
                span.start,
                span.end,
                span.label,
                span.origin,
                stamp,
                stamp,
            )
        ],
        ignore_existing=False,
    )


def _insert_relations(project: Project, relations: Sequence[Relation]) -> None:
    at = now()
    spans.insert_relations(
        project.store,
        [(r.id, r.doc_id, r.layer, r.label, r.head, r.tail, at, at) for r in relations],
    )


def _touch_status(project: Project, doc_id: str, layer: str) -> tuple[StatusChange, ...]:
    if meta.status(project.store, doc_id, layer) == "todo":
        meta.set_status(project.store, [(doc_id, layer, "in_progress")])
        return ((doc_id, layer, "in_progress"),)
    return ()


def _checked_text(project: Project, doc_id: str, start: int, end: int, label: str) -> str:
    """The document's text, once the span's offsets and label are known to be good."""
    doc = documents.get(project.store, doc_id)
    if doc is None:
        raise UserError(f"no document {doc_id}")
    problem = check_span_bounds(len(doc.text), start, end)
    if problem:
        raise UserError(problem)
    if project.schema.label(label) is None:
        raise UserError(f"unknown label {label!r}")
    return doc.text


def _check_links_allow(project: Project, span: Span, label: str) -> None:
    """Refuse a new label that the span's links do not accept (a linked CLAIM stays a CLAIM)."""
    for rel in spans.relations_touching(project.store, span.id):
        rel_type = project.schema.relation(rel.label)
        if rel_type is None:
            continue
        want = rel_type.head if rel.head == span.id else rel_type.tail
        if label != want:
            raise UserError(f"{span.label} is linked ({rel.label}): unlink it before relabelling")


def _span_json(span: Span, text: str) -> dict:
    return span._asdict() | {"text": text[span.start : span.end]}
