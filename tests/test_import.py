"""Import of the sample corpus, JSONL formats, idempotency and clusters."""

from __future__ import annotations

import codecs
import sqlite3
from pathlib import Path

import pytest

from annotator.core.resources import sample_corpus_dir
from annotator.services.datasets import native_records
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_default, open_project
from annotator.store import documents, spans
from tests.conftest import require_wojood
from tests.helpers import write_jsonl

BOILERPLATE = ["اترك رد", "Share", "Link copied", "المقال التالي", "لن يتم نشر عنوان بريدك"]


def test_sample_articles_import_clean(sample_project: Project) -> None:
    docs = list(documents.iter_documents(sample_project.store))
    assert len(docs) == 2
    for doc in docs:
        for junk in BOILERPLATE:
            assert junk not in doc.text
        assert "\r" not in doc.text
        assert doc.text == doc.text.strip()
        assert doc.title and doc.title in doc.text.split("\n")[0]
    assert {d.cluster for d in docs} == {d.id for d in docs}  # two different stories
    assert "مارك إسبر" in docs[1].text and "مارك أسبر" in docs[0].text


def test_importing_again_adds_nothing(sample_project: Project) -> None:
    report = import_paths(sample_project, [sample_corpus_dir()])
    assert (report.documents_added, report.documents_existing) == (0, 2)
    assert documents.count(sample_project.store) == 2


