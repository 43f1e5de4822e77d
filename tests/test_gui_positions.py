"""The one GUI crossing between Qt positions and code points (``gui.positions``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit

import annotator.gui
from annotator.gui.positions import Positions
from annotator.gui.review.lanes import Lanes
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


def test_no_other_gui_module_converts_offsets() -> None:
    """Every text widget (article view, highlighter, review lanes) crosses through one module."""
    gui = Path(annotator.gui.__file__).parent
    crossing = sorted(
        str(p.relative_to(gui))
        for p in gui.rglob("*.py")
        if re.search(r"core\.offsets|QtPositions|OffsetIndex|utf16", p.read_text("utf-8"))
    )
    assert crossing == ["positions.py"]


def test_a_lane_on_an_excerpt_crosses_through_positions(qtbot) -> None:
    lanes = Lanes()
    qtbot.addWidget(lanes)
    base = TEXT.index("\n") + 1  # the excerpt starts after the first line (emoji before it)
    lanes.show_layers(TEXT, ["sara"], excerpt=(base, len(TEXT)))
    lanes.resize(600, 300)
    lanes.show()
    qtbot.waitExposed(lanes)
    lane = lanes.lanes["sara"]
    shown = TEXT[base:]
    start = TEXT.index("اليوم")
    lane.select_range(start, start + len("اليوم"))
    cur = lane.textCursor()
    assert cur.selectedText() == "اليوم"
    assert cur.selectionStart() == u16(shown, start - base)  # past the emoji of the excerpt
    assert lane.selected_range() == (start, start + len("اليوم"))
    rect = lane.cursorRect(lane.positions.cursor(lane.document(), start - base, start - base))
    assert lane.code_point_at(rect.center()) in (start - 1, start, start + 1)
