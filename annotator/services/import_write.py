"""Writing one checked file in short transactions, all or nothing.

Each batch of records is first *prepared* without any lock: document ids,
which documents are new, search fields (normalised text and stems),
MinHash signatures, band keys, near-duplicate clusters (candidates looked
up in the band index, a read), and every document, span and search row.
Only then is the write lock taken, for one short transaction per batch
(inserts only), so an edit from another process waits at most one batch.

All or nothing per file: the file is registered in ``imports`` before its
first batch; every document, span and relation it writes carries the import
id; statuses are kept aside in a temporary table and written with the
journal event by the final transaction, which also unregisters the file.
If the import fails or is cancelled, ``abort`` removes everything it wrote;
if the process dies, ``recover`` (run when a project is opened and before
every import) removes what a dead import left. While a file is being
written its finished batches are visible; once the import ends, the file is
either all there or not there at all.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from pathlib import Path

import numpy as np

from annotator.core import neardup
from annotator.core.arabic import index_fields_many
from annotator.core.errors import UserError
from annotator.core.ids import document_id, new_ids
from annotator.core.model import GOLD, STATUSES
from annotator.core.records import Record
from annotator.core.text import title_of
from annotator.services.import_notes import Notes, read_notes, write_notes
from annotator.services.project import Project
from annotator.store import documents, imports, meta, spans, synclog
from annotator.store.db import Store, now

#: Recent band keys are folded into the main band table after this many.
FOLD_BANDS = 160_000


@dataclass
class Written:
    """What one file added."""

    documents_added: int = 0
    documents_existing: int = 0
    spans_added: int = 0
    relations_added: int = 0
    first_seq: int = 0
    last_seq: int = 0


@dataclass
class _Prepared:
    """One batch, computed before the write lock is taken."""

    records: list[Record]
    rec_ids: list[str]
    docs: list[tuple]  # document rows without seq and import id
    search: list[tuple[str, str]]
    band_keys: np.ndarray  # band keys of new documents, sorted (none for an empty text)
    band_docs: np.ndarray  # index (into ``docs``) of the document of each key
    spans: list[tuple]
    layers: set[str]
    existing: int
    before: set[str]  # ids of documents stored before this import began
    notes: list[Notes]  # per record, its meta.notes checked


class FileWriter:
    """Writes one file's batches; ``finish`` or ``abort`` ends it.

    A file of one batch is written in one transaction with no registration;
    a longer one is registered when its second batch arrives.
    """

    def __init__(self, project: Project, path: Path, raw_sha256: str) -> None:
        self.project = project
        self.store = project.store
        self.path = path
        self.raw_sha256 = raw_sha256
        self.at = now()
        self.written = Written()
        self.import_id: int | None = None
        self.first_seq = 0
        self._pending: _Prepared | None = None
        self.layers: set[str] = set()  # registered as annotators when the file is complete
        self._recent_bands = 0
        self._late_notes: list[tuple[str, str, Notes]] = []  # on documents stored before
        backfill_bands(self.store)
        imports.clear_staged_status(self.store)

    def add(self, records: list[Record]) -> None:
        """Prepare a batch (no lock), then write it in one short transaction."""
        if self._pending is not None:
            self._start()  # the file is longer than a batch: register it
            pending = self._pending
            pending.spans = self._span_rows(pending.records, pending.rec_ids)  # with its id
            self._write(pending)
            self._pending = None
        prep = self._prepare(records)
        if self.import_id is None:
            self._pending = prep
        else:
            self._write(prep)

    def _start(self) -> None:
        with self.store.transaction():
            self.first_seq = documents.next_seq(self.store)
            self.import_id = imports.start_import(
                self.store, str(self.path), self.first_seq, os.getpid(), socket.gethostname(),
                self.at,
            )  # fmt: skip

    def _prepare(self, records: list[Record]) -> _Prepared:
        by_id: dict[str, Record] = {}
        rec_ids = [document_id(rec.text) for rec in records]
        for doc_id, rec in zip(rec_ids, records, strict=True):
            by_id.setdefault(doc_id, rec)
        present = documents.present(self.store, by_id)
        mine = self.import_id
        before = {d for d, imp in present.items() if mine is None or imp != mine}
        existing = len(before)
        new = [(d, rec) for d, rec in by_id.items() if d not in present]
        fields = index_fields_many([rec.text for _, rec in new])
        sigs = neardup.signatures([norm for norm, _ in fields])
        keys = neardup.band_keys(sigs) if len(new) else np.zeros((0, neardup.BANDS), np.int64)
        empty = (sigs == 0xFFFFFFFF).all(axis=1)
        keys = keys[~empty]
        owner = np.repeat(np.flatnonzero(~empty), neardup.BANDS)
        flat = keys.ravel()
        order = np.argsort(flat, kind="stable")
        clusters = self._clusters(sigs, flat.tolist(), [d for d, _ in new])
        docs = []
        for i, (doc_id, rec) in enumerate(new):
            m = dict(rec.meta)
            title = str(m.pop("title", "") or "") or title_of(rec.text)
            source = str(m.pop("source", "") or "")
            for key in ("status", "cluster", "notes"):  # notes go to the notes table
                m.pop(key, None)
            meta_json = json.dumps(m, ensure_ascii=False, sort_keys=True)
            docs.append(
                (doc_id, title, rec.text, self.raw_sha256, source, meta_json, clusters[i],
                 sigs[i].tobytes(), self.at)
            )  # fmt: skip
        notes = [read_notes(rec, str(self.path)) for rec in records]  # refused before any write
        return _Prepared(
            records,
            rec_ids,
            docs,
            fields,
            flat[order],
            owner[order],
            self._span_rows(records, rec_ids),
            {r.layer for r in records if r.layer},
            existing,
            before,
            notes,
        )

    def _clusters(self, sigs: np.ndarray, keys: list[int], ids: list[str]) -> list[str]:
        """Clusters of new documents, against stored candidates that share a band key."""
        # Stored candidates: the first stored document of each band key (members
        # of a cluster share keys, so the first is enough, and a batch's candidates
        # stay bounded however many copies a story has); within the batch, up to
        # ``neardup.MAX_NEIGHBOURS`` earlier documents per key, as ever.
        found = documents.band_neighbours(self.store, keys) if keys else []
        stored = np.frombuffer(b"".join(r[2] for r in found), dtype=np.uint32)
        stored = stored.reshape(-1, neardup.NUM_PERM)
        return neardup.assign_clusters(stored, [r[1] for r in found], sigs, ids)

    def _span_rows(self, records: list[Record], rec_ids: list[str]) -> list[tuple]:
        ids = new_ids("s", sum(len(r.spans) for r in records))
        rows: list[tuple] = []
        pos, at, imp = 0, self.at, self.import_id
        for rec, doc_id in zip(records, rec_ids, strict=True):
            k = len(rec.spans)
            if not k:
                continue
            starts, ends, labels, _ = zip(*rec.spans, strict=True)  # tuples built in C
            rows.extend(
                zip(ids[pos : pos + k], repeat(doc_id, k), repeat(rec.layer, k), starts, ends,
                    labels, repeat("imported", k), repeat(at, k), repeat(at, k), repeat(imp, k),
                    strict=True)
            )  # fmt: skip
            pos += k
        rows.sort(key=_span_key)  # in primary-key order: the inserts touch fewer pages
        return rows

    def _write(self, prep: _Prepared, *, last: bool = False) -> None:
        """One batch in one transaction; with ``last`` also the file's end."""
        store, imp = self.store, self.import_id
        # Statuses of documents this import adds go in with them (a failed import
        # removes them by cascade); those of documents stored before are kept
        # aside and written at the end, so a failed import changes none.
        statuses = _status_rows(prep.records, prep.rec_ids)
        own = [r for r in statuses if r[0] not in prep.before]
        aside = [r for r in statuses if r[0] in prep.before]
        if aside:
            imports.stage_status(store, aside)
        self.layers |= prep.layers
        if imp is not None:  # registered: a lost batch is removed with its file
            imports.set_durable(store, False)
        try:
            self._write_rows(prep, last, own)
            if self._recent_bands >= FOLD_BANDS:  # its own short transaction
                with store.transaction():
                    documents.fold_bands(store)
                self._recent_bands = 0
        finally:
            imports.set_durable(store, True)

    def _write_rows(self, prep: _Prepared, last: bool, own: list[tuple[str, str, str]]) -> None:
        store, imp, w = self.store, self.import_id, self.written
        # Every reference was checked while reading (labels against the schema;
        # spans point at documents that exist or are inserted here), so SQLite's
        # per-row foreign-key lookups are skipped for this bulk load.
        with store.transaction(check_references=False):
            seq0 = documents.next_seq(store)
            documents.insert(store, [(*row, seq0 + i, imp) for i, row in enumerate(prep.docs)])
            documents.insert_search(store, [(seq0 + i, *f) for i, f in enumerate(prep.search)])
            band_rows = zip(prep.band_keys.tolist(), (prep.band_docs + seq0).tolist(), strict=True)
            documents.insert_bands(store, band_rows, seq0 + len(prep.docs) - 1)
            self._recent_bands += len(prep.band_keys)
            before = store.conn.total_changes
            imports.insert_spans(store, prep.spans)
            spans_added = store.conn.total_changes - before
            relations_added = self._relations(prep)
            self._notes(prep)
            if prep.docs:
                w.first_seq = w.first_seq or seq0
                w.last_seq = seq0 + len(prep.docs) - 1
            w.documents_added += len(prep.docs)
            w.documents_existing += prep.existing
            w.spans_added += spans_added
            w.relations_added += relations_added
            _set_status_keep_done(store, own)
            if last:
                self._finish_in_transaction()

    def _relations(self, prep: _Prepared) -> int:
        """Insert the batch's relations (inside its transaction); return how many were added."""
        store, rows = self.store, []
        for rec, doc_id in zip(prep.records, prep.rec_ids, strict=True):
            if not rec.relations:
                continue
            stored = spans.ids_by_key(store, doc_id, rec.layer)
            for rid, rel in zip(new_ids("r", len(rec.relations)), rec.relations, strict=True):
                head, tail = rec.spans[rel.head], rec.spans[rel.tail]
                rows.append(
                    (rid, doc_id, rec.layer, rel.label, stored[(head.start, head.end, head.label)],
                     stored[(tail.start, tail.end, tail.label)], self.at, self.at, self.import_id)
                )  # fmt: skip
        before = store.conn.total_changes
        imports.insert_relations(store, rows)
        return store.conn.total_changes - before

    def _notes(self, prep: _Prepared) -> None:
        """Store the batch's notes and flags (native ``meta.notes``), on the spans' new ids.

        Notes on documents stored before this import wait for its end (like their
        statuses), so a failed import changes none of them.
        """
        for rec, doc_id, notes in zip(prep.records, prep.rec_ids, prep.notes, strict=True):
            if not notes:
                continue
            if doc_id in prep.before:
                self._late_notes.append((doc_id, rec.layer, notes))
            else:
                write_notes(self.store, doc_id, rec.layer, notes)

    def finish(self) -> Written:
        """Write statuses and the journal event, and mark the file complete."""
        if self._pending is not None:  # one batch: one transaction
            self._write(self._pending, last=True)
            self._pending = None
        else:
            with self.store.transaction(check_references=False):
                self._finish_in_transaction()
        imports.clear_staged_status(self.store)
        return self.written

    def _finish_in_transaction(self) -> None:
        store, w = self.store, self.written
        for layer in sorted(self.layers - {GOLD}):
            meta.ensure_annotator(store, layer)
        for doc_id, layer, notes in self._late_notes:
            write_notes(store, doc_id, layer, notes)
        imports.apply_staged_status(store, now())
        meta.log_event(
            store, "import", "import_file", None, None,
            {"file": str(self.path), "raw_sha256": self.raw_sha256,
             "documents_added": w.documents_added, "spans_added": w.spans_added},
        )  # fmt: skip
        if self.import_id is not None:
            synclog.log_import(store, self.import_id, self.first_seq)
            imports.end_import(store, self.import_id)

    def abort(self) -> None:
        """Remove everything this file wrote so far."""
        imports.clear_staged_status(self.store)
        if self.import_id is not None:
            remove_import(self.store, self.import_id, self.first_seq)


