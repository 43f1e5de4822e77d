"""Normalisation keeps a map back to original offsets; tokens keep marks in words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.arabic import index_fields, normalize, original_span, strip_proclitics
from annotator.core.tokens import split_at, tokenize


def _find(text: str, query: str) -> str:
    norm, omap = normalize(text)
    q, _ = normalize(query)
    i = norm.index(q)
    s, e = original_span(text, omap, i, i + len(q))
    return text[s:e]


def test_hamza_forms_fold_to_bare_alef() -> None:
    assert _find("وزير الدفاع مارك إسبر", "أسبر") == "إسبر"
    assert _find("آسبر", "اسبر") == "آسبر"


def test_tashkeel_inside_match_maps_to_original_offsets() -> None:
    text = "قال مُحَمَّدٌ إن"
    assert _find(text, "محمد") == "مُحَمَّدٌ"


def test_tatweel_inside_match() -> None:
    assert _find("الرئيس تـــرامب قال", "ترامب") == "تـــرامب"


def test_alef_maksura_and_optional_taa_marbuta() -> None:
    assert _find("مصطفى", "مصطفي") == "مصطفى"
    norm, _ = normalize("وكالة", taa_marbuta=True)
    assert norm == "وكاله"
    assert normalize("وكالة")[0] == "وكالة"


def test_bidi_marks_do_not_break_a_match() -> None:
    assert _find("سكاي\u200f نيوز", "سكاي نيوز") == "سكاي\u200f نيوز"


def test_eastern_arabic_digits_fold() -> None:
    assert normalize("عام ١٩٤٨")[0] == "عام 1948"


@given(st.text(alphabet=st.sampled_from(list("أإآابلـًٌَُِّْ \u200f😀xX٣")), max_size=30))
def test_map_points_at_the_original_character(text: str) -> None:
    norm, omap = normalize(text)
    assert len(omap) == len(norm) + 1
    assert omap[-1] == len(text)
    assert omap == sorted(omap)
    for i, ch in enumerate(norm):
        original = text[omap[i]]
        assert normalize(original)[0] == ch


def test_proclitics_stripped_for_the_index_only() -> None:
    assert strip_proclitics("بالرباط") == "رباط"
    assert strip_proclitics("وبحسب") == "حسب"
    assert strip_proclitics("لوكالة") == "وكالة"
    norm, stems = index_fields("ووفقا لما ذكرته سكاي")
    assert norm == "ووفقا لما ذكرته سكاي"
    assert stems.split()[0] == "وفقا"


def test_tokens_keep_tashkeel_and_tatweel_inside_words() -> None:
    text = "قال مُحَمَّدٌ: تـــرامب 😀 جاء."
    words = [text[s:e] for s, e in tokenize(text)]
    assert words == ["قال", "مُحَمَّدٌ", ":", "تـــرامب", "😀", "جاء", "."]


def test_tokens_cover_every_visible_character() -> None:
    text = "«إسبر» قال‏ 🇲🇦 كوفيد-19"
    covered = {i for s, e in tokenize(text) for i in range(s, e)}
    visible = {i for i, ch in enumerate(text) if not ch.isspace() and ch != "\u200f"}
    assert covered == visible


def test_split_at_span_edges() -> None:
    text = "بالرباط اليوم"
    tokens = split_at(tokenize(text), {1, 7})
    assert [text[s:e] for s, e in tokens] == ["ب", "الرباط", "اليوم"]
