"""Opening a project database: pragmas, schema, migrations, transactions.

One ``Store`` wraps one ``sqlite3`` connection (with a sqlite-utils
``Database`` over it for table helpers) in autocommit mode; writes go
through ``transaction()``, which takes the write lock up front
(``BEGIN IMMEDIATE``) so two processes queue on the busy timeout instead of
failing with "database is locked".

A caller that only reads (``read_only``) opens a file it may not write
(see ``writable``) with SQLite's ``mode=ro``: nothing is migrated or
switched to WAL, and any write fails with SQLite's read-only error.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from annotator.core.arabic import index_fields
from annotator.core.errors import DatabaseBusy, UserError
from annotator.store.schema import (
    APPLICATION_ID,
    LOG_TRIGGERS,
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
)

BUSY_TIMEOUT_MS = 30_000


class StoreError(UserError):
    """The database file cannot be used (not ours, too new, unreadable)."""


BUSY_MESSAGE = "database is busy (another process is writing); try again"


def describe_error(exc: sqlite3.Error, path: str | Path | None = None) -> str:
    """One line for people from an SQLite error (busy, full, read-only, …)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    where = f"{path}: " if path else ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return BUSY_MESSAGE
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return f"{where}disk full (or the database reached its size limit); nothing was written"
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return f"{where}the database is read-only (check the permissions of the file and folder)"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return f"{where}cannot open the database file (check the path and its permissions)"
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return f"{where}disk I/O error while using the database"
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "malformed" in text:
        return f"{where}not an annotator database, or a damaged one ({text})"
    return f"{where}database error ({text})"


_NOT_OURS = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


@lru_cache(maxsize=1)
def _schema_objects() -> dict[tuple[str, str], frozenset[str]]:
    """(type, name) -> SQL of every trigger and view the schema defines.

    Read back from a scratch database that ran every migration (each
    version's definitions count, so an older file is recognised before its
    upgrade) and created the hub's change-log triggers, so the comparison is
    with SQLite's own stored text: a trigger that only borrows one of our
    names is still foreign.
    """
    conn = sqlite3.connect(":memory:")
    seen: dict[tuple[str, str], set[str]] = {}

    def collect() -> None:
        for t, n, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ):
            seen.setdefault((t, n), set()).add(_squeeze(sql))

    try:
        register_functions(conn)
        for step in MIGRATIONS:
            run_migration(conn, step)
            collect()
        for sql in LOG_TRIGGERS:
            conn.execute(sql)
        collect()
    finally:
        conn.close()
    return {key: frozenset(sqls) for key, sqls in seen.items()}


def run_migration(conn: sqlite3.Connection, step: Migration) -> None:
    """Run one migration step: each statement of a script, or the function."""
    if callable(step):
        step(conn)
        return
    for statement in _statements(step):
        conn.execute(statement)


def _squeeze(sql: str | None) -> str:
    return " ".join((sql or "").split())


def foreign_objects(conn: sqlite3.Connection, schema: str = "main") -> list[str]:
    """Triggers and views in a database that the annotator schema does not define.

    Such objects run SQL on our writes (a trigger can delete every document
    on insert) or shadow our tables, so a file carrying them is refused. One
    of ours is recognised by its whole SQL, not by its name.
    """
    rows = conn.execute(
        f"SELECT type, name, sql FROM {schema}.sqlite_master WHERE type IN ('trigger', 'view')"
        " ORDER BY type, name"
    ).fetchall()
    allowed = _schema_objects()
    return [f"{t} {n!r}" for t, n, sql in rows if _squeeze(sql) not in allowed.get((t, n), ())]


