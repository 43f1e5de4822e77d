"""Undoable review commands and the corpus-wide "accept everything unanimous" run.

A ``ReviewCommand`` holds two service calls (do, undo), each returning
``Changes``; the owner's ``apply(changes, focus)`` updates the views. As
PySide6's ``QUndoStack.push`` runs ``redo`` at once, the decision is never
written before pushing; a refused decision (``UserError``) is reported and the
command made obsolete, so it leaves the stack.

``UnanimousRun`` accepts everything unanimous in many documents in small
batches from the event loop (one transaction per batch, so the window stays
responsive and the run can stop between batches), reporting progress by
signal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.gui.i18n import tr
from annotator.services import review
from annotator.services.project import Project

Call = Callable[[], Changes]
#: (doc_id, conflict id) to show after the command ran, or None
Focus = tuple[str, str | None] | None


class ReviewCommand(QUndoCommand):
    """One review write and its undo, both through the services."""

    def __init__(
        self,
        text: str,
        do: Call,
        undo: Call,
        apply: Callable[[Changes, Focus, bool], None],
        report: Callable[[str], None],
        focus: Focus = None,
        *,
        done: Changes | None = None,
    ) -> None:
        """``done``: the write already happened (a finished run): the first redo only shows it."""
        super().__init__(text)
        self._do, self._undo, self._apply, self._report = do, undo, apply, report
        self.focus = focus
        self._done = done

    def redo(self) -> None:
        """Run (or run again) the write."""
        if self._done is not None:
            changes, self._done = self._done, None
        else:
            try:
                changes = self._do()
            except UserError as exc:
                self._report(str(exc))
                self.setObsolete(True)
                return
        self._apply(changes, self.focus, True)
        counts = review.added_counts(changes)
        added = tr("{spans} span(s) and {relations} link(s) added to gold", **counts)
        self._report(self.text() + (" — " + added if any(counts.values()) else ""))

    def undo(self) -> None:
        """Take the write back."""
        try:
            changes = self._undo()
        except UserError as exc:
            self._report(str(exc))
            return
        self._apply(changes, self.focus, False)
        self._report(tr("Undone: {what}", what=self.text()))


class UnanimousRun(QObject):
    """Accept everything unanimous in ``doc_ids``, ``batch`` documents per event-loop turn."""

    progressed = Signal(int, int)  # documents done, total
    finished = Signal(object, bool)  # Changes, cancelled

    def __init__(
        self,
        project: Project,
        reviewer: str,
        doc_ids: list[str],
        batch: int = 20,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project, self.reviewer, self.doc_ids, self.batch = project, reviewer, doc_ids, batch
        self.done = 0
        self.changes = Changes()
        self.error = ""
        self._cancelled = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def start(self) -> None:
        """Begin (returns at once; work happens in later event-loop turns)."""
        self._timer.start()

    def cancel(self) -> None:
        """Stop after the batch in hand; what is written stays (one decision per document)."""
        self._cancelled = True

    def _step(self) -> None:
        if self._cancelled:
            self._finish(cancelled=True)
            return
        chunk = self.doc_ids[self.done : self.done + self.batch]
        try:
            self.changes = self.changes | review.accept_unanimous_in(
                self.project, self.reviewer, chunk
            )
        except UserError as exc:
            self.error = str(exc)
            self._finish(cancelled=True)
            return
        self.done += len(chunk)
        self.progressed.emit(self.done, len(self.doc_ids))
        if self.done >= len(self.doc_ids):
            self._finish(cancelled=False)

    def _finish(self, *, cancelled: bool) -> None:
        self._timer.stop()
        self.finished.emit(self.changes, cancelled)
