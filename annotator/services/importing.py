"""Import of plain-text articles and annotated JSONL into a project.

Files stream in batches of ``import_read.BATCH`` records, so memory stays
bounded whatever the corpus size. Every input file is checked completely
before anything is written (with several files, a first streaming pass
checks them all; a single file is checked as it is written and removed
whole if a line is refused); if any file is refused, nothing at all is
imported and the first problem is raised as ``InputError`` (file, line,
problem).

Each file is then written by ``import_write.FileWriter``: all the work that
needs no lock (parsing, checks, normalisation for search, MinHash sketches,
band keys, clusters, rows) happens before each batch's short write
transaction, and the file is all or nothing: rows carry the file's import
id and are removed if it fails, is cancelled, or its process dies (see
``import_write``). Documents are keyed by content hash, so re-imports add
nothing; one journal event is written per file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.changes import Changes
from annotator.core.errors import PermissionDenied, UserError
from annotator.core.model import GOLD
from annotator.core.records import OffsetUnit, Record
from annotator.core.validate import check_layer
from annotator.services.import_formats import collect_files
from annotator.services.import_read import ReadContext, file_sha256, read_batches
from annotator.services.project import Project
from annotator.store import meta
from annotator.store.documents import ids_in_seq_range

#: progress(done, total, what) -> keep going? (False cancels between files)
Progress = Callable[[int, int, str], bool]


@dataclass
class ImportReport:
    """What an import did."""

    files: int = 0
    documents_added: int = 0
    documents_existing: int = 0
    spans_added: int = 0
    relations_added: int = 0
    records_skipped: int = 0
    #: span edges moved out to whole grapheme clusters, and the first one's file:line
    edges_widened: int = 0
    first_widened: str | None = None
    cancelled: bool = False
    warnings: list[str] = field(default_factory=list)
    #: (first, last) seq of the documents each file added (see ``added_documents``)
    added_seqs: list[tuple[int, int]] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people (and one more when span edges were widened)."""
        parts = [
            f"{self.files} file(s)",
            f"{self.documents_added} new document(s)",
            f"{self.documents_existing} already present",
            f"{self.spans_added} span(s)",
            f"{self.relations_added} relation(s)",
        ]
        if self.records_skipped:
            parts.append(f"{self.records_skipped} record(s) skipped (rejected or ignored)")
        if self.cancelled:
            parts.append("cancelled")
        line = "imported " + ", ".join(parts)
        if self.edges_widened:
            line += (
                f"\n{self.edges_widened} span edge(s) fell inside a character (a letter and "
                f"its marks, an emoji sequence or a flag) and were widened to whole characters; "
                f"first at {self.first_widened}"
            )
        return line


