"""Qt positions <-> code points for every text widget: the one crossing in the GUI.

Qt's text widgets count UTF-16 code units and fold ``\\r\\n`` into one
position (U+2028 and U+2029 stay one position each); stored offsets are
code points of the stored text. ``Positions`` wraps the document's
``core.offsets.QtPositions`` (which accounts for all of that) and gives the
three crossings widgets need: a cursor from a span, the selection as code
points, the code point under the mouse. No other GUI module converts
offsets.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from annotator.core.offsets import QtPositions


class Positions:
    """Offsets of one stored text as shown by one Qt document."""

    __slots__ = ("index", "length")

    def __init__(self, text: str) -> None:
        self.index = QtPositions(text)
        self.length = len(text)

    def to_qt(self, cp: int) -> int:
        """Qt position of code point ``cp`` (clamped into the text)."""
        return self.index.to_qt(min(max(cp, 0), self.length))

    def to_cp(self, pos: int) -> int:
        """Code point of Qt position ``pos`` (inside a character: its start)."""
        return self.index.to_codepoint(min(max(pos, 0), self.index.qt_length))

    def cursor(self, document: QTextDocument, start: int, end: int) -> QTextCursor:
        """A cursor selecting code points [start, end) of ``document``."""
        cur = QTextCursor(document)
        cur.setPosition(self.to_qt(start))
        cur.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cur

    def selection(self, cursor: QTextCursor) -> tuple[int, int]:
        """A cursor's selection as code points (start, end); equal when empty."""
        return self.to_cp(cursor.selectionStart()), self.to_cp(cursor.selectionEnd())

    def caret(self, cursor: QTextCursor) -> int:
        """Code point of the cursor's caret."""
        return self.to_cp(cursor.position())

    def at_point(self, edit: QPlainTextEdit | QTextEdit, pos: QPoint) -> int:
        """Code point under a viewport position of ``edit``."""
        return self.to_cp(edit.cursorForPosition(pos).position())

    def range16(self, start: int, end: int) -> tuple[int, int]:
        """Qt positions of code points [start, end), for drawing."""
        return self.to_qt(start), self.to_qt(end)
