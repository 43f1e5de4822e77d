"""Import of plain-text articles and annotated JSONL into a project.

Every input file is read and checked completely before anything is written;
if any file is refused, nothing at all is imported and the first problem is
raised as ``InputError`` (file, line, problem). Then each file is written in
one transaction: documents (keyed by content hash, so re-imports add
nothing), the search index, near-duplicate sketches and clusters, spans,
relations and progress, plus one journal event for the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np

from annotator.core import neardup
from annotator.core.arabic import index_fields_many
from annotator.core.errors import InputError, PermissionDenied, UserError
from annotator.core.ids import document_id, new_ids
from annotator.core.model import GOLD, STATUSES
from annotator.core.records import OffsetUnit, Record
from annotator.core.text import title_of
from annotator.core.validate import check_layer
from annotator.services.import_formats import collect_files, read_file
from annotator.services.project import Project
from annotator.store import documents, meta, spans
from annotator.store.db import now

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
    cancelled: bool = False
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
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
        return "imported " + ", ".join(parts)


@dataclass
class _Parsed:
    """One checked input file, ready to write."""

    path: Path
    raw_sha256: str
    records: list[Record]
    cleaned: bool  # .txt: texts were cleaned (and carry no spans)


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
    for gold without a reviewer.
    """
    if annotator is not None and (problem := check_layer(annotator)):
        raise UserError(f"--annotator: {problem}")
    files = collect_files(paths, fmt)
    if not files:
        raise UserError("no files to import found in " + ", ".join(map(str, paths)))
    report = ImportReport()
    # Progress counts bytes: reading fills the first half of the bar, writing the second.
    sizes = [max(1, f.stat().st_size) for f in files]
    try:
        parsed = _read_all(
            project, files, sizes, annotator, offsets, report, progress, (fmt, label_map)
        )
    except _Cancelled:
        report.cancelled = True
        return report
    _check_gold(project, parsed, reviewer)
    known = _Sketches(project)
    total, done = 2 * sum(sizes), sum(sizes)
    for item, size in zip(parsed, sizes, strict=True):
        if progress and not progress(done, total, f"writing {item.path.name}"):
            report.cancelled = True
            break
        _write_file(project, item, report, known)
        report.files += 1
        done += size
    if progress and not report.cancelled:
        progress(total, total, "done")
    return report


def _check_gold(project: Project, parsed: list[_Parsed], reviewer: str | None) -> None:
    """Raise PermissionDenied if records of the gold layer come without a reviewer."""
    if not any(rec.layer == GOLD for item in parsed for rec in item.records):
        return
    if reviewer is None:
        raise PermissionDenied(
            "records of the gold layer need --reviewer NAME (a reviewer of this database)"
        )
    role = meta.annotators(project.store).get(reviewer)
    if role != "reviewer":
        what = "not a registered annotator" if role is None else f"a {role}"
        raise PermissionDenied(f"{reviewer} is {what}: only reviewers import the gold layer")


class _Cancelled(Exception):
    """The progress callback asked to stop while files were being read."""


def _read_all(
    project: Project,
    files: list[Path],
    sizes: list[int],
    annotator: str | None,
    offsets: OffsetUnit | None,
    report: ImportReport,
    progress: Progress | None,
    how: tuple[str | None, dict[str, str] | None] = (None, None),
) -> list[_Parsed]:
    """Read and check every file (nothing is written); raise _Cancelled on request.

    Progress runs over the first half of the bar, by file size.
    """
    total, base = 2 * sum(sizes), 0

    def tick(fraction: float, name: str, size: int) -> None:
        if progress and not progress(base + int(fraction * size), total, f"reading {name}"):
            raise _Cancelled

    parsed = []
    for path, size in zip(files, sizes, strict=True):
        tick(0.0, path.name, size)
        raw = _read_bytes(path)
        result, cleaned = read_file(
            path,
            raw,
            project.schema,
            how[0],
            layer=annotator,
            offsets=offsets,
            on_progress=lambda f, name=path.name, size=size: tick(f, name, size),
            label_map=how[1],
        )
        report.records_skipped += result.skipped
        report.warnings.extend(result.warnings)
        parsed.append(_Parsed(path, hashlib.sha256(raw).hexdigest(), result.records, cleaned))
        base += size
    return parsed


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from None


class _Sketches:
    """MinHash signatures and clusters of stored documents, read once per import."""

    def __init__(self, project: Project) -> None:
        _, clusters, blob = documents.all_sketches(project.store)
        self.sigs = np.frombuffer(blob, dtype=np.uint32).reshape(-1, neardup.NUM_PERM)
        self.clusters = clusters

    def add(self, sigs: np.ndarray, clusters: list[str]) -> None:
        """Remember documents that were just committed."""
        self.sigs = np.vstack([self.sigs, sigs])
        self.clusters.extend(clusters)


