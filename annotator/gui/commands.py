"""The workspace's edits: each one service call forward and one back.

Every class here is an ``Edit`` for ``Performer.perform``: ``do`` (also the
redo) and ``undo`` return the ``Changes`` the services made. Redo after undo
puts back the same span or link (same id), so links and later commands that
name it stay valid.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.changes import Changes
from annotator.core.model import Note, Relation, Span
from annotator.core.suggest import Suggestion
from annotator.gui.perform import Edit
from annotator.services import annotate, labels, notes
from annotator.services.project import Project


class _ProjectEdit(Edit):
    def __init__(self, project: Project, actor: str, doc_id: str) -> None:
        super().__init__(doc_id)
        self.project, self.actor = project, actor


class AddSpan(_ProjectEdit):
    """Tag [start, end) of a document in ``layer``."""

    def __init__(
        self,
        project: Project,
        actor: str,
        layer: str,
        doc_id: str,
        start: int,
        end: int,
        label: str,
    ) -> None:
        super().__init__(project, actor, doc_id)
        self.layer, self.args = layer, (start, end, label)
        self.span: Span | None = None
        self.text = f"{label} {start}-{end}"

    def do(self) -> Changes:
        if self.span is None:
            changes = annotate.add_span(
                self.project, self.actor, self.doc_id, *self.args, layer=self.layer
            )
            self.span = changes.span
            return changes
        return annotate.restore_span(self.project, self.actor, self.span)

    def undo(self) -> Changes:
        return annotate.delete_span(self.project, self.actor, self.span.id)


class DeleteSpan(_ProjectEdit):
    """Delete a span with its links; undo restores both."""

    def __init__(self, project: Project, actor: str, span: Span) -> None:
        super().__init__(project, actor, span.doc_id)
        self.span = span
        self.rels: tuple[Relation, ...] = ()
        self.text = f"delete {span.label}"

    def do(self) -> Changes:
        changes = annotate.delete_span(self.project, self.actor, self.span.id)
        self.rels = changes.relations_removed
        return changes

    def undo(self) -> Changes:
        return annotate.restore_span(self.project, self.actor, self.span, self.rels)


class UpdateSpan(_ProjectEdit):
    """Relabel a span or move its edges in place (same id, links kept)."""

    def __init__(self, project: Project, actor: str, before: Span, after: Span) -> None:
        super().__init__(project, actor, before.doc_id)
        self.before, self.after = before, after
        self.text = f"{before.label} → {after.label} {after.start}-{after.end}"

    def _to(self, span: Span) -> Changes:
        return annotate.update_span(
            self.project, self.actor, span.id, start=span.start, end=span.end, label=span.label
        )

    def do(self) -> Changes:
        return self._to(self.after)

    def undo(self) -> Changes:
        return self._to(self.before)


class AddRelation(_ProjectEdit):
    """Link span ``head`` to span ``tail`` (ids); redo after undo restores the same link."""

    def __init__(
        self, project: Project, actor: str, doc_id: str, head: str, tail: str, label: str
    ) -> None:
        super().__init__(project, actor, doc_id)
        self.head, self.tail, self.label = head, tail, label
        self.rel: Relation | None = None
        self.text = label

    def do(self) -> Changes:
        if self.rel is None:
            changes = annotate.add_relation(
                self.project, self.actor, self.head, self.tail, self.label
            )
            self.rel = changes.relation
            return changes
        return annotate.restore_relation(self.project, self.actor, self.rel)

    def undo(self) -> Changes:
        return annotate.delete_relation(self.project, self.actor, self.rel.id)


class DeleteRelation(_ProjectEdit):
    """Remove a link; undo restores it."""

    def __init__(self, project: Project, actor: str, rel: Relation) -> None:
        super().__init__(project, actor, rel.doc_id)
        self.rel = rel
        self.text = f"unlink {rel.label}"

    def do(self) -> Changes:
        return annotate.delete_relation(self.project, self.actor, self.rel.id)

    def undo(self) -> Changes:
        return annotate.restore_relation(self.project, self.actor, self.rel)


class SetStatus(_ProjectEdit):
    """Change a document's status in a layer; undo puts back the previous one."""

    def __init__(self, project: Project, actor: str, layer: str, doc_id: str, status: str) -> None:
        super().__init__(project, actor, doc_id)
        self.layer, self.status = layer, status
        self.before: str | None = None
        self.text = f"status {status}"

    def do(self) -> Changes:
        if self.before is None:
            self.before = annotate.status_of(self.project, self.doc_id, self.layer)
        return annotate.set_status(
            self.project, self.actor, self.doc_id, self.status, layer=self.layer
        )

    def undo(self) -> Changes:
        return annotate.set_status(
            self.project, self.actor, self.doc_id, self.before or "todo", layer=self.layer
        )