def import_paths(
    project: Project,
    paths: Sequence[str | Path],
    *,
    annotator: str | None = None,
    offsets: OffsetUnit | None = None,
    progress: Progress | None = None,
    reviewer: str | None = None,
    fmt: str | None = None,
    label_map: dict[str, str] | None = None,
) -> ImportReport:
    """Import files and folders; return what was added.

    ``annotator`` names the layer that annotated files' spans go to (else each
    record's ``layer``). ``offsets`` is the unit of doccano and Label Studio
    offsets. Records of the ``gold`` layer need ``reviewer``, a reviewer of
    this database. ``fmt`` (one of ``import_formats.IMPORT_FORMATS``) reads
    every file in that format; by default the suffix decides. ``label_map``
    renames CoNLL and Label Studio labels (``""``: drop them). Raises
    InputError (nothing imported) if any file is refused, PermissionDenied
    for gold without a reviewer. Cancelling (``progress`` returning False)
    keeps the files already finished and removes the one being written.
    """
    from annotator.services import import_write

    if annotator is not None and (problem := check_layer(annotator)):
        raise UserError(f"--annotator: {problem}")
    files = collect_files(paths, fmt)
    if not files:
        raise UserError("no files to import found in " + ", ".join(map(str, paths)))
    import_write.recover(project.store, strict=True)
    report = ImportReport()
    ctx = ReadContext(project.schema, annotator, offsets, fmt, label_map)
    gold = _GoldCheck(project, reviewer)
    # Progress counts bytes: with several files, checking fills the first half of
    # the bar and writing the second; a single file is checked as it is written.
    sizes = [max(1, f.stat().st_size) for f in files]
    checking = len(files) > 1
    total = (2 if checking else 1) * sum(sizes)
    done = 0
    try:
        if checking:
            for path, size in zip(files, sizes, strict=True):
                for batch in read_batches(path, ctx):
                    gold.check(batch.records)
                    _tick(progress, done + batch.done, total, f"checking {path.name}")
                done += size
            report.records_skipped, ctx.skipped = ctx.skipped, 0
            ctx.widened, ctx.widened_at = 0, None  # counted again as the files are written
        for path, size in zip(files, sizes, strict=True):
            what = f"writing {path.name}"
            _tick(progress, done, total, what)

            def tick(n: int, d: int = done, w: str = what) -> None:
                _tick(progress, d + n, total, w)

            _import_file(project, path, ctx, report, tick, gold)
            report.files += 1
            done += size
    except _Cancelled:
        report.cancelled = True
        report.warnings = list(ctx.warnings)
        _widened(report, ctx)
        return report
    report.records_skipped = max(report.records_skipped, ctx.skipped)
    report.warnings = list(ctx.warnings)
    _widened(report, ctx)
    if progress:
        progress(total, total, "done")
    return report


def _import_file(
    project: Project,
    path: Path,
    ctx: ReadContext,
    report: ImportReport,
    tick: Callable[[int], None],
    gold: _GoldCheck,
) -> None:
    """Stream one file into the project, all or nothing."""
    from annotator.services.import_write import FileWriter

    writer = FileWriter(project, path, file_sha256(path))
    try:
        for batch in read_batches(path, ctx):
            gold.check(batch.records)
            tick(batch.done)
            writer.add(batch.records)
        written = writer.finish()
    except BaseException:
        writer.abort()
        raise
    report.documents_added += written.documents_added
    report.documents_existing += written.documents_existing
    report.spans_added += written.spans_added
    report.relations_added += written.relations_added
    if written.documents_added:
        report.added_seqs.append((written.first_seq, written.last_seq))


class _GoldCheck:
    """Records of the gold layer need a reviewer of this database (checked once)."""

    def __init__(self, project: Project, reviewer: str | None) -> None:
        self.project, self.reviewer, self.ok = project, reviewer, False

    def check(self, records: list[Record]) -> None:
        """Raise PermissionDenied if ``records`` hold gold and no reviewer was given."""
        if self.ok or not any(rec.layer == GOLD for rec in records):
            return
        if self.reviewer is None:
            raise PermissionDenied(
                "records of the gold layer need --reviewer NAME (a reviewer of this database)"
            )
        role = meta.annotators(self.project.store).get(self.reviewer)
        if role != "reviewer":
            what = "not a registered annotator" if role is None else f"a {role}"
            raise PermissionDenied(
                f"{self.reviewer} is {what}: only reviewers import the gold layer"
            )
        self.ok = True


def _widened(report: ImportReport, ctx: ReadContext) -> None:
    report.edges_widened, report.first_widened = ctx.widened, ctx.widened_at


def _tick(progress: Progress | None, done: int, total: int, what: str) -> None:
    if progress and not progress(done, total, what):
        raise _Cancelled


class _Cancelled(Exception):
    """The progress callback asked to stop."""


def import_changes(project: Project, report: ImportReport) -> Changes:
    """What an import changed, for the views: the documents it added."""
    return Changes(documents_added=added_documents(project, report))


def added_documents(project: Project, report: ImportReport) -> tuple[str, ...]:
    """Ids of the documents an import added, in import order (for ``Changes``)."""
    out: list[str] = []
    for first, last in report.added_seqs:
        out.extend(ids_in_seq_range(project.store, first, last))
    return tuple(out)
