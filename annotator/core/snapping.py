"""Snapping a text selection to whole words, leaving left-out proclitics out.

A curator's selection rarely lands exactly on word edges. ``snap`` widens a
code-point selection to whole words (tashkeel, tatweel and zero-width joiners
are part of a word), with one exception: a proclitic (و ف ب ل ك and their
combinations, e.g. "وب", "فل") that the selection deliberately left out at the
start of a word stays out, so "الرباط" can be tagged inside "بالرباط". The
article "ال" is part of the name, never a proclitic to leave out: selecting
"رباط" inside "بالرباط" gives "الرباط". Offsets are code points, end exclusive.
"""

from __future__ import annotations

from annotator.core.arabic import PROCLITIC_LETTERS, is_mark
from annotator.core.tokens import word_at

#: The longest run of proclitic letters left out of a word (e.g. "وبـ", "فلـ").
MAX_PROCLITICS = 3
_ARTICLE = "ال"


def snap(text: str, start: int, end: int, *, exact: bool = False) -> tuple[int, int] | None:
    """The snapped (start, end) of the selection [start, end) of ``text``.

    Surrounding whitespace is dropped first; with ``exact`` nothing else
    changes. Returns None when nothing but whitespace was selected.
    """
    if start > end:
        start, end = end, start
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    if exact:
        return start, end
    return _snap_start(text, start), _snap_end(text, end)


def _letters(s: str) -> str:
    """``s`` without tashkeel and tatweel."""
    return "".join(ch for ch in s if not is_mark(ch))


def _snap_start(text: str, start: int) -> int:
    word = word_at(text, start)
    if word is None or word[0] >= start:
        return start
    w_start = word[0]
    left_out = _letters(text[w_start:start])
    if left_out and len(left_out) <= MAX_PROCLITICS and set(left_out) <= PROCLITIC_LETTERS:
        # Only a proclitic was left out: keep it out, but not the marks that
        # sit on it (a selection starting on a haraka starts after its letter).
        while start < word[1] and is_mark(text[start]):
            start += 1
        return start
    for article in (_ARTICLE, _ARTICLE[0]):  # "ال" left out whole or in part
        if left_out.endswith(article):
            clitics = left_out[: -len(article)]
            if len(clitics) <= MAX_PROCLITICS and set(clitics) <= PROCLITIC_LETTERS:
                return _after_letters(text, w_start, len(clitics))
    return w_start


def _after_letters(text: str, pos: int, n: int) -> int:
    """Offset just after ``n`` letters (with their marks) from ``pos``."""
    seen = 0
    while pos < len(text) and seen < n:
        pos += 1
        seen += 1
        while pos < len(text) and is_mark(text[pos]):
            pos += 1
    return pos


def _snap_end(text: str, end: int) -> int:
    word = word_at(text, end - 1)
    if word is None:
        return end
    return max(end, word[1])