#: (doc id, layer, start, end, label): the spans table's primary key.
_span_key = itemgetter(1, 2, 3, 4, 5)


def _set_status_keep_done(store: Store, rows: list[tuple[str, str, str]]) -> None:
    """Apply statuses; an implied ``in_progress`` never overrides a stored status."""
    meta.set_status(store, [r for r in rows if r[2] != "in_progress"])
    meta.add_status(store, [r for r in rows if r[2] == "in_progress"])


def _status_rows(records: list[Record], rec_ids: list[str]) -> list[tuple[str, str, str]]:
    rows = []
    for rec, doc_id in zip(records, rec_ids, strict=True):
        if not rec.layer:
            continue
        status = rec.meta.get("status")
        # a record of a layer says that layer has seen the document
        rows.append((doc_id, rec.layer, status if status in STATUSES else "in_progress"))
    return rows


def backfill_bands(store: Store, batch: int = 5_000) -> None:
    """Add band keys of sketched documents the band index lacks (e.g. merged in)."""
    upto = documents.bands_upto(store)
    while rows := documents.sketches_after(store, upto, batch):
        sigs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint32)
        sigs = sigs.reshape(-1, neardup.NUM_PERM)
        keys = neardup.band_keys(sigs)
        empty = (sigs == 0xFFFFFFFF).all(axis=1)
        band_rows = sorted(
            (k, seq) for i, (seq, _) in enumerate(rows) if not empty[i] for k in keys[i].tolist()
        )
        upto = rows[-1][0]
        with store.transaction():
            documents.insert_bands(store, band_rows, upto)


