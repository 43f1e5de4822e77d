"""Writes of one review decision to the gold layer of one document, and what they changed.

A ``GoldWriter`` goes through ``services.annotate`` (permissions, events
journal), reading what it touches from the store rather than from what
``annotate`` returns, and remembers every span and link it created or removed, so that a
decision can record exactly what it did (for undo) and return ``Changes``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict

from annotator.core.changes import Changes
from annotator.core.conflicts import Conflict, RelKey, SpanKey
from annotator.core.ids import new_id
from annotator.core.model import GOLD, Relation, Span
from annotator.services import annotate
from annotator.services.project import Project
from annotator.services.review_state import decisions_in_force, document_conflicts
from annotator.store import meta, review, spans
from annotator.store.db import now

#: what ``put`` returns: gold span id per key, gold link ids in order
Ids = tuple[dict[SpanKey, str], list[str]]


def rel_key(raw: list) -> RelKey:
    """A relation key read back from JSON."""
    return (raw[0], tuple(raw[1]), tuple(raw[2]))


class GoldWriter:
    """Gold writes for one decision on one document, tracked for undo and ``Changes``."""

    def __init__(self, project: Project, actor: str, doc_id: str) -> None:
        self.project, self.actor, self.doc_id = project, actor, doc_id
        self.keys: dict[SpanKey, str] = spans.ids_by_key(project.store, doc_id, GOLD)
        self.status_before = meta.status(project.store, doc_id, GOLD)
        self.added: list[Span] = []
        self.removed: list[Span] = []
        self.rels_added: list[Relation] = []
        self.rels_removed: list[Relation] = []
        self._decided = False

    def relation_keys(self) -> dict[RelKey, str]:
        """Gold links of the document by (label, head key, tail key) -> link id."""
        by_id = {s.id: s.key for s in spans.for_document(self.project.store, self.doc_id, GOLD)}
        return {
            (r.label, by_id[r.head], by_id[r.tail]): r.id
            for r in spans.relations_for(self.project.store, self.doc_id, GOLD)
            if r.head in by_id and r.tail in by_id
        }

    def drop_spans(self, keys: set[SpanKey]) -> None:
        """Delete every gold span whose key is in ``keys`` (with its links)."""
        for span in spans.for_document(self.project.store, self.doc_id, GOLD):
            if span.key in keys:
                self.delete_spans([span.id])

    def drop_relations(self, keys: set[RelKey]) -> None:
        """Delete every gold link whose key is in ``keys``."""
        for key, rel_id in self.relation_keys().items():
            if key in keys:
                self.delete_relations([rel_id])

    def delete_spans(self, ids: Iterable[str]) -> None:
        """Delete the gold spans of ``ids`` that still exist (with their links)."""
        store = self.project.store
        for span_id in ids:
            span = spans.get(store, span_id)
            if span is None or span.layer != GOLD or span.doc_id != self.doc_id:
                continue  # gone already, or not this decision's to delete
            rels = spans.relations_touching(store, span_id)
            annotate.delete_span(self.project, self.actor, span_id)
            self.removed.append(span)
            self.rels_removed.extend(rels)
            self.keys.pop(span.key, None)

    def delete_relations(self, ids: Iterable[str]) -> None:
        """Delete the gold links of ``ids`` that still exist."""
        for rel_id in ids:
            rel = spans.get_relation(self.project.store, rel_id)
            if rel is not None and rel.layer == GOLD and rel.doc_id == self.doc_id:
                annotate.delete_relation(self.project, self.actor, rel_id)
                self.rels_removed.append(rel)

    def restore(self, span_list: Iterable[Span], relations: Iterable[Relation]) -> None:
        """Put back removed spans (same ids) and the links whose ends both exist."""
        store = self.project.store
        for span in span_list:
            if spans.get(store, span.id) is None and span.key not in self.keys:
                annotate.restore_span(self.project, self.actor, span, [])
                self.added.append(span)
                self.keys[span.key] = span.id
        for rel in relations:
            ends = spans.get(store, rel.head), spans.get(store, rel.tail)
            if None in ends or spans.get_relation(store, rel.id) is not None:
                continue
            annotate.restore_relation(self.project, self.actor, rel)
            self.rels_added.append(rel)

    def put(self, keep_spans: Iterable[SpanKey], keep_rels: Iterable[RelKey]) -> Ids:
        """Make gold hold ``keep_spans`` and ``keep_rels`` (adding only what is missing)."""
        rels = list(keep_rels)
        for key in [*keep_spans, *(k for r in rels for k in (r[1], r[2]))]:
            if key in self.keys:
                continue
            annotate.add_span(
                self.project,
                self.actor,
                self.doc_id,
                key[0],
                key[1],
                key[2],
                layer=GOLD,
                origin="adjudicated",
            )
            span = spans.find(self.project.store, self.doc_id, GOLD, *key)
            self.keys[key] = span.id
            self.added.append(span)
        existing = self.relation_keys()
        rel_ids = []
        for label, head, tail in rels:
            if (label, head, tail) in existing:
                rel_ids.append(existing[(label, head, tail)])
                continue
            annotate.add_relation(self.project, self.actor, self.keys[head], self.keys[tail], label)
            rel = self._relation(label, self.keys[head], self.keys[tail])
            self.rels_added.append(rel)
            rel_ids.append(rel.id)
        return dict(self.keys), rel_ids

    def _relation(self, label: str, head: str, tail: str) -> Relation:
        """The stored gold link ``label`` from span ``head`` to span ``tail``."""
        return next(
            r
            for r in spans.relations_for(self.project.store, self.doc_id, GOLD)
            if (r.label, r.head, r.tail) == (label, head, tail)
        )

    def gold_on(
        self, conflict: Conflict, kinds: Mapping[str, str]
    ) -> tuple[list[SpanKey], list[RelKey]]:
        """What gold holds on a conflict: spans of its label kinds there, or its claim's links."""
        if conflict.kind == "relation":
            label, head, _tail = conflict.relation_keys[0]
            return [], sorted(k for k in self.relation_keys() if (k[0], k[1]) == (label, head))
        wanted = {kinds.get(k[2], "") for k in conflict.keys}
        start, end = conflict.span
        return sorted(
            k for k in self.keys if k[0] < end and start < k[1] and kinds.get(k[2], "") in wanted
        ), []

    def result(
        self, keep_spans: list[SpanKey], keep_rels: list[RelKey], ids: Ids | None = None
    ) -> dict:
        """The ``result`` recorded with a decision: what gold holds for it and what was done."""
        span_ids, rel_ids = ids or ({}, [])
        return {
            "spans": [list(k) for k in keep_spans],
            "relations": [[r[0], list(r[1]), list(r[2])] for r in keep_rels],
            "gold_span_ids": [span_ids[k] for k in keep_spans if k in span_ids],
            "gold_relation_ids": rel_ids,
            "created_span_ids": [s.id for s in self.added],
            "created_relation_ids": [r.id for r in self.rels_added],
            "removed_spans": [s._asdict() for s in self.removed],
            "removed_relations": [asdict(r) for r in self.rels_removed],
        }

    def record(self, conflict_id: str, choice: dict) -> None:
        """Store one decisions row and bring the document's review status up to date."""
        project, doc_id = self.project, self.doc_id
        review.insert_decision(
            project.store, new_id("j"), self.actor, doc_id, conflict_id, choice, now()
        )
        self._decided = True
        conflicts = document_conflicts(project, doc_id)
        decided = decisions_in_force(project, doc_id)
        self.set_status("done" if all(c.id in decided for c in conflicts) else "in_progress")

    def set_status(self, status: str) -> None:
        """Set the gold status of the document (when it differs)."""
        if meta.status(self.project.store, self.doc_id, GOLD) != status:
            annotate.set_status(self.project, self.actor, self.doc_id, status, layer=GOLD)

    def changes(self) -> Changes:
        """Everything written so far."""
        status = meta.status(self.project.store, self.doc_id, GOLD)
        return Changes(
            spans_added=tuple(self.added),
            spans_removed=tuple(self.removed),
            relations_added=tuple(self.rels_added),
            relations_removed=tuple(self.rels_removed),
            statuses=((self.doc_id, GOLD, status),) if status != self.status_before else (),
            decisions=(self.doc_id,) if self._decided else (),
        )
