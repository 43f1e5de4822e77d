"""Conflicts, decisions, the gold layer and permissions through the services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import PermissionDenied, UserError
from annotator.core.ids import document_id
from annotator.services import annotate, review, users
from annotator.services.project import Project
from annotator.store import review as review_store
from tests.test_agreement import T1, T2

D1 = document_id(T1)


def gold(project: Project, doc_id: str = D1) -> list[tuple[int, int, str, str]]:
    return [
        (s.start, s.end, s.label, s.origin) for s in annotate.layer_spans(project, doc_id, "gold")
    ]


def by_kind(project: Project) -> dict:
    return {c.kind: c for c in review.document_conflicts(project, D1)}


def test_document_conflicts_name_layers_on_each_side(team: Project) -> None:
    data = review.conflicts_json(team, review.all_conflicts(team))["conflicts"]
    assert [(c["doc_id"], c["kind"]) for c in data] == [
        (D1, "boundary"),
        (D1, "relation"),
        (D1, "label"),
        (D1, "missing"),
        (document_id(T2), "missing"),  # ali and sara differ on الوزير only
    ]
    label = data[2]
    assert label["spans"] == [
        {"start": 17, "end": 22, "label": "LOC", "text": "الجيش"},
        {"start": 17, "end": 22, "label": "ORG", "text": "الجيش"},
    ]
    assert [(s["layers"], [k["label"] for k in s["spans"]]) for s in label["sides"]] == [
        (["ali", "omar"], ["ORG"]),
        (["sara"], ["LOC"]),
    ]
    assert data[4]["sides"] == [
        {
            "layers": ["sara"],
            "spans": [{"start": 22, "end": 28, "label": "PER", "text": "الوزير"}],
            "relations": [],
        },
        {"layers": ["ali"], "spans": [], "relations": []},
    ]


def test_accept_reject_edit_write_gold_with_provenance(team: Project) -> None:
    conflicts = by_kind(team)
    changes = review.decide(team, "rana", conflicts["label"], "accept", side=0)
    assert gold(team) == [(17, 22, "ORG", "adjudicated")]
    assert [s.key for s in changes.spans_added] == [(17, 22, "ORG")]
    assert changes.decisions == (D1,) and changes.statuses == ((D1, "gold", "in_progress"),)
    assert review_store.decisions(team.store, D1)[0]["choice"]["layers"] == ["ali", "omar"]

    review.decide(team, "rana", conflicts["missing"], "reject")
    assert gold(team) == [(17, 22, "ORG", "adjudicated")]

    review.decide(team, "rana", conflicts["boundary"], "edit", spans_=[(4, 13, "MISC")])
    assert gold(team) == [(4, 13, "MISC", "adjudicated"), (17, 22, "ORG", "adjudicated")]

    # Changing one's mind replaces the earlier result, edited spans included.
    review.decide(team, "rana", conflicts["boundary"], "accept", side=1)
    assert gold(team) == [(4, 8, "PER", "adjudicated"), (17, 22, "ORG", "adjudicated")]
    review.decide(team, "rana", conflicts["label"], "accept", side=1)
    assert gold(team) == [(4, 8, "PER", "adjudicated"), (17, 22, "LOC", "adjudicated")]

    rows = review_store.decisions(team.store, D1)
    assert [(d["reviewer"], d["conflict"], d["choice"]["action"]) for d in rows] == [
        ("rana", "label:17-22-LOC;17-22-ORG", "accept"),
        ("rana", "missing:26-32-LOC", "reject"),
        ("rana", "boundary:4-8-PER;4-13-PER", "edit"),
        ("rana", "boundary:4-8-PER;4-13-PER", "accept"),
        ("rana", "label:17-22-LOC;17-22-ORG", "accept"),
    ]
    last = rows[-1]["choice"]
    assert last["layers"] == ["sara"]
    assert last["result"]["spans"] == [[17, 22, "LOC"]]
    gold_ids = {s.id for s in annotate.layer_spans(team, D1, "gold")}
    assert set(last["result"]["gold_span_ids"]) <= gold_ids
    assert all(d["decided_at"] for d in rows)


def test_relation_conflict_accept_adds_link_and_its_spans(team: Project) -> None:
    review.decide(team, "rana", by_kind(team)["relation"], "accept", side=0)
    assert gold(team) == [(4, 13, "SOURCE", "adjudicated"), (17, 38, "CLAIM", "adjudicated")]
    (rel,) = annotate.layer_relations(team, D1, "gold")
    spans_ = {s.id: s.label for s in annotate.layer_spans(team, D1, "gold")}
    assert (spans_[rel.head], spans_[rel.tail]) == ("CLAIM", "SOURCE")
    review.decide(team, "rana", by_kind(team)["relation"], "reject")
    assert annotate.layer_relations(team, D1, "gold") == []
    assert len(gold(team)) == 2  # rejecting the link keeps the agreed spans


def test_review_progress_reaches_done(team: Project) -> None:
    state = {d.doc_id: d for d in review.review_documents(team)}
    assert (state[D1].conflicts, state[D1].decided, state[D1].status) == (4, 0, "todo")
    assert state[D1].layers == ("ali", "omar", "sara")
    for i, c in enumerate(review.document_conflicts(team, D1)):
        review.decide(team, "rana", c, "reject")
        state = {d.doc_id: d for d in review.review_documents(team)}
        assert state[D1].decided == i + 1
        assert state[D1].status == ("done" if i == 3 else "in_progress")
    assert all(review.is_decided(team, c) for c in review.document_conflicts(team, D1))


def test_auto_adjudication_is_idempotent(team: Project) -> None:
    result = review.adjudicate_auto(team, "rana")
    # T1: SOURCE and CLAIM agreed by all three, no agreed link (omar has none);
    # T2: ORG and LOC agreed by ali and sara.
    assert review.added_counts(result) == {"spans": 4, "relations": 0}
    assert set(result.decisions) == {D1, document_id(T2)}
    assert gold(team) == [(4, 13, "SOURCE", "adjudicated"), (17, 38, "CLAIM", "adjudicated")]
    n_decisions = len(review_store.decisions(team.store))
    assert n_decisions == 2
    events = team.store.execute("SELECT count(*) FROM events").fetchone()[0]
    again = review.adjudicate_auto(team, "rana")
    assert not again
    assert len(review_store.decisions(team.store)) == n_decisions
    assert team.store.execute("SELECT count(*) FROM events").fetchone()[0] == events


def test_auto_adjudication_takes_agreed_links(project: Project, tmp_path: Path) -> None:
    text = T1
    lines = [
        {
            "text": text,
            "layer": name,
            "spans": [
                {"id": "c", "start": 17, "end": 38, "label": "CLAIM"},
                {"id": "s", "start": 4, "end": 13, "label": "SOURCE"},
            ],
            "relations": [{"label": "ATTRIBUTED_TO", "head": "c", "tail": "s"}],
        }
        for name in ("ali", "sara")
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    from annotator.services.importing import import_paths

    import_paths(project, [path])
    users.add_user(project, "rana", "reviewer")
    added = review.added_counts(review.adjudicate_auto(project, "rana"))
    assert added == {"spans": 2, "relations": 1}
    assert len(annotate.layer_relations(project, D1, "gold")) == 1
    assert review.document_conflicts(project, D1) == []


def test_curator_cannot_write_gold_or_decide(team: Project) -> None:
    conflict = by_kind(team)["label"]
    with pytest.raises(PermissionDenied, match="only reviewers"):
        review.decide(team, "ali", conflict, "accept", side=0)
    with pytest.raises(PermissionDenied, match="only reviewers"):
        review.adjudicate_auto(team, "ali")
    with pytest.raises(PermissionDenied, match="only reviewers"):
        review.accept_unanimous(team, "ali", D1)
    with pytest.raises(PermissionDenied):
        annotate.add_span(team, "ali", D1, 0, 3, "PER", layer="gold")
    with pytest.raises(PermissionDenied, match="unknown annotator"):
        review.decide(team, "nobody", conflict, "reject")
    assert gold(team) == []
    assert review_store.decisions(team.store) == []


def test_bad_edit_changes_nothing(team: Project) -> None:
    conflicts = by_kind(team)
    review.decide(team, "rana", conflicts["label"], "accept", side=0)
    before = (gold(team), len(review_store.decisions(team.store)))
    with pytest.raises(UserError, match="unknown label"):
        review.decide(team, "rana", conflicts["label"], "edit", spans_=[(17, 22, "NOPE")])
    with pytest.raises(UserError, match="outside the text"):
        review.decide(team, "rana", conflicts["label"], "edit", spans_=[(17, 99, "ORG")])
    with pytest.raises(UserError, match="no side"):
        review.decide(team, "rana", conflicts["label"], "accept", side=5)
    assert (gold(team), len(review_store.decisions(team.store))) == before


def test_users_roles(project: Project) -> None:
    user, before = users.add_user(project, "ali", "curator")
    assert (user.role, before) == ("curator", None)
    _, before = users.add_user(project, "ali", "reviewer")
    assert before == "curator"
    assert [(u.name, u.role) for u in users.list_users(project)] == [("ali", "reviewer")]
    with pytest.raises(UserError, match="cannot be an annotator"):
        users.add_user(project, "gold", "reviewer")
    with pytest.raises(UserError, match="unknown role"):
        users.add_user(project, "x", "boss")
