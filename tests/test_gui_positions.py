"""The one GUI crossing between Qt positions and code points (``gui.positions``)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from annotator.gui.positions import Positions
from tests.gui_helpers import u16

pytestmark = pytest.mark.gui

TEXT = "😀 مارك 🇲🇦 أسبر\nفي الرباط 👍🏽 اليوم"


@pytest.mark.parametrize("word", ["مارك", "أسبر", "الرباط", "اليوم", "🇲🇦"])
def test_cursor_selection_and_back(qtbot, word: str) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText(TEXT)
    pos = Positions(TEXT)
    start = TEXT.index(word)
    cur = pos.cursor(edit.document(), start, start + len(word))
    assert cur.selectionStart() == u16(TEXT, start)
    assert cur.selectedText() == word
    assert pos.selection(cur) == (start, start + len(word))
    edit.setTextCursor(cur)
    rect = edit.cursorRect(pos.cursor(edit.document(), start, start))
    assert pos.at_point(edit, rect.center()) in (start - 1, start, start + 1)


def test_a_position_inside_an_emoji_snaps_to_its_start() -> None:
    pos = Positions(TEXT)
    assert pos.to_cp(1) == 0  # between the two halves of 😀
    assert pos.to_qt(len(TEXT)) == u16(TEXT, len(TEXT))
