"""A batch of texts searched at once finds, text by text, exactly what ``find`` finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.search import compile_query, find
from annotator.core.search_many import SEPARATOR, find_many

BATCH = [
    "وقال مارك أَسبر إن الاتفاق مهم. ومارك إسبر هنا",
    "",
    "مـارك اسبر\x00مارك أسبر",  # the separator inside a text
    "قال ﷲ أكبر، ﻻ شيء مارك اسبر",  # ligatures: folded one by one
    "ٱلْحَمْدُ لِلَّهِ رَبِّ ٱلْعَٰلَمِينَ وهٰذا",  # superscript alef: both readings
    "بالرباط وللرباط والرباط الرباطي الرباط",
    "المسؤول قال والمسئول سكت، مسؤولة",
    "مارك\nأسبر 👨‍👩‍👧 𝐀𝐁 مارك أسبر",
    "فمارك أسبرر ومارك أسبر.",
]
QUERIES = ["مارك أسبر", "الرباط", "العالمين", "هذا", "مسئول", "مسؤولة", "الله", "لا", "أسبر."]


def _one_by_one(texts, query, limit):
    out, remaining = [], limit
    for text in texts:
        if remaining is not None and remaining <= 0:
            out.append([])
            continue
        out.append(find(text, query, remaining))
        if remaining is not None:
            remaining -= len(out[-1])
    return out


@pytest.mark.parametrize("options", [{}, {"hamza": True}, {"taa_marbuta": True}])
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("limit", [None, 1, 2, 3, 5])
def test_batch_finds_what_find_finds(query, limit, options):
    compiled = compile_query(query, **options)
    expected = _one_by_one(BATCH, compiled, limit)
    assert find_many(BATCH, compiled, limit) == expected


def test_batch_finds_something_at_exact_offsets():
    found = find_many(BATCH, compile_query("مارك أسبر"))
    assert [BATCH[0][a:b] for a, b in found[0]] == ["مارك أَسبر", "مارك إسبر"]
    assert [BATCH[2][a:b] for a, b in found[2]] == ["مـارك اسبر", "مارك أسبر"]
    assert found[1] == []


def test_query_holding_the_separator_is_found_text_by_text():
    compiled = compile_query(f"اسبر{SEPARATOR}مارك")
    assert find_many(BATCH, compiled) == _one_by_one(BATCH, compiled, None)
    assert find_many(BATCH, compiled)[2] == [(6, 15)]


PIECES = ["مارك", " ", "أسبر", "ومارك", "ـ", "َ", "\u0670", "ﻻ", "\x00", "\n", "،", "x", "🇲🇦"]


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), max_size=6),
    query=st.sampled_from(["مارك أسبر", "أسبر", "لا", "مارك"]),
    limit=st.none() | st.integers(0, 4),
)
def test_generated_batches_match_find(texts, query, limit):
    compiled = compile_query(query)
    assert find_many(texts, compiled, limit) == _one_by_one(texts, compiled, limit)
