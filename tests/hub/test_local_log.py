"""The local change log: what the triggers record, and a look-alike trigger refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.services import annotate
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from annotator.store.db import StoreError
from tests.hub.team import TEXTS, write_corpus


def _log(project) -> list[tuple[str, str]]:
    return project.store.execute("SELECT tbl, layer FROM sync_log ORDER BY seq").fetchall()


def test_nothing_is_logged_until_a_hub_is_set_up(tmp_path: Path) -> None:
    with open_project(tmp_path / "p.db") as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        annotate.register(project, "amal")
        doc = project.store.execute("SELECT id FROM documents LIMIT 1").fetchone()[0]
        annotate.add_span(project, "amal", doc, 0, 3, "PER")
        assert _log(project) == []


def test_edits_and_deletions_are_logged_once_tracking(tmp_path: Path) -> None:
    from annotator.store import synclog

    with open_project(tmp_path / "p.db") as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        annotate.register(project, "amal")
        with project.store.transaction():
            synclog.start_tracking(project.store)
        seeded = len(_log(project))
        assert seeded == len(TEXTS), "a first sync sends every document"
        doc = project.store.execute("SELECT id FROM documents ORDER BY seq LIMIT 1").fetchone()[0]
        text = TEXTS[0]
        c0 = text.index("الاتفاق العسكري قريب من التوقيع")
        s0 = text.index("وزير الخارجية مارك أسبر")
        claim = annotate.add_span(project, "amal", doc, c0, c0 + 31, "CLAIM").span
        source = annotate.add_span(project, "amal", doc, s0, s0 + 23, "SOURCE").span
        annotate.add_relation(project, "amal", claim.id, source.id)
        annotate.delete_span(project, "amal", claim.id)  # the link goes with it
        tables = [t for t, _ in _log(project)[seeded:]]
        assert tables == ["spans", "progress", "spans", "relations", "relations", "spans"]


@pytest.mark.parametrize("tracking", [False, True], ids=["no hub", "tracking a hub"])
def test_a_trigger_that_borrows_our_name_is_refused(tmp_path: Path, tracking: bool) -> None:
    from annotator.store import synclog

    db = tmp_path / "p.db"
    with open_project(db) as project:
        if tracking:  # the file has our change-log triggers
            with project.store.transaction():
                synclog.start_tracking(project.store)
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS sync_spans_insert")
    conn.execute(
        "CREATE TRIGGER sync_spans_insert AFTER INSERT ON spans BEGIN DELETE FROM documents; END"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="sync_spans_insert"):
        open_project(db)


def test_an_import_killed_mid_file_leaves_the_log_as_it_was(tmp_path: Path) -> None:
    from annotator.store import synclog
    from tests.helpers import kill_import_between_batches, write_jsonl
    from tests.test_import_stream import _records

    db = tmp_path / "p.db"
    with open_project(db) as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        with project.store.transaction():
            synclog.start_tracking(project.store)
        logged = project.store.execute("SELECT * FROM sync_log ORDER BY seq").fetchall()
    src = write_jsonl(tmp_path / "big.jsonl", _records(12))
    kill_import_between_batches(db, src)
    conn = sqlite3.connect(db)
    try:  # its batches are on disk, registered, and not logged
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] > len(TEXTS)
        assert conn.execute("SELECT * FROM sync_log ORDER BY seq").fetchall() == logged
    finally:
        conn.close()
    with open_project(db) as project:  # opening removes the dead import
        assert project.store.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
        assert project.store.execute("SELECT * FROM sync_log ORDER BY seq").fetchall() == logged
        import_paths(project, [src])
        tables = [
            t
            for (t,) in project.store.execute(
                "SELECT tbl FROM sync_log WHERE seq > ?", (logged[-1][0],)
            )
        ]
        assert sorted(set(tables)) == ["documents", "progress", "spans"]
        assert tables.count("documents") == tables.count("spans") == 12
