"""A label edit is one undoable step: Ctrl+Z puts back its colour, names and key, also
after a restart, and both directions are journaled like any edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QApplication

from annotator.gui import open_window
from annotator.gui.actions import Act
from annotator.services import annotate, labels
from annotator.services.project import open_project
from tests.gui_helpers import formats_at, make_window, select_text

pytestmark = pytest.mark.gui

TEXT = "قال وزير الدفاع مارك أسبر في الرباط إن الاتفاق قريب."
NAME = "مارك أسبر"


def _edit(win, label: str, **fields: str) -> None:
    """Change ``fields`` of ``label`` in Labels → Edit labels… and press OK."""
    win.findChild(QAction, "action_edit_labels").trigger()
    dialog = win.label_editing.dialog
    dialog.choice.setCurrentIndex(dialog.choice.findData(label))
    for field, value in fields.items():
        getattr(dialog, field).setText(value)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible(), dialog.problem.text()


def _stored(db: Path, name: str) -> tuple[str, str, str]:
    with open_project(db) as project:
        lab = project.schema.label(name)
        return lab.color, lab.name_en, lab.shortcut


def _shown(win, cp: int) -> tuple[QColor, str, object]:
    """The colour the article draws at ``cp``, the palette's PER button, the table's swatch."""
    return (
        formats_at(win.view, cp)[0].background().color(),
        win.palette.buttons["PER"].text(),
        win.span_panel.spans.index(0, 0).data(Qt.ItemDataRole.DecorationRole),
    )


def test_ctrl_z_puts_a_label_back_and_redo_applies_the_edit_again(tmp_path: Path, qtbot) -> None:
    win, ids = make_window(tmp_path, qtbot, [TEXT])
    db = tmp_path / "gui.db"
    start = TEXT.index(NAME)
    win.tag(start, start + len(NAME), "PER", exact=True)
    before = _shown(win, start + 1)
    assert before == (QColor("#f4a261"), "Person  [1]", QColor("#f4a261"))
    _edit(win, "PER", color="#336699", name_en="Named person", shortcut="8")
    assert _stored(db, "PER") == ("#336699", "Named person", "8")
    assert _shown(win, start + 1) == (QColor("#336699"), "Named person  [8]", QColor("#336699"))
    assert win.actions_[Act.UNDO].isEnabled()

    win.activateWindow()  # the dialog has closed: back in the window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(db, "PER") == ("#f4a261", "Person", "1")
    assert _shown(win, start + 1) == before
    assert win.label_actions["PER"].text() == "Add Person\t1"
    assert annotate.layer_spans(win.project, ids[0], "sara")[0].label == "PER"  # span untouched
    loc = TEXT.index("الرباط")
    select_text(win.view, loc, loc + len("الرباط"))
    qtbot.keyClick(win.view, "8")  # the key is free again: nothing tags
    assert len(annotate.layer_spans(win.project, ids[0], "sara")) == 1

    win.redo()
    assert _stored(db, "PER") == ("#336699", "Named person", "8")
    assert _shown(win, start + 1) == (QColor("#336699"), "Named person  [8]", QColor("#336699"))
    qtbot.keyClick(win.view, "8")
    assert {s.start for s in annotate.layer_spans(win.project, ids[0], "sara")} == {start, loc}

    # every direction went through the service: three journal entries, newest last
    entries = [e for e in annotate.recent_edits(win.project, "sara", 10) if e[1] == "edit_label"]
    assert [(e[3]["color"], e[4]["color"]) for e in entries] == [
        ("#f4a261", "#336699"),
        ("#336699", "#f4a261"),
        ("#f4a261", "#336699"),
    ]


def test_an_edit_that_changes_nothing_is_no_step(tmp_path: Path, qtbot) -> None:
    win, _ids = make_window(tmp_path, qtbot, [TEXT])
    _edit(win, "LOC")  # OK with the fields as they were
    assert not win.actions_[Act.UNDO].isEnabled()
    assert [e for e in annotate.recent_edits(win.project, "sara", 10) if e[1] == "edit_label"] == []


def test_only_what_changed_is_undone(tmp_path: Path, qtbot) -> None:
    win, _ids = make_window(tmp_path, qtbot, [TEXT])
    db = tmp_path / "gui.db"
    _edit(win, "ORG", color="#000000")
    _edit(win, "ORG", name_en="Organisation (any)")
    win.undo()  # the name only: the colour of the first edit stays
    assert _stored(db, "ORG") == ("#000000", "Organisation", "2")
    win.undo()
    assert _stored(db, "ORG") == ("#8ecae6", "Organisation", "2")
    sheet = win.palette.buttons["ORG"].styleSheet()
    assert "#8ecae6" in sheet and "#000000" not in sheet


def test_label_edits_are_undone_after_a_restart(tmp_path: Path, qtbot) -> None:
    win, ids = make_window(tmp_path, qtbot, [TEXT])
    db = tmp_path / "gui.db"
    start = TEXT.index(NAME)
    win.tag(start, start + len(NAME), "PER", exact=True)
    _edit(win, "PER", color="#336699", name_ar="إنسان", shortcut="8")
    win.close()
    again = open_window(db, annotator="sara")
    qtbot.addWidget(again)
    assert again.actions_[Act.UNDO].isEnabled()
    assert formats_at(again.view, start + 1)[0].background().color() == QColor("#336699")
    again.undo()  # the label edit, rebuilt from the journal
    assert _stored(db, "PER") == ("#f4a261", "Person", "1")
    with open_project(db) as project:
        assert project.schema.label("PER").name_ar == "شخص"
    assert formats_at(again.view, start + 1)[0].background().color() == QColor("#f4a261")
    assert again.current.id == ids[0]
    again.undo()  # then the span tagged before it
    assert annotate.layer_spans(again.project, ids[0], "sara") == []
    again.redo()
    again.redo()
    assert _stored(db, "PER") == ("#336699", "Person", "8")
    assert again.palette.buttons["PER"].text() == "Person  [8]"


def test_an_undo_the_schema_no_longer_allows_is_refused_in_one_line(tmp_path: Path, qtbot) -> None:
    win, _ids = make_window(tmp_path, qtbot, [TEXT])
    db = tmp_path / "gui.db"
    _edit(win, "PER", shortcut="8")
    # meanwhile (another program, or a sync) LOC takes the key PER had
    win.workspace.call(lambda: labels.edit_label(win.project, "LOC", {"shortcut": "1"}))
    assert win.palette.buttons["LOC"].text() == "Place  [1]"
    win.undo()
    assert win.last_message == "label PER: the key '1' is LOC's already"
    assert _stored(db, "PER")[2] == "8" and _stored(db, "LOC")[2] == "1"
    assert not win.actions_[Act.UNDO].isEnabled()  # the step is gone, not half done


def test_the_open_dialog_follows_a_change_and_writes_only_what_was_typed(
    tmp_path: Path, qtbot
) -> None:
    win, _ids = make_window(tmp_path, qtbot, [TEXT])
    db = tmp_path / "gui.db"
    win.findChild(QAction, "action_edit_labels").trigger()
    dialog = win.label_editing.dialog
    dialog.choice.setCurrentIndex(dialog.choice.findData("PER"))
    dialog.color.setText("#123456")  # typed, not yet saved
    # meanwhile a change arrives the way a sync's does (announced on the window)
    edit = {"name_en": "Person (named)", "shortcut": "7"}
    win.workspace.call(lambda: labels.edit_label(win.project, "PER", edit))
    assert dialog.name_en.text() == "Person (named)" and dialog.shortcut.text() == "7"
    assert dialog.color.text() == "#123456"  # what the user typed stays
    assert dialog.choice.currentText() == "Person (named) (PER)"
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert _stored(db, "PER") == ("#123456", "Person (named)", "7")
    win.undo()  # the colour only: the change that came in stays
    assert _stored(db, "PER") == ("#f4a261", "Person (named)", "7")
