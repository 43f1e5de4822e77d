"""Review and adjudication: decisions, their undo, the gold layer.

Only reviewers decide conflicts. Every decision is one transaction that
writes the ``gold`` layer through ``services.annotate`` (origin
``adjudicated``) and records in the decisions table what was chosen, from
which layers, and what the write did to gold (spans and links created and
removed), so that ``undo_decision`` can put gold back exactly. Undo is a
decision row of its own: the table keeps the whole history. Review progress
of a document is the ``gold`` layer's progress row: ``in_progress`` until
every conflict is decided, then ``done``.

Every function that writes returns ``Changes`` (``decisions`` = the ids of
the documents whose decisions changed). The read side lives in
``services.review_state``, gold edits as decisions in ``services.gold_edits``,
the tracked gold writes in ``services.gold_writer``; the public names of the
first two are re-exported here, so callers need only ``services.review``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.core.changes import Changes
from annotator.core.conflicts import (
    Conflict,
    RelKey,
    SpanKey,
    layers_from,
    unanimous_relations,
    unanimous_spans,
)
from annotator.core.errors import UserError
from annotator.core.model import GOLD, Relation, Span
from annotator.services.gold_edits import record_gold_changes, record_gold_edit  # noqa: F401
from annotator.services.gold_writer import GoldWriter, rel_key
from annotator.services.project import Project
from annotator.services.review_state import (  # noqa: F401  (re-exported)
    UNANIMOUS,
    UNDO,
    DocumentReview,
    agreement,
    all_conflicts,
    conflicts_at,
    conflicts_json,
    curator_layers,
    decided_ids,
    decisions_in_force,
    document_conflicts,
    document_review,
    history,
    is_decided,
    label_kinds,
    live_undo,
    require_reviewer,
    review_documents,
    review_rows,
    reviewable_documents,
    step_conflict,
)
from annotator.store import spans

ACTIONS = ("accept", "reject", "edit")
#: progress(done, total) -> False to stop after the current batch
Progress = Callable[[int, int], bool]


@dataclass(frozen=True, slots=True)
class Choice:
    """What a reviewer chose for one conflict: the argument of ``apply_choice``."""

    conflict: Conflict
    action: str  # accept, reject or edit
    side: int | None = None
    spans: tuple[SpanKey, ...] = ()
    relations: tuple[RelKey, ...] = ()


@dataclass(frozen=True, slots=True)
class UnanimousPlan:
    """What accepting everything unanimous would add: (doc_id, spans, links) per document."""

    documents: tuple[tuple[str, int, int], ...]

    @property
    def spans(self) -> int:
        """Spans that would be added, over every document."""
        return sum(n for _, n, _ in self.documents)

    @property
    def relations(self) -> int:
        """Links that would be added, over every document."""
        return sum(n for _, _, n in self.documents)


def apply_choice(project: Project, reviewer: str, choice: Choice) -> Changes:
    """``decide`` with the arguments held by ``choice``."""
    return decide(
        project,
        reviewer,
        choice.conflict,
        choice.action,
        side=choice.side,
        spans_=list(choice.spans),
        relations=list(choice.relations),
    )


def decide(
    project: Project,
    reviewer: str,
    conflict: Conflict,
    action: str,
    *,
    side: int | None = None,
    spans_: list[SpanKey] | None = None,
    relations: list[RelKey] | None = None,
) -> Changes:
    """Decide a conflict: ``accept`` side ``side``, ``reject`` all, or ``edit``.

    ``edit`` puts ``spans_`` (and ``relations``) given by the reviewer into
    gold instead of any side's version. Gold keys of the conflict (and of the
    decision in force on it) that the choice drops are removed. Raises
    PermissionDenied for a non-reviewer, UserError for a bad choice (nothing
    changed).
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
    previous = decisions_in_force(project, conflict.doc_id).get(conflict.id)
    writer = GoldWriter(project, reviewer, conflict.doc_id)
    with store.transaction():
        before = previous["choice"].get("result", {}) if previous else {}
        if conflict.kind == "relation":
            drop = set(conflict.relation_keys) | {rel_key(r) for r in before.get("relations", [])}
            writer.drop_relations(drop - set(keep_rels))
        else:
            drop_keys = set(conflict.keys) | {tuple(k) for k in before.get("spans", [])}
            writer.drop_spans(drop_keys - set(keep_spans))
        ids = writer.put(keep_spans, keep_rels)
        choice = {
            "action": action,
            "layers": chosen_layers,
            "sides": [
                {"layers": list(s.layers), "spans": _keys(s.spans), "relations": _rels(s.relations)}
                for s in conflict.sides
            ],
            "kind": conflict.kind,
            "result": writer.result(keep_spans, keep_rels, ids),
        }
        writer.record(conflict.id, choice)
    return writer.changes()


