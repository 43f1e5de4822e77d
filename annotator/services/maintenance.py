"""Backups and health checks of a project database."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from annotator.core.errors import UserError
from annotator.services.project import Project
from annotator.store import backup


def backup_database(project: Project, out: str | Path) -> Path:
    """Write a consistent copy of the database to ``out`` (atomically).

    Uses SQLite's online backup, so it is safe while the app or an import
    writes to the same database. Raises UserError if ``out`` cannot be written
    or is the database itself.
    """
    out = Path(out)
    if out.exists() and out.resolve() == project.store.path.resolve():
        raise UserError(f"{out}: is the database itself; choose another file")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".backup-", suffix=".db", dir=out.parent or ".")
        os.close(fd)
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({exc.strerror})") from None
    try:
        backup.backup_to(project.store, Path(tmp))
        os.replace(tmp, out)
    except sqlite3.Error as exc:
        raise UserError(f"{out}: backup failed ({exc})") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out


def check_integrity(project: Project) -> str:
    """``ok`` when SQLite finds the database sound, else its first complaint."""
    return backup.integrity(project.store)
