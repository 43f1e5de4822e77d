"""Review, read side: conflicts, decisions in force, progress, navigation, agreement.

Nothing here writes. ``services.review`` re-exports every public name, so
callers use ``review.document_conflicts`` and friends.

The decisions table keeps the whole history: every decision and every undo
is a row of its own (an undo row has ``action`` ``undo`` and names the row it
takes back in ``undoes``). The decision *in force* on a conflict is the
latest one not taken back by an undo.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core import agreement as agreement_math
from annotator.core.conflicts import Conflict, RelKey, SpanKey, find_conflicts, layers_from
from annotator.core.errors import PermissionDenied
from annotator.core.model import GOLD
from annotator.services import annotate
from annotator.services.project import Project
from annotator.store import documents, meta, review, spans

UNANIMOUS = "unanimous"
UNDO = "undo"


@dataclass(frozen=True, slots=True)
class DocumentReview:
    """Review state of one document annotated by two or more layers."""

    doc_id: str
    title: str
    layers: tuple[str, ...]
    conflicts: int | None  # None: not counted yet (``review_rows``)
    decided: int | None
    status: str

    @property
    def counted(self) -> bool:
        """True once conflicts and decisions are counted."""
        return self.conflicts is not None


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


def label_kinds(project: Project) -> dict[str, str]:
    """Label name -> kind (entity, claim, source) of the project's schema."""
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
    return find_conflicts(doc_id, layers, label_kinds(project))


def reviewable_documents(project: Project) -> list[str]:
    """Ids of documents annotated by two or more curator layers, in import order."""
    multi = [d for d, ls in review.document_layers(project.store).items() if len(ls) >= 2]
    return list(review.titles(project.store, multi))


def all_conflicts(project: Project) -> list[Conflict]:
    """Conflicts of every document, documents in import order."""
    return [c for d in reviewable_documents(project) for c in document_conflicts(project, d)]


def decisions_in_force(project: Project, doc_id: str) -> dict[str, dict]:
    """conflict id -> the decision in force on it (latest not undone), for one document."""
    return in_force(review.decisions(project.store, doc_id))


def in_force(history: list[dict]) -> dict[str, dict]:
    """The decisions in force from a document's history (oldest first)."""
    stacks, _live = replay(history)
    return {conflict: stack[-1] for conflict, stack in stacks.items() if stack}


