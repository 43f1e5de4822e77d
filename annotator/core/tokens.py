"""Tokenisation with code-point offsets.

A word is a run of letters and digits together with the combining marks
(tashkeel), tatweel and zero-width joiners inside or after it; Python's ``\\w``
alone would cut "مُحَمَّد" at every haraka. Every other visible character
(punctuation, an emoji, each half of a flag) is a token of its own, so tokens
cover every character but whitespace and invisible bidi controls.
"""

from __future__ import annotations

import bisect
import re

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640\u200c\u200d"
# Invisible direction controls are separators, never tokens.
_BIDI = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff"
_TOKEN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+|[^\s{_BIDI}{_MARKS}]|[{_MARKS}]")


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) code-point offsets of the tokens of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


def split_at(tokens: list[tuple[int, int]], cuts: set[int]) -> list[tuple[int, int]]:
    """Split tokens at every offset in ``cuts`` that falls strictly inside one.

    Exporters pass span boundaries as cuts, so "بالرباط" with a span on "الرباط"
    becomes the tokens "ب" and "الرباط".
    """
    if not cuts:
        return list(tokens)
    ordered = sorted(cuts)
    out: list[tuple[int, int]] = []
    for start, end in tokens:
        lo = bisect.bisect_right(ordered, start)
        hi = bisect.bisect_left(ordered, end)
        prev = start
        for cut in ordered[lo:hi]:
            out.append((prev, cut))
            prev = cut
        out.append((prev, end))
    return out


def word_at(text: str, pos: int) -> tuple[int, int] | None:
    """The word token containing code point ``pos`` (or ending at it), or None."""
    for m in _TOKEN.finditer(text, max(0, pos - 64)):
        if m.start() <= pos < m.end() or (m.end() == pos and pos == len(text)):
            return m.span()
        if m.start() > pos:
            break
    return None
