"""Curating in place: relabel by key, edges by key and by handle, links as arcs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.gui import overlay
from annotator.gui.actions import Act
from annotator.gui.highlight import LABELS_PROPERTY
from annotator.services import annotate
from tests.gui_helpers import make_window, select_text, stored, stored_relations

pytestmark = pytest.mark.gui

#: An emoji before the words: code points and Qt positions differ from there on.
A = (
    "😀 قال وزير الدفاع مارك أسبر إن الاتفاق العسكري مهم للبلدين.\n"
    "وأضاف المتحدث باسم الوزارة أن الزيارة ناجحة."
)
B = "أعلنت وزارة الخارجية التونسية عن زيارة جديدة."


@pytest.fixture
def win(tmp_path, qtbot):
    window, ids = make_window(tmp_path, qtbot, [A, B])
    return window, ids, tmp_path / "gui.db"


def tag(qtbot, window, word: str, key: str, text: str = A) -> tuple[int, int]:
    start = text.index(word)
    select_text(window.view, start, start + len(word))
    qtbot.keyClick(window.view, key)
    return start, start + len(word)


def caret(window, cp: int) -> None:
    select_text(window.view, cp, cp)


def test_a_label_key_relabels_the_span_under_the_caret(win, qtbot) -> None:
    window, ids, db = win
    start, end = tag(qtbot, window, "مارك أسبر", "1")
    (before,) = annotate.layer_spans(window.project, ids[0], "sara")
    caret(window, start + 3)
    qtbot.keyClick(window.view, "2")
    (after,) = annotate.layer_spans(window.project, ids[0], "sara")
    assert (after.id, after.start, after.end, after.label) == (before.id, start, end, "ORG")
    assert [s.label for s in window.view.index.spans.values()] == ["ORG"]
    assert [s.label for s in window.span_panel.spans.spans] == ["ORG"]
    window.undo()
    assert stored(db, ids[0]) == [(start, end, "PER", "مارك أسبر")]
    window.redo()
    assert stored(db, ids[0]) == [(start, end, "ORG", "مارك أسبر")]


def test_a_selection_over_a_span_adds_a_second_label_both_drawn(win, qtbot) -> None:
    window, ids, db = win
    start, _end = tag(qtbot, window, "وزير الدفاع", "5")
    tag(qtbot, window, "وزير الدفاع", "6")  # a selection, not a caret: a second span
    assert sorted(s[2] for s in stored(db, ids[0])) == ["CLAIM", "SOURCE"]
    block = window.view.document().findBlock(window.view.positions.to_qt(start))
    names = {r.format.property(LABELS_PROPERTY) for r in block.layout().formats()}
    assert "CLAIM,SOURCE" in names


def test_a_label_key_on_a_span_list_row_relabels_it(win, qtbot) -> None:
    window, ids, db = win
    start, end = tag(qtbot, window, "الاتفاق", "4")
    table = window.span_panel.span_table
    table.selectRow(0)
    table.setFocus()
    qtbot.keyClick(table, "3")
    assert stored(db, ids[0]) == [(start, end, "LOC", "الاتفاق")]
    assert window.workspace.stack.count() == 2


def test_edges_move_a_word_at_a_time_in_logical_order(win, qtbot) -> None:
    window, ids, db = win
    start, end = tag(qtbot, window, "أسبر", "1")
    caret(window, start + 1)
    acts = window.actions_
    acts[Act.GROW_START].trigger()
    assert stored(db, ids[0])[0][3] == "مارك أسبر"
    qtbot.keyClick(window.view, Qt.Key.Key_End, Qt.KeyboardModifier.AltModifier)
    assert stored(db, ids[0])[0][3] == "مارك أسبر إن"
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_End,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    acts[Act.SHRINK_START].trigger()
    assert stored(db, ids[0])[0][:3] == (start, end, "PER")
    for _ in range(4):
        window.undo()
    assert stored(db, ids[0]) == [(start, end, "PER", "أسبر")]
    assert window.workspace.stack.index() == 1


def test_dragging_the_end_handle_resizes_snapped_to_words(win, qtbot) -> None:
    window, ids, db = win
    start, end = tag(qtbot, window, "مارك", "1")
    caret(window, start + 1)
    view = window.view
    span = view.active_span()
    _start_handle, end_handle = overlay.handle_rects(view, span)
    target = A.index("أسبر") + 2  # inside the next word: snaps to its end
    drop = view.cursorRect(view.cursor_for(target, target)).center()
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=end_handle.center().toPoint())
    qtbot.mouseMove(view.viewport(), drop)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=drop)
    assert stored(db, ids[0]) == [(start, A.index("أسبر") + 4, "PER", "مارك أسبر")]
    (now,) = annotate.layer_spans(window.project, ids[0], "sara")
    assert now.id == span.id
    window.undo()
    assert stored(db, ids[0]) == [(start, end, "PER", "مارك")]


def _arc_ends(window) -> dict:
    window.view.viewport().repaint()
    return window.view._arcs


@pytest.mark.parametrize("claim_first", [True, False])
def test_links_are_drawn_as_arcs_clicked_and_deleted(win, qtbot, claim_first: bool) -> None:
    window, ids, db = win
    if claim_first:  # claim on the first line, source on the second: an arc across lines
        claim, source = "الاتفاق العسكري مهم للبلدين", "المتحدث باسم الوزارة"
    else:
        claim, source = "أن الزيارة ناجحة", "وزير الدفاع مارك أسبر"
    tag(qtbot, window, claim, "5")
    tag(qtbot, window, source, "6")
    start = A.index(claim)
    select_text(window.view, start, start + len(claim))
    qtbot.keyClick(window.view, "r")
    caret(window, A.index(source) + 1)
    qtbot.keyClick(window.view, "r")
    assert stored_relations(db, ids[0]) == [("CLAIM", "SOURCE")]
    view = window.view
    paths = _arc_ends(window)
    (rel_id, path) = next(iter(paths.items()))
    spans = {s.label: s for s in view.index.spans.values()}
    shown = range(view.document().blockCount())
    head, tail = (overlay.span_anchor(view, spans[k], shown) for k in ("CLAIM", "SOURCE"))
    assert path.pointAtPercent(0) == head and path.pointAtPercent(1) == tail
    assert (head.y() < tail.y()) == claim_first  # the arc crosses lines the right way
    window.actions_[Act.SHOW_ARCS].trigger()
    assert _arc_ends(window) == {}
    window.actions_[Act.SHOW_ARCS].trigger()
    paths = _arc_ends(window)
    middle = paths[rel_id].pointAtPercent(0.5)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle.toPoint())
    assert view.selected_relation == rel_id
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored_relations(db, ids[0]) == []
    assert len(stored(db, ids[0])) == 2  # the spans stay
    window.undo()
    assert stored_relations(db, ids[0]) == [("CLAIM", "SOURCE")]
    assert len(_arc_ends(window)) == 1


def test_a_click_off_the_arcs_selects_none(win, qtbot) -> None:
    window, _ids, _db = win
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert window.view.selected_relation is None


def test_two_entities_on_the_same_characters_both_show(win, qtbot) -> None:
    window, ids, db = win
    start, _end = tag(qtbot, window, "مارك أسبر", "1")
    tag(qtbot, window, "مارك أسبر", "2")
    assert sorted(s[2] for s in stored(db, ids[0])) == ["ORG", "PER"]
    image = window.view.viewport().grab().toImage()
    view = window.view
    rect = view.cursorRect(view.cursor_for(start + 4, start + 4))
    colors = {lab.name: lab.color for lab in window.project.schema.labels}
    seen = {
        image.pixelColor(rect.center().x() + dx, rect.top() + dy).name()
        for dx in range(-6, 7)
        for dy in range(0, 9)
    }
    from PySide6.QtGui import QColor

    bars = {QColor(colors[k]).darker(115).name() for k in ("PER", "ORG")}
    assert bars <= seen


def test_in_nested_spans_a_key_relabels_the_one_of_its_kind(win, qtbot) -> None:
    window, ids, db = win
    claim = tag(qtbot, window, "قال وزير الدفاع مارك أسبر إن الاتفاق العسكري مهم للبلدين", "5")
    per = tag(qtbot, window, "مارك أسبر", "1")
    caret(window, per[0] + 2)
    qtbot.keyClick(window.view, "2")  # an entity key: the entity is relabelled, not the claim
    got = {(s, e, lab) for s, e, lab, _t in stored(db, ids[0])}
    assert got == {(*claim, "CLAIM"), (*per, "ORG")}
    qtbot.keyClick(window.view, "6")  # a source key: no source here, two spans: say so
    assert "several spans" in window.last_message
    assert len(stored(db, ids[0])) == 2


CRLF_TEXT = (
    "😀 قال\r\nالوزير\r\nمارك أسبر في الرباط\r\nإن الاتفاق مهم جدا"  # one emoji, two CRLF before
)


def _qt_pos(text: str, cp: int) -> int:
    """Qt position of code point ``cp``, computed apart from the app: CRLF folds, astral is 2."""
    return len(text[:cp].replace("\r\n", "\n").encode("utf-16-le")) // 2


def test_relabel_and_resize_after_an_emoji_and_a_crlf(tmp_path, qtbot) -> None:
    import json

    from PySide6.QtGui import QTextCursor

    from annotator.gui import open_window
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    src = tmp_path / "crlf.jsonl"
    src.write_text(json.dumps({"text": CRLF_TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "crlf.db"
    with open_project(db) as project:
        import_paths(project, [src])
    window = open_window(db, annotator="sara")
    qtbot.addWidget(window)
    (doc_id,) = [row.id for row in window.doc_model.rows]
    start = CRLF_TEXT.index("مارك أسبر")
    cur = QTextCursor(window.view.document())
    cur.setPosition(_qt_pos(CRLF_TEXT, start))
    cur.setPosition(_qt_pos(CRLF_TEXT, start + 9), QTextCursor.MoveMode.KeepAnchor)
    assert cur.selectedText() == "مارك أسبر"
    window.view.setTextCursor(cur)
    window.view.setFocus()
    assert window.view.selection() == (start, start + 9)
    qtbot.keyClick(window.view, "1", Qt.KeyboardModifier.AltModifier)  # exact: no snapping
    assert stored(db, doc_id) == [(start, start + 9, "PER", "مارك أسبر")]
    cur.setPosition(_qt_pos(CRLF_TEXT, start + 2))
    window.view.setTextCursor(cur)
    assert window.view.selection() == (start + 2, start + 2)
    drawn = window.view.cursor_for(start, start + 9)
    assert (drawn.selectionStart(), drawn.selectedText()) == (
        _qt_pos(CRLF_TEXT, start),
        "مارك أسبر",
    )
    qtbot.keyClick(window.view, "2")
    assert stored(db, doc_id) == [(start, start + 9, "ORG", "مارك أسبر")]
    window.actions_[Act.GROW_END].trigger()
    assert stored(db, doc_id)[0][3] == "مارك أسبر في"
    window.actions_[Act.GROW_START].trigger()  # across the CRLF: the word before the line break
    assert stored(db, doc_id)[0][3] == "الوزير\r\nمارك أسبر في"
    for _ in range(3):
        window.undo()
    assert stored(db, doc_id) == [(start, start + 9, "PER", "مارك أسبر")]
