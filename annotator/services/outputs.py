"""Writing a set of export files atomically: temporary names, renamed at the end."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from annotator.core.errors import UserError
from annotator.core.formats import dumps
from annotator.core.formats.manifest import dumps_manifest


class OutputFiles:
    """The files of one export, written under temporary names and renamed at the end.

    ``names`` given: ``out`` is a folder (created if missing) receiving
    ``<name><suffix>`` per name, ``manifest.json`` and the dataset card
    ``README.md``. Else ``out`` is one file with ``<stem>.manifest.json``
    and ``<stem>.README.md`` beside it. ``binary`` data files take bytes
    (``write_bytes``). Leaving the ``with`` block without ``commit()``
    removes every temporary file (and the folder if this created it).
    """

    def __init__(
        self, out: Path, names: list[str] | None, *, suffix: str = ".jsonl", binary: bool = False
    ) -> None:
        out = Path(out)
        self._created_dir = False
        if names is not None:
            if out.exists() and not out.is_dir():
                raise UserError(f"{out}: exists and is not a folder (--split writes a folder)")
            folder = out
            finals = {n: out / f"{n}{suffix}" for n in names}
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
        self._folder = folder
        self._finals = {**finals, "\0manifest": manifest, "\0card": card}
        self._temps: dict[str, Path] = {}
        self._handles: dict = {}
        self.names = {n: f.name for n, f in finals.items()}
        try:
            for key, final in self._finals.items():
                fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
                self._temps[key] = Path(tmp)
                if binary and key in finals:
                    self._handles[key] = os.fdopen(fd, "wb")
                else:
                    self._handles[key] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            self.cancel()
            raise UserError(f"{out}: cannot write ({exc.strerror})") from None

    def write(self, name: str, records: list[dict]) -> None:
        """Append records as JSON lines to split ``name``."""
        fh = self._handles[name]
        for record in records:
            fh.write(dumps(record))
            fh.write("\n")

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write the bytes of binary split ``name``."""
        self._handles[name].write(data)

    def write_manifest(self, manifest: dict) -> None:
        """Write the manifest."""
        self._handles["\0manifest"].write(dumps_manifest(manifest))

    def write_card(self, card: str) -> None:
        """Write the dataset card (Markdown)."""
        self._handles["\0card"].write(card)

    def commit(self, skip: set[str] | frozenset[str] = frozenset()) -> tuple[list[str], str]:
        """Rename every file into place but the splits in ``skip`` (removed);
        return (data files, manifest path)."""
        for fh in self._handles.values():
            fh.close()
        for key, tmp in self._temps.items():
            if key in skip:
                tmp.unlink(missing_ok=True)
                continue
            os.chmod(tmp, 0o644)
            os.replace(tmp, self._finals[key])
        self._temps.clear()
        self._created_dir = False
        manifest = str(self._finals.pop("\0manifest"))
        self._finals.pop("\0card")
        return [str(f) for k, f in self._finals.items() if k not in skip], manifest

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
