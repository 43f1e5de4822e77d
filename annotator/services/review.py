"""Review and adjudication: conflicts, agreement, decisions, the gold layer.

Only reviewers decide conflicts; every decision is one transaction that
writes the ``gold`` layer through ``services.annotate`` (origin
``adjudicated``) and records what was chosen, from which layers, in the
decisions table. Review progress of a document is the ``gold`` layer's
progress row: ``in_progress`` until every conflict is decided, then ``done``.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core import agreement as agreement_math
from annotator.core.conflicts import (
    Conflict,
    RelKey,
    SpanKey,
    find_conflicts,
    layers_from,
    unanimous_relations,
    unanimous_spans,
)
from annotator.core.errors import PermissionDenied, UserError
from annotator.core.ids import new_id
from annotator.core.model import GOLD
from annotator.services import annotate
from annotator.services.project import Project
from annotator.store import documents, meta, review, spans
from annotator.store.db import now

UNANIMOUS = "unanimous"
ACTIONS = ("accept", "reject", "edit")


@dataclass(frozen=True, slots=True)
class DocumentReview:
    """Review state of one document annotated by two or more layers."""

    doc_id: str
    title: str
    layers: tuple[str, ...]
    conflicts: int
    decided: int
    status: str


def require_reviewer(project: Project, name: str) -> None:
    """Raise PermissionDenied unless ``name`` is a registered reviewer."""
    role = annotate.role_of(project, name)
    if role is None:
        raise PermissionDenied(f"unknown annotator {name!r}: add them with `annotator users add`")
    if role != "reviewer":
        raise PermissionDenied(f"{name} is a {role}: only reviewers review and decide conflicts")


def curator_layers(project: Project, doc_id: str) -> list[str]:
    """Layers (not gold) with spans or progress on a document, sorted."""
    return [layer for layer in spans.layers_of_document(project.store, doc_id) if layer != GOLD]


def _label_kinds(project: Project) -> dict[str, str]:
    return {lab.name: lab.kind for lab in project.schema.labels}


def document_conflicts(project: Project, doc_id: str) -> list[Conflict]:
    """Conflicts between the curator layers of one document."""
    names = curator_layers(project, doc_id)
    if len(names) < 2:
        return []
    store = project.store
    layers = layers_from(
        spans.for_document(store, doc_id), spans.relations_for(store, doc_id), names
    )
    return find_conflicts(doc_id, layers, _label_kinds(project))


def reviewable_documents(project: Project) -> list[str]:
    """Ids of documents annotated by two or more curator layers, in import order."""
    multi = [d for d, ls in review.document_layers(project.store).items() if len(ls) >= 2]
    return list(review.titles(project.store, multi))


def all_conflicts(project: Project) -> list[Conflict]:
    """Conflicts of every document, documents in import order."""
    return [c for d in reviewable_documents(project) for c in document_conflicts(project, d)]


def is_decided(project: Project, conflict: Conflict) -> bool:
    """True when a decision on this conflict is recorded."""
    return conflict.id in review.latest_decisions(project.store, conflict.doc_id)


def decided_ids(project: Project, doc_id: str) -> set[str]:
    """Ids of the conflicts of a document that have a decision."""
    return set(review.latest_decisions(project.store, doc_id))


def review_documents(project: Project) -> list[DocumentReview]:
    """Review state of every reviewable document, in import order."""
    ids = reviewable_documents(project)
    titles = review.titles(project.store, ids)
    out = []
    for doc_id in ids:
        conflicts = document_conflicts(project, doc_id)
        decided = review.latest_decisions(project.store, doc_id)
        out.append(
            DocumentReview(
                doc_id,
                titles[doc_id],
                tuple(curator_layers(project, doc_id)),
                len(conflicts),
                sum(1 for c in conflicts if c.id in decided),
                meta.status(project.store, doc_id, GOLD),
            )
        )
    return out


def conflicts_json(project: Project, conflicts: list[Conflict]) -> dict:
    """``{"conflicts": [...]}``: each names doc_id, kind, spans and the layers on each side."""
    texts: dict[str, str] = {}
    decided: dict[str, dict] = {}
    out = []
    for c in conflicts:
        if c.doc_id not in texts:
            doc = documents.get(project.store, c.doc_id)
            texts[c.doc_id] = doc.text if doc else ""
            decided[c.doc_id] = review.latest_decisions(project.store, c.doc_id)
        text = texts[c.doc_id]
        out.append(
            {
                "doc_id": c.doc_id,
                "id": c.id,
                "kind": c.kind,
                "spans": [_key_json(k, text) for k in c.keys],
                "sides": [
                    {
                        "layers": list(side.layers),
                        "spans": [_key_json(k, text) for k in side.spans],
                        "relations": [_rel_json(r, text) for r in side.relations],
                    }
                    for side in c.sides
                ],
                "decided": c.id in decided[c.doc_id],
            }
        )
    return {"conflicts": out}


def _key_json(key: SpanKey, text: str) -> dict:
    return {"start": key[0], "end": key[1], "label": key[2], "text": text[key[0] : key[1]]}


def _rel_json(rel: RelKey, text: str) -> dict:
    return {"label": rel[0], "head": _key_json(rel[1], text), "tail": _key_json(rel[2], text)}


def agreement(project: Project) -> agreement_math.Agreement:
    """Pairwise span F1, per-label F1 and token alpha per kind over curator layers."""
    store = project.store
    doc_layers = review.document_layers(store)
    keys = review.span_keys(store)
    annotations = {
        doc: {layer: keys.get(doc, {}).get(layer, []) for layer in layers}
        for doc, layers in doc_layers.items()
    }
    multi = [d for d, ls in doc_layers.items() if len(ls) >= 2]
    texts = review.texts(store, multi)
    return agreement_math.compute(texts, annotations, _label_kinds(project))


def decide(
    project: Project,
    reviewer: str,
    conflict: Conflict,
    action: str,
    *,
    side: int | None = None,
    spans_: list[SpanKey] | None = None,
    relations: list[RelKey] | None = None,
) -> dict:
    """Decide a conflict: ``accept`` side ``side``, ``reject`` all, or ``edit``.

    ``edit`` puts ``spans_`` (and ``relations``) given by the reviewer into
    gold instead of any side's version. Gold keys of the conflict (and of an
    earlier decision on it) that the choice drops are removed. Returns the
    stored choice. Raises PermissionDenied for a non-reviewer, UserError for
    a bad choice (nothing changed).
    """
    require_reviewer(project, reviewer)
    if action not in ACTIONS:
        raise UserError(f"unknown action {action!r} (use {', '.join(ACTIONS)})")
    keep_spans: list[SpanKey] = []
    keep_rels: list[RelKey] = []
    chosen_layers: list[str] = []
    if action == "accept":
        if side is None or not 0 <= side < len(conflict.sides):
            raise UserError(f"conflict {conflict.id} has no side {side}")
        chosen = conflict.sides[side]
        keep_spans, keep_rels = list(chosen.spans), list(chosen.relations)
        chosen_layers = list(chosen.layers)
    elif action == "edit":
        keep_spans, keep_rels = list(spans_ or []), list(relations or [])
    store = project.store
    previous = review.latest_decisions(store, conflict.doc_id).get(conflict.id)
    with store.transaction():
        result = _write_gold(project, reviewer, conflict, keep_spans, keep_rels, previous)
        choice = {
            "action": action,
            "layers": chosen_layers,
            "sides": [
                {"layers": list(s.layers), "spans": _keys_list(s.spans), "relations": _rels(s)}
                for s in conflict.sides
            ],
            "kind": conflict.kind,
            "result": result,
        }
        review.insert_decision(
            store, new_id("j"), reviewer, conflict.doc_id, conflict.id, choice, now()
        )
        _update_progress(project, reviewer, conflict.doc_id)
    return choice


def _keys_list(keys: tuple[SpanKey, ...] | list[SpanKey]) -> list[list]:
    return [list(k) for k in keys]


def _rels(side) -> list[list]:
    return [[r[0], list(r[1]), list(r[2])] for r in side.relations]


def _write_gold(
    project: Project,
    reviewer: str,
    conflict: Conflict,
    keep_spans: list[SpanKey],
    keep_rels: list[RelKey],
    previous: dict | None,
) -> dict:
    """Make gold hold the chosen keys of the conflict; return what gold holds now."""
    store, doc_id = project.store, conflict.doc_id
    before = previous["choice"].get("result", {}) if previous else {}
    if conflict.kind == "relation":
        drop_rels = set(conflict.relation_keys) | {_rel_key(r) for r in before.get("relations", [])}
        gold_rels = _gold_relation_keys(project, doc_id)
        for key, rel_id in gold_rels.items():
            if key in drop_rels and key not in keep_rels:
                annotate.delete_relation(project, reviewer, rel_id)
    else:
        drop = set(conflict.keys) | {tuple(k) for k in before.get("spans", [])}
        for span in spans.for_document(store, doc_id, GOLD):
            if span.key in drop and span.key not in keep_spans:
                annotate.delete_span(project, reviewer, span.id)
    span_ids = {}
    for key in [*keep_spans, *(k for r in keep_rels for k in (r[1], r[2]))]:
        annotate.add_span(
            project, reviewer, doc_id, key[0], key[1], key[2], layer=GOLD, origin="adjudicated"
        )
        span_ids[key] = spans.find(store, doc_id, GOLD, *key).id
    rel_ids = []
    for label, head, tail in keep_rels:
        annotate.add_relation(project, reviewer, span_ids[head], span_ids[tail], label)
        rel_ids.append(_gold_relation_keys(project, doc_id)[(label, head, tail)])
    return {
        "spans": _keys_list(keep_spans),
        "relations": [[r[0], list(r[1]), list(r[2])] for r in keep_rels],
        "gold_span_ids": [span_ids[k] for k in keep_spans],
        "gold_relation_ids": rel_ids,
    }


def _rel_key(raw: list) -> RelKey:
    return (raw[0], tuple(raw[1]), tuple(raw[2]))


def _gold_relation_keys(project: Project, doc_id: str) -> dict[RelKey, str]:
    by_id = {s.id: s.key for s in spans.for_document(project.store, doc_id, GOLD)}
    return {
        (r.label, by_id[r.head], by_id[r.tail]): r.id
        for r in spans.relations_for(project.store, doc_id, GOLD)
        if r.head in by_id and r.tail in by_id
    }


def _update_progress(project: Project, reviewer: str, doc_id: str) -> None:
    conflicts = document_conflicts(project, doc_id)
    decided = review.latest_decisions(project.store, doc_id)
    done = all(c.id in decided for c in conflicts)
    status = "done" if done else "in_progress"
    if meta.status(project.store, doc_id, GOLD) != status:
        annotate.set_status(project, reviewer, doc_id, status, layer=GOLD)


def accept_unanimous(project: Project, reviewer: str, doc_id: str) -> dict:
    """Put every span and relation all curator layers of a document agree on into gold.

    Idempotent: what gold already holds is not added again, and a decision is
    recorded only when something was added. Returns counts added.
    """
    require_reviewer(project, reviewer)
    names = curator_layers(project, doc_id)
    if len(names) < 2:
        return {"spans": 0, "relations": 0}
    store = project.store
    layers = layers_from(
        spans.for_document(store, doc_id), spans.relations_for(store, doc_id), names
    )
    keys = unanimous_spans(layers)
    rels = unanimous_relations(layers)
    with store.transaction():
        gold = spans.ids_by_key(store, doc_id, GOLD)
        new_keys = [k for k in keys if k not in gold]
        for key in new_keys:
            added = annotate.add_span(
                project, reviewer, doc_id, *key, layer=GOLD, origin="adjudicated"
            )
            gold[key] = added.span.id
        existing = _gold_relation_keys(project, doc_id)
        new_rels = [r for r in rels if r not in existing]
        for label, head, tail in new_rels:
            annotate.add_relation(project, reviewer, gold[head], gold[tail], label)
        if new_keys or new_rels:
            choice = {
                "action": UNANIMOUS,
                "layers": names,
                "result": {
                    "spans": _keys_list(new_keys),
                    "relations": [[r[0], list(r[1]), list(r[2])] for r in new_rels],
                    "gold_span_ids": [gold[k] for k in new_keys],
                },
            }
            review.insert_decision(store, new_id("j"), reviewer, doc_id, UNANIMOUS, choice, now())
            _update_progress(project, reviewer, doc_id)
    return {"spans": len(new_keys), "relations": len(new_rels)}


def adjudicate_auto(project: Project, reviewer: str) -> dict:
    """``accept_unanimous`` on every document with two or more curator layers.

    Returns {"documents": n examined, "spans": added, "relations": added}.
    """
    require_reviewer(project, reviewer)
    docs = reviewable_documents(project)
    added_spans = added_rels = 0
    with project.store.transaction():
        for doc_id in docs:
            counts = accept_unanimous(project, reviewer, doc_id)
            added_spans += counts["spans"]
            added_rels += counts["relations"]
    return {"documents": len(docs), "spans": added_spans, "relations": added_rels}
