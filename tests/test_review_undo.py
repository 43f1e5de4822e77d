"""Undo of review decisions, gold edits as decisions, navigation and corpus-wide unanimous."""

from __future__ import annotations

import json
import random

import pytest

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.core.ids import document_id
from annotator.core.model import Span
from annotator.services import annotate, review
from annotator.services.project import Project
from annotator.store import review as review_store
from tests.test_agreement import T1, T2
from tests.test_review_services import by_kind, gold

D1, D2 = document_id(T1), document_id(T2)


def add_gold(project: Project, start: int, end: int, label: str) -> Span:
    """Tag gold as the reviewer would in the workspace; the stored span."""
    annotate.add_span(project, "rana", D1, start, end, label, layer="gold")
    return next(
        s for s in annotate.layer_spans(project, D1, "gold") if s.key == (start, end, label)
    )


def test_undo_restores_gold_and_the_earlier_decision(team: Project) -> None:
    label = by_kind(team)["label"]
    review.decide(team, "rana", label, "accept", side=0)  # ORG
    org_id = annotate.layer_spans(team, D1, "gold")[0].id
    second = review.decide(team, "rana", label, "accept", side=1)  # LOC replaces ORG
    assert [s.key for s in second.spans_removed] == [(17, 22, "ORG")]
    assert [s.key for s in second.spans_added] == [(17, 22, "LOC")]
    assert gold(team) == [(17, 22, "LOC", "adjudicated")]

    undone = review.undo_decision(team, "rana", D1, label.id)
    # gold is as it was after the first decision, the ORG span under its own id
    assert gold(team) == [(17, 22, "ORG", "adjudicated")]
    assert [s.id for s in annotate.layer_spans(team, D1, "gold")] == [org_id]
    assert [s.key for s in undone.spans_removed] == [(17, 22, "LOC")]
    assert [s.id for s in undone.spans_added] == [org_id]
    assert undone.decisions == (D1,)
    in_force = review.decisions_in_force(team, D1)[label.id]
    assert in_force["choice"]["layers"] == ["ali", "omar"]  # the first decision again

    review.undo_decision(team, "rana", D1, label.id)
    assert gold(team) == []
    assert not review.is_decided(team, label)
    # the table keeps every step: two decisions and two undos, each naming its target
    rows = review.history(team, D1)
    assert [r["choice"]["action"] for r in rows] == ["accept", "accept", "undo", "undo"]
    assert rows[2]["choice"]["undoes"] == rows[1]["id"]
    assert rows[3]["choice"]["undoes"] == rows[0]["id"]
    assert review.document_review(team, D1).status == "in_progress"


def test_a_taken_back_decision_can_be_reinstated(team: Project) -> None:
    boundary = by_kind(team)["boundary"]
    review.decide(team, "rana", boundary, "accept", side=1)
    ids = [s.id for s in annotate.layer_spans(team, D1, "gold")]
    review.undo_decision(team, "rana", D1, boundary.id)
    assert review.live_undo(team, D1, boundary.id) is not None
    back = review.reinstate_decision(team, "rana", D1, boundary.id)
    assert [s.id for s in back.spans_added] == ids
    assert [s.id for s in annotate.layer_spans(team, D1, "gold")] == ids
    assert review.decisions_in_force(team, D1)[boundary.id]["choice"]["layers"] == ["omar"]
    assert review.live_undo(team, D1, boundary.id) is None
    with pytest.raises(UserError, match="no taken-back decision"):
        review.reinstate_decision(team, "rana", D1, boundary.id)
    # and it can be undone again, like any decision in force
    review.undo_decision(team, "rana", D1, boundary.id)
    assert gold(team) == [] and not review.is_decided(team, boundary)


def test_undo_with_nothing_decided_is_refused(team: Project) -> None:
    with pytest.raises(UserError, match="no decision to undo"):
        review.undo_decision(team, "rana", D1, by_kind(team)["label"].id)
    assert review_store.decisions(team.store) == []


def test_undo_of_a_link_decision_puts_the_link_back(team: Project) -> None:
    relation = by_kind(team)["relation"]
    review.decide(team, "rana", relation, "accept", side=0)
    (link,) = annotate.layer_relations(team, D1, "gold")
    rejected = review.decide(team, "rana", relation, "reject")
    assert [r.id for r in rejected.relations_removed] == [link.id]
    review.undo_decision(team, "rana", D1, relation.id)
    assert annotate.layer_relations(team, D1, "gold") == [link]
    review.undo_decision(team, "rana", D1, relation.id)
    assert annotate.layer_relations(team, D1, "gold") == []
    assert gold(team) == []  # the claim and source the accept added are gone too


