"""Backups and health checks of a project database."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from annotator.core.errors import UserError
from annotator.services.outputs import check_target, remove_stale_temps
from annotator.services.project import Project
from annotator.store import backup

BACKUP_TEMP = ".backup-"


def backup_database(project: Project, out: str | Path) -> Path:
    """Write a consistent copy of the database to ``out`` (atomically).

    Uses SQLite's online backup, so it is safe while the app or an import
    writes to the same database. The copy is written to a hidden
    ``.backup-<pid>-….db`` beside ``out`` and renamed at the end; a failed
    backup removes it, and the next backup into that folder removes those of
    processes that no longer run. Raises UserError if ``out`` is a folder,
    not a regular file, the database itself (or a link to it, or its
    ``-wal``/``-shm``), or cannot be written.
    """
    out = Path(out)
    if out.is_dir():
        raise UserError(f"{out}: is a folder; --out names the backup file to write")
    check_target(out, project.store.path)
    folder = out.parent
    if not folder.is_dir():
        raise UserError(f"{out}: cannot write (no folder {folder})")
    remove_stale_temps(folder, BACKUP_TEMP, ".db")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{BACKUP_TEMP}{os.getpid()}-", suffix=".db", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({exc.strerror})") from None
    try:
        backup.backup_to(project.store, Path(tmp))
        os.replace(tmp, out)
    except sqlite3.Error as exc:
        raise UserError(f"{out}: backup failed ({exc})") from None
    except OSError as exc:
        raise UserError(f"{out}: backup failed ({exc.strerror or exc})") from None
    finally:
        for leftover in (tmp, f"{tmp}-journal", f"{tmp}-wal", f"{tmp}-shm"):
            Path(leftover).unlink(missing_ok=True)
    return out


def check_integrity(project: Project) -> str:
    """``ok`` when SQLite finds the database sound, else its first complaint."""
    return backup.integrity(project.store)
