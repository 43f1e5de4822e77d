"""Suggestions in the article view: outlines, Enter accepts, Backspace rejects, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.gui.actions import Act
from annotator.services import suggest as suggest_service
from annotator.services.project import open_project
from tests.gui_helpers import (
    SUGGEST_FIRST,
    SUGGEST_SECOND,
    stored,
    stored_relations,
    suggest_window,
)

pytestmark = pytest.mark.gui

FIRST, SECOND = SUGGEST_FIRST, SUGGEST_SECOND


@pytest.fixture
def win(tmp_path, qtbot):
    window, ids, db = suggest_window(tmp_path, qtbot)
    return window, window.suggestions, ids, db


def _outlines(window) -> list[tuple[str, str]]:
    text = window.view.text
    return [(label, text[s:e]) for s, e, label in window.view.suggestions]


def test_suggest_outlines_and_selects_the_first(win) -> None:
    window, controller, _ids, _db = win
    controller.actions["suggest"].trigger()
    outlines = _outlines(window)
    assert ("PER", "مارك إسبر") in outlines
    assert ("PER", "مارك أسبر") in outlines
    assert ("SOURCE", "مصدر دبلوماسي مغربي") in outlines
    first = controller.current()
    assert window.view.selection() == (first.start, first.end)


def test_the_actions_come_from_the_registry_and_tagging_drops_an_outline(win, qtbot) -> None:
    window, controller, _ids, _db = win
    assert controller.actions["suggest"] is window.actions_[Act.SUGGEST]
    window.actions_[Act.SUGGEST].trigger()
    target = next(s for s in controller.items if s.text == "مارك إسبر")
    window.tag(target.start, target.end, target.label)  # tagged by hand, not accepted
    assert target.key not in {s.key for s in controller.items}
    assert (target.label, "مارك إسبر") not in _outlines(window)


def test_enter_accepts_backspace_rejects(win, qtbot) -> None:
    window, controller, ids, db = win
    controller.show_current()
    first = controller.current()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    spans = stored(db, ids[1])
    assert (first.start, first.end, first.label) in {(s, e, lab) for s, e, lab, _t in spans}
    assert first.key not in {s.key for s in controller.items}
    second = controller.current()
    qtbot.keyClick(window.view, Qt.Key.Key_Backspace)
    assert second.key not in {s.key for s in controller.items}
    with open_project(db) as project:
        again = {s.key for s in suggest_service.suggest(project, "sara", [ids[1]])}
    assert first.key not in again and second.key not in again
    window.workspace.stack.undo()
    assert (first.start, first.end) not in {(s, e) for s, e, _l, _t in stored(db, ids[1])}


def test_accept_all_of_a_label_links_claim_and_source(win, qtbot) -> None:
    window, controller, ids, db = win
    controller.show_current()
    while controller.current().label not in ("SOURCE", "CLAIM"):
        controller.pos += 1
    window.view.setFocus()
    label = controller.current().label
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert all(s.label != label for s in controller.items)
    other = controller.items[
        [s.label for s in controller.items].index("CLAIM" if label == "SOURCE" else "SOURCE")
    ]
    controller.pos = controller.items.index(other)
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert ("CLAIM", "SOURCE") in stored_relations(db, ids[1])
    labels = {lab for _s, _e, lab, _t in stored(db, ids[1])}
    assert {"CLAIM", "SOURCE"} <= labels


def test_outlines_go_with_the_document(win) -> None:
    window, controller, ids, _db = win
    controller.show_current()
    assert window.view.suggestions
    window.open_document(ids[0])
    assert window.view.suggestions == []
    assert controller.current() is None