def remove_import(store: Store, import_id: int, first_seq: int, batch: int = 5_000) -> None:
    """Remove every row an unfinished import wrote, in short transactions.

    Its documents go a batch at a time (with their search rows, band keys
    and, by cascade, spans, relations and statuses), then the spans and
    relations it added to documents stored before; the import stays
    registered until the end, so a removal that is itself cut short is
    finished later.
    """
    while rows := imports.imported_by(store, import_id, first_seq, batch):
        fields = index_fields_many([text for _, text, _ in rows])
        band_rows = []
        for seq, _, blob in rows:
            sig = np.frombuffer(blob, dtype=np.uint32).reshape(1, -1)
            if not neardup.is_empty(sig[0]):
                band_rows.extend((k, seq) for k in neardup.band_keys(sig)[0].tolist())
        with store.transaction():
            documents.delete_search(store, [(r[0], *f) for r, f in zip(rows, fields, strict=True)])
            documents.delete_bands(store, band_rows)
            imports.delete_documents(store, [r[0] for r in rows])
    with store.transaction():
        imports.delete_imported(store, import_id)
        documents.lower_bands_upto(store, first_seq - 1)
        imports.end_import(store, import_id)


def recover(store: Store, *, strict: bool = False) -> list[str]:
    """Remove what imports that died on this machine left; return their files.

    An import still running (this process, or another live one) is left
    alone, or with ``strict`` (before an import starts) refused with a
    UserError, as is one registered from another machine.
    """
    host, removed = socket.gethostname(), []
    for import_id, file, first_seq, pid, their_host in imports.unfinished_imports(store):
        running = their_host != host or pid == os.getpid() or _alive(pid)
        if running and strict:
            where = f"pid {pid}" if their_host == host else their_host
            raise UserError(f"an import of {file} ({where}) into this database is not finished")
        if not running:
            remove_import(store, import_id, first_seq)
            removed.append(file)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