def _write_file(project: Project, item: _Parsed, report: ImportReport, known: _Sketches) -> None:
    """Write one checked file in one transaction."""
    store = project.store
    at = now()
    by_id: dict[str, Record] = {}
    rec_ids: list[str] = []
    for rec in item.records:
        doc_id = document_id(rec.text)
        rec_ids.append(doc_id)
        by_id.setdefault(doc_id, rec)
    # Every reference was checked while reading (labels against the schema;
    # spans point at documents that exist or are inserted here), so SQLite's
    # per-row foreign-key lookups are skipped for this bulk load.
    with store.transaction(check_references=False):
        present = documents.existing_ids(store, by_id)
        new = [(d, by_id[d]) for d in by_id if d not in present]
        sketched = None
        if new:
            sketched = _insert_documents(project, new, _prepare_documents(new, known), item, at)
        added_spans, added_rels = _insert_annotations(project, item.records, rec_ids, at)
        meta.log_event(
            store,
            "import",
            "import_file",
            None,
            None,
            {
                "file": str(item.path),
                "raw_sha256": item.raw_sha256,
                "documents_added": len(new),
                "spans_added": added_spans,
            },
        )
    if sketched is not None:
        known.add(*sketched)
    report.documents_added += len(new)
    report.documents_existing += len(by_id) - len(new)
    report.spans_added += added_spans
    report.relations_added += added_rels


@dataclass
class _Prepared:
    """Search fields, signatures and clusters of new documents (no SQL)."""

    fields: list[tuple[str, str]]
    sigs: np.ndarray
    clusters: list[str]


def _prepare_documents(new: list[tuple[str, Record]], known: _Sketches) -> _Prepared:
    fields = index_fields_many([rec.text for _, rec in new])
    sigs = neardup.signatures([norm for norm, _ in fields])
    clusters = neardup.assign_clusters(known.sigs, known.clusters, sigs, [d for d, _ in new])
    return _Prepared(fields, sigs, clusters)


def _insert_documents(
    project: Project, new: list[tuple[str, Record]], prep: _Prepared, item: _Parsed, at: str
) -> tuple[np.ndarray, list[str]]:
    """Insert new documents with search rows; return their (signatures, clusters)."""
    store = project.store
    fields, sigs, clusters = prep.fields, prep.sigs, prep.clusters
    seq0 = documents.next_seq(store)
    rows = []
    for i, (doc_id, rec) in enumerate(new):
        m = dict(rec.meta)
        title = str(m.pop("title", "") or "") or title_of(rec.text)
        source = str(m.pop("source", "") or "")
        for key in ("status", "cluster"):
            m.pop(key, None)
        rows.append(
            (
                doc_id,
                title,
                rec.text,
                item.raw_sha256,
                source,
                json.dumps(m, ensure_ascii=False, sort_keys=True),
                clusters[i],
                sigs[i].tobytes(),
                at,
                seq0 + i,
            )
        )
    documents.insert(store, rows)
    documents.insert_search(store, [(seq0 + i, *f) for i, f in enumerate(fields)])
    return sigs, clusters


def _insert_annotations(
    project: Project, records: list[Record], rec_ids: list[str], at: str
) -> tuple[int, int]:
    """Insert records' spans, relations and status; return (spans, relations) added."""
    store = project.store
    layers = {r.layer for r in records if r.layer}
    for layer in layers - {GOLD}:
        meta.ensure_annotator(store, layer)
    n_spans = sum(len(r.spans) for r in records)
    ids = new_ids("s", n_spans)
    rows: list[tuple] = []
    pos = 0
    for rec, doc_id in zip(records, rec_ids, strict=True):
        k = len(rec.spans)
        if not k:
            continue
        starts, ends, labels, _ = zip(*rec.spans, strict=True)  # tuples built in C
        rows.extend(
            zip(
                ids[pos : pos + k],
                repeat(doc_id, k),
                repeat(rec.layer, k),
                starts,
                ends,
                labels,
                repeat("imported", k),
                repeat(at, k),
                repeat(at, k),
                strict=True,
            )
        )
        pos += k
    # Counted by the statement's rowcount: total_changes would also count the
    # search index's own writes, which it flushes when a trigger opens a savepoint.
    added_spans = max(spans.insert(store, rows), 0)
    rel_rows = []
    for rec, doc_id in zip(records, rec_ids, strict=True):
        if not rec.relations:
            continue
        stored = spans.ids_by_key(store, doc_id, rec.layer)
        rel_ids = new_ids("r", len(rec.relations))
        for rid, rel in zip(rel_ids, rec.relations, strict=True):
            head, tail = rec.spans[rel.head], rec.spans[rel.tail]
            rel_rows.append(
                (
                    rid,
                    doc_id,
                    rec.layer,
                    rel.label,
                    stored[(head.start, head.end, head.label)],
                    stored[(tail.start, tail.end, tail.label)],
                    at,
                    at,
                )
            )
    added_rels = max(spans.insert_relations(store, rel_rows), 0)
    status_rows = []
    for rec, doc_id in zip(records, rec_ids, strict=True):
        status = rec.meta.get("status")
        if rec.layer and status in STATUSES:
            status_rows.append((doc_id, rec.layer, status))
        elif rec.layer:  # a record of a layer says that layer has seen the document
            status_rows.append((doc_id, rec.layer, "in_progress"))
    if status_rows:
        _set_status_keep_done(project, status_rows)
    return added_spans, added_rels


def _set_status_keep_done(project: Project, rows: list[tuple[str, str, str]]) -> None:
    """Apply statuses; an implied ``in_progress`` never overrides a stored status."""
    meta.set_status(project.store, [r for r in rows if r[2] != "in_progress"])
    meta.add_status(project.store, [r for r in rows if r[2] == "in_progress"])
