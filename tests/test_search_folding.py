"""Search folding per docs/search.md: written forms a curator pastes are found, offsets exact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.arabic import (
    FoldMap,
    index_fields,
    index_fields_many,
    normalize,
    normalize_many,
    normalize_text,
)
from annotator.core.search import compile_query, find
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_project
from annotator.services.search import search
from annotator.store import documents
from tests.helpers import drop_streaming_import_schema

TEXTS = [
    "قال ﷲ أكبر، ﻻ شيء",  # ligatures: Allah, lam-alef
    "ﺍﻟﺴﻼﻡ ﻋﻠﻴﻜﻢ",  # isolated/final/medial letter forms
    "ٱلْحَمْدُ لِلَّهِ رَبِّ ٱلْعَٰلَمِينَ",
    "هٰذَا كِتَابٌ عَلَىٰ مُوسَىٰ",
    "إِنَّهُۥ كَانَ عَلِيمࣰا حَكِيمࣰا",
    "این کتاب از ایران است وعلی",
    "المسؤول قال والمسئول سكت",
    "عام ٢٠٢٤ وعام ۲۰۲۴ وعام 2024",
]


@pytest.fixture
def folded(project: Project, tmp_path: Path) -> Project:
    path = tmp_path / "texts.jsonl"
    path.write_text(
        "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in TEXTS),
        encoding="utf-8",
    )
    import_paths(project, [path])
    return project


def found(project: Project, query: str, **kw: bool) -> list[str]:
    return [
        documents.get(project.store, h.doc_id).text[h.start : h.end]
        for h in search(project, query, **kw)
    ]


def test_presentation_forms_match_plain_letters(folded: Project) -> None:
    assert found(folded, "الله") == ["ﷲ"]
    assert found(folded, "لا شيء") == ["ﻻ شيء"]
    assert found(folded, "السلام عليكم") == ["ﺍﻟﺴﻼﻡ ﻋﻠﻴﻜﻢ"]
    assert found(folded, "ﻻ") == ["ﻻ"]  # the query is folded the same way


def test_superscript_alef_is_read_as_alef_and_as_nothing(folded: Project) -> None:
    assert found(folded, "العالمين") == ["ٱلْعَٰلَمِينَ"]
    assert found(folded, "هذا") == ["هٰذَا"]
    assert found(folded, "على") == ["عَلَىٰ", "علی"]  # on alef maksura it only marks the vowel
    assert found(folded, "موسى") == ["مُوسَىٰ"]


def test_quranic_marks_are_part_of_the_word(folded: Project) -> None:
    assert found(folded, "عليما حكيما") == ["عَلِيمࣰا حَكِيمࣰا"]
    assert found(folded, "انه") == ["إِنَّهُۥ"]


def test_persian_kaf_and_yeh(folded: Project) -> None:
    assert found(folded, "كتاب") == ["كِتَابٌ", "کتاب"]
    assert found(folded, "ايران") == ["ایران"]
    assert found(folded, "کتاب") == ["كِتَابٌ", "کتاب"]


def test_hamza_seats_are_an_option(folded: Project) -> None:
    assert found(folded, "مسئول") == ["مسئول"]
    assert found(folded, "مسئول", hamza=True) == ["مسؤول", "مسئول"]
    assert found(folded, "المسؤول", hamza=True) == ["المسؤول", "المسئول"]


def test_both_digit_sets(folded: Project) -> None:
    assert found(folded, "2024") == ["٢٠٢٤", "۲۰۲۴", "2024"]
    assert found(folded, "۲۰۲۴") == ["٢٠٢٤", "۲۰۲۴", "2024"]


def test_folding_table_examples() -> None:
    assert normalize_text("ﻷ ﻵ ﻹ ﷲ") == "لا لا لا الله"
    assert normalize_text("ک ی ھ ى ؤ ئ ء") == "ك ي ه ي و ي ء"
    assert normalize_text("ؤ ئ ء", hamza=True) == "ء ء ء"
    assert normalize_text("مدرسة", taa_marbuta=True) == "مدرسه"
    assert normalize_text("\u200fنص\u2067ـ\u2069\ufeff") == "نص"
    assert normalize_text("ﹰ") == ""  # an isolated haraka form is a haraka


def test_offsets_of_an_expanded_ligature_map_to_the_ligature() -> None:
    text = "قال ﷲ"
    norm, omap = normalize(text)
    assert norm == "قال الله"
    assert omap[4:8] == [4, 4, 4, 4]
    assert omap[-1] == len(text)
    assert find(text, compile_query("الله")) == [(4, 5)]
    assert find(text, compile_query("ال")) == []  # a word, not a piece of one


def test_index_holds_both_readings_of_the_superscript_alef() -> None:
    norm, stems = index_fields("وهٰذا")
    assert norm == "وهاذا"
    assert "هذا" in stems.split()


PIECES = [
    *"قال مارك",
    "ﷲ",
    "ﻻ",
    "ﺍ",
    "\u0670",
    "ى",
    "\u064e",
    "\u08f0",
    "ی",
    "ک",
    "٣",
    "😀",
    "𝐀",
    "\u200f",
    "ـ",
    "ﹰ",
]
MIXED = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@given(st.lists(MIXED, max_size=6))
def test_batch_folding_equals_one_by_one(texts: list[str]) -> None:
    assert normalize_many(texts) == [normalize_text(t) for t in texts]
    assert index_fields_many(texts) == [index_fields(t) for t in texts]


@given(MIXED)
def test_sparse_map_equals_full_map(text: str) -> None:
    norm, omap = normalize(text)
    fmap = FoldMap(text)
    assert [fmap.original(i) for i in range(len(norm))] == omap[:-1]
    assert omap == sorted(omap)
    assert all(0 <= p < len(text) for p in omap[:-1])


def test_an_old_database_gets_its_search_index_refolded(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": "قال ﷲ"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with open_project(db) as project:
        import_paths(project, [path])
    # Make it look like a version 2 database whose index folded nothing.
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO search (search) VALUES ('delete-all')")
    conn.execute("INSERT INTO search (rowid, norm, stems) SELECT seq, text, '' FROM documents")
    drop_streaming_import_schema(conn)
    conn.execute("DROP TABLE notes")  # added by a later version
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with open_project(db) as project:
        assert [h.snippet for h in search(project, "الله")] == ["قال ﷲ"]


def test_a_query_with_the_superscript_alef_finds_both_readings(folded: Project) -> None:
    assert found(folded, "هٰذا") == ["هٰذَا"]
    assert found(folded, "ٱلْعَٰلَمِينَ") == ["ٱلْعَٰلَمِينَ"]
    text = "هذا وهٰذا وهاذا"
    assert [text[a:b] for a, b in find(text, compile_query("هٰذا"))] == ["هذا", "هٰذا", "هاذا"]
