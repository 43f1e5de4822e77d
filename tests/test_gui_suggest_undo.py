"""Accepting suggestions in the workspace is one command on the undo stack, like any edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.cli import main
from annotator.core.changes import Changes
from annotator.core.suggest import Suggestion
from annotator.gui import open_window
from annotator.gui.actions import Act
from annotator.gui.session import HISTORY_LIMIT
from annotator.services import suggest
from annotator.services.project import open_project
from tests.gui_helpers import (
    SUGGEST_FIRST,
    SUGGEST_SECOND,
    make_window,
    stored,
    stored_relations,
    suggest_window,
)

pytestmark = pytest.mark.gui

FIRST, SECOND = SUGGEST_FIRST, SUGGEST_SECOND


@pytest.fixture
def win(tmp_path, qtbot):
    """The second article shown, sara having tagged "مارك أسبر" in the first."""
    window, ids, db = suggest_window(tmp_path, qtbot)
    window.suggestions.show_current()
    return window, ids[1], db


def _keys(spans) -> set[tuple[int, int, str]]:
    return {(s, e, lab) for s, e, lab, _t in spans}


def _accept_all_of(window, qtbot, label: str) -> None:
    controller = window.suggestions
    controller.pos = [s.label for s in controller.items].index(label)
    controller._draw()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)


def test_accept_all_of_a_label_is_one_undo_step(win, qtbot) -> None:
    window, doc, db = win
    heard: list[Changes] = []
    window.changed.connect(heard.append)
    wanted = {(s.start, s.end, s.label) for s in window.suggestions.items if s.label == "PER"}
    assert len(wanted) == 2
    depth = window.workspace.stack.count()
    _accept_all_of(window, qtbot, "PER")
    assert wanted <= _keys(stored(db, doc))
    assert window.workspace.stack.count() == depth + 1  # the whole batch: one command
    assert len(heard) == 1 and len(heard[0].spans_added) == 2
    assert all(s.origin == "suggested" for s in heard[0].spans_added)
    shown = {(s.start, s.end, s.label) for s in window.view.index.spans.values()}
    assert wanted <= shown
    window.actions_[Act.UNDO].trigger()
    assert not wanted & _keys(stored(db, doc))
    assert not wanted & {(s.start, s.end, s.label) for s in window.view.index.spans.values()}
    assert {s.id for s in heard[-1].spans_removed} == {s.id for s in heard[0].spans_added}
    window.actions_[Act.REDO].trigger()
    assert wanted <= _keys(stored(db, doc))
    assert window.span_panel.spans.spans and {s.id for s in heard[-1].spans_added} == {
        s.id for s in heard[0].spans_added
    }


def test_undoing_the_sources_takes_their_links(win, qtbot) -> None:
    window, doc, db = win
    _accept_all_of(window, qtbot, "CLAIM")
    _accept_all_of(window, qtbot, "SOURCE")
    links = stored_relations(db, doc)
    assert links and set(links) == {("CLAIM", "SOURCE")}
    window.undo()
    assert stored_relations(db, doc) == []
    assert {lab for _s, _e, lab, _t in stored(db, doc)} == {"CLAIM"}
    window.undo()
    assert stored(db, doc) == []
    window.redo()
    window.redo()
    assert stored_relations(db, doc) == links


def _reopen(window, db, qtbot, annotator: str = "sara"):
    window.close()
    again = open_window(db, annotator=annotator)
    qtbot.addWidget(again)
    return again


def test_an_accepted_batch_is_one_step_after_a_restart(win, qtbot) -> None:
    window, doc, db = win
    _accept_all_of(window, qtbot, "CLAIM")
    _accept_all_of(window, qtbot, "SOURCE")
    accepted = _keys(stored(db, doc))
    assert len(accepted) >= 4 and stored_relations(db, doc)
    again = _reopen(window, db, qtbot)
    stack = again.workspace.stack
    # the span tagged before the window opened, then the two batches (not one step per span)
    assert [stack.text(i) for i in range(stack.count())][-2:] == [
        "accept 2 suggestion(s)",
        f"accept {len(accepted) - 2} suggestion(s)",
    ]
    again.undo()
    assert stored_relations(db, doc) == []
    assert {lab for _s, _e, lab, _t in stored(db, doc)} == {"CLAIM"}
    again.undo()
    assert stored(db, doc) == []
    again.redo()
    again.redo()
    assert _keys(stored(db, doc)) == accepted and stored_relations(db, doc)


def test_suggest_accept_on_the_command_line_is_undone_in_the_workspace(win, qtbot) -> None:
    """``annotator suggest --accept`` run while the workspace is closed: Ctrl+Z takes it back."""
    window, doc, db = win
    start = SECOND.index("تونس")
    window.tag(start, start + 4, "LOC")  # a manual edit before the batch
    window.close()
    assert main(["suggest", "--layer", "sara", "--accept", "--db", str(db)]) == 0
    made = _keys(stored(db, doc))
    assert len(made) > 3 and stored_relations(db, doc)
    again = open_window(db, annotator="sara")
    qtbot.addWidget(again)
    stack = again.workspace.stack
    assert stack.text(stack.count() - 1) == f"accept {len(made) - 1} suggestion(s)"
    assert stack.text(stack.count() - 2) == f"LOC {start}-{start + 4}"
    again.actions_[Act.UNDO].trigger()
    assert stored(db, doc) == [(start, start + 4, "LOC", "تونس")]
    assert stored_relations(db, doc) == []
    assert again.current.id == doc  # the undone batch's document is shown, and drawn afresh
    assert {(s.start, s.end, s.label) for s in again.view.index.spans.values()} == {
        (start, start + 4, "LOC")
    }
    again.actions_[Act.UNDO].trigger()  # the manual edit is its own step below
    assert stored(db, doc) == []
    again.actions_[Act.REDO].trigger()
    again.actions_[Act.REDO].trigger()
    assert _keys(stored(db, doc)) == made and stored_relations(db, doc)


def test_a_batch_longer_than_the_history_is_still_one_step(tmp_path, qtbot) -> None:
    """More spans than the restored history holds entries: the batch's own entry has them all."""
    names = [f"اسم{i}" for i in range(HISTORY_LIMIT + 50)]
    words = " ".join(names)
    window, ids = make_window(tmp_path, qtbot, [words])
    window.close()
    db = tmp_path / "gui.db"
    items, at = [], 0
    for name in names:
        items.append(Suggestion(ids[0], at, at + len(name), "PER", "test"))
        at += len(name) + 1
    with open_project(db) as project:
        assert suggest.accept_suggestions(project, "sara", items, layer="sara") == len(items)
    again = open_window(db, annotator="sara")
    qtbot.addWidget(again)
    assert again.workspace.stack.count() == 1
    again.undo()
    assert stored(db, ids[0]) == []
    again.redo()
    assert len(stored(db, ids[0])) == len(items) == HISTORY_LIMIT + 50