class SetNote(_ProjectEdit):
    """Write a note or flag on a span or a document; undo puts back the previous one."""

    def __init__(self, project: Project, actor: str, before: Note, after: Note) -> None:
        super().__init__(project, actor, after.doc_id)
        self.before, self.after = before, after
        self.text = "note"

    def do(self) -> Changes:
        return notes.set_note(self.project, self.actor, self.after)

    def undo(self) -> Changes:
        return notes.set_note(self.project, self.actor, self.before)


class EditLabel(_ProjectEdit):
    """Change a label's names, colour or key; undo puts back what it had.

    Both directions go through ``services.labels.edit_label``, so each is
    checked, journaled and (for a reviewer on a hub) logged for the next sync.
    The edit belongs to no document (``doc_id`` is None).
    """

    def __init__(self, project: Project, actor: str, name: str, values: dict[str, str]) -> None:
        super().__init__(project, actor, None)
        self.name, self.values = name, dict(values)
        self.before: dict[str, str] | None = None
        self.text = f"label {name}"

    @classmethod
    def done(cls, project: Project, actor: str, name: str, before: dict, after: dict) -> EditLabel:
        """The edit of a label change already stored (a journal entry)."""
        edit = cls(project, actor, name, after)
        edit.before = {c: before[c] for c in after}
        return edit

    def do(self) -> Changes:
        if self.before is None:  # first run: keep only what differs, and what it was
            label = labels.check_edit(self.project, self.name, self.values)
            self.values = {c: v for c, v in self.values.items() if getattr(label, c) != v}
            self.before = {c: getattr(label, c) for c in self.values}
        return labels.edit_label(self.project, self.name, self.values, by=self.actor)

    def undo(self) -> Changes:
        return labels.edit_label(self.project, self.name, self.before, by=self.actor)


class AcceptSuggestions(_ProjectEdit):
    """Store suggestions as spans (and their links); undo takes back what was made."""

    def __init__(self, project: Project, actor: str, items: Sequence[Suggestion]) -> None:
        super().__init__(project, actor, items[0].doc_id)
        self.items = list(items)
        self.made: Changes | None = None
        self.text = f"accept {items[0].label}"

    @classmethod
    def done(cls, project: Project, actor: str, made: Changes) -> AcceptSuggestions:
        """The edit of a batch already accepted (journal entry: this run's or the CLI's)."""
        edit = cls.__new__(cls)
        first = (made.spans_added or made.relations_added)[0]
        _ProjectEdit.__init__(edit, project, actor, first.doc_id)
        edit.items, edit.made = [], made
        edit.text = f"accept {len(made.spans_added)} suggestion(s)"
        return edit

    def do(self) -> Changes:
        from annotator.services import suggest  # plug-in lookup: loaded on first use

        if self.made is None:
            self.made = suggest.accept_all(self.project, self.actor, self.items)
            return self.made
        return suggest.put_back(self.project, self.actor, self.made)

    def undo(self) -> Changes:
        from annotator.services import suggest

        return suggest.take_back(self.project, self.actor, self.made)
