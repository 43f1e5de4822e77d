"""Word snapping of selections: whole words, proclitics left out stay out."""

from __future__ import annotations

import pytest

from annotator.core.snapping import snap

TEXT = "وصل مارك أسبر بالرباط، والتقى وزيرَ الخارجيّة 😀 تـــونس."


def sel(text: str, start: int, end: int, **kw: bool) -> str | None:
    """Snap and return the selected string (None when nothing is left)."""
    got = snap(text, start, end, **kw)
    return None if got is None else text[got[0] : got[1]]


def at(word: str, a: int = 0, b: int | None = None) -> tuple[int, int]:
    """Code-point offsets of a slice [a, b) of the first ``word`` in TEXT."""
    i = TEXT.index(word)
    return i + a, i + (len(word) if b is None else b)


def test_partial_word_widens_to_whole_word() -> None:
    assert sel(TEXT, *at("مارك", 1, 3)) == "مارك"
    assert sel(TEXT, *at("مارك أسبر", 2, 7)) == "مارك أسبر"


def test_left_out_proclitic_stays_out() -> None:
    assert sel(TEXT, *at("الرباط")) == "الرباط"
    assert sel(TEXT, *at("التقى")) == "التقى"  # و left out of والتقى


def test_article_is_pulled_in_but_proclitic_is_not() -> None:
    assert sel(TEXT, *at("رباط", 0, 2)) == "الرباط"
    assert sel(TEXT, *at("لرباط", 0, 3)) == "الرباط"


def test_selection_covering_proclitic_keeps_it() -> None:
    assert sel(TEXT, *at("بالرباط", 0, 4)) == "بالرباط"
    assert sel(TEXT, *at("بالرباط", 1, 4)) == "الرباط"


def test_tashkeel_and_tatweel_are_part_of_a_word() -> None:
    assert sel(TEXT, *at("وزيرَ", 0, 4)) == "وزيرَ"
    assert sel(TEXT, *at("الخارجيّة", 0, 7)) == "الخارجيّة"
    assert sel(TEXT, *at("تـــونس", 2, 5)) == "تـــونس"
    assert sel(TEXT, *at("تـــونس", 0, 2)) == "تـــونس"


def test_whitespace_only_and_trimming() -> None:
    i = TEXT.index(" ")
    assert snap(TEXT, i, i + 1) is None
    assert sel(TEXT, *at(" مارك ")) == "مارك"


def test_exact_keeps_characters() -> None:
    assert sel(TEXT, *at("مارك", 1, 3), exact=True) == "ار"
    assert sel(TEXT, *at("الرباط", 2, 4), exact=True) == "رب"


def test_offsets_are_code_points_after_emoji() -> None:
    start, end = at("تـــونس", 3, 5)  # after an astral emoji
    got = snap(TEXT, start, end)
    assert got == at("تـــونس")
    assert TEXT[got[0] : got[1]] == "تـــونس"


@pytest.mark.parametrize("start,end", [(5, 2), (-3, 4), (40, 999)])
def test_reversed_or_out_of_range_selections_are_clamped(start: int, end: int) -> None:
    got = snap(TEXT, start, end)
    assert got is not None
    assert 0 <= got[0] < got[1] <= len(TEXT)
