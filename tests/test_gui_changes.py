"""One path for every change: one ``changed`` signal per edit, views update themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from annotator.core.changes import Changes
from annotator.gui.import_dialog import run_import
from tests.gui_helpers import make_window, select_text

pytestmark = pytest.mark.gui

TEXT = "😀 قال وزير الدفاع مارك أسبر في الرباط إن الاتفاق مهم"


def test_one_signal_per_edit_and_every_view_follows(tmp_path: Path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, [TEXT, "نص ثان قصير"])
    heard: list[Changes] = []
    window.changed.connect(heard.append)
    start = TEXT.index("مارك أسبر")
    select_text(window.view, start, start + 9)
    qtbot.keyClick(window.view, "1")
    assert len(heard) == 1
    (span,) = heard[0].spans_added
    assert (span.start, span.end, span.label) == (start, start + 9, "PER")
    assert heard[0].statuses == ((ids[0], "sara", "in_progress"),)
    assert span.id in window.view.index.spans
    assert [s.id for s in window.span_panel.spans.spans] == [span.id]
    row = window.doc_model.rows[window.doc_model.find(ids[0])]
    assert (row.span_count, row.status) == (1, "in_progress")
    window.undo()
    assert len(heard) == 2 and heard[1].spans_removed == (span,)
    assert window.view.index.spans == {} and window.span_panel.spans.spans == []
    assert window.doc_model.rows[window.doc_model.find(ids[0])].span_count == 0


def test_an_edit_that_changes_nothing_leaves_no_command(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, [TEXT])
    start = TEXT.index("الرباط")
    window.tag(start, start + 6, "LOC")
    assert window.workspace.stack.count() == 1
    window.workspace.perform(_NothingEdit(window.current.id))
    assert window.workspace.stack.count() == 1


def test_an_import_is_announced_once(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, [TEXT])
    heard: list[Changes] = []
    window.changed.connect(heard.append)
    extra = tmp_path / "new.txt"
    extra.write_text("خبر جديد عن الرباط", encoding="utf-8")
    report = run_import(window, [str(extra)])
    assert report is not None
    (announced,) = heard
    assert len(announced.documents_added) == report.documents_added == 1
    assert window.doc_model.rowCount() == 2


class _NothingEdit:
    text = "nothing"

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id

    def do(self) -> Changes:
        return Changes()

    def undo(self) -> Changes:
        return Changes()


def test_the_labels_menu_is_built_from_the_registry(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, [TEXT])
    menu = window.menus.menus["&Labels"]
    edit, separator, *tags = menu.actions()
    assert edit is window.label_editing.action and separator.isSeparator()
    assert tags == list(window.label_actions.values())
    start = TEXT.index("الرباط")
    select_text(window.view, start, start + 6)
    window.label_actions["LOC"].trigger()
    assert [s.label for s in window.view.index.spans.values()] == ["LOC"]
    select_text(window.view, start + 2, start + 2)
    window.label_actions["PER"].trigger()  # the caret in one span: relabel, as the key does
    assert [s.label for s in window.view.index.spans.values()] == ["PER"]


def test_no_two_actions_share_a_shortcut(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, [TEXT])
    seen: dict[str, str] = {}
    clashes = []
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            name = key.toString()
            if name in seen and seen[name] != action.objectName():
                clashes.append((name, seen[name], action.objectName()))
            seen.setdefault(name, action.objectName())
    assert clashes == []
