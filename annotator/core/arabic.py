"""Arabic folding for search and matching, with a map back to the original.

Folded text never replaces a document's text. ``normalize`` returns a
separate string and, for each of its characters, the code-point offset of the
original character it came from, so a match in folded text maps back to exact
original offsets. docs/search.md has the full table; in short, each original
character becomes zero, one or several folded characters:

- presentation forms and other compatibility characters are replaced by
  their NFKC form, one character at a time (ﻷ → لا, ﷲ → الله), then folded;
- tashkeel, Quranic marks (U+0610-061A, U+064B-065F, U+06D6-06ED signs,
  U+0898-089F, U+08CA-08FF), tatweel and invisible format characters are
  removed;
- the superscript alef U+0670 is read as ا (ٱلْعَٰلَمِينَ → العالمين), except on
  a long vowel (عَلَىٰ → علي), where it only confirms the vowel; the other
  reading (deleted: هٰذا → هذا) is searched too (``dagger_alef=False``);
- alef with hamza above/below, madda, wasla and wavy hamza become ا; alef
  maksura and Persian ی become ي; Persian ک becomes ك; ھ and ہ become ه;
- waw and yeh with hamza become و and ي, or, with ``hamza``, all hamza seats
  (ؤ ئ ء) become ء, so مسؤول and مسئول match;
- taa marbuta becomes heh only with ``taa_marbuta``;
- Arabic-Indic and Eastern Arabic-Indic digits become ASCII digits;
- Latin capitals are lower-cased.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache

from pyarabic import araby

_RANGES_DELETED = [
    (0x0610, 0x061A),  # Quranic signs above/below
    (0x064B, 0x065F),  # harakat, shadda, sukun, madda/hamza above and below
    (0x06D6, 0x06DC),  # Quranic annotation marks
    (0x06DF, 0x06E8),  # Quranic marks, small waw and yeh
    (0x06EA, 0x06ED),
    (0x0898, 0x089F),
    (0x08CA, 0x08E1),
    (0x08E3, 0x08FF),  # incl. the open tanween U+08F0-08F2
    (0x200B, 0x200F),  # zero-width space, joiners, direction marks
    (0x202A, 0x202E),  # embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # isolates, deprecated format characters
    (0xFE00, 0xFE0F),  # variation selectors
]
_DELETED = (
    {chr(c) for lo, hi in _RANGES_DELETED for c in range(lo, hi + 1)}
    | set(araby.TASHKEEL)
    | {araby.TATWEEL, "\u0674", "\u00ad", "\u034f", "\u061c", "\ufeff"}
) - {"\u06dd", "\u06de", "\u06e9"}  # end of ayah, rub el hizb, sajdah: visible signs
SUPERSCRIPT_ALEF = "\u0670"
_BASE = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ؤ": "و",
    "ئ": "ي",
    "ی": "ي",
    "ک": "ك",
    "ڪ": "ك",
    "ھ": "ه",
    "ہ": "ه",
    "ۀ": "ه",
    SUPERSCRIPT_ALEF: "ا",
    "\ufdfd": "بسم الله الرحمن الرحيم",  # the basmala ligature has no NFKC form
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
    **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
}
_HAMZA = {"ؤ": "ء", "ئ": "ء"}
# Compatibility characters folded through NFKC: the BMP (presentation forms
# U+FB50-FDFF and U+FE70-FEFF among them) and the astral blocks that hold
# letters (mathematical alphanumerics, Arabic mathematical symbols, enclosed
# letters, CJK compatibility ideographs).
_NFKC_ASTRAL = [(0x1D400, 0x1D7FF), (0x1EE00, 0x1EEFF), (0x1F100, 0x1F24F), (0x2F800, 0x2FA1F)]
# After ى ا و ي (and their marks) the superscript alef only marks the vowel.
_DAGGER_ON_VOWEL = re.compile(r"(?<=[اىويی])([\u064b-\u065f]*)\u0670")
_STAND_IN = "\u0652"  # a deleted character of the same length, for the rule above


@cache
def fold_table(
    *, taa_marbuta: bool = False, hamza: bool = False, dagger_alef: bool = True
) -> dict[int, str | None]:
    """The ``str.translate`` table of one folding (code point -> str, None = removed)."""
    base: dict[int, str | None] = {ord(ch): None for ch in _DELETED}
    base |= {ord(k): v for k, v in _BASE.items()}
    if hamza:
        base |= {ord(k): v for k, v in _HAMZA.items()}
    if taa_marbuta:
        base[ord(araby.TEH_MARBUTA)] = araby.HEH
    if not dagger_alef:
        base[ord(SUPERSCRIPT_ALEF)] = None
    table = dict(base)
    codes = [c for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    codes += [c for lo, hi in _NFKC_ASTRAL for c in range(lo, hi + 1)]
    for code in codes:
        ch = chr(code)
        compat = unicodedata.normalize("NFKC", ch)
        if compat == ch or code in base:
            continue
        folded = compat.translate(base)
        if not ch.isspace():
            folded = folded.strip()  # isolated harakat forms: " ً" -> ""
        table[code] = folded or None
    return table


def _prepare(text: str, dagger_alef: bool) -> str:
    """``text`` with the superscript alef on a long vowel replaced by a deleted stand-in."""
    if dagger_alef and SUPERSCRIPT_ALEF in text:
        return _DAGGER_ON_VOWEL.sub(lambda m: m.group(1) + _STAND_IN, text)
    return text


def normalize_text(
    text: str, *, taa_marbuta: bool = False, hamza: bool = False, dagger_alef: bool = True
) -> str:
    """The folded form of ``text`` (one ``str.translate``)."""
    table = fold_table(taa_marbuta=taa_marbuta, hamza=hamza, dagger_alef=dagger_alef)
    return _prepare(text, dagger_alef).translate(table)


@cache
def _changing(
    taa_marbuta: bool, hamza: bool, dagger_alef: bool
) -> tuple[re.Pattern[str], re.Pattern[str], dict]:
    """Regexes of the removed and the expanded characters of one folding, and lengths."""
    table = fold_table(taa_marbuta=taa_marbuta, hamza=hamza, dagger_alef=dagger_alef)
    lengths = {c: len(v or "") for c, v in table.items() if v is None or len(v) != 1}

    def char_class(codes: list[int]) -> re.Pattern[str]:
        ranges: list[list[int]] = []  # as ranges: a long list of single characters is slow
        for c in sorted(codes):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
        body = "".join(re.escape(chr(a)) + "-" + re.escape(chr(b)) for a, b in ranges)
        return re.compile(f"[{body}]")

    removed = char_class([c for c, n in lengths.items() if n == 0])
    changed = char_class(list(lengths))
    return removed, changed, lengths


_FLAGS = ("taa_marbuta", "hamza", "dagger_alef")


class FoldMap:
    """Maps offsets of a folded text back to its original, sparsely.

    Only characters whose folded length is not one (removed marks, expanded
    ligatures) are recorded, so a text with few of them costs little.
    """

    __slots__ = ("_after", "_len", "_orig", "_pos")

    def __init__(self, text: str, norm: str | None = None, **options: bool) -> None:
        """Record the length-changing characters of ``text`` under ``options``.

        ``norm`` may pass ``normalize_text(text, **options)`` when known.
        """
        flags = (
            options.get("taa_marbuta", False),
            options.get("hamza", False),
            options.get("dagger_alef", True),
        )
        removed, changed, lengths = _changing(*flags)
        prepared = _prepare(text, flags[2])
        if norm is None:
            norm = prepared.translate(fold_table(**dict(zip(_FLAGS, flags, strict=True))))
        # _orig: original offset of each change; _pos: the folded position it
        # starts at; _len: its folded length; _after: original - folded after it.
        gone = [m.start() for m in removed.finditer(prepared)]
        if len(norm) == len(text) - len(gone):  # nothing expanded: removals only
            self._orig = gone
            self._pos = [p - j for j, p in enumerate(gone)]
            self._len = [0] * len(gone)
            self._after = list(range(1, len(gone) + 1))
            return
        self._orig = orig = [m.start() for m in changed.finditer(prepared)]
        self._pos, self._len, self._after = [], [], []
        shift = 0
        for p in orig:
            n = lengths[ord(prepared[p])]
            self._pos.append(p - shift)
            self._len.append(n)
            shift += 1 - n
            self._after.append(shift)

    def original(self, i: int) -> int:
        """Original offset of the character at folded offset ``i``."""
        k = bisect_right(self._pos, i) - 1
        if k < 0:
            return i
        if i < self._pos[k] + self._len[k]:
            return self._orig[k]  # inside an expansion: the character it came from
        return i + self._after[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the folded slice [start, end) (end > start)."""
        return self.original(start), self.original(end - 1) + 1