def replay(history: list[dict]) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Replay a document's history: per conflict, the decisions standing and the live undos.

    An undo row takes its target out of the standing decisions; an undo of an
    undo row (a reinstatement) puts that row's decision back. Live undos are
    the undo rows whose decision is still out, oldest first.
    """
    stacks: dict[str, list[dict]] = {}
    live: dict[str, list[dict]] = {}
    taken: dict[str, dict] = {}  # undo row id -> the decision it took back
    for row in history:
        stack = stacks.setdefault(row["conflict"], [])
        undos = live.setdefault(row["conflict"], [])
        if row["choice"].get("action") != UNDO:
            stack.append(row)
            continue
        target = row["choice"].get("undoes")
        if target in taken:  # undoing an undo: its decision stands again
            stack.append(taken.pop(target))
            undos[:] = [u for u in undos if u["id"] != target]
        else:
            hit = [d for d in stack if d["id"] == target]
            stack[:] = [d for d in stack if d["id"] != target]
            if hit:
                taken[row["id"]] = hit[0]
                undos.append(row)
    return stacks, live


def live_undo(project: Project, doc_id: str, conflict_id: str) -> dict | None:
    """The latest undo on a conflict whose decision is still taken back, or None."""
    _stacks, live = replay(review.decisions(project.store, doc_id))
    undos = live.get(conflict_id, [])
    return undos[-1] if undos else None


def is_decided(project: Project, conflict: Conflict) -> bool:
    """True when a decision on this conflict is in force."""
    return conflict.id in decisions_in_force(project, conflict.doc_id)


def decided_ids(project: Project, doc_id: str) -> set[str]:
    """Ids of the conflicts of a document (and ``unanimous``) with a decision in force."""
    return set(decisions_in_force(project, doc_id))


def history(project: Project, doc_id: str) -> list[dict]:
    """Every decision and undo on a document, oldest first (the audit trail)."""
    return review.decisions(project.store, doc_id)


def review_documents(project: Project) -> list[DocumentReview]:
    """Review state of every reviewable document, in import order."""
    ids = reviewable_documents(project)
    titles = review.titles(project.store, ids)
    return [_document_review(project, doc_id, titles[doc_id]) for doc_id in ids]


def review_rows(project: Project) -> list[DocumentReview]:
    """Every reviewable document, in import order, without counting its conflicts.

    Title, layers and gold status come from three queries for the whole
    corpus; ``conflicts`` and ``decided`` are None (``document_review`` counts
    them for one document), so a list of thousands shows at once.
    """
    store = project.store
    layers = review.document_layers(store)
    multi = [d for d, ls in layers.items() if len(ls) >= 2]
    titles = review.titles(store, multi)
    status = review.statuses(store, GOLD)
    return [
        DocumentReview(d, t, tuple(layers[d]), None, None, status.get(d, "todo"))
        for d, t in titles.items()
    ]


def document_review(project: Project, doc_id: str) -> DocumentReview:
    """Review state of one document."""
    return _document_review(project, doc_id, review.titles(project.store, [doc_id]).get(doc_id, ""))


def _document_review(project: Project, doc_id: str, title: str) -> DocumentReview:
    conflicts = document_conflicts(project, doc_id)
    decided = decisions_in_force(project, doc_id)
    return DocumentReview(
        doc_id,
        title,
        tuple(curator_layers(project, doc_id)),
        len(conflicts),
        sum(1 for c in conflicts if c.id in decided),
        meta.status(project.store, doc_id, GOLD),
    )


def step_conflict(
    project: Project,
    doc_id: str | None,
    conflict_id: str | None,
    *,
    forward: bool = True,
    skip_decided: bool = False,
) -> Conflict | None:
    """The conflict after (or before) ``conflict_id`` of ``doc_id``, across documents.

    Documents are taken in review order (import order); within one, conflicts
    in position order. ``doc_id`` None starts before the first document (or
    after the last, going back); ``conflict_id`` None (or unknown) starts at
    the document's edge. With ``skip_decided`` conflicts with a decision in
    force are passed over. None when there is no such conflict (no wrapping).
    """
    docs = reviewable_documents(project)
    if not forward:
        docs.reverse()
    start = docs.index(doc_id) if doc_id in docs else -1
    if start < 0:
        doc_id = None
    for i in range(max(start, 0), len(docs)):
        here = docs[i]
        conflicts = document_conflicts(project, here)
        if not forward:
            conflicts.reverse()
        if here == doc_id:
            ids = [c.id for c in conflicts]
            conflicts = conflicts[ids.index(conflict_id) + 1 :] if conflict_id in ids else conflicts
        decided = decided_ids(project, here) if skip_decided else set()
        for conflict in conflicts:
            if conflict.id not in decided:
                return conflict
    return None


def conflicts_at(
    project: Project, doc_id: str, start: int, end: int | None = None
) -> list[Conflict]:
    """Conflicts of a document whose stretch touches [start, end) (or holds ``start``)."""
    end = start + 1 if end is None else end
    return [
        c
        for c in document_conflicts(project, doc_id)
        if c.span[0] < max(end, start + 1) and start < c.span[1]
    ]


def conflicts_json(project: Project, conflicts: list[Conflict]) -> dict:
    """``{"conflicts": [...]}``: each names doc_id, kind, spans and the layers on each side."""
    texts: dict[str, str] = {}
    decided: dict[str, dict] = {}
    out = []
    for c in conflicts:
        if c.doc_id not in texts:
            doc = documents.get(project.store, c.doc_id)
            texts[c.doc_id] = doc.text if doc else ""
            decided[c.doc_id] = decisions_in_force(project, c.doc_id)
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
    return agreement_math.compute(texts, annotations, label_kinds(project))
