"""Streaming import: batches, line numbers, short transactions, all or nothing per file."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from annotator.core.changes import Changes
from annotator.core.errors import InputError
from annotator.services import import_read, import_write
from annotator.services.importing import added_documents, import_changes, import_paths
from annotator.services.project import Project, open_project
from annotator.services.search import search
from tests.helpers import kill_import_between_batches, write_jsonl

ARTICLE = (
    "قال وزير الدفاع الأميركي في مؤتمر صحفي عقده في الرباط مساء الثلاثاء إن الاتفاق "
    "العسكري الجديد مع المغرب يفتح مرحلة من التعاون في مجالات التدريب والتسليح وتبادل "
    "المعلومات وإن الطرفين سيعقدان اجتماعا آخر في واشنطن قبل نهاية العام الجاري"
)
WORDS = ARTICLE.split(" ")


def _records(n: int, layer: str = "ali") -> list[dict]:
    """``n`` distinct records, each with one PER span on its first word."""
    out = []
    for i in range(n):
        text = f"خبر{i} " + " ".join(random.Random(i).sample(WORDS, 8))  # no near-copies
        out.append(
            {"text": text, "layer": layer, "spans": [{"start": 0, "end": 3, "label": "PER"}]}
        )
    return out


def _visible(db: Path) -> list[tuple]:
    """What users can see: documents, spans, relations, statuses, events (not FTS internals)."""
    conn = sqlite3.connect(db)
    try:
        out: list[tuple] = []
        for sql in (
            "SELECT id, text, cluster FROM documents ORDER BY id",
            'SELECT doc_id, layer, start, "end", label FROM spans ORDER BY 1, 2, 3, 4, 5',
            "SELECT doc_id, layer, label FROM relations ORDER BY 1, 2, 3",
            "SELECT doc_id, layer, status FROM progress ORDER BY 1, 2",
            "SELECT action, after FROM events ORDER BY id",
            "SELECT file FROM imports",
            "SELECT name, role FROM annotators ORDER BY name",
        ):
            out.append(tuple(conn.execute(sql).fetchall()))
        return out
    finally:
        conn.close()


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(import_read, "BATCH", 3)
    return 3


def test_a_bad_line_in_a_later_batch_names_its_line_and_leaves_nothing(
    project: Project, db_path: Path, tmp_path: Path, small_batches: int
) -> None:
    before = _visible(db_path)
    records: list[object] = [*_records(10), '{"text": 5}']
    src = write_jsonl(tmp_path / "big.jsonl", records)
    with pytest.raises(InputError) as info:
        import_paths(project, [src])
    assert info.value.line == 11
    assert str(info.value).startswith(f"{src}:11: ")
    assert _visible(db_path) == before
    assert search(project, "خبر1") == []


def test_batches_are_committed_one_by_one_while_the_file_is_written(
    project: Project, db_path: Path, tmp_path: Path, small_batches: int
) -> None:
    src = write_jsonl(tmp_path / "big.jsonl", _records(10))
    seen: list[int] = []

    def progress(done: int, total: int, what: str) -> bool:
        other = sqlite3.connect(db_path)  # another process's view of the file
        seen.append(other.execute("SELECT count(*) FROM documents").fetchone()[0])
        other.close()
        return True

    report = import_paths(project, [src], progress=progress)
    assert report.documents_added == 10
    assert any(0 < n < 10 for n in seen)  # earlier batches were visible mid-file
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM progress").fetchone()[0] == 10


def test_cancelling_mid_file_removes_the_whole_file(
    project: Project, db_path: Path, tmp_path: Path, small_batches: int
) -> None:
    import_paths(project, [write_jsonl(tmp_path / "first.jsonl", _records(2, "sara"))])
    before = _visible(db_path)
    ticks = []

    def progress(done: int, total: int, what: str) -> bool:
        ticks.append(what)
        return len(ticks) < 4  # stop after two batches were written

    report = import_paths(
        project, [write_jsonl(tmp_path / "big.jsonl", _records(10))], progress=progress
    )
    assert report.cancelled
    assert _visible(db_path) == before
    assert search(project, "خبر5") == []
    # the same file imports in full afterwards
    again = import_paths(project, [tmp_path / "big.jsonl"])
    assert again.documents_added == 8 and again.documents_existing == 2


def test_a_killed_import_is_removed_when_the_project_is_next_opened(
    db_path: Path, tmp_path: Path
) -> None:
    with open_project(db_path) as project:
        import_paths(project, [write_jsonl(tmp_path / "first.jsonl", _records(2, "sara"))])
    before = _visible(db_path)
    src = write_jsonl(tmp_path / "big.jsonl", _records(12))
    kill_import_between_batches(db_path, src)
    with sqlite3.connect(db_path) as conn:  # the partial file is there until the next open
        assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] > 2
    with open_project(db_path) as project:
        assert _visible(db_path) == before
        assert search(project, "خبر7") == []
        report = import_paths(project, [src])
        assert report.documents_added == 10


def test_a_repeated_record_in_a_later_batch_is_one_new_document(
    project: Project, tmp_path: Path, small_batches: int
) -> None:
    records = _records(5)
    src = write_jsonl(tmp_path / "dup.jsonl", [*records, records[0]])
    report = import_paths(project, [src])
    assert (report.documents_added, report.documents_existing) == (5, 0)


def test_a_near_copy_in_a_later_batch_joins_its_cluster(
    project: Project, tmp_path: Path, small_batches: int
) -> None:
    original = " ".join(WORDS)
    copy = " ".join([*WORDS[:-1], "المقبل"])
    records = [{"text": original}, *({"text": r["text"]} for r in _records(4)), {"text": copy}]
    report = import_paths(project, [write_jsonl(tmp_path / "near.jsonl", records)])
    ids = added_documents(project, report)
    assert len(ids) == 6
    clusters = dict(project.store.execute("SELECT id, cluster FROM documents").fetchall())
    assert clusters[ids[-1]] == clusters[ids[0]] == ids[0]
    assert len(set(clusters.values())) == 5


def test_added_documents_are_the_new_ids_in_import_order(
    project: Project, tmp_path: Path, small_batches: int
) -> None:
    first = import_paths(project, [write_jsonl(tmp_path / "a.jsonl", _records(4))])
    second = import_paths(project, [write_jsonl(tmp_path / "b.jsonl", _records(7))])
    rows = project.store.execute("SELECT id FROM documents ORDER BY seq").fetchall()
    ids = [r[0] for r in rows]
    assert added_documents(project, first) == tuple(ids[:4])
    assert added_documents(project, second) == tuple(ids[4:])
    assert import_changes(project, second) == Changes(documents_added=tuple(ids[4:]))


def test_a_bad_second_file_leaves_the_first_unwritten(
    project: Project, db_path: Path, tmp_path: Path, small_batches: int
) -> None:
    before = _visible(db_path)
    good = write_jsonl(tmp_path / "a.jsonl", _records(7))
    bad = write_jsonl(tmp_path / "b.jsonl", [*_records(4), "{oops"])
    with pytest.raises(InputError) as info:
        import_paths(project, [good, bad])
    assert info.value.line == 5
    assert _visible(db_path) == before


def test_a_near_copy_finds_a_stored_document_the_band_index_lacked(
    project: Project, tmp_path: Path
) -> None:
    original = " ".join(WORDS)
    first = import_paths(project, [write_jsonl(tmp_path / "a.jsonl", [{"text": original}])])
    (doc_id,) = added_documents(project, first)
    with sqlite3.connect(project.store.path) as conn:  # as after a merge or an older version
        conn.execute("DELETE FROM bands")
        conn.execute("UPDATE band_index SET upto = 0")
    copy = " ".join([*WORDS[:-1], "المقبل"])
    second = import_paths(project, [write_jsonl(tmp_path / "b.jsonl", [{"text": copy}])])
    (copy_id,) = added_documents(project, second)
    clusters = dict(project.store.execute("SELECT id, cluster FROM documents").fetchall())
    assert clusters[copy_id] == clusters[doc_id] == doc_id


def test_band_keys_folded_into_the_main_table_still_find_near_copies(
    project: Project, tmp_path: Path, small_batches: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_write, "FOLD_BANDS", 16)  # fold after every batch
    original = " ".join(WORDS)
    copy = " ".join([*WORDS[:-1], "المقبل"])
    records = [{"text": original}, *({"text": r["text"]} for r in _records(7)), {"text": copy}]
    report = import_paths(project, [write_jsonl(tmp_path / "near.jsonl", records)])
    ids = added_documents(project, report)
    clusters = dict(project.store.execute("SELECT id, cluster FROM documents").fetchall())
    assert clusters[ids[-1]] == ids[0]
    recent = project.store.execute("SELECT count(*) FROM bands_recent").fetchone()[0]
    folded = project.store.execute("SELECT count(*) FROM bands").fetchone()[0]
    assert folded > 0 and recent < folded