def now() -> str:
    """Current UTC time, ISO 8601 with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Store:
    """An open project database."""

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False) -> None:
        """Open (and if needed create and migrate) the database at ``path``.

        With ``read_only`` (a caller that never writes) a file this process
        may not write is opened read-only instead (``mode=ro``), and
        ``self.read_only`` is True. Raises StoreError if the file is not an
        annotator database or was written by a newer version of the app.
        """
        self.path = Path(path)
        _check_path(self.path, create)
        self.read_only = read_only and self.path.exists() and not writable(self.path)
        try:
            if not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create its folder ({exc.strerror})") from None
        conn = None
        try:
            if self.read_only:
                conn = _connect_read_only(self.path)
            else:
                conn = sqlite3.connect(
                    str(self.path), isolation_level=None, check_same_thread=False, timeout=30
                )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA trusted_schema = OFF")
            register_functions(conn)
            self._check_and_migrate(conn)
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            if getattr(exc, "sqlite_errorname", "") in _NOT_OURS or "not a database" in str(exc):
                raise StoreError(f"{self.path}: not an annotator database ({exc})") from None
            raise StoreError(describe_error(exc, self.path)) from None
        except StoreError:
            conn.close()
            raise
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
        foreign = foreign_objects(conn)
        if foreign:
            raise StoreError(
                f"{self.path}: carries {', '.join(foreign)}, which the annotator schema does "
                "not define; refusing to open it (a trigger runs its own SQL on every write)"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this app's "
                f"({SCHEMA_VERSION}); update the app"
            )
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: schema version {version} needs the upgrade to "
                    f"{SCHEMA_VERSION}, which writes: open it once with write access"
                )
            return
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in MIGRATIONS[version:]:
                run_migration(conn, step)
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
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not check_references:
                self.conn.execute("PRAGMA foreign_keys = ON")
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy() from None
            raise
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # SQLite already rolled back on a full disk
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0
            if not check_references:
                self.conn.execute("PRAGMA foreign_keys = ON")

    def set_busy_timeout(self, ms: int) -> None:
        """How long a write waits for another process's lock before ``DatabaseBusy``."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

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


def _check_path(path: Path, create: bool) -> None:
    """Refuse paths that are not a database file before SQLite creates anything."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if path.exists():
        if path.is_file() and path.stat().st_size == 0:
            raise StoreError(
                f"{path}: is an empty file, not a database (delete it to start a new one there)"
            )
    elif not create:
        raise StoreError(f"{path}: no such database")


def writable(path: Path) -> bool:
    """True when this process may write the database at ``path`` and its WAL files.

    SQLite keeps ``-wal`` and ``-shm`` files beside the database: without
    them, the folder must be writable for SQLite to create them.
    """
    if not os.access(path, os.W_OK):
        return False
    if os.access(path.parent, os.W_OK):
        return True
    sidecars = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
    return all(p.exists() and os.access(p, os.W_OK) for p in sidecars)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A ``mode=ro`` connection to ``path``.

    A WAL database in a folder this process may not write, without the
    ``-shm`` file SQLite reads its WAL through, cannot be opened ``mode=ro``;
    when it has no ``-wal`` file either, no connection has it open and every
    committed change is in the main file, so it is read as ``immutable``.
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(
        f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False, timeout=30
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        name = getattr(exc, "sqlite_errorname", "")
        if name not in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN"):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise StoreError(
            f"{path}: is open for writing elsewhere (or was not closed cleanly) and its folder "
            "is read-only: it cannot be read safely"
        )
    return sqlite3.connect(
        f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False
    )


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
    """Split a DDL script into statements (a trigger body's semicolons stay inside)."""
    lines = [ln for ln in script.split("\n") if not ln.strip().startswith("--")]
    out: list[str] = []
    buf = ""
    for piece in "\n".join(lines).split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                out.append(buf.strip().removesuffix(";"))
            buf = ""
    return out


def in_chunks(values: Iterable[object], size: int = 500) -> Iterator[tuple[list, str]]:
    """(chunk, "?,?,…") pairs for ``IN (…)`` queries within SQLite's variable limit."""
    values = list(values)
    for i in range(0, len(values), size):
        chunk = values[i : i + size]
        yield chunk, ",".join("?" * len(chunk))
