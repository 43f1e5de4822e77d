"""The Changes value every writing service returns."""

from annotator.core.changes import Changes
from annotator.core.model import Relation, Span


def test_empty_changes_are_falsy_and_any_field_makes_them_true() -> None:
    assert not Changes()
    assert Changes(statuses=(("d1", "ali", "done"),))
    assert Changes(documents_added=("d2",)).anything_new


def test_union_keeps_order_and_reports_documents_and_layers() -> None:
    a = Span("s1", "d1", "ali", 0, 3, "PER")
    b = Span("s2", "d2", "gold", 1, 4, "LOC")
    rel = Relation("r1", "d3", "ali", "ATTRIBUTED_TO", "s1", "s9")
    both = Changes(spans_added=(a,)) | Changes(spans_removed=(b,), relations_added=(rel,))
    assert both.spans_added == (a,) and both.spans_removed == (b,)
    assert both.documents() == {"d1", "d2", "d3"}
    assert both.layers() == {"ali", "gold"}


def test_span_and_relation_name_what_a_one_item_edit_made() -> None:
    a = Span("s1", "d1", "ali", 0, 3, "PER")
    rel = Relation("r1", "d1", "ali", "ATTRIBUTED_TO", "s1", "s9")
    assert Changes(spans_added=(a,)).span == a
    assert Changes(spans_changed=(a,)).span == a
    assert Changes(relations_added=(rel,)).relation == rel
    assert Changes().span is None and Changes().relation is None


def test_notes_count_as_changes_of_their_document_and_layer() -> None:
    from annotator.core.model import Note

    note = Changes(notes=(Note("d4", "badr", "", "x"),))
    assert note and note.documents() == {"d4"} and note.layers() == {"badr"}
