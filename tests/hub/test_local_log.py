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


def test_a_trigger_that_borrows_our_name_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    open_project(db).close()
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER sync_spans_insert")
    conn.execute(
        "CREATE TRIGGER sync_spans_insert AFTER INSERT ON spans BEGIN DELETE FROM documents; END"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="sync_spans_insert"):
        open_project(db)
