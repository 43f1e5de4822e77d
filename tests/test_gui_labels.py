"""Labels → Edit labels…: a label's colour, names and key change in the open window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor

from annotator.services import annotate
from annotator.services.project import open_project
from tests.gui_helpers import formats_at, make_window, select_text

pytestmark = pytest.mark.gui

TEXT = "قال وزير الدفاع مارك أسبر في الرباط إن الاتفاق قريب."


def _open_editor(win, label: str):
    win.findChild(QAction, "action_edit_labels").trigger()
    dialog = win.label_editing.dialog
    dialog.choice.setCurrentIndex(dialog.choice.findData(label))
    return dialog


def test_an_edit_redraws_the_window_and_is_stored(tmp_path: Path, qtbot) -> None:
    win, ids = make_window(tmp_path, qtbot, [TEXT])
    start = TEXT.index("مارك أسبر")
    win.tag(start, start + len("مارك أسبر"), "PER", exact=True)
    menu = win.menus.menus["&Labels"]
    assert menu.actions()[0].objectName() == "action_edit_labels"
    dialog = _open_editor(win, "PER")
    qtbot.addWidget(dialog)
    assert (dialog.name_en.text(), dialog.color.text(), dialog.shortcut.text()) == (
        "Person",
        "#f4a261",
        "1",
    )
    dialog.color.setText("#336699")
    dialog.name_en.setText("Named person")
    dialog.shortcut.setText("8")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    assert formats_at(win.view, start + 1)[0].background().color() == QColor("#336699")
    assert win.palette.buttons["PER"].text() == "Named person  [8]"
    assert win.span_panel.spans.index(0, 0).data(Qt.ItemDataRole.DecorationRole) == QColor(
        "#336699"
    )
    loc = TEXT.index("الرباط")
    select_text(win.view, loc, loc + len("الرباط"))
    qtbot.keyClick(win.view, "8")
    assert {s.label for s in annotate.layer_spans(win.project, ids[0], "sara")} == {"PER"}
    assert len(annotate.layer_spans(win.project, ids[0], "sara")) == 2
    with open_project(win.project.store.path) as again:
        lab = again.schema.label("PER")
        assert (lab.color, lab.name_en, lab.shortcut, lab.kind) == (
            "#336699",
            "Named person",
            "8",
            "entity",
        )


def test_a_bad_value_is_named_in_the_dialog_and_nothing_changes(tmp_path: Path, qtbot) -> None:
    win, _ids = make_window(tmp_path, qtbot, [TEXT])
    dialog = _open_editor(win, "LOC")
    qtbot.addWidget(dialog)
    dialog.shortcut.setText("1")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.problem.text() == "label LOC: the key '1' is PER's already"
    dialog.shortcut.setText("3")
    dialog.color.setText("<b>red</b>")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.problem.text() == "label LOC: colour '<b>red</b>' is not #rrggbb (or #rgb)"
    assert dialog.problem.textFormat() == Qt.TextFormat.PlainText
    assert win.project.schema.label("LOC").color == "#95d5b2"
    assert win.palette.buttons["LOC"].text() == "Place  [3]"


def test_a_curator_is_told_only_reviewers_edit_labels(tmp_path: Path, qtbot) -> None:
    db = tmp_path / "gui.db"
    win, _ids = make_window(tmp_path, qtbot, [TEXT])
    annotate.register(win.project, "rana", "reviewer")
    annotate.register(win.project, "sara", "curator")
    win.findChild(QAction, "action_edit_labels").trigger()
    assert win.label_editing.dialog is None
    assert win.last_message == "sara is a curator: only a reviewer edits labels"
    with open_project(db) as again:
        assert again.schema.label("PER").color == "#f4a261"
