"""Code points <-> Qt document positions, checked against a real QTextDocument.

``setPlainText`` folds ``\\r\\n`` into one block break and treats lone ``\\r``,
U+2029 (and U+2028 as a line break) as one position each; ``QtPositions``
must agree with Qt everywhere, not only on UTF-16.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.core.offsets import QtPositions

PIECES = [
    *"مارك",
    " ",
    "\r\n",
    "\r",
    "\n",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x0c",
    "😀",
    "🇲🇦",
    "👨\u200d👩\u200d👧",
    "\u064e",
    "\u200f",
    "a",
]
MIXED = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
BREAKS = {"\n", "\r", "\u2029"}  # what Qt turns into a block break


def document(text: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setPlainText(text)
    return doc


def end_position(doc: QTextDocument) -> int:
    cur = QTextCursor(doc)
    cur.movePosition(QTextCursor.MoveOperation.End)
    return cur.position()


def qt_char(ch: str) -> str:
    """What ``QTextDocument.characterAt`` shows for stored character ``ch`` (first unit)."""
    if ch in BREAKS:
        return "\u2029"
    if ord(ch) > 0xFFFF:
        return ch.encode("utf-16-le")[:2].decode("utf-16-le", "surrogatepass")
    return ch


@pytest.mark.parametrize(
    "sep,positions,blocks",
    [
        ("\n", 1, 2),
        ("\r\n", 1, 2),
        ("\r", 1, 2),
        ("\u2029", 1, 2),
        ("\u2028", 1, 1),
        ("\x0b", 1, 1),
        ("\x0c", 1, 1),
        ("\r\r\n", 2, 3),
        ("\n\r", 2, 3),
    ],
)
def test_each_separator_as_qt_counts_it(qapp, sep: str, positions: int, blocks: int) -> None:
    text = f"ب{sep}😀ت"
    doc = document(text)
    assert doc.blockCount() == blocks
    index = QtPositions(text)
    assert index.qt_length == end_position(doc) == 1 + positions + 2 + 1
    after = text.index("ت")
    assert index.to_qt(after) == 1 + positions + 2
    assert doc.characterAt(index.to_qt(after)) == "ت"
    assert index.to_codepoint(index.to_qt(after)) == after


def test_plain_text_of_the_document_is_not_the_stored_text(qapp) -> None:
    text = "أ\r\nب\u2028ج"
    assert document(text).toPlainText() == "أ\nب\nج"  # never slice this


@settings(max_examples=60, deadline=None)
@given(MIXED)
def test_every_code_point_lands_on_its_character_in_qt(qapp, text: str) -> None:
    doc = document(text)
    index = QtPositions(text)
    assert index.qt_length == end_position(doc)
    for cp, ch in enumerate(text):
        if cp and text[cp - 1 : cp + 1] == "\r\n":
            continue  # the \n of a CRLF has no position of its own
        pos = index.to_qt(cp)
        assert doc.characterAt(pos) == qt_char(ch)
        assert index.to_codepoint(pos) == cp


@given(MIXED)
def test_positions_inside_a_unit_go_to_its_start(text: str) -> None:
    index = QtPositions(text)
    for pos in range(index.qt_length + 1):
        cp = index.to_codepoint(pos)
        assert 0 <= cp <= len(text)
        assert index.to_qt(cp) in (pos, pos - 1)  # pos - 1: the low surrogate
    for cp in range(len(text) + 1):
        back = index.to_codepoint(index.to_qt(cp))
        assert back == cp or (text[cp - 1 : cp + 1] == "\r\n" and back == cp - 1)


def test_out_of_range_is_refused() -> None:
    index = QtPositions("a\r\n😀")
    assert index.qt_length == 4
    with pytest.raises(ValueError):
        index.to_qt(5)
    with pytest.raises(ValueError):
        index.to_codepoint(5)
