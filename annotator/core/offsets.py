"""Code-point <-> UTF-16 offset conversion: the one place Qt's units meet ours.

Python strings index code points; Qt (QTextCursor, QString) counts UTF-16
code units, where every character above U+FFFF (emoji, flags, some CJK) takes
two. ``OffsetIndex`` converts in O(log n) per call after an O(n) scan, so a
document with thousands of spans converts quickly.
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


def to_utf16(text: str, cp: int) -> int:
    """UTF-16 offset of code point offset ``cp`` in ``text`` (one-off use)."""
    return OffsetIndex(text).to_utf16(cp)


def to_codepoint(text: str, u16: int) -> int:
    """Code point offset of UTF-16 offset ``u16`` in ``text`` (one-off use)."""
    return OffsetIndex(text).to_codepoint(u16)
