"""Saved news pages: the article text and the page's metadata, read offline."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.readers.html import read_html
from annotator.services.datasets import ExportOptions, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from tests.helpers import db_dump

PAGE = Path(__file__).parent / "data" / "news_page.html"
URL = "https://www.example-akhbar.ma/politique/2024/05/rabat-water-accord"
ARTICLE = [
    "الرباط ونواكشوط توقعان اتفاقا لتقاسم مياه الري",
    "وقع وزير الفلاحة المغربي ونظيره الموريتاني",
    "وقال الوزير المغربي في تصريح للصحافة",
    "وبحسب ما نقلته وكالة المغرب العربي للأنباء",
    "وفقا لأرقام وزارة التجهيز والماء.",
]
AROUND = [
    "الرئيسية",  # navigation
    "اتصل بنا",
    "عاجل",  # ticker
    "ابحث في الموقع",
    "فيسبوك",  # share buttons
    "اقرأ أيضا",  # related links
    "وزير الخارجية يستقبل سفير السنغال",
    "تعليقات القراء",  # comments
    "خطوة ممتازة",
    "ننتظر الأفعال",
    "الأكثر قراءة",  # sidebar
    "النشرة البريدية",
    "جميع الحقوق محفوظة",  # footer
    "سياسة الخصوصية",
    "dataLayer",  # script
]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_page_imports_as_the_article_only_with_its_metadata(tmp_path: Path, offline) -> None:
    with open_project(tmp_path / "p.db") as project:
        report = import_paths(project, [PAGE])
        assert report.documents_added == 1
        [rec] = native_records(project, "gold")
    text = rec["text"]
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == len(ARTICLE)
    for para, start in zip(paragraphs, ARTICLE, strict=True):
        assert start in para
    for noise in AROUND:
        assert noise not in text, noise
    assert "<" not in text and "&" not in text
    meta = rec["meta"]
    assert meta["title"] == ARTICLE[0]
    assert meta["source"] == "news_page.html"
    assert meta["url"] == URL
    assert meta["author"] == "سلمى بنعلي"
    assert meta["date"] == "2024-05-14"
    assert meta["site"] == "أخبار المغرب الكبير"
    assert meta["hostname"] == "example-akhbar.ma"
    assert meta["tags"] == ["مياه", "موريتانيا"]


def test_exports_that_carry_meta_carry_the_page_metadata(tmp_path: Path) -> None:
    with open_project(tmp_path / "p.db") as project:
        import_paths(project, [PAGE])
        for fmt, name in (("labelstudio", "ls.json"), ("conll", "p.conll"), ("doccano", "d.jsonl")):
            export_dataset(project, ExportOptions(fmt, tmp_path / name))
    [task] = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
    assert (task["data"]["url"], task["data"]["author"]) == (URL, "سلمى بنعلي")
    conll = (tmp_path / "p.conll").read_text(encoding="utf-8")
    assert f"# url = {URL}\n" in conll and "# date = 2024-05-14\n" in conll
    doccano = json.loads((tmp_path / "d.jsonl").read_text(encoding="utf-8"))
    assert (doccano["meta"]["site"], doccano["meta"]["date"]) == (
        "أخبار المغرب الكبير",
        "2024-05-14",
    )


def test_same_page_gives_the_same_record_in_any_encoding(tmp_path: Path, offline) -> None:
    html = PAGE.read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
    )
    legacy = html.encode("cp1256")
    a = read_html(PAGE.read_bytes(), "news_page.html").records[0]
    b = read_html(legacy, "news_page.html").records[0]
    assert (a.text, a.meta) == (b.text, b.meta)
    assert read_html(PAGE.read_bytes(), "news_page.html").records[0] == a  # deterministic


def test_a_folder_of_pages_and_the_saved_from_comment(tmp_path: Path, offline) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.html").write_bytes(PAGE.read_bytes())
    bare = PAGE.read_text(encoding="utf-8")
    for tag in ('<meta property="og:url"', '<link rel="canonical"'):
        start = bare.index(tag)
        bare = bare[:start] + bare[bare.index(">", start) + 1 :]
    bare = bare.replace("توقعان اتفاقا", "توقعان اتفاقا جديدا")  # another document
    (folder / "b.htm").write_text(bare, encoding="utf-8")
    with open_project(tmp_path / "p.db") as project:
        report = import_paths(project, [folder])
        assert (report.files, report.documents_added) == (2, 2)
        urls = sorted(r["meta"]["url"] for r in native_records(project, "gold"))
    assert urls == [URL, URL]  # b.htm names its address only in "saved from url="


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>",
        "<html><body></body></html>",
        "   ",
    ],
)
def test_a_page_without_an_article_is_refused(tmp_path: Path, capsys, page: str) -> None:
    src = tmp_path / "empty.html"
    src.write_text(page, encoding="utf-8")
    db = tmp_path / "p.db"
    with open_project(db):
        pass
    before = db_dump(db)
    assert main(["import", str(src), str(PAGE), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"{src}: " in err and err.count("\n") == 1 and "Traceback" not in err
    assert db_dump(db) == before


def test_a_saved_complete_page_imports_without_its_files_folder(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    assets = folder / "news_page_files"
    assets.mkdir(parents=True)
    (folder / "news_page.html").write_bytes(PAGE.read_bytes())
    (assets / "share-widget.html").write_text(  # a frame: no article, refused on its own
        "<html><body><a href='#'>فيسبوك</a></body></html>", encoding="utf-8"
    )
    (assets / "style.css").write_text("body{}", encoding="utf-8")
    other = folder / "notes_files"  # no notes.html beside it: an ordinary folder
    other.mkdir()
    (other / "note.txt").write_text("مارك أسبر في الرباط", encoding="utf-8")
    with open_project(tmp_path / "p.db") as project:
        report = import_paths(project, [folder])
    assert (report.files, report.documents_added) == (2, 2)


def test_format_html_reads_a_page_of_any_name(tmp_path: Path, capsys) -> None:
    src = tmp_path / "article.php"
    src.write_bytes(PAGE.read_bytes())
    db = tmp_path / "p.db"
    assert main(["import", str(src), "--db", str(db)]) == 1
    assert "unknown file type" in capsys.readouterr().err
    assert main(["import", str(src), "--format", "html", "--db", str(db)]) == 0
    with open_project(db) as project:
        [rec] = native_records(project, "gold")
    assert rec["meta"]["url"] == URL and rec["meta"]["source"] == "article.php"
