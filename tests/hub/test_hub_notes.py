"""Notes and "unsure" flags travel through the hub like the rest of a layer.

A curator's note and flag reach the reviewer (who sees every layer) once both
have synced; another curator never sees them; a curator's own connection
cannot write another layer's or gold's notes by hand; a deleted note goes
to the hub as a tombstone and disappears from the reviewer's copy; a note
made before a hub was set up goes up with the first sync.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from annotator.core.model import Note
from annotator.services import notes
from tests.hub.conftest import Hub, OldHub, PgServer, make_old_hub
from tests.hub.team import Team
from tests.hub.test_hub_sync import tag


@pytest.fixture
def team(hub: Hub, tmp_path) -> Team:
    """The team's four files on a fresh hub (closed at the end)."""
    team = Team(hub, tmp_path)
    yield team
    team.close()


def _notes(team: Team, who: str) -> set[tuple]:
    """(doc_id, layer, target, note, unsure) of every note in ``who``'s file."""
    return set(team.sql(who, "SELECT doc_id, layer, target, note, unsure FROM notes"))


def _hub_notes(hub: Hub) -> set[tuple]:
    """(doc_id, layer, target, note, unsure, deleted) of every note on the hub, as its owner
    sees it."""
    with psycopg.connect(hub.admin_url) as conn:
        return {
            tuple(r)
            for r in conn.execute(
                "SELECT doc_id, layer, target, note, unsure, deleted FROM hub.notes"
            )
        }


def _amal_notes(team: Team) -> tuple[Note, Note]:
    """Amal tags a span and flags it unsure, and writes a note on the document."""
    span = tag(team, "amal", 0, "مارك أسبر", "PER")
    doc = team.doc_ids[0]
    on_span = Note(doc, "amal", span.id, "وزير أم سفير؟", unsure=True)
    on_doc = Note(doc, "amal", "", "check the date")
    notes.set_note(team.dbs["amal"], "amal", on_span)
    notes.set_note(team.dbs["amal"], "amal", on_doc)
    return on_span, on_doc


def test_a_curators_note_and_flag_reach_the_reviewer_only(team: Team) -> None:
    on_span, on_doc = _amal_notes(team)
    notes.set_note(team.dbs["bilal"], "bilal", Note(team.doc_ids[1], "bilal", "", "bilal's"))
    for who in ("amal", "bilal", "camil", "rana"):
        team.sync(who)
    report = team.sync("rana")  # nothing new the second time
    assert report.pulled.get("notes", 0) == 0

    rana = notes.notes_of_document(team.dbs["rana"], team.doc_ids[0])
    assert rana["amal"] == {on_span.target: on_span, "": on_doc}
    assert notes.note_of(team.dbs["rana"], team.doc_ids[1], "bilal").text == "bilal's"
    # curators stay blind to each other: their files hold only their own notes
    assert {n[1] for n in _notes(team, "bilal")} == {"bilal"}
    assert {n[1] for n in _notes(team, "amal")} == {"amal"}
    assert _notes(team, "camil") == set()
    with psycopg.connect(team.urls["bilal"]) as conn:
        seen = {r[0] for r in conn.execute("SELECT DISTINCT layer FROM hub.notes")}
    assert seen == {"bilal"}


def test_a_reviewers_gold_note_reaches_other_reviewers_not_curators(team: Team) -> None:
    from annotator.services import annotate
    from annotator.services.project import open_project
    from annotator.services.sync import sync

    url = team.hub.add("rafa", "reviewer")
    doc = team.doc_ids[0]
    notes.set_note(team.dbs["rana"], "rana", Note(doc, "gold", "", "settled", unsure=True))
    team.sync("rana")
    team.sync("amal")
    assert _notes(team, "amal") == set()
    assert _hub_notes(team.hub) == {(doc, "gold", "", "settled", True, False)}
    with open_project(team.tmp / "rafa.db") as rafa:
        annotate.register(rafa, "rafa", "reviewer")
        sync(rafa, url)
        assert notes.note_of(rafa, doc, "gold") == Note(doc, "gold", "", "settled", True)


def test_deleting_a_note_propagates_as_a_tombstone(team: Team) -> None:
    on_span, on_doc = _amal_notes(team)
    team.sync("amal")
    team.sync("rana")
    assert len(_notes(team, "rana")) == 2

    notes.set_note(team.dbs["amal"], "amal", Note(on_doc.doc_id, "amal", ""))  # emptied: gone
    unflagged = Note(on_span.doc_id, "amal", on_span.target, on_span.text, unsure=False)
    notes.set_note(team.dbs["amal"], "amal", unflagged)
    report = team.sync("amal")
    assert report.pushed["notes"] == 2
    assert (on_doc.doc_id, "amal", "", "check the date", False, True) in _hub_notes(team.hub)

    report = team.sync("rana")
    assert report.pulled["notes"] == 2
    assert _notes(team, "rana") == {(on_span.doc_id, "amal", on_span.target, on_span.text, 0)}


