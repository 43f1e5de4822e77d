"""Code point <-> UTF-16 conversion (DESIGN §8: one emoji shifts every later offset)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetIndex, to_codepoint, to_utf16, utf16_length

PIECES = [
    *"مارك أسبر",
    "😀",
    "🇲🇦",
    "\u064e",
    "\u0651",
    "ـ",
    "\u200f",
    "\u200c",
    "\r\n",
    "a",
    "٣",
    "𝔸",
]
TRICKY = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_emoji_before_arabic_word() -> None:
    text = "😀 مارك"
    assert text.index("مارك") == 2
    assert to_utf16(text, 2) == 3
    assert to_codepoint(text, 3) == 2


def test_flag_counts_two_code_points_four_units() -> None:
    text = "🇲🇦 الرباط"
    assert to_utf16(text, text.index("ا")) == 5
    assert utf16_length(text) == _u16(text)


@given(TRICKY)
def test_round_trip_every_code_point_offset(text: str) -> None:
    index = OffsetIndex(text)
    for cp in range(len(text) + 1):
        u = index.to_utf16(cp)
        assert u == _u16(text[:cp])
        assert index.to_codepoint(u) == cp


@given(TRICKY)
def test_offset_inside_surrogate_pair_snaps_to_character_start(text: str) -> None:
    index = OffsetIndex(text)
    for u in range(_u16(text) + 1):
        cp = index.to_codepoint(u)
        assert index.to_utf16(cp) in (u, u - 1)


def test_out_of_range_is_refused() -> None:
    index = OffsetIndex("ab😀")
    with pytest.raises(ValueError):
        index.to_utf16(4)
    with pytest.raises(ValueError):
        index.to_codepoint(5)