def normalize(
    text: str, *, taa_marbuta: bool = False, hamza: bool = False, dagger_alef: bool = True
) -> tuple[str, list[int]]:
    """Fold ``text``; return (folded, offset map).

    ``offset_map[i]`` is the original code-point offset of folded character
    ``i``; ``offset_map[len(folded)] == len(text)``. A folded slice
    ``[a, b)`` covers original ``[offset_map[a], offset_map[b - 1] + 1)``.
    """
    options = {"taa_marbuta": taa_marbuta, "hamza": hamza, "dagger_alef": dagger_alef}
    norm = normalize_text(text, **options)
    fmap = FoldMap(text, norm, **options)
    offset_map: list[int] = []
    prev = 0
    for orig, n in zip(fmap._orig, fmap._len, strict=True):
        offset_map.extend(range(prev, orig))  # characters folded one to one
        offset_map.extend([orig] * n)
        prev = orig + 1
    offset_map.extend(range(prev, len(text) + 1))
    return norm, offset_map


def extend_end(text: str, end: int) -> int:
    """``end`` moved over the marks, tatweel and joiners that sit on the letter before it."""
    while end < len(text) and is_mark(text[end]):
        end += 1
    return end


def original_span(text: str, offset_map: list[int], start: int, end: int) -> tuple[int, int]:
    """Original (start, end) of the folded slice [start, end) of ``text``.

    The end moves over tashkeel, tatweel and joiners that follow the last
    matched letter (a mark belongs to the letter it sits on).
    """
    if not 0 <= start < end < len(offset_map):
        raise ValueError(f"normalised slice [{start}, {end}) is empty or out of range")
    return offset_map[start], extend_end(text, offset_map[end - 1] + 1)


