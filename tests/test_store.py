"""The database file: pragmas, schema version, refusing foreign or newer files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.services.project import Project, open_project
from annotator.store.db import Store, StoreError
from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION


def test_new_database_has_wal_foreign_keys_and_full_sync(project: Project) -> None:
    q = project.store.execute
    assert q("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert q("PRAGMA foreign_keys").fetchone()[0] == 1
    assert q("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert q("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert q("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert q("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_default_labels_in_shortcut_order(project: Project) -> None:
    labels = project.schema.labels
    assert [(lab.name, lab.shortcut) for lab in labels] == [
        ("PER", "1"),
        ("ORG", "2"),
        ("LOC", "3"),
        ("MISC", "4"),
        ("CLAIM", "5"),
        ("SOURCE", "6"),
    ]
    assert all(lab.name_ar and lab.name_en and lab.color.startswith("#") for lab in labels)
    (rel,) = project.schema.relations
    assert (rel.name, rel.head, rel.tail) == ("ATTRIBUTED_TO", "CLAIM", "SOURCE")


def test_reopening_keeps_data_and_does_not_migrate_twice(db_path: Path) -> None:
    with open_project(db_path) as p:
        p.store.execute("INSERT INTO annotators VALUES ('amal', 'curator', 'now')")
    with open_project(db_path) as p:
        assert p.store.execute("SELECT name FROM annotators").fetchall() == [("amal",)]


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not an annotator database"):
        Store(other)
    assert other.read_bytes() == before


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hello, this is not sqlite at all" * 10)
    with pytest.raises(StoreError):
        Store(path)


def test_newer_schema_is_refused(db_path: Path) -> None:
    open_project(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db_path)


def test_transaction_rolls_back_on_error(project: Project) -> None:
    with pytest.raises(RuntimeError), project.store.transaction():
        project.store.execute("INSERT INTO annotators VALUES ('x', 'curator', 'now')")
        raise RuntimeError("boom")
    assert project.store.execute("SELECT count(*) FROM annotators").fetchone()[0] == 0


def test_two_connections_write_one_file(db_path: Path) -> None:
    a, b = open_project(db_path), open_project(db_path)
    with a.store.transaction():
        a.store.execute("INSERT INTO annotators VALUES ('a', 'curator', 'now')")
    with b.store.transaction():
        b.store.execute("INSERT INTO annotators VALUES ('b', 'curator', 'now')")
    assert a.store.execute("SELECT count(*) FROM annotators").fetchone()[0] == 2
    a.close()
    b.close()
