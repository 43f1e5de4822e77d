"""The change-log triggers exist only in a file that tracks a hub (schema v9).

A file that never syncs has none, so its writes pay nothing for the hub; the
first sync creates them; a pull is still not logged; an older file loses
them on upgrade unless it already tracks a hub.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.services import annotate
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from annotator.services.sync import sync
from annotator.store import spans, synclog
from annotator.store.schema import APPLICATION_ID, LOG_TRIGGER_NAMES, MIGRATIONS, SCHEMA_VERSION
from tests.hub.conftest import Hub
from tests.hub.team import TEXTS, write_corpus


def _triggers(db) -> set[str]:
    conn = db.conn if hasattr(db, "conn") else db
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {r[0] for r in rows}


def _log(project) -> list[tuple[str, str]]:
    return project.store.execute("SELECT tbl, layer FROM sync_log ORDER BY seq").fetchall()


def _word(doc: int, word: str) -> tuple[int, int]:
    start = TEXTS[doc].index(word)
    return start, start + len(word)


def _edit(project, doc: str) -> None:
    """A span, a link, a status and a deletion by amal on ``doc``."""
    claim = annotate.add_span(project, "amal", doc, *_word(0, "الاتفاق العسكري"), "CLAIM").span
    source = annotate.add_span(project, "amal", doc, *_word(0, "وزير الخارجية"), "SOURCE").span
    annotate.add_relation(project, "amal", claim.id, source.id)
    annotate.set_status(project, "amal", doc, "done")
    annotate.delete_span(project, "amal", claim.id)


def test_a_file_with_no_hub_has_no_log_triggers_and_logs_nothing(tmp_path: Path) -> None:
    with open_project(tmp_path / "p.db") as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        annotate.register(project, "amal")
        doc = project.store.execute("SELECT id FROM documents ORDER BY seq").fetchone()[0]
        _edit(project, doc)
        assert not _triggers(project.store) & set(LOG_TRIGGER_NAMES)
        assert _log(project) == []


def test_the_first_sync_creates_the_triggers_and_later_edits_are_logged(
    hub: Hub, tmp_path: Path
) -> None:
    url = hub.add("amal", "curator")
    db = tmp_path / "amal.db"
    with open_project(db) as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        annotate.register(project, "amal")
        assert not _triggers(project.store) & set(LOG_TRIGGER_NAMES)
        sync(project, url)
        assert set(LOG_TRIGGER_NAMES) <= _triggers(project.store)
        assert _log(project) == []  # everything went up
    with open_project(db) as project:  # the file with its triggers is ours
        doc = project.store.execute("SELECT id FROM documents ORDER BY seq").fetchone()[0]
        _edit(project, doc)
        assert [t for t, _ in _log(project)] == [
            "spans", "progress", "spans", "relations", "progress", "relations", "spans",
        ]  # fmt: skip
        report = sync(project, url)
        assert report.pushed["spans"] == 2  # one span and a tombstone
        assert _log(project) == []


def test_a_muted_write_is_not_logged_and_unmute_keeps_logging(tmp_path: Path) -> None:
    with open_project(tmp_path / "p.db") as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        annotate.register(project, "amal")
        doc = project.store.execute("SELECT id FROM documents ORDER BY seq").fetchone()[0]
        store = project.store
        with store.transaction():
            synclog.start_tracking(store)
            synclog.drop_log(store, 0, synclog.last_seq(store))
        with store.transaction():  # as a pull applies rows from the hub
            synclog.mute(store)
            synclog.apply_spans(store, [("s_hub", doc, "amal", 0, 3, "PER", "manual", "t", "t")])
            synclog.unmute(store)
        assert spans.ids_by_key(store, doc, "amal") == {(0, 3, "PER"): "s_hub"}
        assert _log(project) == []
        annotate.add_span(project, "amal", doc, *_word(0, "مارك أسبر"), "PER")
        assert ("spans", "amal") in _log(project)


def test_unmute_on_a_file_without_triggers_creates_them(tmp_path: Path) -> None:
    """ "tracking" is never set without the triggers that make it log."""
    with open_project(tmp_path / "p.db") as project:
        store = project.store
        with store.transaction():
            synclog.mute(store)
            synclog.unmute(store)
        assert set(LOG_TRIGGER_NAMES) <= _triggers(store)


def _older_file(path: Path, *, tracking: bool, version: int = 8) -> None:
    """A file as schema ``version`` left it, with one document (and a hub, given)."""
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:version]:
        conn.executescript(
            step.replace("annotator_search_norm(text)", "''").replace(
                "annotator_search_stems(text)", "''"
            )
        )
    conn.execute("INSERT INTO documents (id, text, imported_at) VALUES ('d1', ?, 't')", (TEXTS[0],))
    if tracking:
        conn.execute("INSERT INTO hub_state VALUES ('tracking', '1')")
    conn.execute("DELETE FROM sync_log")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    conn.close()


def test_an_older_file_without_a_hub_loses_its_triggers(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _older_file(db, tracking=False)
    assert set(LOG_TRIGGER_NAMES) <= _triggers(sqlite3.connect(db))
    with open_project(db) as project:
        assert project.store.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert not _triggers(project.store) & set(LOG_TRIGGER_NAMES)
        annotate.register(project, "amal")
        annotate.add_span(project, "amal", "d1", *_word(0, "مارك أسبر"), "PER")
        assert _log(project) == []


def test_an_older_file_tracking_a_hub_keeps_its_triggers(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _older_file(db, tracking=True)
    with open_project(db) as project:
        assert set(LOG_TRIGGER_NAMES) <= _triggers(project.store)
        annotate.register(project, "amal")
        annotate.add_span(project, "amal", "d1", *_word(0, "مارك أسبر"), "PER")
        assert ("spans", "amal") in _log(project)
    with open_project(db) as project:  # opens again: the triggers are recognised
        assert ("spans", "amal") in _log(project)


def test_a_file_from_before_schema_7_opens_and_upgrades(tmp_path: Path) -> None:
    """Its triggers are v4's (since rewritten): still recognised as ours."""
    db = tmp_path / "old.db"
    _older_file(db, tracking=True, version=6)
    with open_project(db) as project:
        annotate.register(project, "amal")
        annotate.add_span(project, "amal", "d1", *_word(0, "مارك أسبر"), "PER")
        assert ("spans", "amal") in _log(project)
