"""Databases from outside and output targets: nothing runs, nothing is destroyed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.importing import import_paths
from annotator.services.maintenance import BACKUP_TEMP
from annotator.services.project import open_project
from tests.helpers import db_dump

TEXT = "قال مارك أسبر"


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "p.db"
    src = tmp_path / "seed.jsonl"
    rec = {"text": TEXT, "layer": "amal", "spans": [{"start": 4, "end": 13, "label": "PER"}]}
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    with open_project(db) as project:
        import_paths(project, [src])
    return db


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# --- rule 5: a database from outside is opened safely ----------------------


def test_a_database_with_a_trigger_is_refused_before_it_runs(seeded: Path, tmp_path, capsys):
    conn = sqlite3.connect(seeded)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON documents BEGIN DELETE FROM documents; END")
    conn.close()
    before = db_dump(seeded)
    new = tmp_path / "new.txt"
    new.write_text("نص جديد تماما\n", encoding="utf-8")
    assert main(["import", str(new), "--db", str(seeded)]) == 1
    err = _err(capsys)
    assert "carries trigger 'wipe', which the annotator schema does not define" in err
    assert db_dump(seeded) == before
    assert main(["stats", "--db", str(seeded)]) == 1
    assert "refusing to open it" in _err(capsys)


def test_a_database_with_a_view_is_refused(seeded: Path, capsys) -> None:
    conn = sqlite3.connect(seeded)
    conn.execute("CREATE VIEW everything AS SELECT * FROM documents")
    conn.close()
    assert main(["stats", "--db", str(seeded)]) == 1
    assert "carries view 'everything'" in _err(capsys)


def test_zero_byte_file_is_not_made_a_new_database(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    for args in (["stats"], ["users", "add", "ali", "--role", "curator"]):
        assert main([*args, "--db", str(empty)]) == 1
        assert "is an empty file, not a database" in _err(capsys)
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


READERS = [
    ["stats"],
    ["agreement"],
    ["conflicts"],
    ["search", "مارك"],
    ["suggest", "--layer", "amal"],
    ["users", "list"],
    ["export", "--format", "native", "--out", "OUT"],
    ["backup", "--out", "OUT"],
    ["adjudicate", "--auto", "--reviewer", "rana"],
]


@pytest.mark.parametrize("args", READERS, ids=lambda a: a[0] if a[0] != "users" else "users list")
def test_mistyped_db_of_a_reading_command_creates_nothing(
    tmp_path: Path, capsys, args: list[str]
) -> None:
    mistyped = tmp_path / "typo" / "projct.db"
    out = tmp_path / "out.jsonl"
    args = [str(out) if a == "OUT" else a for a in args]
    assert main([*args, "--db", str(mistyped)]) == 1
    assert f"{mistyped}: no such database" in _err(capsys)
    assert list(tmp_path.iterdir()) == []


def test_mistyped_env_db_creates_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "nope" / "x.db"))
    assert main(["stats"]) == 1
    assert "no such database" in _err(capsys)
    assert list(tmp_path.iterdir()) == []


# --- rule 1: never destroy the database -------------------------------------


def _targets(db: Path, tmp_path: Path) -> dict[str, Path]:
    """Paths that all name the open database or a file SQLite keeps beside it."""
    link = tmp_path / "link.db"
    link.symlink_to(db)
    hard = tmp_path / "hard.db"
    os.link(db, hard)
    folder_link = tmp_path / "dirlink"
    folder_link.symlink_to(db.parent)
    return {
        "same path": db,
        "relative path": Path(os.path.relpath(db)),
        "symlink": link,
        "hard link": hard,
        "symlinked folder": folder_link / db.name,
        "wal": db.with_name(db.name + "-wal"),
        "shm": db.with_name(db.name + "-shm"),
    }


@pytest.mark.parametrize("command", ["export", "backup"])
def test_output_that_is_the_database_is_refused(
    seeded: Path, tmp_path: Path, capsys, command: str
) -> None:
    before = db_dump(seeded)
    size = seeded.stat().st_size
    for name, target in _targets(seeded, tmp_path).items():
        args = ["--out", str(target), "--db", str(seeded)]
        if command == "export":
            args = ["export", "--format", "native", "--layer", "amal", *args]
        else:
            args = ["backup", *args]
        assert main(args) == 1, name
        err = _err(capsys)
        assert "writing there would destroy it" in err, (name, err)
    assert db_dump(seeded) == before and seeded.stat().st_size == size
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_backup_into_a_folder_or_a_device_is_one_line(seeded: Path, tmp_path: Path, capsys):
    assert main(["backup", "--out", str(tmp_path), "--db", str(seeded)]) == 1
    assert "is a folder; --out names the backup file" in _err(capsys)
    assert main(["backup", "--out", "/dev/null", "--db", str(seeded)]) == 1
    assert "/dev/null: exists and is not a regular file" in _err(capsys)
    args = ["export", "--format", "native", "--layer", "amal", "--out", "/dev/full"]
    assert main([*args, "--db", str(seeded)]) == 1
    assert "/dev/full: exists and is not a regular file" in _err(capsys)


def _dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(proc.stdout)


def test_leftovers_of_a_killed_export_or_backup_are_removed(seeded: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    dead = _dead_pid()
    stale = [
        out / f".amal.jsonl.{dead}.abcd1234.tmp",
        out / f".amal.manifest.json.{dead}.abcd1234.tmp",
        out / f"{BACKUP_TEMP}{dead}-abcd1234.db",
        out / f"{BACKUP_TEMP}{dead}-abcd1234.db-journal",
    ]
    alive = out / f".amal.jsonl.{os.getppid()}.efgh5678.tmp"  # a running export's file
    other = out / ".notes.tmp"
    for path in [*stale, alive, other]:
        path.write_text("partial", encoding="utf-8")
    args = ["--db", str(seeded)]
    assert main(["export", "--format", "native", "--layer", "amal", "--out",
                 str(out / "amal.jsonl"), *args]) == 0  # fmt: skip
    assert main(["backup", "--out", str(out / "b.db"), *args]) == 0
    names = sorted(p.name for p in out.iterdir())
    want = ["amal.jsonl", "amal.manifest.json", "amal.README.md", "b.db", alive.name, other.name]
    assert names == sorted(want)


def test_failed_backup_leaves_no_temporary_file(seeded: Path, tmp_path: Path, monkeypatch):
    from annotator.services import maintenance

    def broken(store, target, pages_per_step=1024):
        target.write_bytes(b"half a backup")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(maintenance.backup, "backup_to", broken)
    assert main(["backup", "--out", str(tmp_path / "b.db"), "--db", str(seeded)]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db", "seed.jsonl"]
