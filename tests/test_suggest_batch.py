"""An accepted batch of suggestions: all or nothing, one journal entry, taken back whole."""

from __future__ import annotations

import pytest

from annotator.core.errors import UserError
from annotator.core.suggest import Suggestion
from annotator.services import annotate
from annotator.services import suggest as sg
from annotator.services.project import Project
from annotator.store import documents

TEXT = "وقال وزير الخارجية إن الاتفاق تاريخي."


@pytest.fixture
def doc(project: Project, tmp_path) -> str:
    """One article; curator amal has tagged its claim and its source but not linked them."""
    from annotator.services.importing import import_paths

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    import_paths(project, [tmp_path / "a.txt"])
    annotate.register(project, "amal")
    doc_id = next(iter(documents.iter_documents(project.store))).id
    for piece, label in (("وزير الخارجية", "SOURCE"), ("الاتفاق تاريخي", "CLAIM")):
        start = TEXT.index(piece)
        annotate.add_span(project, "amal", doc_id, start, start + len(piece), label)
    return doc_id


def _at(doc_id: str, piece: str, label: str, link: str | None = None) -> Suggestion:
    start = TEXT.index(piece)
    other = (TEXT.index(link), TEXT.index(link) + len(link)) if link else None
    return Suggestion(doc_id, start, start + len(piece), label, "test", piece, "amal", other)


def _state(project: Project, doc_id: str) -> tuple[set, set]:
    spans = {(s.id, s.label) for s in annotate.layer_spans(project, doc_id, "amal")}
    rels = {(r.head, r.tail) for r in annotate.layer_relations(project, doc_id, "amal")}
    return spans, rels


def _journal(project: Project) -> list[str]:
    return [r[0] for r in project.store.execute("SELECT action FROM events ORDER BY id")]


def test_take_back_removes_a_link_between_spans_the_layer_had(project: Project, doc) -> None:
    before = _state(project, doc)
    batch = [
        _at(doc, "الاتفاق تاريخي", "CLAIM", link="وزير الخارجية"),  # both ends already there
        _at(doc, "الخارجية", "ORG"),
    ]
    made = sg.accept_all(project, "amal", batch)
    assert len(made.spans_added) == 1 and len(made.relations_added) == 1
    assert _journal(project)[-1] == annotate.SUGGESTION_BATCH
    entry = annotate.recent_edits(project, "amal", 1)[0]
    assert [s["id"] for s in entry[4]["spans"]] == [made.spans_added[0].id]
    assert [r["id"] for r in entry[4]["relations"]] == [made.relations_added[0].id]
    after = _state(project, doc)
    undone = sg.take_back(project, "amal", made)
    assert _state(project, doc) == before
    assert undone.relations_removed == made.relations_added
    assert undone.spans_removed == made.spans_added
    sg.put_back(project, "amal", made)
    assert _state(project, doc) == after


def test_a_batch_is_all_or_nothing(project: Project, doc) -> None:
    before, journal = _state(project, doc), _journal(project)
    bad = Suggestion(doc, 0, 4, "NOPE", "test", "وقال", "amal")
    with pytest.raises(UserError):
        sg.accept_all(project, "amal", [_at(doc, "الخارجية", "ORG"), bad])
    assert _state(project, doc) == before and _journal(project) == journal


def test_a_batch_that_adds_nothing_leaves_no_entry(project: Project, doc) -> None:
    journal = _journal(project)
    assert not sg.accept_all(project, "amal", [_at(doc, "الاتفاق تاريخي", "CLAIM")])
    assert _journal(project) == journal
