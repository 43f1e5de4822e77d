"""Search across a real project: FTS candidates, exact hits, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.importing import import_paths
from annotator.services.project import Project
from annotator.services.search import Hit, matching_documents, search
from annotator.store import documents

ARTICLES = {
    "a.txt": "وصل وزير الدفاع مارك أسبر إلى الرباط.\nوقال أسبر إن الزيارة ناجحة.",
    "b.txt": "التقى الوزيرُ مـارك إِسبر بنظيره في تونس، وفقاً لوكالة الأنباء.",
    "c.txt": "خبر عن الطقس في بغداد لا يذكر أحداً.",
}


@pytest.fixture
def news(project: Project, tmp_path: Path) -> Project:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    import_paths(project, [folder])
    return project


def _texts(project: Project, hits: list[Hit]) -> list[str]:
    return [documents.get(project.store, h.doc_id).text[h.start : h.end] for h in hits]


def test_spelling_variants_are_found_at_original_offsets(news: Project) -> None:
    hits = search(news, "مارك أسبر")
    assert _texts(news, hits) == ["مارك أسبر", "مـارك إِسبر"]
    assert all(isinstance(h, Hit) for h in hits)
    assert "مـارك إِسبر" in hits[1].snippet


def test_match_behind_clitic_in_the_index(news: Project) -> None:
    hits = search(news, "نظيره")
    assert _texts(news, hits) == ["نظيره"]
    hits = search(news, "الوكالة")
    assert hits == []  # whole words: "لوكالة" holds "وكالة", not "الوكالة"
    assert _texts(news, search(news, "وكالة الأنباء")) == ["وكالة الأنباء"]


def test_limit_and_order(news: Project) -> None:
    hits = search(news, "اسبر")
    assert _texts(news, hits) == ["أسبر", "أسبر", "إِسبر"]
    assert hits[0].doc_id == hits[1].doc_id != hits[2].doc_id
    assert hits[0].start < hits[1].start
    assert len(search(news, "اسبر", limit=2)) == 2
    assert search(news, "اسبر", limit=0) == []


def test_empty_and_punctuation_queries_return_nothing(news: Project) -> None:
    for query in ("", "  ", "؟!..", "«»"):
        assert search(news, query) == []
        assert matching_documents(news, query) == []


def test_query_with_fts_syntax_is_taken_literally(news: Project) -> None:
    assert search(news, 'NEAR("a" OR) *') == []
    assert search(news, "بغداد AND") == []
    assert len(search(news, "بغداد")) == 1


def test_matching_documents(news: Project) -> None:
    docs = matching_documents(news, "اسبر")
    assert len(docs) == 2
    assert len(set(docs)) == 2


def test_cli_json(news: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(news.store.path)
    assert main(["search", "إسبر", "--json", "--db", path]) == 0
    out = json.loads(capsys.readouterr().out)
    hits = out["hits"]
    assert len(hits) == 3
    assert set(hits[0]) == {"doc_id", "start", "end", "snippet"}
    text = documents.get(news.store, hits[0]["doc_id"]).text
    assert text[hits[0]["start"] : hits[0]["end"]] == "أسبر"
    assert main(["search", "...", "--json", "--db", path]) == 0
    assert json.loads(capsys.readouterr().out) == {"hits": []}
