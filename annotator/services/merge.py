"""Merging curators' databases into one team database.

Every source is checked before anything is written: a file that is not an
annotator database, or was written by a newer version of the app, is refused
with a one-line message and the target is left exactly as it was. All
sources are then merged in one transaction (see ``store.merge`` for the
rules). Merging the same file twice changes nothing.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import UserError
from annotator.services.project import Project
from annotator.store import merge as merge_store
from annotator.store import meta
from annotator.store.db import Store, StoreError
from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION


@dataclass
class MergeReport(merge_store.Tally):
    """What a merge did, in total over its sources."""

    sources: list[str] = field(default_factory=list)
    #: (span id, kept "target" or source path, target updated_at, source updated_at)
    edited_twice: list[tuple[str, str, str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        """Machine-readable form."""
        return {
            "sources": self.sources,
            **self.counts(),
            "edited_twice": [
                {"span": s, "kept": k, "target_updated_at": t, "source_updated_at": u}
                for s, k, t, u in self.edited_twice
            ],
        }

    def summary(self) -> str:
        """One line for people (plus one line per span edited in two places)."""
        line = (
            f"merged {len(self.sources)} database(s): {self.documents} document(s), "
            f"{self.spans} span(s), {self.relations} relation(s), {self.annotators} "
            f"annotator(s), {self.progress} progress row(s), {self.decisions} decision(s) "
            "added or updated"
        )
        if self.edited_twice:
            line += f"; {len(self.edited_twice)} span(s) edited in two places kept the newest:"
            for span, kept, t, u in self.edited_twice:
                line += f"\n  {span}: kept {kept} (target {t}, source {u})"
        return line


def check_source(path: Path, target: Path) -> None:
    """Raise UserError unless ``path`` is an annotator database this app can read."""
    if not path.is_file():
        raise UserError(f"{path}: no such database")
    if path.resolve() == target.resolve():
        raise UserError(f"{path}: is the target itself")
    try:
        app_id, version = merge_store.read_header(path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not an annotator database ({exc})") from None
    if app_id != APPLICATION_ID:
        raise StoreError(f"{path}: not an annotator database")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {version} is newer than this app's ({SCHEMA_VERSION}); "
            "update the app"
        )


def check_sources(sources: list[str | Path], target: str | Path) -> list[Path]:
    """Check every source (see ``check_source``); return them as paths."""
    paths = [Path(p) for p in sources]
    if not paths:
        raise UserError("name at least one database to merge")
    for path in paths:
        check_source(path, Path(target))
    return paths


def merge_databases(project: Project, sources: list[str | Path]) -> MergeReport:
    """Merge ``sources`` into ``project``; return what changed.

    Raises UserError (target unchanged) if any source is refused.
    """
    store = project.store
    paths = check_sources(sources, store.path)
    limit = merge_store.max_attached(store)
    if len(paths) > limit:
        raise UserError(f"merge at most {limit} databases at a time")
    report = MergeReport(sources=[str(p) for p in paths])
    aliases = [f"src{i}" for i in range(len(paths))]
    attached: list[str] = []
    scratch = tempfile.TemporaryDirectory(prefix="annotator-merge-")
    try:
        for path, alias in zip(paths, aliases, strict=True):
            merge_store.attach(store, _current_schema(path, Path(scratch.name) / alias), alias)
            attached.append(alias)
        with store.transaction():
            for path, alias in zip(paths, aliases, strict=True):
                counts = merge_store.merge_from(store, alias)
                _add(report, counts, str(path))
            if report.changed:
                meta.log_event(store, "merge", "merge", None, None, report.to_json())
    finally:
        for alias in attached:
            merge_store.detach(store, alias)
        scratch.cleanup()
    project.reload_schema()
    return report


def _current_schema(path: Path, scratch: Path) -> Path:
    """``path`` itself, or for a source with an older schema an upgraded copy of it.

    A source file is never changed by a merge.
    """
    _, version = merge_store.read_header(path)
    if version >= SCHEMA_VERSION:
        return path
    merge_store.copy_database(path, scratch)
    Store(scratch, create=False).close()  # runs the migrations on the copy
    return scratch


def _add(report: MergeReport, counts: merge_store.MergeCounts, source: str) -> None:
    report.add(counts)
    for span, (kept, t, u) in sorted(counts.edited_twice.items()):
        report.edited_twice.append((span, "target" if kept == "target" else source, t, u))
