"""Undo across restarts and the document the curator was on.

The events journal records every edit with its before and after; on start
the window rebuilds its undo stack from the curator's last ``HISTORY_LIMIT``
entries (each becomes an ``Edit`` already done, so Ctrl+Z reverses it
through the services like any edit of this session) and reopens the last
document shown, remembered per database in the settings.
"""

from __future__ import annotations

from annotator.core.changes import Changes
from annotator.core.model import Note, Relation, Span
from annotator.gui import commands, settings
from annotator.gui.perform import Edit
from annotator.services import annotate
from annotator.services.project import Project

HISTORY_LIMIT = 100


def _span(raw: dict) -> Span:
    return Span(**{k: raw[k] for k in Span._fields if k in raw})


def _relation(raw: dict) -> Relation:
    return Relation(**{k: raw[k] for k in ("id", "doc_id", "layer", "label", "head", "tail")})


def edit_from_event(
    project: Project, actor: str, action: str, doc_id, before, after
) -> Edit | None:
    """The done ``Edit`` a journal entry stands for (None for entries not undone here)."""
    args = (project, actor)
    if action in ("add_span", "restore_span"):
        span = _span(after)
        edit = commands.AddSpan(*args, span.layer, span.doc_id, span.start, span.end, span.label)
        edit.span = span
        return edit
    if action == "delete_span":
        edit = commands.DeleteSpan(*args, _span(before["span"]))
        edit.rels = tuple(_relation(r) for r in before.get("relations", []))
        return edit
    if action == "update_span":
        return commands.UpdateSpan(*args, _span(before), _span(after))
    if action in ("add_relation", "restore_relation"):
        rel = _relation(after)
        edit = commands.AddRelation(*args, rel.doc_id, rel.head, rel.tail, rel.label)
        edit.rel = rel
        return edit
    if action == "delete_relation":
        return commands.DeleteRelation(*args, _relation(before))
    if action == "set_note":
        note = Note(**after)
        old = Note(**before) if before else Note(note.doc_id, note.layer, note.target)
        return commands.SetNote(*args, old, note)
    if action == "edit_label":
        return commands.EditLabel.done(*args, before["label"], before, after)
    if action == annotate.SUGGESTION_BATCH:
        made = Changes(
            spans_added=tuple(_span(s) for s in after["spans"]),
            relations_added=tuple(_relation(r) for r in after["relations"]),
        )
        return commands.AcceptSuggestions.done(*args, made) if made else None
    if action == "set_status" and isinstance(after, dict) and isinstance(before, dict):
        edit = commands.SetStatus(*args, after["layer"], doc_id, after["status"])
        edit.before = before["status"]
        return edit
    return None


def restore_history(window) -> int:
    """Put the curator's recent journal entries on the window's undo stack; return how many.

    An accepted batch of suggestions (``accept_suggestions``: the workspace's
    accept-all or ``annotator suggest --accept``) becomes one step: the
    entries of its own spans and links before it are left out.
    """
    edits: list[Edit] = []
    for _id, action, doc_id, before, after in annotate.recent_edits(
        window.project, window.annotator, HISTORY_LIMIT
    ):
        try:
            edit = edit_from_event(window.project, window.annotator, action, doc_id, before, after)
        except (KeyError, TypeError, ValueError):
            edit = None  # an entry written by another version: not undoable here
        if isinstance(edit, commands.AcceptSuggestions):
            made = {s.id for s in edit.made.spans_added} | {r.id for r in edit.made.relations_added}
            edits = [e for e in edits if _made_id(e) not in made]
        if edit is not None:
            edits.append(edit)
    for edit in edits:
        window.workspace.push_done(edit)
    window.workspace.stack.setClean()
    return len(edits)


def _made_id(edit: Edit) -> str | None:
    """The id of the span or link an adding edit made (None for other edits)."""
    if isinstance(edit, commands.AddSpan):
        return edit.span.id
    if isinstance(edit, commands.AddRelation):
        return edit.rel.id
    return None


def _key(project: Project) -> str:
    return "session/last_document/" + str(project.store.path.resolve()).replace("/", "|")


def last_document(project: Project) -> str | None:
    """The document last shown on this database, or None."""
    value = settings.settings().value(_key(project), "")
    return str(value) if value else None


def remember_document(project: Project, doc_id: str) -> None:
    """Remember ``doc_id`` as the document shown on this database."""
    settings.put(_key(project), doc_id)
