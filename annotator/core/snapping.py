"""Snapping a text selection to whole words, leaving left-out proclitics out.

A curator's selection rarely lands exactly on word edges. ``snap`` first
drops whitespace and invisible format characters (bidi marks and isolates,
ZWSP, BOM) at both edges and moves the edges out to whole grapheme clusters
(``core.tokens``), so an edge never cuts an emoji sequence, a flag or a letter
from its haraka. Then, unless ``exact``, it widens the selection to whole
words, with one exception: proclitics that the selection deliberately left
out of a word stay out, when what remains is plausibly a word of its own:

- one proclitic letter (و ف ب ل ك) before a stem of at least three letters:
  "وزير" inside "بوزير", "مارك" inside "ومارك";
- a proclitic (و ف ب ل ك, or و/ف then ب/ك/ل) before the article ال and at
  least two more letters: "الرباط" inside "بالرباط", "التقى" in "والتقى".

Otherwise the whole word is taken: "سطي" inside "فلسطين" gives "فلسطين", not
"سطين"; "غداد" inside "وبغداد" gives "وبغداد"; "الد" inside "والد" gives
"والد". The article is part of a name,
never left out: "رباط" or "لرباط" inside "بالرباط" give "الرباط", but only
where the word really has ال ("شنطن" in "واشنطن" gives "واشنطن"). Offsets are
code points, end exclusive.
"""

from __future__ import annotations

import re

from pyarabic import araby

from annotator.core.tokens import ceil_edge, clusters, floor_edge, is_invisible, word_at

#: Letters that may be left out of a word as proclitics.
PROCLITIC_LETTERS = frozenset("وفبلك")
#: A proclitic sequence: conjunction, then preposition (one of them at least).
_PROCLITICS = re.compile("[وف]?[بكل]?")
_ARTICLE = "ال"
#: Fewest letters a stem left after a proclitic must have, and after the article.
MIN_STEM = 3
MIN_AFTER_ARTICLE = 2


def snap(text: str, start: int, end: int, *, exact: bool = False) -> tuple[int, int] | None:
    """The snapped (start, end) of the selection [start, end) of ``text``.

    Whitespace and invisible format characters at the edges are dropped and
    the edges moved out to whole clusters; with ``exact`` nothing else
    changes. Returns None when nothing visible was selected.
    """
    if start > end:
        start, end = end, start
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        return None
    start, end = floor_edge(text, start), ceil_edge(text, end)
    start, end = _trim(text, start, end)
    if start >= end:
        return None
    if exact:
        return start, end
    return _snap_start(text, start), _snap_end(text, end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whole clusters that show nothing from both edges of [start, end)."""
    units = clusters(text, start, end)
    lo, hi = 0, len(units)
    while lo < hi and is_invisible(text[units[lo][0] : units[lo][1]]):
        lo += 1
    while hi > lo and is_invisible(text[units[hi - 1][0] : units[hi - 1][1]]):
        hi -= 1
    if lo >= hi:
        return start, start
    return units[lo][0], units[hi - 1][1]


def _letters(text: str, units: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(cluster end, base letter) of each cluster of a word, tatweel left out."""
    return [(b, text[a]) for a, b in units if text[a] != araby.TATWEEL]


def _snap_start(text: str, start: int) -> int:
    word = word_at(text, start)
    if word is None or word[0] >= start:
        return start
    w_start, w_end = word
    letters = _letters(text, clusters(text, w_start, w_end))
    spelled = "".join(ch for _, ch in letters)
    left = sum(1 for end, _ in letters if end <= start)  # letters left out
    for n_clitics in range(left, -1, -1):
        clitics = spelled[:n_clitics]
        if not _PROCLITICS.fullmatch(clitics):
            continue
        rest = spelled[n_clitics:]
        starts_with_article = rest.startswith(_ARTICLE)
        has_article = starts_with_article and len(rest) - len(_ARTICLE) >= MIN_AFTER_ARTICLE
        in_article = left - n_clitics  # letters of the article left out (0, 1 or 2)
        if in_article and not (has_article and in_article <= len(_ARTICLE)):
            continue
        plausible = has_article or (
            not starts_with_article and len(clitics) == 1 and len(rest) >= MIN_STEM
        )
        if clitics and plausible:
            return letters[n_clitics - 1][0]
    return w_start


def _snap_end(text: str, end: int) -> int:
    word = word_at(text, end - 1)
    if word is None:
        return end
    return max(end, word[1])