def _keys(keys: Iterable[SpanKey]) -> list[list]:
    return [list(k) for k in keys]


def _rels(rels: Iterable[RelKey]) -> list[list]:
    return [[r[0], list(r[1]), list(r[2])] for r in rels]


def undo_decision(project: Project, reviewer: str, doc_id: str, conflict_id: str) -> Changes:
    """Take back the decision in force on a conflict (or ``unanimous``) of a document.

    Gold gets back what that decision removed and loses what it created;
    an ``undo`` row naming the decision goes into the decisions table, so
    the conflict shows as it was before (undecided, or the earlier decision
    in force again). Raises UserError when nothing is decided there.
    """
    require_reviewer(project, reviewer)
    decision = decisions_in_force(project, doc_id).get(conflict_id)
    if decision is None:
        raise UserError(f"no decision to undo on {conflict_id} in {doc_id}")
    return _take_back(project, reviewer, decision)


def reinstate_decision(project: Project, reviewer: str, doc_id: str, conflict_id: str) -> Changes:
    """Undo the latest undo on a conflict: its decision is in force again, gold as it made it.

    Recorded as an ``undo`` row naming the undo row. Raises UserError when no
    decision on the conflict is taken back.
    """
    require_reviewer(project, reviewer)
    undo = live_undo(project, doc_id, conflict_id)
    if undo is None:
        raise UserError(f"no taken-back decision to reinstate on {conflict_id} in {doc_id}")
    return _take_back(project, reviewer, undo)


def _take_back(project: Project, reviewer: str, row: dict) -> Changes:
    """Reverse what one decisions row did to gold and record an ``undo`` row naming it."""
    result = row["choice"].get("result", {})
    if "created_span_ids" not in result:
        raise UserError(
            f"the decision on {row['conflict']} was recorded before decisions could be undone:"
            " decide the conflict again instead"
        )
    try:
        removed = [Span(**s) for s in result.get("removed_spans", [])]
        removed_rels = [Relation(**r) for r in result.get("removed_relations", [])]
        created = [str(i) for i in result["created_span_ids"]]
        created_rels = [str(i) for i in result.get("created_relation_ids", [])]
    except (TypeError, ValueError, AttributeError):
        raise UserError(
            f"the decision on {row['conflict']} has a damaged record and cannot be undone:"
            " decide the conflict again instead"
        ) from None
    writer = GoldWriter(project, reviewer, row["doc_id"])
    with project.store.transaction():
        writer.delete_relations(created_rels)
        writer.delete_spans(created)
        writer.restore(
            [s for s in removed if s.doc_id == row["doc_id"] and s.layer == GOLD],
            [r for r in removed_rels if r.doc_id == row["doc_id"] and r.layer == GOLD],
        )
        undo = {"action": UNDO, "undoes": row["id"], "result": writer.result([], [])}
        writer.record(row["conflict"], undo)
    return writer.changes()


