"""Online backup with SQLite's backup API (safe while other connections write)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.store.db import Store


def backup_to(store: Store, target: Path, pages_per_step: int = 1024) -> None:
    """Copy the whole database into a new file at ``target``.

    Raises sqlite3.Error if the copy fails or fails its integrity check.
    """
    dest = sqlite3.connect(str(target))
    try:
        store.conn.backup(dest, pages=pages_per_step)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        check = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"backup failed its integrity check: {check}")
    finally:
        dest.close()


def integrity(store: Store) -> str:
    """``ok`` or SQLite's first complaint from ``PRAGMA integrity_check``."""
    return store.execute("PRAGMA integrity_check").fetchone()[0]