def test_a_curator_cannot_write_another_layers_notes_by_hand(team: Team) -> None:
    _amal_notes(team)
    notes.set_note(team.dbs["bilal"], "bilal", Note(team.doc_ids[0], "bilal", "", "mine"))
    team.sync("amal")
    team.sync("bilal")
    before = _hub_notes(team.hub)
    insert = (
        "INSERT INTO hub.notes (doc_id, layer, target, note, unsure, updated_at, changed_at,"
        " source_db) VALUES (%s, %s, '', 'forged', true, 't', 't', 'x')"
    )
    for layer in ("amal", "gold"):
        with (
            psycopg.connect(team.urls["bilal"]) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
        ):
            conn.execute(insert, (team.doc_ids[1], layer))
    with psycopg.connect(team.urls["bilal"], autocommit=True) as conn:
        assert conn.execute("UPDATE hub.notes SET note = 'x' WHERE layer = 'amal'").rowcount == 0
        assert (
            conn.execute("UPDATE hub.notes SET deleted = true WHERE layer <> 'bilal'").rowcount == 0
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("UPDATE hub.notes SET layer = 'amal' WHERE layer = 'bilal'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM hub.notes")
    assert _hub_notes(team.hub) == before
    with psycopg.connect(team.urls["bilal"]) as conn:  # their own layer: allowed
        conn.execute(insert, (team.doc_ids[1], "bilal"))
    assert (team.doc_ids[1], "bilal", "", "forged", True, False) in _hub_notes(team.hub)


def test_notes_made_before_the_first_sync_and_bad_rows(team: Team) -> None:
    """Existing notes go up with the first sync; a hub note too long is skipped, named."""
    on_span, _ = _amal_notes(team)  # before amal ever synced: no log yet
    assert team.sql("amal", "SELECT count(*) FROM sync_log") == [(0,)]
    team.sync("amal")
    with psycopg.connect(team.urls["amal"]) as conn:
        conn.execute(
            "INSERT INTO hub.notes (doc_id, layer, target, note, unsure, updated_at, changed_at,"
            " source_db) VALUES (%s, 'amal', 's_long', %s, false, 't', 't', 'x')",
            (team.doc_ids[2], "x" * (notes.MAX_NOTE + 1)),
        )
    report = team.sync("rana")
    assert report.pulled["notes"] == 2
    assert any("note of amal on" in s and "characters" in s for s in report.skipped)
    assert (on_span.doc_id, "amal", on_span.target, on_span.text, 1) in _notes(team, "rana")


def test_an_older_file_logs_its_notes_when_it_upgrades(tmp_path) -> None:
    """A file that tracked a hub at schema 7 has its notes logged by the upgrade."""
    from annotator.services.project import open_project
    from annotator.store.schema import APPLICATION_ID, MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for step in MIGRATIONS[:7]:
        conn.executescript(
            step.replace("annotator_search_norm(text)", "''").replace(
                "annotator_search_stems(text)", "''"
            )
        )
    conn.execute("INSERT INTO documents (id, text, imported_at) VALUES ('d1', 'abc', 't')")
    conn.execute(
        "INSERT INTO notes (doc_id, layer, target, note, updated_at) VALUES"
        " ('d1', 'amal', '', 'n', 't')"
    )
    conn.execute("INSERT INTO hub_state VALUES ('tracking', '1')")
    conn.execute("DELETE FROM sync_log")
    conn.execute("PRAGMA user_version = 7")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    conn.close()
    with open_project(db) as project:
        rows = project.store.execute("SELECT tbl, key, layer, doc_id FROM sync_log").fetchall()
    assert rows == [("notes", "amal:", "amal", "d1")]


def test_an_older_hub_is_named_and_upgraded_with_its_members(
    pg_server: PgServer, hub_db: str, tmp_path
) -> None:
    from annotator.core.errors import UserError
    from annotator.services.hub_admin import init_hub
    from annotator.store.hub import SCHEMA_VERSION

    old = 2  # notes came with 2; spans partitioned by layer with 3
    hub = OldHub(pg_server, hub_db)
    make_old_hub(hub.admin_url, old)
    team = Team(hub, tmp_path)  # members added while the hub is old
    try:
        with psycopg.connect(hub.admin_url) as conn:  # a span amal pushed back then
            conn.execute(
                'INSERT INTO hub.spans (id, doc_id, layer, start, "end", label, origin,'
                " created_at, updated_at, changed_at, source_db)"
                " VALUES ('s_then', %s, 'amal', 0, 3, 'PER', 'manual', 't', 't', 't', 'then')",
                (team.doc_ids[0],),
            )
        with pytest.raises(UserError, match=r"older than this app's .*annotator hub init"):
            team.sync("amal")
        _amal_notes(team)
        assert init_hub(hub.admin_url) == (old, SCHEMA_VERSION)
        pushed = team.sync("amal").pushed  # members were granted what came since
        assert pushed["notes"] == 2 and pushed["spans"] == 1
        team.sync("rana")
        assert len(_notes(team, "rana")) == 2
        got = team.sql("rana", "SELECT id FROM spans WHERE layer = 'amal' ORDER BY id")
        assert len(got) == 2 and ("s_then",) in got  # the old row came through the upgrade
    finally:
        team.close()


def test_a_first_version_hub_upgrades_in_one_go(pg_server: PgServer, hub_db: str, tmp_path) -> None:
    from annotator.services.hub_admin import init_hub
    from annotator.store.hub import SCHEMA_VERSION

    hub = Hub(pg_server, hub_db)
    make_old_hub(hub.admin_url, 1)
    assert init_hub(hub.admin_url) == (1, SCHEMA_VERSION)
    team = Team(hub, tmp_path)
    try:
        _amal_notes(team)
        pushed = team.sync("amal").pushed
        assert pushed["notes"] == 2 and pushed["spans"] == 1
        team.sync("rana")
        assert len(_notes(team, "rana")) == 2
    finally:
        team.close()


def test_two_reviewers_notes_on_gold_settle_on_the_later_one(team: Team) -> None:
    """Whoever syncs first, the gold note changed later wins on every file."""
    from annotator.services import annotate
    from annotator.services.project import open_project
    from annotator.services.sync import sync

    url = team.hub.add("rafa", "reviewer")
    doc = team.doc_ids[0]
    team.sync("rana")  # documents reach the hub
    with open_project(team.tmp / "rafa.db") as rafa:
        annotate.register(rafa, "rafa", "reviewer")
        sync(rafa, url)
        notes.set_note(team.dbs["rana"], "rana", Note(doc, "gold", "", "earlier"))
        notes.set_note(rafa, "rafa", Note(doc, "gold", "", "later", unsure=True))
        # Both happened within a millisecond here (a tie, broken by file id);
        # give them the clock times of two people working minutes apart.
        for project, at in (
            (team.dbs["rana"], "2030-01-01T10:00:00.000"),
            (rafa, "2030-01-01T10:05:00.000"),
        ):
            project.store.execute("UPDATE sync_log SET at = ? WHERE tbl = 'notes'", (at,))
        sync(rafa, url)  # the later change reaches the hub first
        team.sync("rana")  # the earlier one is turned down and rana takes the hub's
        sync(rafa, url)
        assert notes.note_of(rafa, doc, "gold") == Note(doc, "gold", "", "later", True)
    assert notes.note_of(team.dbs["rana"], doc, "gold") == Note(doc, "gold", "", "later", True)
    assert _hub_notes(team.hub) == {(doc, "gold", "", "later", True, False)}


@contextmanager
def _note_on_an_open_import(tmp_path) -> Iterator[tuple]:
    """A tracked project whose first document belongs to import 7, still being
    written, with amal's note on it: yields (project, seq, doc)."""
    from annotator.services import annotate
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project
    from annotator.store import synclog
    from tests.hub.team import write_corpus

    with open_project(tmp_path / "p.db") as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        annotate.register(project, "amal")
        store = project.store
        seq, doc = store.execute("SELECT seq, id FROM documents ORDER BY seq LIMIT 1").fetchone()
        with store.transaction():  # as a file being written leaves it
            store.execute(
                "INSERT INTO imports (id, file, first_seq, pid, host, started_at)"
                " VALUES (7, 'f', ?, 1, 'h', 't')",
                (seq,),
            )
            store.execute("UPDATE documents SET import_id = 7 WHERE id = ?", (doc,))
            synclog.start_tracking(store)
        notes.set_note(project, "amal", Note(doc, "amal", "", "early"))
        yield project, seq, doc


def test_a_note_on_a_document_still_being_imported_waits_for_the_import(tmp_path) -> None:
    from annotator.store import synclog

    with _note_on_an_open_import(tmp_path) as (project, seq, doc):
        store = project.store

        def logged() -> list:
            return store.execute("SELECT key FROM sync_log WHERE tbl = 'notes'").fetchall()

        assert logged() == []
        with store.transaction():
            synclog.start_tracking(store)  # a first sync meanwhile leaves it too
        assert logged() == []
        with store.transaction():
            synclog.log_import(store, 7, seq)
            store.execute("DELETE FROM imports")
        assert logged() == [("amal:",)]
        notes.set_note(project, "amal", Note(doc, "amal", "", "later"))
        assert logged() == [("amal:",), ("amal:",)]


def test_a_removed_import_leaves_no_note_tombstone_for_the_hub(tmp_path) -> None:
    from annotator.store import imports

    with _note_on_an_open_import(tmp_path) as (project, seq, _doc):
        store = project.store
        with store.transaction():  # the import is removed whole
            imports.delete_documents(store, [seq])
        assert store.execute("SELECT * FROM notes").fetchall() == []
        assert store.execute("SELECT key FROM sync_log WHERE tbl = 'notes'").fetchall() == []
