"""Tokens and clusters: what a reader sees as one character is never cut."""

from __future__ import annotations

import os

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.snapping import snap
from annotator.core.tokens import cluster_at, clusters, tokenize, word_at

PIECES = [
    *"فلسطين",
    *"وبال",
    "\u064e",  # fatha
    "\u0651",  # shadda
    "\u08f0",  # open fathatan
    "\u0670",  # superscript alef
    "ـ",
    "👨\u200d👩\u200d👧",
    "🇲🇦",
    "🇲",
    "👍🏽",
    "❤\ufe0f",
    "\ufe0f",
    "\u200d",
    "\u200c",
    "\u200f",
    "\u200e",
    "\u2067",
    "\u2069",
    "\u061c",
    "\ufeff",
    "\r\n",
    "\n",
    " ",
    "،",
    "٣",
    "a",
    "\u06dd",
]
MIXED = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
# Longer runs: ANNOTATOR_LONG_TESTS=1.
EXAMPLES = settings(max_examples=3000 if os.environ.get("ANNOTATOR_LONG_TESTS") == "1" else 150)


def toks(text: str) -> list[str]:
    return [text[a:b] for a, b in tokenize(text)]


def uax29_edges(text: str) -> set[int]:
    """Cluster edges by UAX #29 alone, plus the edges on both sides of whitespace."""
    edges = {0, len(text)}
    for m in regex.finditer(r"\X", text):
        edges |= {m.start(), m.end()}
    for m in regex.finditer(r"\r\n|\s", text):
        edges |= {m.start(), m.end()}
    return edges


def test_emoji_sequences_are_one_token() -> None:
    text = "عائلة 👨‍👩‍👧 من 🇲🇦 👍🏽 ❤️"
    assert toks(text) == ["عائلة", "👨‍👩‍👧", "من", "🇲🇦", "👍🏽", "❤️"]


def test_letters_with_marks_and_quranic_signs_are_one_word() -> None:
    assert toks("عَلِيمࣰا حَكِيمًا") == ["عَلِيمࣰا", "حَكِيمًا"]
    assert toks("ٱلْعَٰلَمِينَ") == ["ٱلْعَٰلَمِينَ"]
    assert toks("إِبْرَٰهِۦمَ") == ["إِبْرَٰهِۦمَ"]


def test_invisible_marks_are_never_tokens() -> None:
    text = "\u200fقال\u200f \u2067مارك\u2069 \ufeff \u200d \ufe0f\u061c."
    assert toks(text) == ["قال", "مارك", "."]


def test_punctuation_is_its_own_token_and_joiners_stay_in_words() -> None:
    assert toks("(الرباط)، «نعم»") == ["(", "الرباط", ")", "،", "«", "نعم", "»"]
    assert toks("می\u200cخواهم") == ["می\u200cخواهم"]


def test_end_of_ayah_sign_keeps_its_number() -> None:
    assert toks("نستعين ۝٥ اهدنا") == ["نستعين", "۝٥", "اهدنا"]


def test_space_before_a_mark_is_never_in_a_token() -> None:
    text = "ب \u064eت"
    assert all(not text[a:b].isspace() and " " not in text[a:b] for a, b in tokenize(text))
    assert clusters(text) == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_cluster_at_and_word_at() -> None:
    text = "و👨‍👩‍👧 بالرباط"
    assert cluster_at(text, 3) == (1, 6)
    assert word_at(text, text.index("ر")) == (7, 14)
    assert word_at(text, 2) is None


@EXAMPLES
@given(MIXED)
def test_clusters_cover_the_text_on_uax29_edges(text: str) -> None:
    units = clusters(text)
    assert "".join(text[a:b] for a, b in units) == text
    edges = uax29_edges(text)
    assert {a for a, _ in units} | {len(text)} == edges


@EXAMPLES
@given(MIXED)
def test_no_token_edge_inside_a_cluster(text: str) -> None:
    edges = {a for a, _ in clusters(text)} | {len(text)}
    for a, b in tokenize(text):
        assert a in edges and b in edges
        assert text[a:b].strip() == text[a:b]
        assert regex.fullmatch(r"[\s\p{DI}]*", text[a:b]) is None  # shows something


@EXAMPLES
@given(MIXED, st.integers(0, 40), st.integers(0, 40), st.booleans())
def test_no_snapped_edge_inside_a_cluster(text: str, a: int, b: int, exact: bool) -> None:
    edges = {s for s, _ in clusters(text)} | {len(text)}
    got = snap(text, a, b, exact=exact)
    if got is None:
        return
    start, end = got
    assert 0 <= start < end <= len(text)
    assert start in edges and end in edges
    for pos in (start, end - 1):  # the first and the last cluster show something
        a, b = cluster_at(text, pos)
        assert regex.fullmatch(r"[\s\p{DI}]*", text[a:b]) is None


def test_hf_bio_tokens_keep_clusters_whole() -> None:
    from annotator.core.formats.hfbio import bio_tags
    from annotator.core.model import Span

    text = "عائلة 👨‍👩‍👧 في 🇲🇦 بالرباط\u200f 👍🏽"
    start = text.index("الرباط")
    span = Span("s1", "d", "gold", start, start + 6, "LOC")
    tokens, tags, empty = bio_tags(text, [span])
    assert [text[a:b] for a, b in tokens] == [
        "عائلة",
        "👨‍👩‍👧",
        "في",
        "🇲🇦",
        "ب",
        "الرباط",
        "👍🏽",
    ]
    assert tags == ["O", "O", "O", "O", "O", "B-LOC", "O"]
    assert empty == []
