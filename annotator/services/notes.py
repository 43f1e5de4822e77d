"""Notes and flags: a note on a span or a document, "unsure" on a span.

Stored with the layer (only the layer's writer may set them), journaled like
every edit, shown to the reviewer and exported in native ``meta``.
"""

from __future__ import annotations

from dataclasses import asdict

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.core.model import Note
from annotator.services.annotate import check_write
from annotator.services.project import Project
from annotator.store import documents, meta

MAX_NOTE = 2_000


def notes_for(project: Project, doc_id: str, layer: str) -> dict[str, Note]:
    """target -> note of one document layer ("" is the document's own note)."""
    return meta.notes_for(project.store, doc_id, layer)


def notes_of_document(project: Project, doc_id: str) -> dict[str, dict[str, Note]]:
    """layer -> target -> note, every layer of one document (what a reviewer is shown)."""
    out: dict[str, dict[str, Note]] = {}
    for (_d, layer, target), note in meta.notes_of_layers(project.store, None, doc_id).items():
        out.setdefault(layer, {})[target] = note
    return out


def note_of(project: Project, doc_id: str, layer: str, target: str = "") -> Note:
    """The note on ``target`` (a span id, or "" for the document); empty if none."""
    return notes_for(project, doc_id, layer).get(target, Note(doc_id, layer, target))


def set_note(project: Project, actor: str, note: Note) -> Changes:
    """Store ``note`` (empty text and no flag removes it); return it in ``notes``."""
    check_write(project, actor, note.layer)
    if len(note.text) > MAX_NOTE:
        raise UserError(f"a note holds at most {MAX_NOTE} characters")
    if documents.get(project.store, note.doc_id) is None:
        raise UserError(f"no document {note.doc_id}")
    with project.store.transaction():
        before = meta.notes_for(project.store, note.doc_id, note.layer).get(note.target)
        if before == note or (before is None and note.empty):
            return Changes()
        meta.put_note(project.store, note)
        meta.log_event(
            project.store,
            actor,
            "set_note",
            note.doc_id,
            asdict(before) if before else None,
            asdict(note),
        )
    return Changes(notes=(note,))