def test_undo_of_unanimous_keeps_what_gold_held_before(team: Project) -> None:
    # the reviewer accepted omar's-and-everyone's SOURCE by hand before accepting all unanimous
    annotate.add_span(team, "rana", D1, 4, 13, "SOURCE", layer="gold")
    changes = review.accept_unanimous(team, "rana", D1)
    assert [s.key for s in changes.spans_added] == [(17, 38, "CLAIM")]
    review.undo_decision(team, "rana", D1, review.UNANIMOUS)
    assert gold(team) == [(4, 13, "SOURCE", "manual")]
    assert review.UNANIMOUS not in review.decided_ids(team, D1)


def test_editing_gold_on_a_conflict_counts_as_its_decision(team: Project) -> None:
    label, boundary = by_kind(team)["label"], by_kind(team)["boundary"]
    span = add_gold(team, 17, 22, "MISC")
    changes = review.record_gold_changes(team, "rana", Changes(spans_added=(span,)))
    assert changes.decisions == (D1,)
    assert review.is_decided(team, label) and not review.is_decided(team, boundary)
    decision = review.decisions_in_force(team, D1)[label.id]
    assert decision["choice"]["action"] == "edit" and decision["choice"]["via"] == "gold"
    assert decision["choice"]["result"]["spans"] == [[17, 22, "MISC"]]
    # the CLAIM over the same words is of another kind: its conflicts are not decided by this
    assert not any(
        c.kind == "relation"
        for c in review.conflicts_at(team, D1, 17, 22)
        if review.is_decided(team, c)
    )
    # the same gold again records nothing new
    assert not review.record_gold_edit(team, "rana", D1, 17, 22, "MISC")
    # deciding again replaces the edited span, as for any earlier decision
    review.decide(team, "rana", label, "accept", side=0)
    assert gold(team) == [(17, 22, "ORG", "adjudicated")]
    # undoing the decision takes it back to the edit, whose span is back in gold
    review.undo_decision(team, "rana", D1, label.id)
    assert gold(team) == [(17, 22, "MISC", "manual")]
    assert review.decisions_in_force(team, D1)[label.id]["choice"]["via"] == "gold"


def test_step_conflict_crosses_documents(team: Project) -> None:
    d1 = review.document_conflicts(team, D1)
    (d2,) = review.document_conflicts(team, D2)
    assert review.step_conflict(team, None, None) == d1[0]
    assert review.step_conflict(team, D1, d1[0].id) == d1[1]
    assert review.step_conflict(team, D1, d1[-1].id) == d2
    assert review.step_conflict(team, D2, d2.id) is None
    assert review.step_conflict(team, D2, d2.id, forward=False) == d1[-1]
    assert review.step_conflict(team, D1, d1[0].id, forward=False) is None
    review.decide(team, "rana", d1[1], "reject")
    assert review.step_conflict(team, D1, d1[0].id, skip_decided=True) == d1[2]
    assert review.step_conflict(team, D1, d1[0].id) == d1[1]


def test_unanimous_plan_counts_then_batches_stop_when_asked(team: Project) -> None:
    plan = review.unanimous_plan(team)
    # T1: SOURCE and CLAIM (the link is omar's missing); T2: ORG and LOC
    assert plan.documents == ((D1, 2, 0), (D2, 2, 0))
    assert (plan.spans, plan.relations) == (4, 0)
    seen: list[tuple[int, int]] = []

    def stop_after_first(done: int, total: int) -> bool:
        seen.append((done, total))
        return False

    changes = review.adjudicate_auto(team, "rana", progress=stop_after_first, batch=1)
    assert seen == [(1, 2)]
    assert changes.decisions == (D1,)
    assert review.unanimous_plan(team).documents == ((D2, 2, 0),)
    rest = review.accept_unanimous_in(team, "rana", [D1, D2])
    assert rest.decisions == (D2,)
    assert review.unanimous_plan(team).documents == ()
    undone = review.undo_decisions(team, "rana", [(D2, review.UNANIMOUS), (D1, review.UNANIMOUS)])
    assert set(undone.decisions) == {D1, D2} and len(undone.spans_removed) == 4
    assert review.unanimous_plan(team) == plan


