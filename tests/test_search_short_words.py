"""Two-letter words behind a conjunction: found through the index, without a flood.

"لا" is found in "ولا" and "فلا" (and, not: the same word), never in "بلا"
(without) or "كلا"; "أن" never in "كان" or "الآن". Before a word of three or
more letters every proclitic stays allowed.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.search import compile_query, find, fts_query
from annotator.services.importing import import_paths
from annotator.services.project import Project
from annotator.services.search import matching_documents, search
from tests.helpers import write_jsonl

DOCS = {
    "wala": "قال الوزير ولا يمكن تأجيل الاتفاق",
    "la": "لا شك في ذلك",
    "fala": "فلا بد من الحوار",
    "bila": "جاء بلا موعد",
    "kalla": "كلا الطرفين حاضر",
    "kana": "كان الأمر صعبا الآن",
    "anna": "أعلن أن الأمر انتهى",
    "wa_anna": "وأكد وأن الأمر انتهى",
}


def _project(project: Project, tmp_path: Path) -> dict[str, str]:
    path = write_jsonl(tmp_path / "docs.jsonl", [{"text": t, "spans": []} for t in DOCS.values()])
    import_paths(project, [path])
    ids = {}
    for name, text in DOCS.items():
        [hit] = [h for h in search(project, text) if h.start == 0]
        ids[hit.doc_id] = name
    return ids


def _found(project: Project, ids: dict[str, str], query: str) -> list[tuple[str, str]]:
    text = {i: DOCS[n] for i, n in ids.items()}
    return sorted((ids[h.doc_id], text[h.doc_id][h.start : h.end]) for h in search(project, query))


def test_a_two_letter_word_is_found_behind_wa_and_fa(project: Project, tmp_path: Path) -> None:
    ids = _project(project, tmp_path)
    assert _found(project, ids, "لا") == [("fala", "لا"), ("la", "لا"), ("wala", "لا")]
    assert _found(project, ids, "ولا") == [("wala", "ولا")]
    assert _found(project, ids, "لا يمكن") == [("wala", "لا يمكن")]
    docs = matching_documents(project, "لا")
    assert sorted(ids[d] for d in docs) == ["fala", "la", "wala"]


def test_a_two_letter_word_is_not_found_inside_other_words(
    project: Project, tmp_path: Path
) -> None:
    ids = _project(project, tmp_path)
    # كان is ك + ان and الآن is ال + ان to a matcher: not أن.
    assert _found(project, ids, "أن") == [("anna", "أن"), ("wa_anna", "أن")]
    assert _found(project, ids, "بلا") == [("bila", "بلا")]


def test_longer_words_keep_every_proclitic(project: Project, tmp_path: Path) -> None:
    ids = _project(project, tmp_path)
    assert _found(project, ids, "الأمر") == [("anna", "الأمر"), ("kana", "الأمر"),
                                            ("wa_anna", "الأمر")]  # fmt: skip
    assert _found(project, ids, "موعد") == [("bila", "موعد")]
    assert _found(project, ids, "الاتفاق") == [("wala", "الاتفاق")]


def test_core_matcher_and_index_terms_agree() -> None:
    text = "ذهب إلى الوزير وقال لي ولي العهد"
    query = compile_query("لي")
    assert [text[a:b] for a, b in find(text, query)] == ["لي", "لي"]  # لي, and لي of ولي
    assert fts_query(query) == '("فلي" OR "لي" OR "ولي")'
    # only the first word of a phrase may carry a conjunction
    assert fts_query(compile_query("قال لي")) == '("قال") AND ("لي")'


def test_propagation_follows_the_same_rule() -> None:
    from annotator.core.suggest import build_propagator, propagate

    propagator = build_propagator([("LOC", "قم"), ("PER", "مارك")])
    text = "زار قم ثم وقم وبقم ولقم ثم ومارك وبمارك"
    found = sorted(
        (s.start, text[s.start : s.end], s.label) for s in propagate("d", text, propagator)
    )
    assert [(t, lab) for _, t, lab in found] == [
        ("قم", "LOC"),  # قم
        ("قم", "LOC"),  # وقم
        ("مارك", "PER"),  # ومارك
        ("مارك", "PER"),  # وبمارك: a word of 3+ letters takes every proclitic
    ]
