"""Snapping per issue 11: proclitics only before a plausible stem, clusters, bidi marks."""

from __future__ import annotations

import pytest

from annotator.core.snapping import snap


def sel(text: str, part: str, a: int = 0, b: int | None = None, **kw: bool) -> str | None:
    """Snap the slice [a, b) of the first ``part`` in ``text``; return the stored string."""
    i = text.index(part)
    got = snap(text, i + a, i + (len(part) if b is None else b), **kw)
    return None if got is None else text[got[0] : got[1]]


@pytest.mark.parametrize(
    "word,fragment,expected",
    [
        ("فلسطين", "سطي", "فلسطين"),
        ("واشنطن", "شنطن", "واشنطن"),
        ("وليد", "يد", "وليد"),
        ("وبلد", "لد", "وبلد"),
        ("وبغداد", "غداد", "وبغداد"),
        ("للرئيس", "رئيس", "للرئيس"),
        ("والد", "الد", "والد"),
    ],
)
def test_fragments_snap_to_the_whole_word(word: str, fragment: str, expected: str) -> None:
    text = f"في {word} اليوم"
    i = text.index(word) + word.index(fragment, 1)
    got = snap(text, i, i + len(fragment))
    assert got is not None
    assert text[got[0] : got[1]] == expected


@pytest.mark.parametrize(
    "word,part,expected",
    [
        ("بالرباط", "الرباط", "الرباط"),
        ("بالرباط", "رباط", "الرباط"),
        ("بالرباط", "لرباط", "الرباط"),
        ("والتقى", "التقى", "التقى"),
        ("وبالأمس", "الأمس", "الأمس"),
        ("بوزير", "وزير", "وزير"),
        ("ومارك", "مارك", "مارك"),
        ("لوكالة", "وكالة", "وكالة"),
    ],
)
def test_left_out_proclitic_before_a_plausible_stem_stays_out(
    word: str, part: str, expected: str
) -> None:
    text = f"وصل {word} أمس"
    i = text.index(word) + word.index(part, 1)
    got = snap(text, i, i + len(part))
    assert got is not None
    assert text[got[0] : got[1]] == expected


def test_proclitic_with_harakat_before_the_article() -> None:
    text = "وَبِالرِّبَاطِ"
    i = text.index("ا")
    got = snap(text, i, len(text))
    assert text[got[0] : got[1]] == "الرِّبَاطِ"


def test_bidi_marks_and_isolates_are_trimmed_from_edges() -> None:
    text = "قال \u200fمارك\u200f و\u2067فلسطين\u2069 ."
    assert sel(text, "\u200fمارك\u200f") == "مارك"
    assert sel(text, "\u2067فلسطين\u2069") == "فلسطين"
    assert sel(text, "\u200fمارك\u200f", exact=True) == "مارك"
    assert sel(text, "\u200f") is None
    assert sel(text, "\u2069 ") is None


def test_marks_inside_a_selection_are_kept() -> None:
    text = "عبد\u200fالله"  # an RLM inside is the text's, not an edge
    assert sel(text, text, exact=True) == text


def test_exact_mode_moves_edges_out_to_whole_clusters() -> None:
    text = "مرحبا 👨‍👩‍👧 🇲🇦 مُحَمَّد"
    fam = text.index("👨")
    assert sel(text, "👨‍👩‍👧", 2, 3, exact=True) == "👨‍👩‍👧"
    assert sel(text, "🇲🇦", 1, 2, exact=True) == "🇲🇦"
    assert snap(text, fam + 1, fam + 4, exact=True) == (fam, fam + 5)
    # A letter is never cut from its haraka.
    assert sel(text, "مُحَمَّد", 0, 1, exact=True) == "مُ"
    assert sel(text, "مُحَمَّد", 1, 3, exact=True) == "مُحَ"


def test_snapping_keeps_emoji_and_words_whole() -> None:
    text = "عائلة👨‍👩‍👧 تونس"
    assert sel(text, "ائ") == "عائلة"
    assert sel(text, "👨‍👩‍👧", 1, 4) == "👨‍👩‍👧"