def test_linking_in_gold_decides_the_link_conflict(team: Project) -> None:
    relation = by_kind(team)["relation"]
    claim = add_gold(team, 17, 38, "CLAIM")
    source = add_gold(team, 4, 13, "SOURCE")
    spans_only = review.record_gold_changes(team, "rana", Changes(spans_added=(claim, source)))
    assert not review.is_decided(team, relation)  # claims and sources are not the link
    assert not spans_only  # nothing recorded, nothing written
    annotate.add_relation(team, "rana", claim.id, source.id)
    (link,) = annotate.layer_relations(team, D1, "gold")
    review.record_gold_changes(team, "rana", Changes(relations_added=(link,)))
    decision = review.decisions_in_force(team, D1)[relation.id]
    assert decision["choice"]["result"]["relations"] == [
        ["ATTRIBUTED_TO", [17, 38, "CLAIM"], [4, 13, "SOURCE"]]
    ]


def test_conflicts_json_follows_undo(team: Project) -> None:
    label = by_kind(team)["label"]
    review.decide(team, "rana", label, "reject")

    def decided() -> bool:
        rows = review.conflicts_json(team, review.document_conflicts(team, D1))["conflicts"]
        return next(c["decided"] for c in rows if c["id"] == label.id)

    assert decided()
    review.undo_decision(team, "rana", D1, label.id)
    assert not decided()


@pytest.mark.parametrize("seed", range(4))
def test_random_decisions_and_undos_keep_gold_and_trail_in_step(team: Project, seed: int) -> None:
    """Decide, undo and reinstate at random; gold always holds what the trail says."""
    rng = random.Random(seed)
    conflicts = review.all_conflicts(team)
    for _ in range(30):
        c = rng.choice(conflicts)
        move = rng.choice(["accept", "reject", "edit", "undo", "reinstate", "unanimous"])
        try:
            if move == "accept":
                review.decide(team, "rana", c, "accept", side=rng.randrange(len(c.sides)))
            elif move in ("reject", "edit") and c.kind != "relation":
                start, end = c.span
                review.decide(team, "rana", c, move, spans_=[(start, end, "MISC")])
            elif move == "undo":
                review.undo_decision(team, "rana", c.doc_id, c.id)
            elif move == "reinstate":
                review.reinstate_decision(team, "rana", c.doc_id, c.id)
            else:
                review.accept_unanimous(team, "rana", c.doc_id)
        except UserError:
            pass  # nothing to undo or reinstate there: refused, nothing changed
        for doc_id in (D1, D2):
            held = {s.key for s in annotate.layer_spans(team, doc_id, "gold")}
            for decision in review.decisions_in_force(team, doc_id).values():
                assert {tuple(k) for k in decision["choice"]["result"]["spans"]} <= held
    # taking everything back, latest first, empties gold
    for doc_id in (D1, D2):
        while in_force := review.decisions_in_force(team, doc_id):
            latest = max(in_force.values(), key=lambda d: (d["decided_at"], d["id"]))
            review.undo_decision(team, "rana", doc_id, latest["conflict"])
        assert gold(team, doc_id) == []


def test_a_damaged_decision_record_is_refused_not_obeyed(team: Project) -> None:
    label = by_kind(team)["label"]
    review.decide(team, "rana", label, "accept", side=0)
    ali_span = annotate.layer_spans(team, D1, "ali")[0]
    row = review.decisions_in_force(team, D1)[label.id]
    # a record (say, from a merged database) naming a curator's span as created by the decision
    forged = dict(
        row["choice"], result=dict(row["choice"]["result"], created_span_ids=[ali_span.id])
    )
    team.store.execute(
        "UPDATE decisions SET choice = ? WHERE id = ?",
        (json.dumps(forged, ensure_ascii=False), row["id"]),
    )
    review.undo_decision(team, "rana", D1, label.id)
    assert ali_span in annotate.layer_spans(team, D1, "ali")  # only gold is ever touched
    broken = dict(forged, result=dict(forged["result"], removed_spans=[{"nope": 1}]))
    review.reinstate_decision(team, "rana", D1, label.id)
    row = review.decisions_in_force(team, D1)[label.id]
    team.store.execute(
        "UPDATE decisions SET choice = ? WHERE id = ?",
        (json.dumps(broken, ensure_ascii=False), row["id"]),
    )
    with pytest.raises(UserError, match="damaged record"):
        review.undo_decision(team, "rana", D1, label.id)
