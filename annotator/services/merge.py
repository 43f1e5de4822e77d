"""Merging curators' databases into one team database.

Every source is checked before anything is written: a file that is not an
annotator database (or lacks one of its tables), was written by a newer
version of the app, or carries triggers or views the schema does not
define, is refused with a one-line message and the target is left exactly as
it was. All sources are then merged in one transaction: every row is checked
as an import checks it (``services.merge_check``), refused rows are counted
by reason in the report, and the rest is merged by the rules of
``store.merge``. Merging the same file twice changes nothing.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import PermissionDenied, UserError
from annotator.services.merge_check import SourceCheck
from annotator.services.project import Project
from annotator.store import merge as merge_store
from annotator.store import merge_source, meta
from annotator.store.db import Store, StoreError
from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION


@dataclass
class MergeReport(merge_store.Tally):
    """What a merge did, in total over its sources."""

    sources: list[str] = field(default_factory=list)
    #: (span id, kept "target" or source path, target updated_at, source updated_at)
    edited_twice: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: (source path, table, reason) -> rows refused
    dropped: dict[tuple[str, str, str], int] = field(default_factory=dict)
    #: span edges moved out to whole grapheme clusters, and the first: "SOURCE: span ID"
    edges_widened: int = 0
    first_widened: str | None = None

    def to_json(self) -> dict:
        """Machine-readable form."""
        return {
            "sources": self.sources,
            **self.counts(),
            "edited_twice": [
                {"span": s, "kept": k, "target_updated_at": t, "source_updated_at": u}
                for s, k, t, u in self.edited_twice
            ],
            "dropped": [
                {"source": src, "table": table, "reason": reason, "rows": n}
                for (src, table, reason), n in sorted(self.dropped.items())
            ],
            "edges_widened": self.edges_widened,
            "first_widened": self.first_widened,
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
        if self.edges_widened:
            line += (
                f"\n{self.edges_widened} span edge(s) fell inside a character (a letter and its "
                "marks, an emoji sequence or a flag) and were widened to whole characters; "
                f"first at {self.first_widened}"
            )
        if self.dropped:
            line += f"\nnot merged: {sum(self.dropped.values())} row(s)"
            for (src, table, reason), n in sorted(self.dropped.items()):
                line += f"\n  {src}: {n} {table} row(s): {reason}"
        return line


def check_source(path: Path, target: Path) -> None:
    """Raise UserError unless ``path`` is an annotator database this app can read."""
    if not path.is_file():
        raise UserError(f"{path}: no such database")
    if path.resolve() == target.resolve() or (target.exists() and os.path.samefile(path, target)):
        raise UserError(f"{path}: is the target itself")
    if path.stat().st_size == 0:
        raise UserError(f"{path}: is an empty file, not an annotator database")
    try:
        info = merge_source.inspect(path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not an annotator database ({exc})") from None
    if info.app_id != APPLICATION_ID:
        raise StoreError(f"{path}: not an annotator database")
    if info.version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {info.version} is newer than this app's "
            f"({SCHEMA_VERSION}); update the app"
        )
    if info.foreign:
        raise StoreError(
            f"{path}: carries {', '.join(info.foreign)}, which the annotator schema does not "
            "define; refusing to merge it"
        )
    if info.version >= SCHEMA_VERSION:  # older ones are checked after their upgrade
        missing = info.missing()
        if missing:
            raise StoreError(f"{path}: not an annotator database ({missing})")


def check_sources(sources: list[str | Path], target: str | Path) -> list[Path]:
    """Check every source (see ``check_source``); return them as paths."""
    paths = [Path(p) for p in sources]
    if not paths:
        raise UserError("name at least one database to merge")
    for path in paths:
        check_source(path, Path(target))
    return paths


def require_reviewer(project: Project, reviewer: str | None) -> None:
    """Raise PermissionDenied unless ``reviewer`` is None or a reviewer of the target."""
    if reviewer is None:
        return
    role = meta.annotators(project.store).get(reviewer)
    if role != "reviewer":
        what = "not a registered annotator" if role is None else f"a {role}"
        raise PermissionDenied(
            f"{reviewer} is {what} of the target: only its reviewers bring gold and decisions"
        )


def merge_databases(
    project: Project, sources: list[str | Path], *, reviewer: str | None = None
) -> MergeReport:
    """Merge ``sources`` into ``project``; return what changed and what was refused.

    Rows of the gold layer and review decisions come in only with
    ``reviewer``, a reviewer of the target. Raises UserError (target
    unchanged) if any source is refused as a whole.
    """
    store = project.store
    require_reviewer(project, reviewer)
    paths = check_sources(sources, store.path)
    limit = merge_store.max_attached(store) - 1  # one is the stage
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
        merge_source.attach_stage(store)
        attached.append(merge_source.STAGE)
        with store.transaction():
            for path, alias in zip(paths, aliases, strict=True):
                merge_source.clear_stage(store)
                checked = SourceCheck(store, alias, project.schema, reviewer).run()
                for table, rows in checked.rows.items():
                    merge_source.stage(store, table, rows)
                counts = merge_store.merge_from(store, merge_source.STAGE)
                _add(report, counts, str(path))
                for (table, reason), n in checked.dropped.items():
                    report.dropped[(str(path), table, reason)] = n
                if checked.edges_widened:
                    report.edges_widened += checked.edges_widened
                    if report.first_widened is None:
                        report.first_widened = f"{path}: span {checked.first_widened}"
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
    missing = merge_source.inspect(scratch).missing()
    if missing:
        raise StoreError(f"{path}: not an annotator database ({missing})")
    return scratch


def _add(report: MergeReport, counts: merge_store.MergeCounts, source: str) -> None:
    report.add(counts)
    for span, (kept, t, u) in sorted(counts.edited_twice.items()):
        report.edited_twice.append((span, "target" if kept == "target" else source, t, u))
