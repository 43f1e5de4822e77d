"""Applying a pull from the hub to the local file, checking every row first.

Rows from the hub are untrusted like an imported file (labels: see
``services/sync_labels.py``): a document must hash
to its id; a span must lie inside its document's text, carry a known label
and origin; a link must join two spans of its own document and layer with
the labels its type names; a status must be one we know; a note must be
text of at most ``MAX_NOTE`` characters on a document here. A row that fails
is skipped and named in the report (one line each) instead of blocking
every later sync; the rest is applied in one local transaction together
with the new cursor. Same identity rules as merge: documents by content
hash, spans by id, a span's document and layer never change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from annotator.core.arabic import index_fields_many
from annotator.core.ids import document_id
from annotator.core.model import GOLD, STATUSES, check_span_bounds
from annotator.core.validate import layer_name_problem
from annotator.services.notes import MAX_NOTE
from annotator.services.project import Project
from annotator.services.sync_labels import apply_labels
from annotator.store import documents, meta, spans, synclog
from annotator.store.hub_sync import Pulled

ORIGINS = ("manual", "suggested", "imported", "adjudicated")


def apply_pull(
    project: Project,
    pulled: Pulled,
    user: str,
    role: str,
    before_commit: Callable[[], None],
    *,
    confirm_push: Callable[[], None] = lambda: None,
    synced_at: str | None = None,
) -> tuple[dict[str, int], list[str]]:
    """Apply ``pulled`` in one transaction (with the new cursor and, given, the time
    of this sync); return (rows applied by table, skipped rows).

    ``confirm_push`` runs first in the same transaction (the last push batch
    is forgotten locally only if the pull is kept too), so the changes still
    pending are only those made during the sync.
    """
    store = project.store
    skipped: list[str] = []
    counts: dict[str, int] = {}
    with store.transaction():
        confirm_push()
        synclog.mute(store)
        layered = pulled.spans or pulled.relations or pulled.progress or pulled.notes
        pending = synclog.logged_keys(store) if layered else set()
        _people(project, pulled, skipped)
        labels = apply_labels(project, pulled.labels, pending, role, skipped)
        if labels:
            project.reload_schema()
        counts["labels"] = len(labels)
        counts["documents"] = _documents(project, pulled, skipped)
        counts["spans"] = _spans(project, pulled, pending, skipped)
        counts["relations"] = _relations(project, pulled, pending, skipped)
        counts["progress"] = _progress(project, pulled, pending, skipped)
        counts["decisions"] = _decisions(project, pulled, skipped)
        counts["assignments"] = _assignments(project, pulled, user, role)
        counts["rejected"] = _rejected(project, pulled, skipped)
        counts["notes"] = _notes(project, pulled, pending, skipped)
        synclog.set_state(store, cursor=pulled.cursor)
        if synced_at is not None:
            synclog.set_state(store, last_sync=synced_at)
        synclog.unmute(store)
        before_commit()
    return counts, skipped


def apply_rows(
    project: Project, rows: dict[str, list[tuple]], after: int, skipped: list[str]
) -> None:
    """Apply hub rows of spans, relations, progress and notes (inside the caller's transaction);
    rows changed here again since log entry ``after`` are left for the next push."""
    pulled = Pulled(
        cursor="",
        people=[],
        labels=[],
        documents=[],
        spans=rows.get("spans", []),
        relations=rows.get("relations", []),
        progress=rows.get("progress", []),
        decisions=[],
        assignments=[],
        notes=rows.get("notes", []),
    )
    store = project.store
    with store.transaction():
        pending = synclog.logged_keys(store, after)
        synclog.mute(store)
        _spans(project, pulled, pending, skipped)
        _relations(project, pulled, pending, skipped)
        _progress(project, pulled, pending, skipped)
        _notes(project, pulled, pending, skipped)
        synclog.unmute(store)


def _people(project: Project, pulled: Pulled, skipped: list[str]) -> None:
    known = meta.annotators(project.store)
    for name, role in pulled.people:
        if role not in ("curator", "reviewer") or known.get(name) == role or name == GOLD:
            continue
        problem = layer_name_problem(name)
        if problem:
            skipped.append(f"person {name!r}: {problem}")
        else:
            meta.set_annotator(project.store, name, role)


def _layer_problem(layer: object) -> str | None:
    """Why ``layer`` from the hub cannot be a layer here (the rules of import)."""
    return None if layer == GOLD else layer_name_problem(layer)


def _documents(project: Project, pulled: Pulled, skipped: list[str]) -> int:
    store = project.store
    present = documents.existing_ids(store, [r[0] for r in pulled.documents])
    new: list[tuple] = []
    seen: set[str] = set()
    for row in pulled.documents:
        doc_id, _title, text, _raw, _source, meta_json, _cluster, _at = row
        if doc_id in present or doc_id in seen:
            continue
        if not isinstance(text, str) or document_id(text) != doc_id:
            skipped.append(f"document {doc_id}: its text does not hash to its id")
            continue
        try:
            parsed = json.loads(meta_json)
        except (TypeError, ValueError):
            parsed = None
        if not isinstance(parsed, dict):
            skipped.append(f"document {doc_id}: meta is not a JSON object")
            continue
        seen.add(doc_id)
        new.append(row)
    if not new:
        return 0
    from annotator.core import neardup  # numpy: loaded when documents arrive, not at start

    fields = index_fields_many([r[2] for r in new])
    sigs = neardup.signatures([norm for norm, _ in fields])
    seq0 = documents.next_seq(store)
    documents.insert(
        store,
        [
            (d, t, x, raw, src, m, cl, sigs[i].tobytes(), at, seq0 + i)
            for i, (d, t, x, raw, src, m, cl, at) in enumerate(new)
        ],
    )
    documents.insert_search(store, [(seq0 + i, *f) for i, f in enumerate(fields)])
    return len(new)


def _spans(project: Project, pulled: Pulled, pending: set, skipped: list[str]) -> int:
    store = project.store
    texts = synclog.document_texts(store, {r[1] for r in pulled.spans})
    labels = {lab.name for lab in project.schema.labels}
    owners = spans.owners(store, {r[0] for r in pulled.spans})
    dead: list[tuple[str, str]] = []
    live: list[tuple] = []
    for row in pulled.spans:
        sid, doc_id, layer, start, end, label, origin, created, updated, deleted, _at = row
        if ("spans", sid, doc_id) in pending:
            continue  # changed here meanwhile: the local edit is newer and goes next push
        if sid in owners and owners[sid][:2] != (doc_id, layer):
            # the hub keys spans by (layer, id); here an id is one span
            skipped.append(f"span {sid} ({layer}, {doc_id}): its id is another span's here")
            continue
        if deleted:
            dead.append((sid, layer))
            continue
        problem = _span_problem(texts.get(doc_id), layer, start, end, label, origin, labels)
        if problem:
            skipped.append(f"span {sid} ({layer}, {doc_id}): {problem}")
            continue
        live.append((sid, doc_id, layer, start, end, label, origin, created, updated))
    synclog.delete_spans(store, dead)
    clashes = synclog.apply_spans(store, live)
    return len(dead) + len(live) - clashes


def _span_problem(text, layer, start, end, label, origin, labels) -> str | None:
    if text is None:
        return "no such document here"
    if problem := _layer_problem(layer):
        return problem
    if label not in labels:
        return f"unknown label {label!r}"
    if origin not in ORIGINS:
        return f"unknown origin {origin!r}"
    return check_span_bounds(len(text), start, end)


def _relations(project: Project, pulled: Pulled, pending: set, skipped: list[str]) -> int:
    store = project.store
    types = {r.name: r for r in project.schema.relations}
    dead = [r[0] for r in pulled.relations if r[8] and ("relations", r[0], r[1]) not in pending]
    synclog.delete_relations(store, dead)
    ends = {x for r in pulled.relations if not r[8] for x in (r[4], r[5])}
    owners = spans.owners(store, ends)
    applied = len(dead)
    for row in pulled.relations:
        rid, doc_id, layer, label, head, tail, created, updated, deleted, _at = row
        if deleted or ("relations", rid, doc_id) in pending:
            continue
        rtype = types.get(label)
        if rtype is None:
            skipped.append(f"relation {rid}: unknown relation {label!r}")
            continue
        h, t = owners.get(head), owners.get(tail)
        if h is None or t is None:
            continue  # a span it joins is gone: the link went with it
        if h[:2] != (doc_id, layer) or t[:2] != (doc_id, layer):
            skipped.append(f"relation {rid}: joins spans of another document or layer")
            continue
        if (h[2], t[2]) != (rtype.head, rtype.tail):
            skipped.append(f"relation {rid}: {label} links a {rtype.head} to a {rtype.tail}")
            continue
        if synclog.upsert_relation(
            store, (rid, doc_id, layer, label, head, tail, created, updated)
        ):
            applied += 1
    return applied


def _progress(project: Project, pulled: Pulled, pending: set, skipped: list[str]) -> int:
    store = project.store
    have = documents.existing_ids(store, {r[0] for r in pulled.progress})
    live, dead = [], []
    for doc_id, layer, status, updated, deleted, _at in pulled.progress:
        if ("progress", layer, doc_id) in pending:
            continue
        if doc_id not in have:
            skipped.append(f"progress of {layer} on {doc_id}: no such document here")
        elif problem := _layer_problem(layer):
            skipped.append(f"progress on {doc_id}: {problem}")
        elif deleted:
            dead.append((doc_id, layer))
        elif status not in STATUSES:
            skipped.append(f"progress of {layer} on {doc_id}: unknown status {status!r}")
        else:
            live.append((doc_id, layer, status, updated))
    synclog.delete_progress(store, dead)
    synclog.upsert_progress(store, live)
    return len(live) + len(dead)


def _decisions(project: Project, pulled: Pulled, skipped: list[str]) -> int:
    store = project.store
    have = documents.existing_ids(store, {r[2] for r in pulled.decisions})
    rows = []
    for row in pulled.decisions:
        did, _reviewer, doc_id, _conflict, choice, _at = row
        try:
            json.loads(choice)
        except (TypeError, ValueError):
            skipped.append(f"decision {did}: its choice is not JSON")
            continue
        if doc_id not in have:
            skipped.append(f"decision {did}: no such document here")
            continue
        rows.append(row)
    synclog.insert_decisions(store, rows)
    return len(rows)


def _rejected(project: Project, pulled: Pulled, skipped: list[str]) -> int:
    store = project.store
    texts = synclog.document_texts(store, {r[0] for r in pulled.rejected})
    labels = {lab.name for lab in project.schema.labels}
    rows = []
    for row in pulled.rejected:
        doc_id, layer, start, end, label, _who, _at = row
        problem = _span_problem(texts.get(doc_id), layer, start, end, label, "manual", labels)
        if problem:
            skipped.append(f"rejected suggestion ({layer}, {doc_id}): {problem}")
        else:
            rows.append(row)
    synclog.insert_rejections(store, rows)
    return len(rows)


def _assignments(project: Project, pulled: Pulled, user: str, role: str) -> int:
    live, gone = [], []
    for doc_id, curator, by, at, deleted in pulled.assignments:
        if role != "reviewer" and curator != user:
            continue
        stamp = at.isoformat() if isinstance(at, datetime) else str(at)
        (gone if deleted else live).append(
            (doc_id, curator) if deleted else (doc_id, curator, by, stamp)
        )
    synclog.set_assignments(project.store, live, gone)
    return len(live) + len(gone)


def _notes(project: Project, pulled: Pulled, pending: set, skipped: list[str]) -> int:
    store = project.store
    have = documents.existing_ids(store, {r[0] for r in pulled.notes})
    live, dead = [], []
    for doc_id, layer, target, note, unsure, updated, deleted, _at in pulled.notes:
        if ("notes", f"{layer}:{target}", doc_id) in pending:
            continue  # changed here meanwhile: the local note goes next push
        where = f"note of {layer} on {doc_id}"
        if doc_id not in have:
            skipped.append(f"{where}: no such document here")
        elif problem := _layer_problem(layer):
            skipped.append(f"{where}: {problem}")
        elif not isinstance(target, str) or len(target) > 64:
            skipped.append(f"{where}: bad target {target!r}")
        elif deleted or (not note and not unsure):
            dead.append((doc_id, layer, target))
        elif not isinstance(note, str) or len(note) > MAX_NOTE:
            skipped.append(f"{where}: not a text of at most {MAX_NOTE} characters")
        else:
            live.append((doc_id, layer, target, note, int(bool(unsure)), updated))
    synclog.delete_notes(store, dead)
    synclog.upsert_notes(store, live)
    return len(live) + len(dead)
