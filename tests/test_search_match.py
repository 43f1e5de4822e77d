"""Finding a query in text: normalisation, proclitics, exact original offsets."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.arabic import index_fields, normalize, normalize_text, original_span
from annotator.core.search import compile_query, find, fts_query, fts_terms, snippet
from tests.conftest import require_wojood


def _spans(text: str, query: str, **kw: bool) -> list[tuple[int, int, str]]:
    return [(s, e, text[s:e]) for s, e in find(text, compile_query(query, **kw))]


def _at(text: str, surface: str, after: int = 0) -> tuple[int, int, str]:
    """(start, end, surface) of ``surface`` in ``text``, counted independently of ``find``."""
    start = text.index(surface, after)
    return (start, start + len(surface), surface)


def test_tashkeel_inside_match_is_part_of_the_hit() -> None:
    text = "قال مُحَمَّدٌ إن"
    assert _spans(text, "محمد") == [_at(text, "مُحَمَّدٌ")]


def test_tashkeel_in_the_query_is_ignored() -> None:
    text = "قال محمد إن"
    assert _spans(text, "مُحَمَّد") == [_at(text, "محمد")]


def test_tatweel_inside_and_after_a_match() -> None:
    text = "وصل مـــارك إلى الرباطـــ اليوم"
    assert _spans(text, "مارك") == [_at(text, "مـــارك")]
    assert _spans(text, "الرباط") == [_at(text, "الرباطـــ")]


@pytest.mark.parametrize("form", ["أسبر", "إسبر", "آسبر", "اسبر", "ٱسبر"])
def test_hamza_forms_of_alef_match_each_other(form: str) -> None:
    text = f"الوزير {form} وصل"
    assert _spans(text, "أسبر") == [_at(text, form)]
    assert _spans(text, "اسبر") == [_at(text, form)]


def test_alef_maksura_matches_yeh() -> None:
    text = "ذهب إلى مصطفى"
    assert _spans(text, "مصطفي") == [_at(text, "مصطفى")]
    assert _spans(text, "الي") == [_at(text, "إلى")]


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("زار ومارك أسبر المغرب", 5),  # و
        ("مرّ بمارك أسبر أمس", 5),  # ب
        ("قال لمارك أسبر إنه", 5),  # ل
        ("ثم فمارك أسبر عاد", 4),  # ف
        ("وصل وبمارك أسبر", 6),  # و + ب
    ],
)
def test_match_behind_proclitics_starts_after_them(text: str, start: int) -> None:
    assert _spans(text, "مارك إسبر") == [(start, start + 9, text[start : start + 9])]


def test_match_behind_the_article_and_prepositions() -> None:
    text = "وصل بالرباط ثم الرباط ثم والرباط"
    assert [s for s, _, _ in _spans(text, "الرباط")] == [5, 15, 26]
    assert [t for _, _, t in _spans(text, "رباط")] == ["رباط"] * 3
    assert _spans("زيارة للرباط", "الرباط") == [_at("زيارة للرباط", "لرباط", 7)]


def test_whole_words_only() -> None:
    assert _spans("ماركس ومارك", "مارك") == [_at("ماركس ومارك", "مارك", 6)]
    assert _spans("الأمريكية", "أمريكي") == []


def test_offsets_hold_after_astral_characters() -> None:
    text = "😀🇲🇦 وقال مُـارك 😀"
    (start, end, covered) = _spans(text, "مارك")[0]
    assert covered == "مُـارك"
    assert (start, end) == (text.index("مُـارك"), text.index("مُـارك") + 6)


def test_phrase_matches_across_other_whitespace_and_punctuation_spacing() -> None:
    text = "وفقاً\xa0لقناة  العالم ، أمس"
    assert _spans(text, "قناة العالم،") == [_at(text, "قناة  العالم ،")]


def test_taa_marbuta_only_when_asked() -> None:
    text = "في المدرسه اليوم"
    assert _spans(text, "المدرسة") == []
    assert _spans(text, "المدرسة", taa_marbuta=True) == [_at(text, "المدرسه")]


@pytest.mark.parametrize("query", ["", "   ", "...", "،؛!", "ـــ", "\u064e\u064f"])
def test_blank_or_punctuation_query_finds_nothing(query: str) -> None:
    compiled = compile_query(query)
    assert compiled.empty
    assert fts_query(compiled) is None
    assert find("... ، نص فيه كل شيء", compiled) == []


def test_fts_terms_reach_words_behind_proclitics_on_real_text() -> None:
    """Every word c+w of real news is indexed under one of the query terms of w."""
    words: set[str] = set()
    with require_wojood().open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= 300:
                break
            words.update(normalize_text(json.loads(line)["text"]).split())
    words = {w for w in words if w.isalpha() and len(w) >= 3}
    missed = []
    for word in sorted(words):
        terms = set(fts_terms(word))
        for clitic in ("و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "وب", "ول", "فب"):
            if clitic.endswith("ال") and word.startswith("ال"):
                continue
            indexed = set(" ".join(index_fields(clitic + word)).split())
            if not indexed & terms:
                missed.append(clitic + word)
    assert len(words) > 500
    assert missed == []


def test_snippet_is_one_line_with_ellipses() -> None:
    text = "سطر أول\n" + "كلمة " * 20 + "الهدف" + " كلمة" * 20
    start = text.index("الهدف")
    out = snippet(text, start, start + 5, context=10)
    assert "\n" not in out and "الهدف" in out
    assert out.startswith("…") and out.endswith("…")


@pytest.mark.parametrize("phrase", ["مارك", "الرباط", "مارك أسبر"])
@given(
    chars=st.lists(
        st.sampled_from(
            [*"مارك ـأولب😀\n،", "\u064e", "\u0651", "\u200f", "مارك", "مَـارك", "رباط", "ال"]
        ),
        max_size=40,
    )
)
def test_find_agrees_with_the_one_regex_and_full_offset_map(phrase: str, chars: list[str]) -> None:
    text = "".join(chars)
    query = compile_query(phrase)
    norm, offset_map = normalize(text)
    expected = []
    for m in query.pattern.finditer(norm):
        group = m.lastindex or 1
        expected.append(original_span(text, offset_map, m.start(group), m.end(group)))
    assert find(text, query) == expected