def is_mark(ch: str) -> bool:
    """True for what sits on a letter: combining marks, tatweel, small waw/yeh, joiners."""
    return ch in _ON_LETTER or unicodedata.category(ch) in ("Mn", "Mc", "Me")


_ON_LETTER = frozenset("\u0640\u06e5\u06e6\u200c\u200d")

# Proclitic prefixes, longest first: conjunction (و ف), preposition (ب ك ل),
# article (ال, or لل after ل). Stripped only when 3+ letters remain.
# (\b then a lookahead on the first letter lets the scan skip most positions.)
_PROCLITIC_PREFIX = r"\b(?=[وفبكلا])(?:[وف]?[بك]?ال|[وف]?لل|[وف]?[بكل]|[وف])"
_PROCLITICS = re.compile(_PROCLITIC_PREFIX + r"(?=\w{3})")
_STEMS = re.compile(_PROCLITIC_PREFIX + r"(\w{3,})")
_WORDS = re.compile(r"\w+")


def strip_proclitics(word: str) -> str:
    """A folded word without leading و/ف, ب/ك/ل and ال when 3+ letters remain.

    Used for the search index only, where over-stripping a root letter costs
    a false candidate that the exact match step then drops.
    """
    return _PROCLITICS.sub("", word, count=1)


def _other_reading(text: str, norm: str) -> list[str]:
    """Words that read differently with the superscript alef deleted (هٰذا -> هذا)."""
    other = normalize_text(text, dagger_alef=False)
    words = set(_WORDS.findall(other)) - set(_WORDS.findall(norm))
    return sorted(words) + _STEMS.findall(" ".join(sorted(words)))


