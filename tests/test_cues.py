"""Attribution cues: the pattern file and the SOURCE/CLAIM suggestions it drives."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.cues import cue_suggestions, load_cues
from annotator.core.errors import InputError


@pytest.fixture(scope="module")
def cues():
    return load_cues()


def _found(text: str, cues) -> list[tuple[str, str, str | None]]:
    """(label, covered text, linked text) of each suggestion."""
    out = []
    for s in cue_suggestions("d", text, cues):
        assert text[s.start : s.end] == s.text
        linked = text[s.link[0] : s.link[1]] if s.link else None
        out.append((s.label, s.text, linked))
    return out


def test_source_after_cue_up_to_punctuation(cues) -> None:
    text = "وصلت القوات إلى المدينة، بحسب مصدر دبلوماسي مغربي."
    assert ("SOURCE", "مصدر دبلوماسي مغربي", "وصلت القوات إلى المدينة") in _found(text, cues)


def test_cue_with_tashkeel_and_a_cue_ending_in_a_proclitic(cues) -> None:
    text = "بدأ الوزير جولته، وَفْقاً لِمَا ذَكَرَتْهُ سكاي نيوز .\nوقع الاتفاق، وفقاً\xa0لقناة العالم ."
    found = _found(text, cues)
    assert ("SOURCE", "سكاي نيوز", "بدأ الوزير جولته") in found
    assert ("SOURCE", "قناة العالم", "وقع الاتفاق") in found


def test_longer_cue_wins_and_agency_after_lam(cues) -> None:
    text = "ستقلل القوات عددها، بحسب ما ذكرت لوكالة رويترز للأنباء."
    sources = [t for label, t, _ in _found(text, cues) if label == "SOURCE"]
    assert sources == ["وكالة رويترز للأنباء"]


def test_reported_speech_gives_linked_source_and_claim(cues) -> None:
    text = "وقال الوزير أحمد قبل الاجتماع إن الوضع مستقر تماما.\nخبر آخر."
    assert _found(text, cues) == [
        ("SOURCE", "الوزير أحمد", "إن الوضع مستقر تماما"),
        ("CLAIM", "إن الوضع مستقر تماما", "الوزير أحمد"),
    ]


def test_reported_speech_in_a_quotation_skips_short_quoted_names(cues) -> None:
    text = "وقال الرئيس في تغريدة على “تويتر”، “سنقلل عدد الجنود هناك”."
    assert _found(text, cues) == [
        ("SOURCE", "الرئيس", "سنقلل عدد الجنود هناك"),
        ("CLAIM", "سنقلل عدد الجنود هناك", "الرئيس"),
    ]


def test_no_speech_without_reported_content(cues) -> None:
    assert _found("وقال الرئيس كلمته ومضى.", cues) == []
    assert _found("قال إن الأمر انتهى.", cues) == []  # no one named


def test_verb_inside_reported_speech_is_not_a_new_source(cues) -> None:
    text = "واعتبر الوزير أن “الخطة تؤكد مجددا أن التحالف قوي”."
    labels = [label for label, _, _ in _found(text, cues)]
    assert labels == ["SOURCE", "CLAIM"]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cues.txt"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ("# comment\nsource بحسب\nsauce وفقا\n", 3, "unknown cue kind 'sauce'"),
        ("speech\n", 1, "speech cue without a pattern"),
        ("\n\nsource (بحسب\n", 3, "bad pattern"),
        ("stop (ما)?\n", 1, "pattern matches empty text"),
    ],
)
def test_malformed_cue_file_names_file_line_and_problem(
    tmp_path: Path, body: str, line: int, problem: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(InputError) as info:
        load_cues(path)
    assert info.value.line == line
    assert info.value.path == str(path)
    assert problem in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_unreadable_cue_file(tmp_path: Path) -> None:
    path = tmp_path / "cues.txt"
    path.write_bytes(b"source \xff\xfe\n")
    with pytest.raises(InputError, match="cannot read"):
        load_cues(path)


def test_custom_cue_file(tmp_path: Path) -> None:
    cues = load_cues(_write(tmp_path, "source على ذمة\nstop أمس\n"))
    text = "انتهت الحرب، على ذمة الإذاعة الرسمية أمس."
    assert [t for label, t, _ in _found(text, cues) if label == "SOURCE"] == ["الإذاعة الرسمية"]
