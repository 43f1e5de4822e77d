"""Opening a project database: pragmas, schema, migrations, transactions.

One ``Store`` wraps one ``sqlite3`` connection (with a sqlite-utils
``Database`` over it for table helpers) in autocommit mode; writes go
through ``transaction()``, which takes the write lock up front
(``BEGIN IMMEDIATE``) so two processes queue on the busy timeout instead of
failing with "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from annotator.core.arabic import index_fields
from annotator.core.errors import UserError
from annotator.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 30_000


class StoreError(UserError):
    """The database file cannot be used (not ours, too new, unreadable)."""


def now() -> str:
    """Current UTC time, ISO 8601 with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Store:
    """An open project database."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        """Open (and if needed create and migrate) the database at ``path``.

        Raises StoreError if the file is not an annotator database or was
        written by a newer version of the app.
        """
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no such database")
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(
                str(self.path), isolation_level=None, check_same_thread=False, timeout=30
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            register_functions(conn)
            self._check_and_migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not an annotator database ({exc})") from None
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        self.conn = conn
        self._db = None
        self._depth = 0

    def _check_and_migrate(self, conn: sqlite3.Connection) -> None:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and (tables or version):
            raise StoreError(f"{self.path}: not an annotator database")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this app's "
                f"({SCHEMA_VERSION}); update the app"
            )
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in MIGRATIONS[version:]:
                for statement in _statements(step):
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @property
    def db(self):  # -> sqlite_utils.Database
        """A sqlite-utils view of the same connection, for table-level helpers.

        Imported on first use: sqlite-utils pulls in pandas when it is
        installed, which would slow the app's start for nothing.
        """
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @contextmanager
    def transaction(self, *, check_references: bool = True) -> Iterator[sqlite3.Connection]:
        """All-or-nothing block of writes; nested blocks join the outer one.

        ``check_references=False`` turns SQLite's foreign-key checks off for
        this transaction only: for bulk loads whose caller has already checked
        every reference (the importer), where the per-row lookups cost more
        than the rest of the insert.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        if not check_references:
            self.conn.execute("PRAGMA foreign_keys = OFF")  # only effective outside BEGIN
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0
            if not check_references:
                self.conn.execute("PRAGMA foreign_keys = ON")

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """Run one statement (outside a transaction it commits at once)."""
        return self.conn.execute(sql, params)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the migrations use: the search index fields of a text."""
    fields = lru_cache(maxsize=4)(index_fields)  # both columns of a row: folded once
    conn.create_function(
        "annotator_search_norm", 1, lambda text: fields(text)[0], deterministic=True
    )
    conn.create_function(
        "annotator_search_stems", 1, lambda text: fields(text)[1], deterministic=True
    )


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (no semicolons inside our DDL)."""
    lines = [ln for ln in script.split("\n") if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def in_chunks(values: Iterable[object], size: int = 500) -> Iterator[tuple[list, str]]:
    """(chunk, "?,?,…") pairs for ``IN (…)`` queries within SQLite's variable limit."""
    values = list(values)
    for i in range(0, len(values), size):
        chunk = values[i : i + size]
        yield chunk, ",".join("?" * len(chunk))
