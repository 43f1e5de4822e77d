"""Arabic normalisation for search and matching, with a map back to the original.

Normalised text never replaces a document's text. ``normalize`` returns a
separate string and, for each of its characters, the code-point offset of the
original character it came from, so a match in normalised text maps back to
exact original offsets.

What is folded (each rule maps one character to one or none, so the map is a
list of kept positions):
- tashkeel (harakat, shadda, sukun, superscript alef, Quranic marks) and
  tatweel are removed;
- bidi and zero-width format characters are removed;
- alef with hamza above/below, madda and wasla become bare alef (pyarabic's
  ``normalize_alef`` choice; ``normalize_hamza`` would turn them into hamza,
  which makes أسبر and اسبر differ, the opposite of what search needs);
- alef maksura becomes yeh; waw/yeh with hamza become waw/yeh;
- taa marbuta becomes heh only when asked (``taa_marbuta=True``);
- Arabic-Indic and Eastern Arabic-Indic digits become ASCII digits;
- Latin letters are lower-cased (one-to-one for the letters news uses).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from pyarabic import araby

_DELETE = (
    set(araby.TASHKEEL)
    | {araby.TATWEEL, araby.SMALL_ALEF}
    | {chr(c) for c in range(0x0610, 0x061B)}  # Quranic signs above/below
    | {chr(c) for c in range(0x06D6, 0x06EE)}  # Quranic annotation marks
    | {chr(c) for c in range(0x0653, 0x0660)}  # madda/hamza marks, other harakat
    | set("\u200b\u200c\u200d\u200e\u200f\u061c\ufeff")
    | {chr(c) for c in range(0x202A, 0x202F)}
    | {chr(c) for c in range(0x2066, 0x206A)}
)
_FOLD = {
    araby.ALEF_HAMZA_ABOVE: araby.ALEF,
    araby.ALEF_HAMZA_BELOW: araby.ALEF,
    araby.ALEF_MADDA: araby.ALEF,
    araby.ALEF_WASLA: araby.ALEF,
    araby.ALEF_MAKSURA: araby.YEH,
    araby.WAW_HAMZA: araby.WAW,
    araby.YEH_HAMZA: araby.YEH,
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
    **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
}
_TABLE = {ord(ch): None for ch in _DELETE} | {ord(k): v for k, v in _FOLD.items()}
_TABLE_TAA = _TABLE | {ord(araby.TEH_MARBUTA): araby.HEH}

#: Proclitics a curator may leave out of a span: conjunctions, prepositions.
PROCLITIC_LETTERS = frozenset("وفبلك")


def normalize_text(text: str, *, taa_marbuta: bool = False) -> str:
    """The normalised form of ``text`` (fast: one ``str.translate``)."""
    return text.translate(_TABLE_TAA if taa_marbuta else _TABLE)


def normalize(text: str, *, taa_marbuta: bool = False) -> tuple[str, list[int]]:
    """Normalise ``text``; return (normalised, offset map).

    ``offset_map[i]`` is the original code-point offset of normalised character
    ``i``; ``offset_map[len(normalised)] == len(text)``. A normalised slice
    ``[a, b)`` covers original ``[offset_map[a], offset_map[b - 1] + 1)``.
    """
    norm = normalize_text(text, taa_marbuta=taa_marbuta)
    if len(norm) == len(text):
        return norm, list(range(len(text) + 1))
    offset_map = [i for i, ch in enumerate(text) if ch not in _DELETE]
    offset_map.append(len(text))
    return norm, offset_map


def original_span(text: str, offset_map: list[int], start: int, end: int) -> tuple[int, int]:
    """Original (start, end) of the normalised slice [start, end) of ``text``.

    The end moves over tashkeel and tatweel that follow the last matched letter
    (a mark belongs to the letter it sits on); format characters stay out.
    """
    if not 0 <= start < end < len(offset_map):
        raise ValueError(f"normalised slice [{start}, {end}) is empty or out of range")
    orig_end = offset_map[end - 1] + 1
    while orig_end < len(text) and is_mark(text[orig_end]):
        orig_end += 1
    return offset_map[start], orig_end


_DELETE_RE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_DELETE)) + "]")


def deleted_positions(text: str) -> list[int]:
    """Original offsets of the characters normalisation drops, in order.

    A sparse alternative to ``normalize``'s offset map for long texts with few
    marks: the kept character at normalised index ``i`` is original
    ``i + bisect_right([p - j for j, p in enumerate(deleted)], i)``.
    """
    return [m.start() for m in _DELETE_RE.finditer(text)]


def is_mark(ch: str) -> bool:
    """True for combining marks (tashkeel) and tatweel: parts of a word."""
    return ch == araby.TATWEEL or unicodedata.category(ch) in ("Mn", "Mc")


# Proclitic prefixes, longest first: conjunction (و ف), preposition (ب ك ل),
# article (ال, or لل after ل). Stripped only when 3+ letters remain.
# (\b then a lookahead on the first letter lets the scan skip most positions.)
_PROCLITIC_PREFIX = r"\b(?=[وفبكلا])(?:[وف]?[بك]?ال|[وف]?لل|[وف]?[بكل]|[وف])"
_PROCLITICS = re.compile(_PROCLITIC_PREFIX + r"(?=\w{3})")
_STEMS = re.compile(_PROCLITIC_PREFIX + r"(\w{3,})")


def strip_proclitics(word: str) -> str:
    """A normalised word without leading و/ف, ب/ك/ل and ال when 3+ letters remain.

    Used for the search index only, where over-stripping a root letter costs
    a false candidate that the exact match step then drops.
    """
    return _PROCLITICS.sub("", word, count=1)


def index_fields(text: str) -> tuple[str, str]:
    """(normalised text, the words that carried proclitics, stripped).

    These are the two columns of the search index: a query word matches a
    document when it is in the first (as written) or the second (behind
    و ف ب ك ل ال). Only stripped words go in the second, to keep it small.
    """
    norm = normalize_text(text)
    return norm, " ".join(_STEMS.findall(norm))


@cache
def _lut():  # -> numpy array: BMP code point -> folded code point, or _DELETED
    import numpy as np

    lut = np.arange(0x10000, dtype=np.uint32)
    for code, value in _TABLE.items():
        if code < 0x10000:
            lut[code] = _DELETED if value is None else ord(value)
    return lut


_DELETED = 0xFFFFFFFF


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``normalize_text`` of many texts at once (one vectorised pass).

    Same result as ``[normalize_text(t) for t in texts]``, several times
    faster for an import batch.
    """
    if not texts:
        return []
    import numpy as np  # here, not at the top: the GUI starts faster without it

    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    bmp = codes < 0x10000
    mapped = np.where(bmp, _lut()[codes & 0xFFFF], codes)
    keep = mapped != _DELETED
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    # A sentinel keeps every start in range; reduceat gives an empty text its
    # neighbour's first element, so those are zeroed.
    kept = np.add.reduceat(np.append(keep, False), starts, dtype=np.int64)
    kept[lengths == 0] = 0
    bounds = np.concatenate(([0], np.cumsum(kept))).tolist()
    joined = mapped[keep].astype("<u4").tobytes().decode("utf-32-le")
    return [joined[bounds[i] : bounds[i + 1]] for i in range(len(texts))]


def index_fields_many(texts: Sequence[str]) -> list[tuple[str, str]]:
    """``index_fields`` of many texts at once."""
    return [(norm, " ".join(_STEMS.findall(norm))) for norm in normalize_many(texts)]
