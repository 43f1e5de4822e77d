"""Undoable edits: QUndoCommands that call the annotate service both ways.

``Workspace`` owns the window's single QUndoStack and announces every change
by signal, so views refresh themselves. ``push()`` runs ``redo()`` at once:
the edit is made there, never before pushing. Undoing an edit of another
document first asks the window (``show``) to open that document. A failed
service call (e.g. the database was changed elsewhere) is reported through
``error`` and the command drops itself from the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import UserError
from annotator.core.model import Relation, Span
from annotator.services import annotate
from annotator.services.project import Project


class Workspace(QObject):
    """One curator's edits on one project, with undo and change signals."""

    span_added = Signal(object)
    span_removed = Signal(object)
    relation_added = Signal(object)
    relation_removed = Signal(object)
    status_changed = Signal(str, str)
    error = Signal(str)

    def __init__(
        self, project: Project, annotator: str, show: Callable[[str], None], parent=None
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.annotator = annotator
        self.show = show
        self.stack = QUndoStack(self)

    def add_span(self, doc_id: str, start: int, end: int, label: str) -> None:
        """Tag [start, end) of a document in the curator's layer (undoable)."""
        self.stack.push(AddSpan(self, doc_id, start, end, label))

    def delete_span(self, span: Span) -> None:
        """Remove a span and its links (undoable)."""
        self.stack.push(DeleteSpan(self, span))

    def add_relation(self, head: Span, tail: Span, label: str) -> None:
        """Link ``head`` to ``tail`` (undoable)."""
        self.stack.push(AddRelation(self, head, tail, label))

    def delete_relation(self, rel: Relation) -> None:
        """Remove a link (undoable)."""
        self.stack.push(DeleteRelation(self, rel))

    def set_status(self, doc_id: str, status: str) -> None:
        """Set the document's status in the curator's layer (undoable)."""
        self.stack.push(SetStatus(self, doc_id, status))


class _Command(QUndoCommand):
    """Runs a service call; on UserError reports it and marks itself obsolete."""

    def __init__(self, ws: Workspace, doc_id: str, text: str) -> None:
        super().__init__(text)
        self.ws, self.doc_id = ws, doc_id

    def _guard(self, fn: Callable[[], None]) -> None:
        try:
            self.ws.show(self.doc_id)
            fn()
        except UserError as exc:
            self.setObsolete(True)
            self.ws.error.emit(str(exc))

    def redo(self) -> None:
        self._guard(self.do)

    def undo(self) -> None:
        self._guard(self.undo_it)

    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError


class AddSpan(_Command):
    """Add a span; redo after undo puts back the same span (same id)."""

    def __init__(self, ws: Workspace, doc_id: str, start: int, end: int, label: str) -> None:
        super().__init__(ws, doc_id, f"{label} {start}-{end}")
        self.args = (start, end, label)
        self.span: Span | None = None

    def do(self) -> None:
        ws = self.ws
        if self.span is None:
            self.span = annotate.add_span(ws.project, ws.annotator, self.doc_id, *self.args)
        else:
            annotate.restore_span(ws.project, ws.annotator, self.span, [])
        ws.span_added.emit(self.span)

    def undo_it(self) -> None:
        _span, rels = annotate.delete_span(self.ws.project, self.ws.annotator, self.span.id)
        for rel in rels:
            self.ws.relation_removed.emit(rel)
        self.ws.span_removed.emit(self.span)


class DeleteSpan(_Command):
    """Delete a span with its links; undo restores both."""

    def __init__(self, ws: Workspace, span: Span) -> None:
        super().__init__(ws, span.doc_id, f"delete {span.label}")
        self.span = span
        self.rels: list[Relation] = []

    def do(self) -> None:
        _span, self.rels = annotate.delete_span(self.ws.project, self.ws.annotator, self.span.id)
        for rel in self.rels:
            self.ws.relation_removed.emit(rel)
        self.ws.span_removed.emit(self.span)

    def undo_it(self) -> None:
        annotate.restore_span(self.ws.project, self.ws.annotator, self.span, self.rels)
        self.ws.span_added.emit(self.span)
        for rel in self.rels:
            self.ws.relation_added.emit(rel)


class AddRelation(_Command):
    """Link two spans; redo after undo restores the same link."""

    def __init__(self, ws: Workspace, head: Span, tail: Span, label: str) -> None:
        super().__init__(ws, head.doc_id, f"{label}")
        self.head, self.tail, self.label = head, tail, label
        self.rel: Relation | None = None

    def do(self) -> None:
        ws = self.ws
        if self.rel is None:
            self.rel = annotate.add_relation(
                ws.project, ws.annotator, self.head.id, self.tail.id, self.label
            )
        else:
            annotate.restore_relation(ws.project, ws.annotator, self.rel)
        ws.relation_added.emit(self.rel)

    def undo_it(self) -> None:
        annotate.delete_relation(self.ws.project, self.ws.annotator, self.rel.id)
        self.ws.relation_removed.emit(self.rel)


class DeleteRelation(_Command):
    """Remove a link; undo restores it."""

    def __init__(self, ws: Workspace, rel: Relation) -> None:
        super().__init__(ws, rel.doc_id, f"unlink {rel.label}")
        self.rel = rel

    def do(self) -> None:
        annotate.delete_relation(self.ws.project, self.ws.annotator, self.rel.id)
        self.ws.relation_removed.emit(self.rel)

    def undo_it(self) -> None:
        annotate.restore_relation(self.ws.project, self.ws.annotator, self.rel)
        self.ws.relation_added.emit(self.rel)


class SetStatus(_Command):
    """Change a document's status; undo puts back the previous one."""

    def __init__(self, ws: Workspace, doc_id: str, status: str) -> None:
        super().__init__(ws, doc_id, f"status {status}")
        self.status = status
        self.before: str | None = None

    def do(self) -> None:
        ws = self.ws
        self.before = annotate.set_status(ws.project, ws.annotator, self.doc_id, self.status)
        ws.status_changed.emit(self.doc_id, self.status)

    def undo_it(self) -> None:
        ws = self.ws
        annotate.set_status(ws.project, ws.annotator, self.doc_id, self.before or "todo")
        ws.status_changed.emit(self.doc_id, self.before or "todo")
