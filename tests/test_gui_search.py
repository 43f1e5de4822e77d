"""The search box: normalised corpus search filters the list and marks hits in the article."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui_helpers import make_window

pytestmark = pytest.mark.gui

TEXTS = [
    "😀 وقال وزير الدفاع مارك أسبر في الرباط",
    "خبر آخر عن الطقس في تونس",
    "وصل إسبر بالأمس",
]


def _search(window, query: str) -> list[str]:
    panel = window.doc_panel
    panel.search.setText(query)
    panel.apply_filter()  # what the typing timer calls
    return [row.id for row in window.doc_model.rows]


def test_spelling_variants_and_clitics_filter_the_list(tmp_path: Path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, TEXTS)
    assert _search(window, "اسبر") == [ids[0], ids[2]]  # أسبر and إسبر
    assert _search(window, "الامس") == [ids[2]]  # found behind the ب of "بالأمس"
    assert _search(window, "") == ids


def test_a_partly_typed_word_falls_back_to_a_substring(tmp_path: Path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, TEXTS)
    assert _search(window, "الطق") == [ids[1]]


def test_hits_are_marked_in_the_article_at_utf16_positions(tmp_path: Path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, TEXTS)
    _search(window, "أسبر")
    window.open_document(ids[0])
    (sel,) = window.view.extraSelections()
    start = TEXTS[0].index("أسبر")
    assert sel.cursor.selectionStart() == start + 1  # the emoji counts two UTF-16 units
    assert sel.cursor.selectedText() == "أسبر"
