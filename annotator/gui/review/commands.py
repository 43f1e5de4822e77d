"""Undoable review commands.

A ``ReviewEdit`` is one review write both ways (two service calls, each
returning ``Changes``); a ``ReviewCommand`` runs it on the review window's
undo stack and hands the result to the owner's ``apply``. As
PySide6's ``QUndoStack.push`` runs ``redo`` at once, the decision is never
written before pushing; a refused decision (``UserError``) is reported and the
command made obsolete, so it leaves the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.gui.i18n import tr
from annotator.services import review
from annotator.services.project import Project

Call = Callable[[], Changes]
#: (doc_id, conflict id) to show after the command ran, or None
Focus = tuple[str, str | None] | None


@dataclass(frozen=True)
class ReviewEdit:
    """One review write both ways: ``do()`` and ``undo()`` each return ``Changes``.

    Shaped like the workspace's ``Edit`` (``text``, ``doc_id``, ``do``, ``undo``),
    so a main window can run a choice of the conflict panel through its own
    undo path: ``performer.perform(decision_edit(project, reviewer, choice))``.
    """

    text: str
    doc_id: str
    do: Call
    undo: Call
    conflict_id: str | None = None

    @property
    def focus(self) -> Focus:
        """The document and conflict the edit concerns."""
        return (self.doc_id, self.conflict_id)


def decision_edit(project: Project, reviewer: str, choice: review.Choice) -> ReviewEdit:
    """Decide a conflict as ``choice`` says; undo takes the decision back."""
    c = choice.conflict
    return ReviewEdit(
        tr("Decided: {what}", what=tr(choice.action)),
        c.doc_id,
        lambda: review.apply_choice(project, reviewer, choice),
        lambda: review.undo_decision(project, reviewer, c.doc_id, c.id),
        c.id,
    )


def take_back_edit(project: Project, reviewer: str, doc_id: str, conflict_id: str) -> ReviewEdit:
    """Take back the decision in force on a conflict; undo reinstates it."""
    return ReviewEdit(
        tr("Take back decision"),
        doc_id,
        lambda: review.undo_decision(project, reviewer, doc_id, conflict_id),
        lambda: review.reinstate_decision(project, reviewer, doc_id, conflict_id),
        conflict_id,
    )


def unanimous_edit(
    project: Project, reviewer: str, doc_ids: list[str], text: str | None = None
) -> ReviewEdit:
    """Accept everything unanimous in ``doc_ids``; undo takes each of those decisions back."""
    return ReviewEdit(
        text or tr("Accept everything unanimous"),
        doc_ids[0],
        lambda: review.accept_unanimous_in(project, reviewer, doc_ids),
        lambda: review.undo_decisions(
            project, reviewer, [(d, review.UNANIMOUS) for d in reversed(doc_ids)]
        ),
    )


class ReviewCommand(QUndoCommand):
    """A ``ReviewEdit`` on an undo stack; ``apply(changes, focus, moves_on)`` shows the result."""

    def __init__(
        self,
        edit: ReviewEdit,
        apply: Callable[[Changes, Focus, bool], None],
        report: Callable[[str], None],
        *,
        done: Changes | None = None,
        moves_on: bool = True,
        focus: Focus | bool = True,
    ) -> None:
        """``done``: the write already happened (a finished run): the first redo only shows it.

        ``moves_on``: after the write the owner moves on to the next conflict
        (a decision) rather than staying on the one it concerned (a take-back).
        ``focus``: what to show afterwards (True: the edit's document and
        conflict; None: stay where the reviewer is).
        """
        super().__init__(edit.text)
        self.edit, self._apply, self._report = edit, apply, report
        self.focus = edit.focus if focus is True else focus
        self._done = done
        self.moves_on = moves_on

    def redo(self) -> None:
        """Run (or run again) the write."""
        if self._done is not None:
            changes, self._done = self._done, None
        else:
            try:
                changes = self.edit.do()
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
            changes = self.edit.undo()
        except UserError as exc:
            self._report(str(exc))
            return
        self._apply(changes, self.focus, False)
        self._report(tr("Undone: {what}", what=self.text()))
