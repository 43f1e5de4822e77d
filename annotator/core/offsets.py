"""Code-point <-> UTF-16 and Qt document positions: the one place Qt's units meet ours.

Python strings index code points. ``OffsetIndex`` converts to and from UTF-16
code units (QString, doccano's UI), where every character above U+FFFF
(emoji, flags, some CJK) takes two. ``QtPositions`` converts to and from the
positions of a ``QTextDocument`` after ``setPlainText(text)``: UTF-16 units,
except that Qt folds ``\r\n`` into one block break. Both convert in
O(log n) per call after an O(n) scan, so a document with thousands of spans
converts quickly.

What ``setPlainText`` does to line and paragraph separators (PySide6 6.11,
checked by tests/test_offsets_qt.py against a real document):

=============  ==========  ==============  ===============
stored         positions   block break     ``toPlainText``
=============  ==========  ==============  ===============
``\n``        1           yes             ``\n``
``\r\n``     1           yes             ``\n``
lone ``\r``   1           yes             ``\n``
U+2029         1           yes             ``\n``
U+2028         1           no (line break) ``\n``
``\x0b``      1           no              ``\x0b``
``\x0c``      1           no              ``\x0c``
=============  ==========  ==============  ===============

So only ``\r\n`` (and astral characters) change the count, but
``toPlainText()`` is not the stored text: never slice it, slice the stored
text with converted offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_length(text: str) -> int:
    """Number of UTF-16 code units of ``text``."""
    return len(text) + len(_ASTRAL.findall(text))


class OffsetIndex:
    """Converts offsets of one text between code points and UTF-16 units."""

    __slots__ = ("_astral", "_astral16", "_length")

    def __init__(self, text: str) -> None:
        """Scan ``text`` once for astral characters (code point positions)."""
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 position of each astral character: its code point index plus
        # the number of astral characters before it.
        self._astral16 = [cp + n for n, cp in enumerate(self._astral)]
        self._length = len(text)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code point offset ``cp`` (0 <= cp <= len(text))."""
        if not 0 <= cp <= self._length:
            raise ValueError(f"code point offset {cp} outside 0..{self._length}")
        return cp + bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int) -> int:
        """Code point offset of UTF-16 offset ``u16``.

        An offset that falls between the two halves of a surrogate pair is
        moved back to the start of that character, so a selection never cuts
        an emoji in two.
        """
        total = self._length + len(self._astral)
        if not 0 <= u16 <= total:
            raise ValueError(f"UTF-16 offset {u16} outside 0..{total}")
        before = bisect_right(self._astral16, u16 - 1)  # astral chars starting before u16
        if before and self._astral16[before - 1] == u16 - 1:
            # u16 points at the low surrogate: snap back to the character's start.
            return self._astral[before - 1]
        return u16 - before


_QT_UNITS = re.compile("[\U00010000-\U0010ffff]|\r\n")


class QtPositions:
    """Converts offsets of one text between code points and Qt document positions.

    A Qt position is what ``QTextCursor.position()`` reports in a document
    filled with ``setPlainText(text)``. Two kinds of unit differ in length:
    an astral character (1 code point, 2 positions) and ``\r\n`` (2 code
    points, 1 position). An offset inside either (between the surrogates, or
    between ``\r`` and ``\n``) converts to the start of that unit, in both
    directions, so a conversion never lands inside a character.
    """

    __slots__ = ("_cp", "_cp_len", "_length", "_qt", "_qt_len", "qt_length")

    def __init__(self, text: str) -> None:
        """Scan ``text`` once for astral characters and CRLF pairs."""
        cps: list[int] = []
        cp_lens: list[int] = []
        qts: list[int] = []
        qt_lens: list[int] = []
        shift = 0  # qt position - code point offset, before the current unit
        for m in _QT_UNITS.finditer(text):
            cp = m.start()
            crlf = m.end() - cp == 2
            cps.append(cp)
            qts.append(cp + shift)
            cp_lens.append(2 if crlf else 1)
            qt_lens.append(1 if crlf else 2)
            shift += -1 if crlf else 1
        self._cp, self._cp_len, self._qt, self._qt_len = cps, cp_lens, qts, qt_lens
        self._length = len(text)
        #: The document's length in positions (``QTextCursor.End``).
        self.qt_length = len(text) + shift

    def to_qt(self, cp: int) -> int:
        """Qt position of code point offset ``cp`` (0 <= cp <= len(text))."""
        if not 0 <= cp <= self._length:
            raise ValueError(f"code point offset {cp} outside 0..{self._length}")
        k = bisect_right(self._cp, cp) - 1
        if k < 0:
            return cp
        start = self._cp[k]
        if cp < start + self._cp_len[k]:
            return self._qt[k]  # at or inside the unit: its start
        return self._qt[k] + self._qt_len[k] + (cp - start - self._cp_len[k])

    def to_codepoint(self, pos: int) -> int:
        """Code point offset of Qt position ``pos`` (0 <= pos <= qt_length)."""
        if not 0 <= pos <= self.qt_length:
            raise ValueError(f"Qt position {pos} outside 0..{self.qt_length}")
        k = bisect_right(self._qt, pos) - 1
        if k < 0:
            return pos
        start = self._qt[k]
        if pos < start + self._qt_len[k]:
            return self._cp[k]  # at or inside the unit: its start
        return self._cp[k] + self._cp_len[k] + (pos - start - self._qt_len[k])


def to_utf16(text: str, cp: int) -> int:
    """UTF-16 offset of code point offset ``cp`` in ``text`` (one-off use)."""
    return OffsetIndex(text).to_utf16(cp)


def to_codepoint(text: str, u16: int) -> int:
    """Code point offset of UTF-16 offset ``u16`` in ``text`` (one-off use)."""
    return OffsetIndex(text).to_codepoint(u16)
