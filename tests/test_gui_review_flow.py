"""The review window over sessions: reopening, undo, navigation, corpus-wide unanimous, keys."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from annotator.core.ids import document_id
from annotator.core.model import Note
from annotator.gui import i18n
from annotator.gui.review import open_review_window
from annotator.gui.review.conflict_panel import ConflictPanel, excerpt_around
from annotator.services import annotate, notes, review
from annotator.services.project import Project
from tests.test_agreement import T1, T2
from tests.test_review_services import gold

pytestmark = pytest.mark.gui
D1, D2 = document_id(T1), document_id(T2)


def window_for(project: Project, qtbot):
    window = open_review_window(project, "rana")
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def ticks(window) -> list[bool]:
    model = window.conflicts_model
    return [
        model.index(r).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        for r in range(model.rowCount())
    ]


def test_decisions_show_as_decided_after_reopening_and_switching(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    window.reject_action.trigger()  # the first conflict of D1
    window.docs_view.selectRow(1)  # D2, then decide its one conflict
    window.reject_action.trigger()
    window.close()

    again = window_for(team, qtbot)
    assert again.doc_id == D1
    assert again.progress_label.text().startswith("Decided 1 / 4")
    assert ticks(again) == [True, False, False, False]
    assert again.docs_model.rows[0].decided == 1
    again.docs_view.selectRow(1)
    assert again.progress_label.text().startswith("Decided 1 / 1")
    assert ticks(again) == [True]
    again.docs_view.selectRow(0)  # back from a document with other conflicts
    assert ticks(again) == [True, False, False, False]
    assert again.progress_label.text().startswith("Decided 1 / 4")


def test_a_decision_is_undone_and_redone_with_the_keys(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    first = window.current_conflict()
    window.side_box.setCurrentIndex(1)
    qtbot.keyClick(window, Qt.Key.Key_A)  # accept omar's PER
    assert gold(team) == [(4, 8, "PER", "adjudicated")]
    assert window.undo_stack.count() == 1
    assert window.current_conflict() != first  # on to the next conflict
    assert "1 span(s)" in window.status_label.text()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(team) == []
    assert window.current_conflict() == first  # back where the decision was made
    assert ticks(window)[0] is False
    assert window.progress_label.text().startswith("Decided 0 / 4")
    assert window.status_label.text().startswith("Undone")
    assert [d["choice"]["action"] for d in review.history(team, D1)] == ["accept", "undo"]

    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert gold(team) == [(4, 8, "PER", "adjudicated")]
    assert ticks(window)[0] is True


def test_a_digit_accepts_that_version(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    assert window.lanes.notes["omar"].text() == "version 2"
    lane = window.lanes.lanes["omar"]
    lane.setFocus()
    qtbot.keyClick(lane, Qt.Key.Key_2)  # omar's version of the first conflict, read in his lane
    assert gold(team) == [(4, 8, "PER", "adjudicated")]
    qtbot.keyClick(window, Qt.Key.Key_3)  # the next conflict has only two versions
    assert [d["choice"]["action"] for d in review.history(team, D1)] == ["accept"]
    assert not window.panel.version_actions[2].isEnabled()


def test_take_back_works_on_a_decision_of_an_earlier_session(team: Project, qtbot) -> None:
    conflict = review.document_conflicts(team, D1)[0]
    review.decide(team, "rana", conflict, "accept", side=0)
    window = window_for(team, qtbot)
    assert window.take_back_action.isEnabled()
    assert "decided: accept" in window.panel.title.text()
    qtbot.keyClick(window, Qt.Key.Key_Backspace)
    assert gold(team) == []
    assert ticks(window)[0] is False and not window.take_back_action.isEnabled()
    assert "undecided" in window.panel.title.text()
    assert window.current_conflict() == conflict  # stays on the conflict taken back
    # the take-back is undoable too: the decision stands again, gold as it made it
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(team) == [(4, 13, "PER", "adjudicated")]
    assert ticks(window)[0] is True
    assert [d["choice"]["action"] for d in review.history(team, D1)] == ["accept", "undo", "undo"]
    lines = window.panel.history.text().splitlines()  # the audit trail, shown
    assert len(lines) == 3 and lines[0].endswith("\u2068rana\u2069: accept (\u2068ali, sara\u2069)")
    assert lines[1].endswith("rana\u2069: undo")


def test_next_and_previous_conflict_cross_documents(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    window.skip_decided.setChecked(False)
    for expected in range(1, 4):
        qtbot.keyClick(window, Qt.Key.Key_N)
        assert window.conflict_view.currentIndex().row() == expected
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.doc_id == D2 and window.current_conflict().doc_id == D2
    assert window.docs_view.currentIndex().row() == 1
    assert list(window.lanes.lanes) == ["ali", "sara", "gold"]
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.doc_id == D2 and window.status_label.text() == "No further conflict."
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert window.doc_id == D1 and window.conflict_view.currentIndex().row() == 3
    # skipping decided conflicts: decide D1's last two, then step from the first
    window.skip_decided.setChecked(True)
    window.select_conflict(0)
    for row in (2, 3):
        review.decide(team, "rana", window.conflicts_model.conflicts[row], "reject")
    window.select_conflict(1)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.doc_id == D2


def confirm_box(window, qtbot):
    """The question the corpus-wide run asks once it has counted."""
    qtbot.waitUntil(lambda: window.bulk.confirm_box is not None)
    return window.bulk.confirm_box


def test_accept_everything_unanimous_in_all_documents(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ShiftModifier)
    box = confirm_box(window, qtbot)
    assert box.isVisible()
    assert "4 span(s) and 0 link(s)" in box.text() and "2 document(s)" in box.text()
    assert gold(team) == []  # nothing before the reviewer says yes
    box.button(QMessageBox.StandardButton.Yes).click()
    assert window.bulk.run is not None
    assert window.bulk.progress_dialog.labelText() == "Accepting everything unanimous…"
    qtbot.waitUntil(lambda: window.bulk.run is None)
    assert window.bulk.progress_dialog.maximum() == 2
    assert gold(team) == [(4, 13, "SOURCE", "adjudicated"), (17, 38, "CLAIM", "adjudicated")]
    assert len(gold(team, D2)) == 2
    assert "in 2 document(s)" in window.status_label.text()
    assert review.unanimous_plan(team).documents == ()
    # one undo takes the whole run back
    window.undo_action.trigger()
    assert gold(team) == [] and gold(team, D2) == []
    # and a second run finds nothing left once everything is in gold
    window.redo_action.trigger()
    window.unanimous_all_action.trigger()
    qtbot.waitUntil(lambda: window.bulk.run is None)
    assert window.status_label.text() == "Nothing unanimous is missing from gold."


def test_a_unanimous_run_stops_when_cancelled(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    window.bulk.batch = 1
    window.unanimous_all_action.trigger()
    confirm_box(window, qtbot).button(QMessageBox.StandardButton.Yes).click()
    run = window.bulk.run
    cancel = window.bulk.progress_dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    run.progressed.connect(lambda _done, _total: cancel.click())  # the user, after one batch
    with qtbot.waitSignal(run.finished) as finished:
        pass
    assert finished.args == [True]  # cancelled
    assert [c.decisions for c in run.results] == [(D1,)]
    assert gold(team, D2) == [] and len(gold(team)) == 2
    assert window.status_label.text().startswith("Stopped.")


def test_counting_can_be_cancelled_before_anything_is_asked(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    window.bulk.batch = 1
    window.unanimous_all_action.trigger()
    run = window.bulk.run
    assert window.bulk.progress_dialog.labelText() == "Counting what all curators agree on…"
    cancel = window.bulk.progress_dialog.findChild(QPushButton)
    run.progressed.connect(lambda _done, _total: cancel.click())
    with qtbot.waitSignal(run.finished):
        pass
    assert window.bulk.confirm_box is None and window.status_label.text() == "Stopped."
    assert gold(team) == [] and gold(team, D2) == []


def test_esc_and_ctrl_w_close_the_window(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    lane = window.lanes.lanes["ali"]
    lane.setFocus()
    qtbot.keyClick(lane, Qt.Key.Key_Escape)  # from where the reviewer reads
    assert not window.isVisible()
    window = window_for(team, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert QApplication.activeModalWidget() is None


def test_the_panel_alone_shows_the_conflict_at_a_position(team: Project, qtbot) -> None:
    panel = ConflictPanel(team)
    qtbot.addWidget(panel)
    conflict = panel.show_at(D1, 19)  # inside الجيش: the label conflict
    assert conflict is not None and conflict.kind == "label"
    assert list(panel.lanes.lanes) == ["ali", "omar", "sara", "gold"]
    assert panel.lanes.headers["sara"].text() == "sara"
    assert panel.lanes.notes["sara"].text() == "version 2"
    lane = panel.lanes.lanes["ali"]
    assert panel.show_at(D1, 21) == conflict and panel.lanes.lanes["ali"] is lane  # no rebuild
    with qtbot.waitSignal(panel.decisionMade) as got:
        panel.reject_action.trigger()
    assert got.args[0] == review.Choice(conflict, "reject")
    assert gold(team) == []  # the panel never writes on its own
    panel.lanes.lanes["sara"].select_range(0, 3)  # قال: outside the conflict
    with qtbot.waitSignal(panel.message) as why:
        panel.edit_action.trigger()
    assert "framed in red" in why.args[0]
    assert panel.show_at(D1, 0) is None
    assert panel.title.text() == "No conflict here."


def test_the_panel_excerpt_keeps_document_offsets(team: Project, qtbot) -> None:
    long_text = ("كلمة " * 80) + T1 + (" كلمة" * 80)
    a, b = excerpt_around(long_text, 400, 405)
    assert 0 < a < 400 and 405 < b < len(long_text)
    assert long_text[a - 1] == " " and long_text[b] == " "
    panel = ConflictPanel(team)
    qtbot.addWidget(panel)
    panel.show_at(D1, 19)
    lane = panel.lanes.lanes["sara"]
    lane.select_range(17, 22)
    assert panel.lanes.selected_range() == (17, 22)


def test_the_review_window_follows_a_change_of_language(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    assert window.next_action.text() == "Next conflict"
    i18n.set_language("ar")
    try:
        window.retranslate()
        assert window.next_action.text() == "الخلاف التالي"
        assert window.accept_action.text() == "قبول هذه النسخة"
        assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert window.progress_label.text().startswith("حُسم 0 من 4")
        header = window.docs_model.headerData(0, Qt.Orientation.Horizontal)
        assert header == "العنوان"
    finally:
        i18n.set_language("en")


def test_the_review_window_speaks_arabic(team: Project, qtbot) -> None:
    panel = ConflictPanel(team)  # made in English, then the language changes
    qtbot.addWidget(panel)
    panel.show_at(D1, 19)
    assert panel.accept_action.text() == "Accept version"
    i18n.set_language("ar")
    try:
        panel.retranslate()
        assert panel.accept_action.text() == "قبول هذه النسخة"
        assert panel.label_box.currentText() == "منظمة (ORG)"
        assert panel.title.text().startswith("الوسم")
        window = window_for(team, qtbot)
        texts = [a.text() for a in window.actions()] + [a.text() for a in window.panel.actions()]
        assert "الخلاف التالي" in texts and "قبول كل ما اتفق عليه الجميع في كل المستندات…" in texts
        assert [t for t in texts if re.search("[A-Za-z]", t)] == []  # nothing left in English
        assert window.skip_decided.text() == "تخطي المحسوم"
        assert window.panel.title.text().endswith("غير محسوم")
    finally:
        i18n.set_language("en")


def test_the_conflict_is_framed_where_its_words_are_drawn(team: Project, qtbot) -> None:
    panel = ConflictPanel(team)
    qtbot.addWidget(panel)
    panel.resize(600, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_at(D1, 19)  # الجيش, code points 17-22
    lane = panel.lanes.lanes["ali"]
    (rect,) = lane.focus_rects()
    inside = lane._cursor(19, 19)
    outside = lane._cursor(4, 4)  # مارك, outside the conflict
    assert rect.contains(lane.cursorRect(inside).center())
    assert not rect.contains(lane.cursorRect(outside).center())
    lane.draw(lane.spans, panel.labels, None)  # no conflict: no frame
    assert lane.focus_rects() == []


def test_accepting_unanimous_twice_leaves_one_command(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_U)
    assert gold(team) == [(4, 13, "SOURCE", "adjudicated"), (17, 38, "CLAIM", "adjudicated")]
    assert "2 span(s)" in window.status_label.text()
    qtbot.keyClick(window, Qt.Key.Key_U)
    assert window.status_label.text() == "Nothing unanimous is missing from gold."
    assert window.undo_stack.count() == 1
    window.undo_action.trigger()
    assert gold(team) == []


def test_a_panel_choice_runs_both_ways_as_an_edit(team: Project) -> None:
    from annotator.gui.review.commands import decision_edit, take_back_edit

    conflict = review.document_conflicts(team, D1)[0]
    edit = decision_edit(team, "rana", review.Choice(conflict, "accept", side=1))
    assert (edit.text, edit.doc_id, edit.conflict_id) == ("Decided: accept", D1, conflict.id)
    done = edit.do()
    assert [s.key for s in done.spans_added] == [(4, 8, "PER")] and done.decisions == (D1,)
    undone = edit.undo()
    assert [s.key for s in undone.spans_removed] == [(4, 8, "PER")] and gold(team) == []
    edit.do()
    back = take_back_edit(team, "rana", D1, conflict.id)
    back.do()
    assert gold(team) == []
    back.undo()
    assert gold(team) == [(4, 8, "PER", "adjudicated")]


def test_the_document_list_shows_at_once_and_fills_in(team: Project, qtbot, qtmodeltester) -> None:
    from annotator.gui.review.window import ReviewWindow

    window = ReviewWindow(team, "rana")  # no event loop yet: only the open document is counted
    qtbot.addWidget(window)
    model = window.docs_model
    assert model.rows[0].counted and not model.rows[1].counted
    assert model.index(1, 2).data() == "…"
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: all(r.counted for r in model.rows))
    assert [(r.decided, r.conflicts) for r in model.rows] == [(0, 4), (0, 1)]
    assert model.index(1, 2).data() == "0 / 1"


def test_excerpt_lanes_map_offsets_after_emoji(project: Project, tmp_path, qtbot) -> None:
    import json

    from annotator.services import browse, users
    from annotator.services.importing import import_paths

    text = "سطر أول 😀 قبل المقطع\r\n🇲🇦 قال مارك أسبر 😀 في الرباط اليوم\r\nوسطر أخير"
    mark, rabat = text.index("مارك"), text.index("الرباط")
    lines = [
        {"text": text, "layer": "ali", "spans": [{"start": mark, "end": mark + 4, "label": "PER"}]},
        {
            "text": text,
            "layer": "sara",
            "spans": [{"start": rabat, "end": rabat + 6, "label": "LOC"}],
        },
    ]
    path = tmp_path / "emoji.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    import_paths(project, [path])
    users.add_user(project, "rana", "reviewer")
    doc_id = review.reviewable_documents(project)[0]
    assert browse.get_document(project, doc_id).text == text  # JSONL text kept verbatim, CRLF too
    panel = ConflictPanel(project)
    qtbot.addWidget(panel)
    conflict = panel.show_at(doc_id, rabat + 2)
    assert conflict.span == (rabat, rabat + 6)
    lane = panel.lanes.lanes["sara"]
    assert lane.toPlainText() == text.split("\r\n")[1]  # the paragraph only
    selections = lane.extraSelections()
    drawn = [s for s in selections if s.cursor.selectedText() == "الرباط"]
    assert drawn and all(s.cursor.selectionStart() == lane.to_qt(rabat) for s in drawn)
    assert lane.to_qt(rabat) != rabat - text.index("\n") - 1  # the emoji shift Qt's positions
    lane.select_range(mark, mark + 4)
    assert lane.textCursor().selectedText() == "مارك"
    assert panel.lanes.selected_range() == (mark, mark + 4)
    # the whole text, CRLF included, as the review window shows it
    whole = ConflictPanel(project, excerpt=False)
    qtbot.addWidget(whole)
    whole.show_at(doc_id, rabat + 2)
    lane = whole.lanes.lanes["sara"]
    lane.select_range(rabat, rabat + 6)
    assert lane.textCursor().selectedText() == "الرباط"
    assert whole.lanes.selected_range() == (rabat, rabat + 6)


def test_the_panel_docks_in_a_main_window_and_runs_through_its_undo(team: Project, qtbot) -> None:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QMainWindow

    from annotator.gui.review.commands import ReviewCommand
    from annotator.gui.review.dock import conflict_dock

    main = QMainWindow()
    qtbot.addWidget(main)
    stack = QUndoStack(main)
    seen = []  # what the window's single undo path was handed

    def perform(edit) -> None:
        seen.append(edit.text)
        stack.push(
            ReviewCommand(edit, lambda *_: dock.panel.refresh(), main.statusBar().showMessage)
        )

    dock = conflict_dock(main, team, "rana", perform)
    main.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    main.show()
    dock.panel.show_at(D1, 5)  # inside مارك أسبر: the boundary conflict
    dock.panel.accept_version(2)
    assert seen == ["Decided: accept"] and gold(team) == [(4, 8, "PER", "adjudicated")]
    assert "decided: accept" in dock.panel.title.text()
    stack.undo()
    assert gold(team) == [] and "undecided" in dock.panel.title.text()
    dock.panel.lanes.lanes["ali"].select_range(0, 3)  # outside the conflict
    dock.panel.edit_action.trigger()
    assert "framed in red" in main.statusBar().currentMessage() and len(seen) == 1


def _span_id(project: Project, layer: str, start: int, end: int, label: str) -> str:
    spans = annotate.layer_spans(project, D1, layer)
    return next(s.id for s in spans if (s.start, s.end, s.label) == (start, end, label))


def test_curators_notes_and_flags_show_beside_their_version(team: Project, qtbot) -> None:
    hostile = "<b>not</b> sure, <a href='x'>see</a>"
    sara = _span_id(team, "sara", 17, 22, "LOC")  # her side of the label conflict on الجيش
    notes.set_note(team, "sara", Note(D1, "sara", sara, hostile, unsure=True))
    notes.set_note(team, "omar", Note(D1, "omar", "", "the army is the subject"))
    ali = _span_id(team, "ali", 26, 32, "LOC")  # outside the conflict: not shown there
    notes.set_note(team, "ali", Note(D1, "ali", ali, "far away"))
    panel = ConflictPanel(team)
    qtbot.addWidget(panel)
    panel.show()
    conflict = panel.show_at(D1, 19)
    assert conflict is not None and conflict.kind == "label"
    remarks = panel.lanes.remarks
    assert remarks["sara"].textFormat() == Qt.TextFormat.PlainText  # curators' words: data
    assert hostile in remarks["sara"].text() and "unsure" in remarks["sara"].text()
    assert "LOC" in remarks["sara"].text() and "الجيش" in remarks["sara"].text()
    assert remarks["sara"].isVisible()
    assert "the army is the subject" in remarks["omar"].text()
    assert "unsure" not in remarks["omar"].text()
    assert remarks["ali"].text() == "" and not remarks["ali"].isVisible()
    assert panel.show_at(D1, 5) is not None  # the boundary conflict on مارك أسبر
    assert hostile not in panel.lanes.remarks["sara"].text()  # the lanes were rebuilt


def test_the_review_window_shows_a_flag_set_after_it_opened(team: Project, qtbot) -> None:
    window = window_for(team, qtbot)
    label_row = next(r for r, c in enumerate(window.conflicts_model.conflicts) if c.kind == "label")
    window.select_conflict(label_row)
    sara = _span_id(team, "sara", 17, 22, "LOC")
    notes.set_note(team, "sara", Note(D1, "sara", sara, "", unsure=True))
    window.panel.refresh()
    assert window.panel.lanes.remarks["sara"].text().endswith("unsure")
