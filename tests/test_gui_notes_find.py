"""Notes and flags, skipping a document, and find in the document (Ctrl+F)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.gui.actions import Act
from annotator.services import annotate, notes
from tests.gui_helpers import make_window, select_text

pytestmark = pytest.mark.gui

A = "قال وزير الدفاع مارك أسبر إن الاتفاق مهم، وأكّد إسبر أن الزيارة ناجحة وأن أسبـر سعيد."
B = "أعلنت وزارة الخارجية التونسية عن زيارة جديدة."


@pytest.fixture
def win(tmp_path, qtbot):
    window, ids = make_window(tmp_path, qtbot, [A, B])
    return window, ids


def _tag(qtbot, window, word: str, key: str) -> int:
    start = A.index(word)
    select_text(window.view, start, start + len(word))
    qtbot.keyClick(window.view, key)
    select_text(window.view, start + 1, start + 1)
    return start


def test_span_note_and_unsure_flag_are_stored_shown_and_undone(win, qtbot) -> None:
    window, ids = win
    _tag(qtbot, window, "مارك أسبر", "1")
    (span,) = annotate.layer_spans(window.project, ids[0], "sara")
    window.actions_[Act.SPAN_NOTE].trigger()
    dialog = window.notes.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("الاسم بالهمزة أم بدونها؟")
    dialog.accept()
    window.actions_[Act.UNSURE].trigger()
    note = notes.note_of(window.project, ids[0], "sara", span.id)
    assert (note.text, note.unsure) == ("الاسم بالهمزة أم بدونها؟", True)
    from annotator.gui.overlay import tooltip_text

    assert "? \u2068الاسم بالهمزة" in tooltip_text(window.view, span.start + 1)
    shown = window.span_panel.spans.index(0, 3).data()
    assert shown.startswith("? ") and "بالهمزة" in shown
    window.undo()
    assert notes.note_of(window.project, ids[0], "sara", span.id).unsure is False
    window.undo()
    assert notes.note_of(window.project, ids[0], "sara", span.id).empty
    assert window.span_panel.spans.index(0, 3).data() == ""


def test_document_note_and_skip(win, qtbot) -> None:
    window, ids = win
    box = window.notes.doc_box
    box.setText("نص مكرر من وكالة أخرى")
    box.editingFinished.emit()
    assert notes.note_of(window.project, ids[0], "sara").text == "نص مكرر من وكالة أخرى"
    window.actions_[Act.SKIP_DOC].trigger()
    assert annotate.status_of(window.project, ids[0], "sara") == "skipped"
    assert window.current.id == ids[1] and box.text() == ""
    window.undo()  # the skip
    assert annotate.status_of(window.project, ids[0], "sara") == "todo"
    window.undo()  # the note (shows its document again)
    assert window.current.id == ids[0] and box.text() == ""


def test_mark_done_on_the_last_document_says_so(win, qtbot) -> None:
    window, ids = win
    window.open_document(ids[1])
    window.actions_[Act.MARK_DONE].trigger()
    assert annotate.status_of(window.project, ids[1], "sara") == "done"
    assert window.current.id == ids[1]
    assert "last document" in window.last_message


def test_find_matches_like_corpus_search_and_clearing_clears_every_mark(win, qtbot) -> None:
    window, _ids = win
    view = window.view
    _tag(qtbot, window, "مارك أسبر", "1")
    window.actions_[Act.FIND].trigger()
    bar = window.find_bar
    assert bar.isVisible()
    bar.box.setText("اسبر")  # no hamza, no tatweel: still every spelling
    found = [A[a:b] for a, b in bar.hits]
    assert found == ["أسبر", "إسبر", "أسبـر"]
    assert len(view.extraSelections()) == 3
    assert bar.count.text() == "1 of 3"
    qtbot.keyClick(bar.box, Qt.Key.Key_Return)
    assert bar.pos == 1 and view.selection()[0] == bar.hits[1][0]
    window.actions_[Act.FIND_PREV].trigger()
    window.actions_[Act.FIND_PREV].trigger()
    assert bar.pos == 2  # wrapped around
    bar.box.clear()
    assert view.extraSelections() == [] and bar.hits == []
    bar.box.setText("اسبر")
    qtbot.keyClick(bar.box, Qt.Key.Key_Escape)
    assert not bar.isVisible() and view.extraSelections() == []
    # span colours were never touched by the marks
    assert len(view.index.spans) == 1


def test_a_partly_typed_word_is_found_as_a_substring(win, qtbot) -> None:
    window, _ids = win
    window.actions_[Act.FIND].trigger()
    window.find_bar.box.setText("الزيا")
    assert [A[a:b] for a, b in window.find_bar.hits] == ["الزيا"]
