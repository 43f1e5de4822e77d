"""Tagging in the article view: code points after emoji, clitics, snapping, Alt, HTML."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from tests.gui_helpers import make_window, select_text, stored

pytestmark = pytest.mark.gui

EMOJI = "خبر 😀😀 عاجل: وصل مارك أسبر بالرباط 🇲🇦 واجتمع بوزير الخارجية."


@pytest.fixture
def win(tmp_path, qtbot):
    window, ids = make_window(tmp_path, qtbot, [EMOJI, "<b>x</b> نص & آخر"])
    return window, ids, tmp_path / "gui.db"


def test_contract_of_the_article_view(win) -> None:
    window, _ids, _db = win
    view = window.findChild(type(window.view), "articleView")
    assert view is window.view
    assert view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert view.isReadOnly()
    assert view.toPlainText() == EMOJI


def test_tag_after_emoji_stores_code_points(win, qtbot) -> None:
    window, ids, db = win
    start = EMOJI.index("مارك أسبر")
    select_text(window.view, start, start + len("مارك أسبر"))
    qtbot.keyClick(window.view, "1")
    assert stored(db, ids[0]) == [(start, start + 9, "PER", "مارك أسبر")]
    row = window.doc_model.rows[0]
    assert (row.span_count, row.status) == (1, "in_progress")


def test_tag_after_flag_inside_clitic_word(win, qtbot) -> None:
    window, ids, db = win
    start = EMOJI.index("الرباط")
    select_text(window.view, start, start + len("الرباط"))
    qtbot.keyClick(window.view, "3")
    assert stored(db, ids[0]) == [(start, start + 6, "LOC", "الرباط")]
    start = EMOJI.index("وزير")
    select_text(window.view, start, start + 4)  # "وزير" inside "بوزير", after the flag
    qtbot.keyClick(window.view, "4")
    assert (start, start + 4, "MISC", "وزير") in stored(db, ids[0])


def test_partial_selection_snaps_to_the_word(win, qtbot) -> None:
    window, ids, db = win
    start = EMOJI.index("مارك")
    select_text(window.view, start + 1, start + 3)
    qtbot.keyClick(window.view, "1")
    assert stored(db, ids[0]) == [(start, start + 4, "PER", "مارك")]
    assert window.view.selection() == (start, start + 4)


def test_alt_keeps_exact_characters(win, qtbot) -> None:
    window, ids, db = win
    start = EMOJI.index("مارك")
    select_text(window.view, start + 1, start + 3)
    qtbot.keyClick(window.view, "1", Qt.KeyboardModifier.AltModifier)
    assert stored(db, ids[0]) == [(start + 1, start + 3, "PER", "ار")]


def test_label_key_without_selection_stores_nothing(win, qtbot) -> None:
    window, ids, db = win
    select_text(window.view, 3, 3)
    qtbot.keyClick(window.view, "1")
    assert stored(db, ids[0]) == []
    assert window.last_message


def test_palette_button_tags_the_selection(win, qtbot) -> None:
    window, ids, db = win
    start = EMOJI.index("الخارجية")
    select_text(window.view, start, start + 8)
    qtbot.mouseClick(window.palette.buttons["ORG"], Qt.MouseButton.LeftButton)
    assert stored(db, ids[0]) == [(start, start + 8, "ORG", "الخارجية")]


def test_html_in_an_article_is_shown_literally(win, qtbot) -> None:
    window, ids, db = win
    window.open_document(ids[1])
    view = window.view
    assert view.toPlainText() == "<b>x</b> نص & آخر"
    block = view.document().firstBlock()
    fragment_formats = []
    it = block.begin()
    while not it.atEnd():
        fragment_formats.append(it.fragment().charFormat().fontWeight())
        it += 1
    assert all(w <= QFont.Weight.Normal for w in fragment_formats)
    select_text(view, 0, 8)
    qtbot.keyClick(view, "4", Qt.KeyboardModifier.AltModifier)
    assert stored(db, ids[1]) == [(0, 8, "MISC", "<b>x</b>")]
    assert view.toPlainText() == "<b>x</b> نص & آخر"
