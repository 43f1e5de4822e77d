"""Notes and flags of a native record (``meta.notes``) on import: checked, then stored.

The export writes a layer's notes as ``[{"span": ID or null, "note": TEXT,
"unsure": BOOL}]`` (``span`` null: the note on the document), span ids being
the exporting database's; here they are checked against the record's own span
ids before anything is written, then stored on the ids the spans get in this
database, so export -> import -> export keeps every note.
"""

from __future__ import annotations

from annotator.core.errors import InputError
from annotator.core.model import Note
from annotator.core.records import Record
from annotator.services.notes import MAX_NOTE
from annotator.store import meta, spans
from annotator.store.db import Store

#: (the span's (start, end, label), or None for the document; text; unsure) per note
Notes = list[tuple[tuple[int, int, str] | None, str, bool]]


def read_notes(rec: Record, path: str) -> Notes:
    """The record's ``meta.notes`` checked: (span ref or None, text, unsure) each."""
    raw = rec.meta.get("notes")
    if raw is None:
        return []
    refs = {s.ref: (s.start, s.end, s.label) for s in rec.spans if s.ref}
    if not isinstance(raw, list):
        raise InputError(path, '"meta.notes" must be a list', rec.line)
    out = []
    for i, item in enumerate(raw):
        where = f"meta.notes[{i}]"
        if not isinstance(item, dict):
            raise InputError(path, f"{where} must be an object", rec.line)
        ref, text, unsure = item.get("span"), item.get("note", ""), item.get("unsure", False)
        if ref is not None and (not isinstance(ref, str) or ref not in refs):
            raise InputError(
                path, f"{where}: span is not the id of a span of this record", rec.line
            )
        if not isinstance(text, str) or len(text) > MAX_NOTE:
            raise InputError(
                path, f"{where}: note must be text of at most {MAX_NOTE} characters", rec.line
            )
        if not isinstance(unsure, bool):
            raise InputError(path, f"{where}: unsure must be true or false", rec.line)
        if not rec.layer:
            raise InputError(path, f"{where}: notes need the record's layer", rec.line)
        out.append((None if ref is None else refs[ref], text, unsure))
    return out


def write_notes(store: Store, doc_id: str, layer: str, notes: Notes) -> None:
    """Store ``notes`` of one document layer (in a transaction, once its spans are stored)."""
    stored = spans.ids_by_key(store, doc_id, layer)
    for key, text, unsure in notes:
        target = "" if key is None else stored[key]
        meta.put_note(store, Note(doc_id, layer, target, text, unsure))