def undo_decisions(project: Project, reviewer: str, targets: Iterable[tuple[str, str]]) -> Changes:
    """``undo_decision`` on every (doc_id, conflict_id), in one transaction, in the order given."""
    out = Changes()
    with project.store.transaction():
        for doc_id, conflict_id in targets:
            out = out | undo_decision(project, reviewer, doc_id, conflict_id)
    return out


def _unanimous(project: Project, doc_id: str) -> tuple[list[str], list[SpanKey], list[RelKey]]:
    """Curator layers of a document and the spans and links all of them hold."""
    names = curator_layers(project, doc_id)
    if len(names) < 2:
        return names, [], []
    store = project.store
    layers = layers_from(
        spans.for_document(store, doc_id), spans.relations_for(store, doc_id), names
    )
    return names, unanimous_spans(layers), unanimous_relations(layers)


def unanimous_plan(project: Project, doc_ids: Iterable[str] | None = None) -> UnanimousPlan:
    """What ``accept_unanimous`` would add to gold, per document with anything to add."""
    rows = []
    for doc_id in reviewable_documents(project) if doc_ids is None else doc_ids:
        _names, keys, rels = _unanimous(project, doc_id)
        gold = GoldWriter(project, "", doc_id)
        new_keys = [k for k in keys if k not in gold.keys]
        new_rels = [r for r in rels if r not in gold.relation_keys()]
        if new_keys or new_rels:
            rows.append((doc_id, len(new_keys), len(new_rels)))
    return UnanimousPlan(tuple(rows))


def accept_unanimous(project: Project, reviewer: str, doc_id: str) -> Changes:
    """Put every span and relation all curator layers of a document agree on into gold.

    Idempotent: what gold already holds is not added again, and a decision
    (conflict ``unanimous``) is recorded only when something was added.
    """
    require_reviewer(project, reviewer)
    names, keys, rels = _unanimous(project, doc_id)
    if not keys and not rels:
        return Changes()
    writer = GoldWriter(project, reviewer, doc_id)
    with project.store.transaction():
        new_keys = [k for k in keys if k not in writer.keys]
        existing = writer.relation_keys()
        new_rels = [r for r in rels if r not in existing]
        if new_keys or new_rels:
            ids = writer.put(new_keys, new_rels)
            choice = {
                "action": UNANIMOUS,
                "layers": names,
                "result": writer.result(new_keys, new_rels, ids),
            }
            writer.record(UNANIMOUS, choice)
    return writer.changes()


def accept_unanimous_in(project: Project, reviewer: str, doc_ids: Iterable[str]) -> Changes:
    """``accept_unanimous`` on each document of ``doc_ids``, in one transaction."""
    require_reviewer(project, reviewer)
    out = Changes()
    with project.store.transaction():
        for doc_id in doc_ids:
            out = out | accept_unanimous(project, reviewer, doc_id)
    return out


def adjudicate_auto(
    project: Project,
    reviewer: str,
    *,
    progress: Progress | None = None,
    batch: int = 200,
) -> Changes:
    """``accept_unanimous`` on every document with two or more curator layers.

    Works in batches of ``batch`` documents, one transaction each; after each
    batch ``progress(done, total)`` is called and a False answer stops there
    (the batches already written stay, each document its own decision).
    With no document to review there is still one (empty) write transaction,
    so a database another process is writing is reported as busy, as for any
    writing command.
    """
    require_reviewer(project, reviewer)
    docs = reviewable_documents(project)
    out = Changes()
    for i in range(0, max(len(docs), 1), batch):
        out = out | accept_unanimous_in(project, reviewer, docs[i : i + batch])
        done = min(i + batch, len(docs))
        if progress is not None and not progress(done, len(docs)) and done < len(docs):
            break
    return out


def added_counts(changes: Changes) -> dict:
    """Counts of what a review write added: {"spans": n, "relations": n} (for messages)."""
    return {"spans": len(changes.spans_added), "relations": len(changes.relations_added)}
