"""Writing a set of export files atomically: temporary names, renamed at the end."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.formats import FileShape
from annotator.core.formats.manifest import dumps_manifest


class OutputFiles:
    """The files of one export, written under temporary names and renamed at the end.

    ``names`` given: ``out`` is a folder (created if missing) receiving
    ``<name>.jsonl`` (the ``shape``'s suffix) per name and ``manifest.json``. Else ``out`` is one
    file with ``<stem>.manifest.json`` beside it. Leaving the ``with``
    block without ``commit()`` removes every temporary file (and the folder
    if this created it).
    """

    def __init__(self, out: Path, names: list[str] | None, shape: FileShape | None = None) -> None:
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
        else:
            if out.is_dir():
                raise UserError(f"{out}: is a folder (without --split, --out is one file)")
            folder = out.parent
            finals = {"all": out}
            manifest = out.with_name(f"{out.stem}.manifest.json")
        parent = folder if names is None else folder.parent
        if not parent.is_dir():
            raise UserError(f"{out}: cannot write (no folder {parent})")
        if names is not None and not folder.exists():
            try:
                folder.mkdir()
            except OSError as exc:
                raise UserError(f"{out}: cannot write ({exc.strerror})") from None
            self._created_dir = True
        self._folder = folder
        self._finals = {**finals, "\0manifest": manifest}
        self._temps: dict[str, Path] = {}
        self._handles: dict = {}
        try:
            for key, final in self._finals.items():
                fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
                self._temps[key] = Path(tmp)
                self._handles[key] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            self.cancel()
            raise UserError(f"{out}: cannot write ({exc.strerror})") from None

    def write(self, name: str, records: list[dict]) -> None:
        """Append records to split ``name`` (JSON lines, or the shape's framing)."""
        fh, shape = self._handles[name], self._shape
        for record in records:
            n = self._written.get(name, 0)
            fh.write(shape.sep if n else shape.head)
            fh.write(shape.dump(record))
            self._written[name] = n + 1

    def write_manifest(self, manifest: dict) -> None:
        """Write the manifest."""
        self._handles["\0manifest"].write(dumps_manifest(manifest))

    def commit(self) -> tuple[list[str], str]:
        """Rename every file into place; return (data files, manifest path)."""
        for key, fh in self._handles.items():
            if key != "\0manifest":
                fh.write(self._shape.tail if self._written.get(key) else self._shape.empty)
            fh.close()
        for key, tmp in self._temps.items():
            os.chmod(tmp, 0o644)
            os.replace(tmp, self._finals[key])
        self._temps.clear()
        self._created_dir = False
        manifest = str(self._finals.pop("\0manifest"))
        return [str(f) for f in self._finals.values()], manifest

    def cancel(self) -> None:
        """Remove every temporary file (and the folder this created)."""
        for fh in self._handles.values():
            fh.close()
        for tmp in self._temps.values():
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
