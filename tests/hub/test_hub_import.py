"""The hub and the streaming import: a file reaches the hub once, whole, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.suggest import Suggestion
from annotator.services import annotate, import_read, suggest
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_project
from annotator.services.sync import sync
from tests.helpers import write_jsonl
from tests.hub.conftest import Hub
from tests.hub.team import hub_snapshot, write_corpus
from tests.test_import_stream import _records

CURATOR = "amal"


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_read, "BATCH", 3)


def _project(hub: Hub, tmp_path: Path) -> tuple[Project, str]:
    """A curator's file with three articles, and their hub URL."""
    url = hub.add(CURATOR, "curator")
    project = open_project(tmp_path / "amal.db")
    import_paths(project, [write_corpus(tmp_path / "corpus")])
    annotate.register(project, CURATOR, "curator")
    return project, url


def _log(project: Project) -> list[tuple]:
    return project.store.execute(
        "SELECT tbl, key, layer, doc_id FROM sync_log ORDER BY seq"
    ).fetchall()


def _docs(project: Project) -> list[str]:
    return sorted(r[0] for r in project.store.execute("SELECT id FROM documents"))


def _unfinished(project: Project) -> bool:
    """A file is being imported and some of its documents are stored."""
    return bool(
        project.store.execute(
            "SELECT 1 FROM documents WHERE import_id IN (SELECT id FROM imports)"
        ).fetchone()
    )


def _mid_file(db: Path, url: str, seen: list[dict], hub: Hub) -> None:
    """Another process's sync while the file is written, and an edit on one of its documents."""
    with open_project(db) as other:
        new = other.store.execute(
            "SELECT id FROM documents WHERE import_id IN (SELECT id FROM imports) LIMIT 1"
        ).fetchone()
        assert new is not None, "a batch of the file is already visible"
        annotate.add_span(other, CURATOR, new[0], 4, 8, "LOC")
        wrong = Suggestion(new[0], 9, 12, "ORG", "test", layer=CURATOR)
        suggest.reject(other, CURATOR, wrong)
        report = sync(other, url)
        seen.append({"pushed": report.pushed, "hub": hub_snapshot(hub), "log": _log(other)})


def test_a_cancelled_import_leaves_no_trace_for_the_hub(
    hub: Hub, tmp_path: Path, small_batches: None
) -> None:
    project, url = _project(hub, tmp_path)
    try:
        sync(project, url)
        before = hub_snapshot(hub)
        assert _log(project) == [] and len(before["documents"]) == 3
        seen: list[dict] = []

        def progress(done: int, total: int, what: str) -> bool:
            if not seen and _unfinished(project):
                _mid_file(project.store.path, url, seen, hub)
                return False  # cancelled once the file had batches on disk
            return True

        src = write_jsonl(tmp_path / "big.jsonl", _records(10, CURATOR))
        report = import_paths(project, [src], progress=progress)
        assert report.cancelled and len(seen) == 1
        assert seen[0]["hub"] == before, "nothing of an unfinished file was pushed"
        assert not any(seen[0]["pushed"].values()) and seen[0]["log"] == []
        assert _log(project) == [], "its removal logged no tombstone"
        assert not any(sync(project).pushed.values())
        assert hub_snapshot(hub) == before and before["tombstones"] == []
    finally:
        project.close()


def test_a_failed_import_keeps_the_log_as_it_was(
    hub: Hub, tmp_path: Path, small_batches: None
) -> None:
    project, url = _project(hub, tmp_path)
    try:
        sync(project, url)
        doc = _docs(project)[0]
        annotate.add_span(project, CURATOR, doc, 0, 3, "PER")  # not pushed yet
        logged = _log(project)
        assert logged
        bad = write_jsonl(tmp_path / "bad.jsonl", [*_records(7, CURATOR), '{"text": 5}'])
        with pytest.raises(InputError):
            import_paths(project, [bad])
        assert _log(project) == logged
        report = sync(project)
        assert report.pushed.get("spans") == 1 and not report.pushed.get("documents")
        snap = hub_snapshot(hub)
        assert snap["tombstones"] == [] and len(snap["documents"]) == 3
    finally:
        project.close()


def test_a_complete_import_is_pushed_once_even_if_sync_ran_mid_file(
    hub: Hub, tmp_path: Path, small_batches: None
) -> None:
    project, url = _project(hub, tmp_path)  # never synced: the first sync runs mid-file
    try:
        seen: list[dict] = []

        def progress(done: int, total: int, what: str) -> bool:
            if not seen and _unfinished(project):
                _mid_file(project.store.path, url, seen, hub)
            return True

        src = write_jsonl(tmp_path / "big.jsonl", _records(10, CURATOR))
        report = import_paths(project, [src], progress=progress)
        assert report.documents_added == 10 and not report.cancelled
        assert len(seen[0]["hub"]["documents"]) == 3, "only the settled documents went"
        assert seen[0]["hub"]["spans"] == []
        first = sync(project)
        assert first.pushed["documents"] == 10
        assert first.pushed["spans"] == 11  # one per record, and the edit made mid-file
        assert first.pushed["progress"] == 10
        assert first.pushed["rejected"] == 1  # the rejection made mid-file
        snap = hub_snapshot(hub)
        assert snap["documents"] == _docs(project)
        local = project.store.execute(
            'SELECT doc_id, layer, start, "end", label FROM spans ORDER BY 1, 2, 3, 4, 5'
        ).fetchall()
        assert snap["spans"] == sorted(tuple(r) for r in local)
        assert _log(project) == []
        assert not any(sync(project).pushed.values()), "pushed once"
    finally:
        project.close()
