"""Opening a project: the database, its label schema and its people.

``Project`` is what every service takes. ``open_default`` gives the database
in the user's data directory, loading the bundled sample corpus on first run.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from annotator.core.labels import Schema, load_schema
from annotator.core.model import GOLD
from annotator.core.resources import sample_corpus_dir
from annotator.core.validate import is_gold_like
from annotator.store import imports, meta
from annotator.store.db import Store, describe_error

#: Errors of the database itself (busy, disk full, read-only): the CLI and
#: the GUI turn them into one line with ``database_error_message``.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error,)

APP_NAME = "annotator"
DB_NAME = "annotator.db"


@dataclass
class Project:
    """An open database plus its schema (read once, refreshed on change)."""

    store: Store
    schema: Schema = field(init=False)

    def __post_init__(self) -> None:
        self.reload_schema()

    def reload_schema(self) -> None:
        """Re-read labels from the database."""
        labels, relations = meta.labels(self.store)
        self.schema = Schema(tuple(labels), tuple(relations))

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_db_path() -> Path:
    """``annotator.db`` in the user data directory (e.g. ~/.local/share/annotator)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_NAME


def database_error_message(exc: BaseException, path: str | Path | None = None) -> str:
    """One line for people from one of ``DATABASE_ERRORS`` (naming ``path`` if given)."""
    return describe_error(exc, path) if isinstance(exc, sqlite3.Error) else str(exc)


def open_project(
    path: str | Path | None = None,
    *,
    labels_file: Path | None = None,
    create: bool = True,
    read_only: bool = False,
) -> Project:
    """Open the database at ``path`` (default: ``default_db_path()``).

    With ``create`` a missing file is created, and a new database gets the
    label schema from ``labels_file`` (default ``resources/labels.toml``);
    without it a missing file is refused (StoreError) and nothing is created.
    ``read_only`` is for callers that only read: a file this process may not
    write is then opened read-only (``project.store.read_only``), and opening
    writes nothing.
    """
    store = Store(path or default_db_path(), create=create, read_only=read_only)
    if store.read_only:
        try:
            return Project(store)
        except BaseException:
            store.close()
            raise
    try:
        if imports.unfinished_imports(store):  # an import died: remove its partial file
            from annotator.services.import_write import recover

            recover(store)
        if not meta.has_labels(store):
            schema = load_schema(labels_file)
            with store.transaction():
                meta.insert_labels(store, schema.labels, schema.relations)
        return Project(store)
    except BaseException:
        store.close()
        raise


def open_default(path: str | Path | None = None, *, read_only: bool = False) -> Project:
    """Open the default database; when this creates it, import the bundled sample corpus."""
    path = Path(path or default_db_path())
    fresh = not path.exists()
    project = open_project(path, read_only=read_only and not fresh)
    if fresh:
        from annotator.services.importing import import_paths

        import_paths(project, [sample_corpus_dir()], annotator=None)
    return project


def open_chosen(
    path: str | Path | None, *, create: bool = True, read_only: bool = False
) -> Project:
    """The database the user named (``--db``, else ``$ANNOTATOR_DB``), else the default one.

    Only the default database (in the user data directory) starts with the
    sample corpus; a database the user names starts empty. ``create=False``
    refuses a named database that does not exist, creating no file or
    folder. ``read_only`` (commands that only read) opens a file this process
    may not write read-only.
    """
    chosen = path or os.environ.get("ANNOTATOR_DB")
    if chosen:
        return open_project(chosen, create=create, read_only=read_only)
    return open_default(read_only=read_only)


def is_reserved(name: str) -> bool:
    """True for layer names no curator may take (``gold`` in any case or form)."""
    return name == GOLD or is_gold_like(name)
