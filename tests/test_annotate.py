"""Edits through the services: saved at once, journaled, permission-checked."""

from __future__ import annotations

import pytest

from annotator.core.errors import PermissionDenied, UserError
from annotator.services import annotate
from annotator.services.project import Project, open_project
from annotator.store import documents


@pytest.fixture
def doc_id(sample_project: Project) -> str:
    annotate.register(sample_project, "amal")
    annotate.register(sample_project, "badr")
    annotate.register(sample_project, "rana", role="reviewer")
    return next(iter(documents.iter_documents(sample_project.store))).id


def _text(project: Project, doc_id: str) -> str:
    return documents.get(project.store, doc_id).text


def test_span_is_saved_at_once_and_survives_reopen(sample_project: Project, doc_id: str) -> None:
    text = _text(sample_project, doc_id)
    start = text.index("مارك أسبر")
    span = annotate.add_span(sample_project, "amal", doc_id, start, start + 9, "PER").span
    with open_project(sample_project.store.path) as other:
        (saved,) = annotate.layer_spans(other, doc_id, "amal")
    assert saved == span
    assert text[saved.start : saved.end] == "مارك أسبر"


def test_adding_the_same_span_twice_keeps_one(sample_project: Project, doc_id: str) -> None:
    a = annotate.add_span(sample_project, "amal", doc_id, 0, 4, "PER")
    b = annotate.add_span(sample_project, "amal", doc_id, 0, 4, "PER")
    assert a.span is not None and not b  # the second add changes nothing
    assert len(annotate.layer_spans(sample_project, doc_id, "amal")) == 1


def test_bad_offsets_and_labels_are_refused(sample_project: Project, doc_id: str) -> None:
    n = len(_text(sample_project, doc_id))
    for start, end in [(-1, 3), (3, 3), (5, 2), (0, n + 1)]:
        with pytest.raises(UserError):
            annotate.add_span(sample_project, "amal", doc_id, start, end, "PER")
    with pytest.raises(UserError, match="unknown label"):
        annotate.add_span(sample_project, "amal", doc_id, 0, 3, "NOPE")
    assert annotate.layer_spans(sample_project, doc_id, "amal") == []


def test_curators_write_only_their_own_layer(sample_project: Project, doc_id: str) -> None:
    with pytest.raises(PermissionDenied):
        annotate.add_span(sample_project, "amal", doc_id, 0, 3, "PER", layer="badr")
    with pytest.raises(PermissionDenied, match="gold"):
        annotate.add_span(sample_project, "amal", doc_id, 0, 3, "PER", layer="gold")
    gold = annotate.add_span(sample_project, "rana", doc_id, 0, 3, "PER", layer="gold").span
    assert gold.layer == "gold"
    with pytest.raises(PermissionDenied):
        annotate.delete_span(sample_project, "amal", gold.id)


def test_gold_is_not_an_annotator_name(sample_project: Project) -> None:
    with pytest.raises(UserError):
        annotate.register(sample_project, "gold")


def test_delete_and_restore_keep_ids_and_links(sample_project: Project, doc_id: str) -> None:
    text = _text(sample_project, doc_id)
    s = text.index("سكاي نيوز")
    source = annotate.add_span(sample_project, "amal", doc_id, s, s + 9, "SOURCE").span
    claim = annotate.add_span(sample_project, "amal", doc_id, 0, s - 1, "CLAIM").span
    rel = annotate.add_relation(sample_project, "amal", claim.id, source.id).relation
    gone = annotate.delete_span(sample_project, "amal", source.id)
    (removed,), rels = gone.spans_removed, gone.relations_removed
    assert rels == (rel,)
    assert annotate.layer_relations(sample_project, doc_id, "amal") == []
    back = annotate.restore_span(sample_project, "amal", removed, rels)
    assert back.spans_added == (source,) and back.relations_added == (rel,)
    assert annotate.layer_relations(sample_project, doc_id, "amal") == [rel]
    assert source in annotate.layer_spans(sample_project, doc_id, "amal")


def test_relation_checks_labels(sample_project: Project, doc_id: str) -> None:
    a = annotate.add_span(sample_project, "amal", doc_id, 0, 4, "PER").span
    b = annotate.add_span(sample_project, "amal", doc_id, 5, 9, "SOURCE").span
    with pytest.raises(UserError, match="CLAIM"):
        annotate.add_relation(sample_project, "amal", a.id, b.id)


def test_every_edit_is_journaled(sample_project: Project, doc_id: str) -> None:
    span = annotate.add_span(sample_project, "amal", doc_id, 0, 4, "PER").span
    annotate.delete_span(sample_project, "amal", span.id)
    annotate.set_status(sample_project, "amal", doc_id, "done")
    actions = [
        r[0]
        for r in sample_project.store.execute(
            "SELECT action FROM events WHERE who = 'amal' ORDER BY id"
        )
    ]
    assert actions == ["add_span", "delete_span", "set_status"]


def test_update_span_relabels_and_moves_in_place(sample_project: Project, doc_id: str) -> None:
    text = _text(sample_project, doc_id)
    s = text.index("مارك أسبر")
    span = annotate.add_span(sample_project, "amal", doc_id, s, s + 4, "PER").span
    moved = annotate.update_span(sample_project, "amal", span.id, end=s + 9, label="ORG")
    (now,) = moved.spans_changed
    assert (now.id, now.start, now.end, now.label) == (span.id, s, s + 9, "ORG")
    assert annotate.layer_spans(sample_project, doc_id, "amal") == [now]
    assert not annotate.update_span(sample_project, "amal", span.id, label="ORG")  # no change
    with pytest.raises(UserError):
        annotate.update_span(sample_project, "amal", span.id, start=s + 9)  # empty span
    with pytest.raises(UserError, match="unknown label"):
        annotate.update_span(sample_project, "amal", span.id, label="NOPE")
    other = annotate.add_span(sample_project, "amal", doc_id, s, s + 9, "LOC").span
    with pytest.raises(UserError, match="already has"):
        annotate.update_span(sample_project, "amal", other.id, label="ORG")
    with pytest.raises(PermissionDenied):
        annotate.update_span(sample_project, "badr", span.id, label="LOC")
    kinds = [r[0] for r in sample_project.store.execute("SELECT action FROM events")]
    assert kinds.count("update_span") == 1


def test_a_linked_claim_keeps_its_label(sample_project: Project, doc_id: str) -> None:
    text = _text(sample_project, doc_id)
    s = text.index("سكاي نيوز")
    source = annotate.add_span(sample_project, "amal", doc_id, s, s + 9, "SOURCE").span
    claim = annotate.add_span(sample_project, "amal", doc_id, 0, s - 1, "CLAIM").span
    annotate.add_relation(sample_project, "amal", claim.id, source.id)
    with pytest.raises(UserError, match="unlink"):
        annotate.update_span(sample_project, "amal", source.id, label="ORG")
    moved = annotate.update_span(sample_project, "amal", source.id, end=s + 4)
    assert moved.span.end == s + 4
    assert len(annotate.layer_relations(sample_project, doc_id, "amal")) == 1
