"""Writing a set of export files atomically: temporary names, renamed at the end.

Temporary files are hidden, in the target's folder, and carry the writing
process's id (``.train.jsonl.4242.k3j2l1x0.tmp``): a failed write removes
its own, and the next write of the same file removes those left by a process
that no longer runs (one killed mid-write). A target that is the open
database (the same path, a hard or symbolic link to it, its ``-wal``,
``-shm`` or ``-journal`` file) or not a regular file is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.formats import FileShape
from annotator.core.formats.manifest import dumps_manifest

_META = ("\0manifest", "\0card")


class OutputFiles:
    """The files of one export, written under temporary names and renamed at the end.

    ``names`` given: ``out`` is a folder (created if missing) receiving
    ``<name><suffix>`` (the ``shape``'s suffix) per name, ``manifest.json``
    and the dataset card ``README.md``. Else ``out`` is one file with
    ``<stem>.manifest.json`` and ``<stem>.README.md`` beside it. A binary
    shape's data files take bytes (``write_bytes``). Leaving the ``with``
    block without ``commit()`` removes every temporary file (and the folder
    if this created it).
    """

    def __init__(
        self,
        out: Path,
        names: list[str] | None,
        shape: FileShape | None = None,
        *,
        database: Path | None = None,
    ) -> None:
        out = Path(out)
        self._shape = shape = shape or FileShape()
        self._written: dict[str, int] = {}
        self._created_dir = False
        if names is not None:
            if out.exists() and not out.is_dir():
                raise UserError(f"{out}: exists and is not a folder (--split writes a folder)")
            folder = out
            finals = {n: out / f"{n}{shape.suffix}" for n in names}
            manifest = out / "manifest.json"
            card = out / "README.md"
        else:
            if out.is_dir():
                raise UserError(f"{out}: is a folder (without --split, --out is one file)")
            folder = out.parent
            finals = {"all": out}
            manifest = out.with_name(f"{out.stem}.manifest.json")
            card = out.with_name(f"{out.stem}.README.md")
        parent = folder if names is None else folder.parent
        if not parent.is_dir():
            raise UserError(f"{out}: cannot write (no folder {parent})")
        if names is not None and not folder.exists():
            try:
                folder.mkdir()
            except OSError as exc:
                raise UserError(f"{out}: cannot write ({exc.strerror})") from None
            self._created_dir = True
        self._out = out
        self._folder = folder
        self._finals = {**finals, "\0manifest": manifest, "\0card": card}
        for final in self._finals.values():
            check_target(final, database)
        self._temps: dict[str, Path] = {}
        self._handles: dict = {}
        self.names = {n: f.name for n, f in finals.items()}
        try:
            for key, final in self._finals.items():
                remove_stale_temps(folder, f".{final.name}.", ".tmp")
                fd, tmp = tempfile.mkstemp(
                    prefix=temp_prefix(final.name), suffix=".tmp", dir=folder
                )
                self._temps[key] = Path(tmp)
                if shape.binary and key in finals:
                    self._handles[key] = os.fdopen(fd, "wb")
                else:
                    self._handles[key] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            self.cancel()
            raise UserError(f"{out}: cannot write ({exc.strerror})") from None

    def write(self, name: str, records: list[dict]) -> None:
        """Append records to split ``name`` (JSON lines, or the shape's framing)."""
        fh, shape = self._handles[name], self._shape
        try:
            for record in records:
                n = self._written.get(name, 0)
                fh.write(shape.sep if n else shape.head)
                fh.write(shape.dump(record))
                self._written[name] = n + 1
        except OSError as exc:
            raise self._failed(exc) from None

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write the bytes of binary split ``name``."""
        try:
            self._handles[name].write(data)
        except OSError as exc:
            raise self._failed(exc) from None

    def write_manifest(self, manifest: dict) -> None:
        """Write the manifest."""
        try:
            self._handles["\0manifest"].write(dumps_manifest(manifest))
        except OSError as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: OSError) -> UserError:
        return UserError(f"{self._out}: cannot write ({exc.strerror or exc}); nothing was written")

    def write_card(self, card: str) -> None:
        """Write the dataset card (Markdown)."""
        try:
            self._handles["\0card"].write(card)
        except OSError as exc:
            raise self._failed(exc) from None

    def commit(self, skip: set[str] | frozenset[str] = frozenset()) -> tuple[list[str], str]:
        """Rename every file into place but the splits in ``skip`` (removed);
        return (data files, manifest path)."""
        try:
            for key, fh in self._handles.items():
                if key not in _META and not self._shape.binary:
                    fh.write(self._shape.tail if self._written.get(key) else self._shape.empty)
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
            for key, tmp in self._temps.items():
                if key in skip:
                    tmp.unlink(missing_ok=True)
                    continue
                os.chmod(tmp, 0o644)
                os.replace(tmp, self._finals[key])
        except OSError as exc:
            raise self._failed(exc) from None
        self._temps.clear()
        self._created_dir = False
        manifest = str(self._finals.pop("\0manifest"))
        self._finals.pop("\0card")
        return [str(f) for k, f in self._finals.items() if k not in skip], manifest

    def cancel(self) -> None:
        """Remove every temporary file (and the folder this created)."""
        for fh in self._handles.values():
            with contextlib.suppress(OSError):  # a full disk fails the last flush too
                fh.close()
        for tmp in self._temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        self._temps.clear()
        if self._created_dir:
            with contextlib.suppress(OSError):
                self._folder.rmdir()
            self._created_dir = False

    def __enter__(self) -> OutputFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def database_files(database: Path) -> list[Path]:
    """The database file and the files SQLite keeps beside it."""
    return [database] + [
        database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal")
    ]


def check_target(out: Path, database: Path | None) -> None:
    """Raise UserError if writing ``out`` would overwrite ``database`` or a non-file.

    Catches the same path, a symbolic link (of the file or of a folder on the
    way) and a hard link to the database or to its ``-wal``/``-shm`` file.
    """
    out = Path(out)
    if out.exists() and not out.is_file():
        raise UserError(f"{out}: exists and is not a regular file; choose a file name")
    if database is None:
        return
    real = os.path.realpath(out)
    for path in database_files(Path(database)):
        same = real == os.path.realpath(path)
        if not same and out.exists() and path.exists():
            same = os.path.samefile(out, path)
        if same:
            what = "the open database" if path == Path(database) else f"the database's {path.name}"
            raise UserError(
                f"{out}: is {what}; writing there would destroy it, choose another file"
            )


def temp_prefix(name: str) -> str:
    """Prefix of this process's temporary files for ``name``."""
    return f".{name}.{os.getpid()}."


_PID = re.compile(r"(\d+)[.-]")


def remove_stale_temps(folder: Path, prefix: str, suffix: str) -> int:
    """Remove ``prefix<pid>.<random><suffix>`` files of processes that no longer run.

    Returns how many were removed. Files of running processes (another export
    of the same file) and files of other names are left alone.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        rest = entry.name[len(prefix) :]
        if not (rest.endswith(suffix) or f"{suffix}-" in rest):  # also its -journal
            continue
        match = _PID.match(rest)
        if not match or _running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed += 1
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True
