"""Commands that only read open a database they may not write read-only, and work.

``stats``, ``search``, ``export``, ``agreement``, ``conflicts``, ``users
list``, ``render``, ``backup`` and ``suggest`` (without ``--accept``) read a
file whose permissions forbid writing, through SQLite's ``mode=ro``; commands
that write still refuse it in one line. Root ignores file modes, so the
permission tests run the CLI with the capabilities that let root write
anything dropped (``setpriv``, as the read-only fault test does); the
in-process tests force the read-only path and hold as root too.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from annotator.store import db as store_db
from annotator.store.schema import SCHEMA_VERSION
from tests.helpers import db_dump
from tests.test_faults import REPO, TEXT, _as_unprivileged, _jsonl


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "p.db"
    with open_project(db) as project:
        import_paths(project, [_jsonl(tmp_path / "seed.jsonl")])
    return db


@pytest.fixture
def locked_folder(seeded: Path):
    """(database, folder for outputs, env): the database and its folder read-only."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-ro-"))
    out = Path(tempfile.mkdtemp(prefix="annotator-out-"))
    db = folder / "p.db"
    shutil.copy(seeded, db)
    db.chmod(0o444)
    folder.chmod(0o555)
    out.chmod(0o777)  # the unprivileged process writes its exports here
    env = {**os.environ, "XDG_DATA_HOME": str(out), "XDG_CONFIG_HOME": str(out)}
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        yield db, out, env
    finally:
        folder.chmod(stat.S_IRWXU)
        shutil.rmtree(folder)
        shutil.rmtree(out)


def test_read_commands_read_a_database_they_may_not_write(locked_folder) -> None:
    db, out, env = locked_folder
    before = db_dump(db)
    stats = _as_unprivileged(["stats", "--json", "--db", str(db)], env)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["documents"] == 1
    search = _as_unprivileged(["search", "مارك أسبر", "--db", str(db)], env)
    assert search.returncode == 0, search.stderr
    assert "\t4\t13\t" in search.stdout
    target = out / "amal.jsonl"
    export = _as_unprivileged(
        ["export", "--format", "native", "--layer", "amal", "--out", str(target), "--db", str(db)],
        env,
    )
    assert export.returncode == 0, export.stderr
    [rec] = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert rec["text"] == TEXT and [s["text"] for s in rec["spans"]] == ["مارك أسبر"]
    listed = _as_unprivileged(["users", "list", "--db", str(db)], env)
    assert listed.returncode == 0 and "amal" in listed.stdout, listed.stderr
    db.parent.chmod(0o755)  # db_dump opens it as root, which may create WAL files
    try:
        assert db_dump(db) == before
    finally:
        db.parent.chmod(0o555)
    assert sorted(p.name for p in db.parent.iterdir()) == ["p.db"]  # no -wal, -shm made


def test_write_commands_still_refuse_it_in_one_line(locked_folder, tmp_path: Path) -> None:
    db, out, env = locked_folder
    src = _jsonl(out / "new.jsonl", TEXT + " جديد")
    src.chmod(0o644)
    for args in (["import", str(src)], ["users", "add", "sara", "--role", "curator"]):
        done = _as_unprivileged([*args, "--db", str(db)], env)
        assert done.returncode == 1, done.stdout
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert f"{db}: the database is read-only" in done.stderr


def test_a_forced_read_only_store_reads_and_refuses_writes(
    seeded: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(store_db, "writable", lambda path: False)
    before = db_dump(seeded)
    with open_project(seeded, create=False, read_only=True) as project:
        assert project.store.read_only
        assert [lab.name for lab in project.schema.labels][:2] == ["PER", "ORG"]
        with (
            pytest.raises(sqlite3.OperationalError, match="readonly"),
            project.store.transaction(),
        ):
            project.store.execute("DELETE FROM documents")
    assert main(["stats", "--db", str(seeded)]) == 0
    assert "documents: 1" in capsys.readouterr().out
    assert db_dump(seeded) == before
    with open_project(seeded, create=False) as project:  # writers are not affected
        assert not project.store.read_only


def test_an_old_schema_read_only_is_one_line(
    seeded: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    conn = sqlite3.connect(seeded)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.close()
    monkeypatch.setattr(store_db, "writable", lambda path: False)
    assert main(["stats", "--db", str(seeded)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "which writes: open it once with write access" in err


def test_the_python_api_reads_a_database_it_may_not_write(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator import Project

    monkeypatch.setattr(store_db, "writable", lambda path: False)
    before = db_dump(seeded)
    with Project.open(seeded) as project:
        assert project._project.store.read_only  # opened mode=ro
        assert [s["text"] for s in project.iter_spans("amal")] == ["مارك أسبر"]
    assert db_dump(seeded) == before
