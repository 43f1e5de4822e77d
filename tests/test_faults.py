"""Faults around the database: busy, full, read-only, untrusted files, export targets.

Each gives one line on stderr and exit status 1, never a traceback, and
leaves the database as it was.

- Busy: another connection holds the write lock (BEGIN IMMEDIATE) while the
  command runs with a short busy timeout.
- Disk full: the target database gets a page limit (``PRAGMA
  max_page_count``), which SQLite enforces exactly as a full disk
  (SQLITE_FULL); an export's output file is made a descriptor of
  ``/dev/full``, where every write fails with ENOSPC.
- Read-only: the database file and its folder lose their write permission.
  Root ignores file modes, so under root the command runs through
  ``setpriv`` without the capabilities that bypass them (CAP_DAC_OVERRIDE,
  CAP_DAC_READ_SEARCH, CAP_FOWNER): the kernel then checks the modes as for
  anyone (skipped as root when ``setpriv`` is missing).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services import outputs
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from annotator.services.users import add_user
from annotator.store import db as store_db
from tests.helpers import db_dump

REPO = Path(__file__).resolve().parents[1]
TEXT = "قال مارك أسبر"


def _jsonl(path: Path, text: str = TEXT, layer: str = "amal") -> Path:
    rec = {"text": text, "layer": layer, "spans": [{"start": 4, "end": 13, "label": "PER"}]}
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "p.db"
    with open_project(db) as project:
        import_paths(project, [_jsonl(tmp_path / "seed.jsonl")])
        add_user(project, "rana", "reviewer")
    return db


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


# --- busy -------------------------------------------------------------------

WRITERS = {
    "import": lambda db, tmp: ["import", str(_jsonl(tmp / "n.jsonl", TEXT + " جديد")), "--db", db],
    "users add": lambda db, tmp: ["users", "add", "omar", "--role", "curator", "--db", db],
    "adjudicate": lambda db, tmp: ["adjudicate", "--auto", "--reviewer", "rana", "--db", db],
    "merge": lambda db, tmp: ["merge", str(tmp / "other.db"), "--into", db],
}


@pytest.mark.parametrize("command", list(WRITERS))
def test_busy_database_is_one_line(
    seeded: Path, tmp_path: Path, monkeypatch, capsys, command: str
) -> None:
    with open_project(tmp_path / "other.db") as other:
        import_paths(other, [_jsonl(tmp_path / "o.jsonl", TEXT + " أيضا", "omar")])
    # both sides see the same lock: 50 ms instead of 30 s before giving up
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    args = WRITERS[command](str(seeded), tmp_path)
    before = db_dump(seeded)
    holder = sqlite3.connect(seeded, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = main(args)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = _one_line(capsys)
    assert code == 1
    assert err == "annotator: error: database is busy (another process is writing); try again\n"
    assert db_dump(seeded) == before


@pytest.mark.parametrize("command", ["stats", "agreement", "conflicts", "search"])
def test_reading_commands_work_while_another_process_writes(
    seeded: Path, monkeypatch, capsys, command: str
) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(seeded, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        args = [command, *(["مارك"] if command == "search" else []), "--db", str(seeded)]
        assert main(args) == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert capsys.readouterr().err == ""


# --- disk full --------------------------------------------------------------


def test_disk_full_during_import_is_one_line(seeded: Path, tmp_path: Path, monkeypatch, capsys):
    big = tmp_path / "big.jsonl"
    big.write_text(
        "\n".join(json.dumps({"text": f"نص رقم {i} " * 40}, ensure_ascii=False) for i in range(300))
        + "\n",
        encoding="utf-8",
    )
    pages = sqlite3.connect(seeded).execute("PRAGMA page_count").fetchone()[0]
    real_init = store_db.Store.__init__

    def limited(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    monkeypatch.setattr(store_db.Store, "__init__", limited)
    before = db_dump(seeded)
    assert main(["import", str(big), "--db", str(seeded)]) == 1
    err = _one_line(capsys)
    assert err == (
        f"annotator: error: {seeded}: disk full (or the database reached its size limit); "
        "nothing was written\n"
    )
    assert db_dump(seeded) == before


def test_disk_full_during_export_leaves_nothing(seeded: Path, tmp_path: Path, monkeypatch, capsys):
    real_mkstemp = tempfile.mkstemp

    def onto_dev_full(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        full = os.open("/dev/full", os.O_WRONLY)
        os.dup2(full, fd)  # the temporary file's descriptor now writes to /dev/full
        os.close(full)
        return fd, name

    monkeypatch.setattr(outputs.tempfile, "mkstemp", onto_dev_full)
    out = tmp_path / "out" / "amal.jsonl"
    out.parent.mkdir()
    args = ["export", "--format", "native", "--layer", "amal", "--out", str(out)]
    assert main([*args, "--db", str(seeded)]) == 1
    err = _one_line(capsys)
    assert f"{out}: cannot write (No space left on device)" in err
    assert list(out.parent.iterdir()) == []


# --- read-only --------------------------------------------------------------


DROP_CAPS = ["--bounding-set", "-dac_override,-dac_read_search,-fowner", "--inh-caps", "-all"]


def _as_unprivileged(args: list[str], env: dict) -> subprocess.CompletedProcess:
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root ignores file modes and setpriv is not installed")
        prefix = [setpriv, *DROP_CAPS]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env=env,
    )


def test_read_only_database_is_one_line(seeded: Path, tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="annotator-ro-"))
    try:
        db = folder / "p.db"
        shutil.copy(seeded, db)
        src = _jsonl(folder / "n.jsonl", TEXT + " جديد")
        before = db_dump(db)
        for path in (db, src):
            path.chmod(0o444)
        folder.chmod(0o555)
        env = {**os.environ, "XDG_DATA_HOME": str(folder), "XDG_CONFIG_HOME": str(folder)}
        env["PYTHONPATH"] = str(REPO)
        writes = _as_unprivileged(["import", str(src), "--db", str(db)], env)
        assert writes.returncode == 1, writes.stderr
        assert writes.stderr.count("\n") == 1 and "Traceback" not in writes.stderr
        assert "read-only" in writes.stderr or "cannot open the database" in writes.stderr
        reads = _as_unprivileged(["stats", "--db", str(db)], env)
        assert "Traceback" not in reads.stderr and reads.stderr.count("\n") <= 1
        folder.chmod(0o755)
        assert db_dump(db) == before
    finally:
        folder.chmod(stat.S_IRWXU)
        shutil.rmtree(folder)
