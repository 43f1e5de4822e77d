"""Text units with code-point offsets: grapheme clusters and tokens.

The unit a reader sees as one character is an extended grapheme cluster
(Unicode UAX #29, the ``regex`` module's ``\\X``): a letter with its
tashkeel, an emoji ZWJ sequence (👨‍👩‍👧), a flag (🇲🇦), an emoji with a skin
tone (👍🏽) or a variation selector, ``\\r\\n``. One deliberate difference:
whitespace is always a cluster of its own (UAX #29 glues a combining mark
that follows a space onto the space), so no unit ever holds a space.

A word is a run of clusters that each start with a letter or a digit, so
tashkeel, Quranic marks (U+08F0 …), tatweel and joiners inside or after it
are part of it; Python's ``\\w`` alone would cut "مُحَمَّد" at every haraka.
Every other cluster that shows something (punctuation, an emoji, a flag) is a
token of its own. Whitespace and invisible format characters (bidi marks and
isolates, ZWSP, BOM, variation selectors: Default_Ignorable_Code_Point) are
never a token of their own. Span edges and token edges fall on cluster edges.
"""

from __future__ import annotations

import bisect

import regex

_WS = r"\s\x1c-\x1f"  # what str.isspace() accepts
_EXT = r"\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}"
# A Prepend character (Arabic number signs U+0600-0605, end of ayah U+06DD)
# joins the next cluster, but never a space or a control.
_PREPEND = rf"\p{{GCB=Prepend}}+(?:(?![{_WS}\p{{GCB=Control}}])\X)?"
_CLUSTER = regex.compile(rf"\r\n|[{_WS}]|{_PREPEND}|\X")
_WORD = r"(?:(?=[\p{L}\p{N}])\X)+"
_TOKEN = regex.compile(
    rf"({_WORD})"
    # An Arabic number sign or end of ayah with the number it carries: one token.
    rf"|\p{{GCB=Prepend}}+(?:{_WORD}|(?![{_WS}\p{{GCB=Control}}])\X)?"
    rf"|(?=[^{_WS}\p{{DI}}])\X"
    # A cluster led by an invisible joiner or selector but holding a mark.
    rf"|(?=\p{{DI}})(?=[{_EXT}]*?(?!\p{{DI}})[{_EXT}])\X"
)
_WS_BEFORE = regex.compile(rf"[{_WS}]", regex.REVERSE)
_INVISIBLE = regex.compile(rf"[{_WS}\p{{DI}}]*")


def clusters(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the grapheme clusters of ``text[start:end]``.

    ``start`` must be a cluster edge (0, or next to whitespace, is one).
    """
    end = len(text) if end is None else end
    return [m.span() for m in _CLUSTER.finditer(text, start, end)]


def _safe_start(text: str, pos: int) -> int:
    """A cluster edge at or before ``pos``: before the whitespace nearest before it."""
    m = _WS_BEFORE.search(text, 0, pos)
    if m is None:
        return 0
    k = m.start()
    if k and text[k] == "\n" and text[k - 1] == "\r":
        k -= 1
    return k


def cluster_at(text: str, pos: int) -> tuple[int, int]:
    """The cluster holding code point ``pos`` (0 <= pos < len(text))."""
    if not 0 <= pos < len(text):
        raise ValueError(f"position {pos} outside 0..{len(text) - 1}")
    for m in _CLUSTER.finditer(text, _safe_start(text, pos)):
        if m.end() > pos:
            return m.span()
    raise AssertionError("unreachable: clusters cover the text")


def floor_edge(text: str, pos: int) -> int:
    """``pos`` moved back to the start of the cluster it falls inside."""
    return pos if pos <= 0 or pos >= len(text) else cluster_at(text, pos)[0]


def ceil_edge(text: str, pos: int) -> int:
    """``pos`` moved on to the end of the cluster it falls inside."""
    if pos <= 0 or pos >= len(text):
        return pos
    start, end = cluster_at(text, pos)
    return pos if start == pos else end


def is_invisible(piece: str) -> bool:
    """True when ``piece`` shows nothing: only whitespace and format characters."""
    return _INVISIBLE.fullmatch(piece) is not None


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
    """The word token containing code point ``pos`` (or ending at it at the text's end)."""
    if not 0 <= pos <= len(text):
        return None
    for m in _TOKEN.finditer(text, _safe_start(text, pos)):
        if m.start() <= pos < m.end() or (m.end() == pos and pos == len(text)):
            return m.span() if m.group(1) is not None else None
        if m.start() > pos:
            break
    return None
