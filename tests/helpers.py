"""Small helpers shared by tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def db_dump(path: Path) -> list[str]:
    """Every row of every real table (FTS shadow tables included) plus the schema.

    Equal dumps mean an unchanged database. Virtual tables are skipped (a
    contentless FTS table cannot be scanned); their shadow tables hold the data.
    """
    conn = sqlite3.connect(path)
    try:
        out = [f"version {conn.execute('PRAGMA user_version').fetchone()[0]}"]
        tables = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        for name, sql in tables:
            out.append(sql or name)
            if sql and sql.startswith("CREATE TABLE"):
                rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
                out.extend(repr(r) for r in sorted(rows, key=repr))
        return out
    finally:
        conn.close()


def write_jsonl(path: Path, records: list[object]) -> Path:
    """Write records one per line (objects as JSON, strings verbatim)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def drop_streaming_import_schema(conn: sqlite3.Connection) -> None:
    """Remove what schema versions 5 and 7 added, so a test can fake an older database.

    The change-log triggers go too (version 7 rewrote them; a faked version
    below 4 gets them back when opened).
    """
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")
    for table in ("bands", "bands_recent", "band_index", "imports"):
        conn.execute(f"DROP TABLE {table}")
    for table in ("documents", "spans", "relations"):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN import_id")


def gold_reviewer(project) -> str:
    """A reviewer of ``project`` (registering "lead" if it has none): gold imports need one."""
    from annotator.services.users import add_user, list_users

    reviewers = [u.name for u in list_users(project) if u.role == "reviewer"]
    if reviewers:
        return reviewers[0]
    add_user(project, "lead", "reviewer")
    return "lead"


def kill_import_between_batches(db: Path, src: Path) -> None:
    """Import ``src`` into ``db`` in another process, three records a batch, and
    kill it (``os._exit``: no clean-up code runs) after its fourth progress call."""
    script = textwrap.dedent(
        f"""
        import os
        from annotator.services import import_read
        from annotator.services.importing import import_paths
        from annotator.services.project import open_project
        import_read.BATCH = 3
        calls = []
        def progress(done, total, what):
            calls.append(what)
            if len(calls) == 4:
                os._exit(9)
            return True
        import_paths(open_project({str(db)!r}), [{str(src)!r}], progress=progress)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, check=False)
    assert done.returncode == 9
