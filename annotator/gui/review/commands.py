"""Undoable review commands.

A ``ReviewCommand`` holds two service calls (do, undo), each returning
``Changes``; the owner's ``apply(changes, focus)`` updates the views. As
PySide6's ``QUndoStack.push`` runs ``redo`` at once, the decision is never
written before pushing; a refused decision (``UserError``) is reported and the
command made obsolete, so it leaves the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.gui.i18n import tr
from annotator.services import review

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
        moves_on: bool = True,
    ) -> None:
        """``done``: the write already happened (a finished run): the first redo only shows it.

        ``moves_on``: after the write the owner moves on to the next conflict
        (a decision) rather than staying on the one it concerned (a take-back).
        """
        super().__init__(text)
        self._do, self._undo, self._apply, self._report = do, undo, apply, report
        self.focus = focus
        self._done = done
        self.moves_on = moves_on

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
        if not changes:
            self.setObsolete(True)  # nothing written: nothing to undo
        self._apply(changes, self.focus, self.moves_on)
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