def test_crlf_bom_and_utf16_files_import_as_the_same_document(
    project: Project, tmp_path: Path
) -> None:
    text = "وقال إسبر إن الاتفاق مهم\nسطر ثان"
    (tmp_path / "lf.txt").write_bytes(text.encode())
    (tmp_path / "crlf.txt").write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode())
    (tmp_path / "u16.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    report = import_paths(project, [tmp_path])
    assert report.files == 3
    assert report.documents_added == 1
    (doc,) = documents.iter_documents(project.store)
    assert doc.text == text


def test_html_looking_text_is_just_text(project: Project, tmp_path: Path) -> None:
    text = "<b>عاجل</b> &amp; <script>alert(1)</script>"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    import_paths(project, [tmp_path / "a.txt"])
    (doc,) = documents.iter_documents(project.store)
    assert doc.text == text


def test_second_curator_layer_attaches_to_the_same_document(
    project: Project, tmp_path: Path
) -> None:
    text = "قال مارك أسبر إن الاتفاق مهم"
    span = {"start": 4, "end": 13, "label": "PER", "text": "مارك أسبر"}
    write_jsonl(tmp_path / "a.jsonl", [{"text": text, "spans": [span]}])
    import_paths(project, [tmp_path / "a.jsonl"], annotator="amal")
    import_paths(project, [tmp_path / "a.jsonl"], annotator="badr")
    import_paths(project, [tmp_path / "a.jsonl"], annotator="badr")  # nothing new
    (doc,) = documents.iter_documents(project.store)
    assert [s.layer for s in spans.for_document(project.store, doc.id)] == ["amal", "badr"]


def test_record_layer_used_without_annotator(project: Project, tmp_path: Path) -> None:
    rec = {"text": "سكاي نيوز", "layer": "karim", "spans": [{"start": 0, "end": 9, "label": "ORG"}]}
    write_jsonl(tmp_path / "a.jsonl", [rec])
    import_paths(project, [tmp_path / "a.jsonl"])
    assert spans.layers(project.store) == ["karim"]


def test_doccano_and_prodigy_formats(project: Project, tmp_path: Path) -> None:
    text = "😀 وفقاً لما ذكرته سكاي نيوز"
    start = text.index("سكاي")
    doccano = {"text": text, "label": [[start, start + 9, "SOURCE"]]}
    prodigy = {"text": text, "spans": [{"start": start, "end": start + 4, "label": "ORG"}]}
    rejected = {"text": "نص مرفوض", "answer": "reject", "spans": []}
    write_jsonl(tmp_path / "d.jsonl", [doccano])
    write_jsonl(tmp_path / "p.jsonl", [prodigy, rejected])
    report = import_paths(project, [tmp_path], annotator="amal")
    assert report.records_skipped == 1
    assert any("U+FFFF" in w for w in report.warnings)
    (doc,) = documents.iter_documents(project.store)
    got = {(s.label, doc.text[s.start : s.end]) for s in spans.for_document(project.store, doc.id)}
    assert got == {("SOURCE", "سكاي نيوز"), ("ORG", "سكاي")}


def test_doccano_utf16_offsets(project: Project, tmp_path: Path) -> None:
    text = "😀🇲🇦 مارك أسبر"
    start16 = len(text[: text.index("مارك")].encode("utf-16-le")) // 2
    rec = {"text": text, "label": [[start16, start16 + 9, "PER"]]}
    write_jsonl(tmp_path / "d.jsonl", [rec])
    import_paths(project, [tmp_path / "d.jsonl"], annotator="amal", offsets="utf16")
    (doc,) = documents.iter_documents(project.store)
    (span,) = spans.for_document(project.store, doc.id)
    assert doc.text[span.start : span.end] == "مارك أسبر"


def test_relations_tie_to_the_store_span_ids(project: Project, tmp_path: Path) -> None:
    text = "قال مصدر دبلوماسي إن الاتفاق قريب"
    rec = {
        "text": text,
        "spans": [
            {"id": "s0", "start": 4, "end": 17, "label": "SOURCE"},
            {"id": "s1", "start": 21, "end": 33, "label": "CLAIM"},
        ],
        "relations": [{"label": "ATTRIBUTED_TO", "head": "s1", "tail": "s0"}],
    }
    write_jsonl(tmp_path / "a.jsonl", [rec, rec | {"text": text + "."}])
    report = import_paths(project, [tmp_path / "a.jsonl"], annotator="amal")
    assert (report.spans_added, report.relations_added) == (4, 2)
    for doc in documents.iter_documents(project.store):
        (rel,) = spans.relations_for(project.store, doc.id)
        head, tail = spans.get(project.store, rel.head), spans.get(project.store, rel.tail)
        assert (head.label, tail.label) == ("CLAIM", "SOURCE")
        assert head.id.startswith("s_") and head.id != "s1"


def test_lightly_edited_copy_shares_a_cluster(project: Project, tmp_path: Path) -> None:
    original = (sample_corpus_dir() / "001_d887ce0045f4941a.txt").read_text(encoding="utf-8")
    copy = original.replace("الجمعة", "السبت", 1).replace("وتصادف", "وتتزامن", 1)
    (tmp_path / "a.txt").write_text(original, encoding="utf-8")
    (tmp_path / "b.txt").write_text(copy, encoding="utf-8")
    import_paths(project, [tmp_path / "a.txt"])
    import_paths(project, [tmp_path / "b.txt"])  # a later import finds the earlier copy
    other = sample_corpus_dir() / "000_faebef81033cf564.txt"
    import_paths(project, [other])
    docs = list(documents.iter_documents(project.store))
    assert docs[0].cluster == docs[1].cluster == docs[0].id
    assert docs[2].cluster == docs[2].id


def test_real_wojood_file_imports_with_every_span_intact(project: Project) -> None:
    wojood = require_wojood()
    report = import_paths(project, [wojood], annotator="wojood")
    assert report.documents_added == 496
    assert report.spans_added == 648
    import json

    expected = [json.loads(line) for line in wojood.read_text(encoding="utf-8").splitlines()]
    exported = list(native_records(project, "wojood"))
    assert [r["text"] for r in exported] == [r["text"] for r in expected]
    for got, want in zip(exported, expected, strict=True):
        assert [(s["start"], s["end"], s["label"], s["text"]) for s in got["spans"]] == sorted(
            (s["start"], s["end"], s["label"], s["text"]) for s in want["spans"]
        )


def test_default_database_loads_the_sample_corpus_once(tmp_path: Path) -> None:
    path = tmp_path / "data" / "annotator.db"
    with open_default(path) as project:
        assert documents.count(project.store) == 2
    with open_default(path) as project:
        assert documents.count(project.store) == 2


def test_foreign_keys_are_back_on_after_an_import(sample_project: Project) -> None:
    assert sample_project.store.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        sample_project.store.execute(
            "INSERT INTO progress VALUES ('d_missing', 'amal', 'done', 'now')"
        )


def test_progress_moves_forward_and_cancel_while_reading_imports_nothing(
    project: Project, tmp_path: Path
) -> None:
    records = [{"text": f"خبر رقم {i} عن الرباط", "spans": []} for i in range(12_000)]
    big = write_jsonl(tmp_path / "big.jsonl", records)
    seen: list[tuple[int, int]] = []
    import_paths(project, [big], progress=lambda d, t, _w: seen.append((d, t)) or True)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][0] == seen[-1][1]
    assert len({d for d, _ in seen}) > 3  # moves inside the one big file
    with open_project(tmp_path / "other.db") as other:
        report = import_paths(other, [big], progress=lambda d, t, _w: d < t // 4)
        assert report.cancelled and report.files == 0
        assert documents.count(other.store) == 0