def index_fields(text: str) -> tuple[str, str]:
    """(folded text, the words that carried proclitics, stripped).

    These are the two columns of the search index: a query word matches a
    document when it is in the first (as written) or the second (behind
    و ف ب ك ل ال). Only stripped words go in the second, to keep it small,
    with the other reading of words holding a superscript alef.
    """
    return _fields(text, normalize_text(text))


def _fields(text: str, norm: str) -> tuple[str, str]:
    stems = _STEMS.findall(norm)
    if SUPERSCRIPT_ALEF in text:
        stems += _other_reading(text, norm)
    return norm, " ".join(stems)


_LUT_DELETED = 0xFFFFFFFF
_LUT_SLOW = 0xFFFFFFFE  # expands, or depends on context: fold that text in Python


@cache
def _lut():  # -> (numpy array: BMP code point -> folded code point, astral keys)
    import numpy as np

    lut = np.arange(0x10000, dtype=np.uint32)
    table = fold_table()
    for code, value in table.items():
        if code < 0x10000:
            if value is None:
                lut[code] = _LUT_DELETED
            elif len(value) == 1:
                lut[code] = ord(value)
            else:
                lut[code] = _LUT_SLOW
    lut[ord(SUPERSCRIPT_ALEF)] = _LUT_SLOW
    astral = np.array(sorted(c for c in table if c >= 0x10000), dtype=np.uint32)
    return lut, astral


def fold_codes(joined: str):  # -> (numpy array, numpy array)
    """Every code point of ``joined`` through the folding table, vectorised.

    Returns ``(mapped, slow)``: the folded code point of each character
    (``_LUT_DELETED`` where it is removed), and where a character must be
    folded by context or expands (those texts take ``normalize_text``).
    """
    import numpy as np  # here, not at the top: the GUI starts faster without it

    lut, astral = _lut()
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    bmp = codes < 0x10000
    mapped = np.where(bmp, lut[codes & 0xFFFF], codes)
    slow = mapped == _LUT_SLOW
    outside = np.flatnonzero(~bmp)
    if outside.size:
        slow[outside[np.isin(codes[outside], astral)]] = True
    return mapped, slow


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``normalize_text`` of many texts at once (one vectorised pass).

    Same result as ``[normalize_text(t) for t in texts]``, several times
    faster for an import batch. Texts holding a character that expands or
    folds by context (rare) are folded one by one.
    """
    if not texts:
        return []
    import numpy as np  # here, not at the top: the GUI starts faster without it

    mapped, slow = fold_codes("".join(texts))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    slow_texts = set(np.searchsorted(ends, np.flatnonzero(slow), side="right").tolist())
    if slow_texts:
        mapped[slow] = 0x20
    keep = mapped != _LUT_DELETED
    starts = np.concatenate(([0], ends[:-1]))
    # A sentinel keeps every start in range; reduceat gives an empty text its
    # neighbour's first element, so those are zeroed.
    kept = np.add.reduceat(np.append(keep, False), starts, dtype=np.int64)
    kept[lengths == 0] = 0
    bounds = np.concatenate(([0], np.cumsum(kept))).tolist()
    joined = mapped[keep].astype("<u4").tobytes().decode("utf-32-le")
    out = [joined[bounds[i] : bounds[i + 1]] for i in range(len(texts))]
    for i in slow_texts:
        out[i] = normalize_text(texts[i])
    return out


def index_fields_many(texts: Sequence[str]) -> list[tuple[str, str]]:
    """``index_fields`` of many texts at once."""
    return [_fields(text, norm) for text, norm in zip(texts, normalize_many(texts), strict=True)]
