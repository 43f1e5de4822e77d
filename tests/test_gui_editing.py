"""Overlap display, linking, delete, undo/redo across documents, mark done."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat

from annotator.gui.highlight import LABELS_PROPERTY
from annotator.gui.overlay import range_rects as _range_rects
from tests.gui_helpers import make_window, select_text, stored, stored_relations

pytestmark = pytest.mark.gui

A = "قال وزير الدفاع مارك أسبر إن الاتفاق العسكري مهم.\nوأضاف أن البلدين سيتعاونان."
B = "أعلنت وزارة الخارجية التونسية عن زيارة جديدة."


@pytest.fixture
def win(tmp_path, qtbot):
    window, ids = make_window(tmp_path, qtbot, [A, B])
    return window, ids, tmp_path / "gui.db"


def tag(qtbot, window, text: str, word: str, key: str) -> tuple[int, int]:
    start = text.index(word)
    select_text(window.view, start, start + len(word))
    qtbot.keyClick(window.view, key)
    return start, start + len(word)


def formats_at(view, cp: int):
    """The format ranges the view's layout draws at code point ``cp`` (BMP text)."""
    block = view.document().findBlock(cp)
    rel = cp - block.position()
    ranges = block.layout().formats()
    return [QTextCharFormat(r.format) for r in ranges if r.start <= rel < r.start + r.length], block


def test_overlapping_entity_claim_source_are_all_drawn(win, qtbot) -> None:
    window, ids, db = win
    colors = {lab.name: lab.color for lab in window.project.schema.labels}
    claim = tag(qtbot, window, A, "قال وزير الدفاع مارك أسبر إن الاتفاق العسكري مهم", "5")
    source = tag(qtbot, window, A, "وزير الدفاع مارك أسبر", "6")
    per = tag(qtbot, window, A, "مارك أسبر", "1")
    assert {s[2] for s in stored(db, ids[0])} == {"CLAIM", "SOURCE", "PER"}
    fmts, block = formats_at(window.view, per[0] + 1)
    assert len(fmts) == 1
    fmt = fmts[0]
    assert fmt.background().color() == QColor(colors["PER"])
    assert fmt.fontUnderline() and fmt.underlineColor() == QColor(colors["CLAIM"])
    assert fmt.property(LABELS_PROPERTY) == "CLAIM,PER,SOURCE"
    rects = _range_rects(block, source[0], source[1], window.view.contentOffset())
    assert rects and all(r.width() > 0 for r in rects)  # the source frame
    only_claim, _ = formats_at(window.view, claim[1] - 2)
    assert only_claim[0].property(LABELS_PROPERTY) == "CLAIM"
    assert only_claim[0].background().style() == Qt.BrushStyle.NoBrush
    assert window.view.toPlainText() == A  # nothing inserted into the text


def test_link_claim_to_source_with_r(win, qtbot) -> None:
    window, ids, db = win
    claim = tag(qtbot, window, A, "الاتفاق العسكري مهم", "5")
    source = tag(qtbot, window, A, "مارك أسبر", "6")
    select_text(window.view, source[0], claim[1])  # touches both
    qtbot.keyClick(window.view, "r")
    assert stored_relations(db, ids[0]) == [("CLAIM", "SOURCE")]
    assert window.span_panel.relations.rowCount() == 1


def test_link_in_two_steps_and_by_context_menu(win, qtbot) -> None:
    window, ids, db = win
    claim = tag(qtbot, window, A, "الاتفاق العسكري مهم", "5")
    source = tag(qtbot, window, A, "مارك أسبر", "6")
    select_text(window.view, claim[0] + 1, claim[0] + 1)
    qtbot.keyClick(window.view, "r")
    assert stored_relations(db, ids[0]) == []
    select_text(window.view, source[0] + 1, source[0] + 1)
    qtbot.keyClick(window.view, "r")
    assert stored_relations(db, ids[0]) == [("CLAIM", "SOURCE")]
    window.workspace.stack.undo()
    assert stored_relations(db, ids[0]) == []
    menu = window.context_menu(claim[0] + 2)
    items = [a for a in menu.actions() if a.text().startswith("Attribute to")]
    assert len(items) == 1
    items[0].trigger()
    assert stored_relations(db, ids[0]) == [("CLAIM", "SOURCE")]


def test_delete_key_removes_the_span_and_undo_restores_it(win, qtbot) -> None:
    window, ids, db = win
    per = tag(qtbot, window, A, "مارك أسبر", "1")
    select_text(window.view, per[0] + 2, per[0] + 2)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert stored(db, ids[0]) == []
    assert window.span_panel.spans.rowCount() == 0
    fmts, _ = formats_at(window.view, per[0] + 1)
    assert fmts == []
    window.workspace.stack.undo()
    assert stored(db, ids[0]) == [(*per, "PER", "مارك أسبر")]


def test_delete_from_the_span_panel(win, qtbot) -> None:
    window, ids, db = win
    tag(qtbot, window, A, "مارك أسبر", "1")
    table = window.span_panel.span_table
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert stored(db, ids[0]) == []


def test_undo_redo_across_documents(win, qtbot) -> None:
    window, ids, db = win
    per = tag(qtbot, window, A, "مارك أسبر", "1")
    first_id = window.view.index.at(per[0])[0].id
    window.open_document(ids[1])
    org = tag(qtbot, window, B, "وزارة الخارجية التونسية", "2")
    stack = window.workspace.stack
    stack.undo()
    assert stored(db, ids[1]) == []
    stack.undo()  # an edit of the other document: it is opened and updated
    assert window.current.id == ids[0]
    assert stored(db, ids[0]) == []
    assert window.view.index.spans == {}
    stack.redo()
    assert window.current.id == ids[0]
    assert [s.id for s in window.view.index.spans.values()] == [first_id]
    stack.redo()
    assert window.current.id == ids[1]
    assert stored(db, ids[1]) == [(*org, "ORG", "وزارة الخارجية التونسية")]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(db, ids[1]) == []


def test_mark_done_with_ctrl_enter_moves_to_next(win, qtbot) -> None:
    window, ids, _db = win
    assert window.progress_label.text() == "0 / 2 done"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.doc_model.rows[0].status == "done"
    assert window.current.id == ids[1]
    assert window.progress_label.text() == "1 / 2 done"
    window.workspace.stack.undo()
    assert window.doc_model.rows[0].status == "todo"
    assert window.current.id == ids[0]


def test_next_and_previous_document(win) -> None:
    window, ids, _db = win
    from annotator.gui.actions import Act

    window.actions_[Act.NEXT_DOC].trigger()
    assert window.current.id == ids[1]
    window.actions_[Act.NEXT_DOC].trigger()
    assert window.current.id == ids[1]
    window.actions_[Act.PREV_DOC].trigger()
    assert window.current.id == ids[0]


def test_curator_sees_only_their_layer(tmp_path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, [A])
    from annotator.services import annotate

    annotate.register(window.project, "omar")
    annotate.add_span(window.project, "omar", ids[0], 0, 3, "PER")
    window.open_document(ids[0])
    assert window.view.index.spans == {}
    assert window.doc_model.rows[0].span_count == 0


def test_suggestions_hook_keeps_valid_ranges(win) -> None:
    window, _ids, _db = win
    window.view.set_suggestions([(0, 3, "PER"), (5, 2, "ORG"), (0, 10_000, "LOC")])
    assert window.view.suggestions == [(0, 3, "PER")]
    window.view.grab()  # paints the dashed outline without error
