"""A reviewer's edits of the gold layer, recorded as decisions on the conflicts they bear on.

The edit itself goes through ``services.annotate`` (the workspace's undo
covers it); these functions only add ``edit`` decisions (``via``: ``gold``)
to the trail, so editing gold counts as deciding.
"""

from __future__ import annotations

from annotator.core.changes import Changes
from annotator.core.conflicts import Conflict
from annotator.core.model import GOLD
from annotator.services.gold_writer import GoldWriter
from annotator.services.project import Project
from annotator.services.review_state import (
    conflicts_at,
    decisions_in_force,
    label_kinds,
    require_reviewer,
)
from annotator.store import spans


def record_gold_edit(
    project: Project,
    reviewer: str,
    doc_id: str,
    start: int,
    end: int,
    label: str | None = None,
) -> Changes:
    """Record that the reviewer edited gold on [start, end): a decision for each conflict there.

    ``label`` is what was edited: a span label (only span conflicts of that
    label's kind count), a relation label (only link conflicts of that
    relation), or None (every conflict touching the stretch). For each such
    conflict, the spans (or, for a link conflict, the links from its claim)
    gold now holds there become an ``edit`` decision (``via``: ``gold``). The
    edit itself was written (and is undone) by the caller; undoing this
    decision only takes the decision back. A conflict whose decision in force
    already has that result gets no new row.
    """
    require_reviewer(project, reviewer)
    kinds = label_kinds(project)
    conflicts = [
        c
        for c in conflicts_at(project, doc_id, start, end)
        if label is None or _concerns(c, label, kinds)
    ]
    writer = GoldWriter(project, reviewer, doc_id)
    with project.store.transaction():
        in_force = decisions_in_force(project, doc_id)
        for conflict in conflicts:
            keys, rels = writer.gold_on(conflict, kinds)
            result = writer.result(keys, rels)
            old = in_force.get(conflict.id, {}).get("choice", {}).get("result", {})
            if old and (old.get("spans"), old.get("relations")) == (
                result["spans"],
                result["relations"],
            ):
                continue
            choice = {"action": "edit", "via": GOLD, "layers": [], "kind": conflict.kind}
            writer.record(conflict.id, choice | {"result": result})
    return writer.changes()


def _concerns(conflict: Conflict, label: str, kinds: dict[str, str]) -> bool:
    """Whether an edit of ``label`` (span or relation label) bears on ``conflict``."""
    if conflict.kind == "relation":
        return any(r[0] == label for r in conflict.relation_keys)
    return label in kinds and kinds[label] in {kinds.get(k[2]) for k in conflict.keys}


def record_gold_changes(project: Project, reviewer: str, changes: Changes) -> Changes:
    """``record_gold_edit`` for every gold span and link an edit's ``changes`` touched."""
    edits: set[tuple[str, int, int, str]] = set()
    for group in (changes.spans_added, changes.spans_removed, changes.spans_changed):
        edits.update((s.doc_id, s.start, s.end, s.label) for s in group if s.layer == GOLD)
    for rel in (*changes.relations_added, *changes.relations_removed):
        if rel.layer != GOLD:
            continue
        head = spans.get(project.store, rel.head) or next(
            (s for s in changes.spans_removed if s.id == rel.head), None
        )
        if head is not None:
            edits.add((rel.doc_id, head.start, head.end, rel.label))
    out = Changes()
    for doc_id, start, end, label in sorted(edits):
        out = out | record_gold_edit(project, reviewer, doc_id, start, end, label)
    return out
