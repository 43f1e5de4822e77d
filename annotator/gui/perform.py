"""One path for every change: run an edit, keep undo true, announce what changed.

An ``Edit`` makes one write through the services both ways (``do`` and
``undo`` each return the ``Changes`` they made). ``Performer.perform`` pushes
it on the window's single QUndoStack (``push()`` runs ``redo()`` at once: the
write happens there, never before) and hands every ``Changes`` to
``announce`` (the window's ``changed`` signal), so each view updates itself.

Another process may hold the database's write lock (a big import does). The
GUI connection waits only briefly (``BUSY_WAIT_MS``); a write that finds the
lock taken is not stored and not put on the stack, the edit is queued, the
status bar says "waiting for another writer" and the queue is tried again on
a timer, in order, so the GUI never freezes and the stack never holds a
command the database does not. After ``max_attempts`` tries the queued edits
are given up and the curator is told plainly that they were not saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.changes import Changes
from annotator.core.errors import DatabaseBusy, UserError
from annotator.gui.i18n import tr

BUSY_WAIT_MS = 150
RETRY_MS = 250
MAX_ATTEMPTS = 240  # about a minute of retrying


class Edit:
    """One undoable write; subclasses call services in ``do`` and ``undo``."""

    text = "edit"

    def __init__(self, doc_id: str | None) -> None:
        self.doc_id = doc_id  # None: an edit of no one document (a label's colour)

    def do(self) -> Changes:
        """Make the write (also the redo after an undo); return what changed."""
        raise NotImplementedError

    def undo(self) -> Changes:
        """Reverse the write; return what changed."""
        raise NotImplementedError


class _Command(QUndoCommand):
    """Runs an Edit's two directions on the stack and reports the outcome."""

    def __init__(self, performer: Performer, edit: Edit) -> None:
        super().__init__(edit.text)
        self.performer, self.edit = performer, edit
        self.skip = False  # the next redo/undo only puts the stack back in step
        self.busy = False
        self.pushed = False

    def redo(self) -> None:
        first, self.pushed = not self.pushed, True
        self._run(self.edit.do, first=first)

    def undo(self) -> None:
        self._run(self.edit.undo, first=False)

    def _run(self, fn: Callable[[], Changes], first: bool) -> None:
        if self.skip:
            self.skip = False
            return
        self.busy = False
        performer = self.performer
        try:
            if not first and self.edit.doc_id is not None:
                performer.show(self.edit.doc_id)  # undo or redo elsewhere: show its document
            changes = fn()
        except DatabaseBusy:
            self.busy = True
            if first:
                self.setObsolete(True)
            return
        except UserError as exc:
            self.setObsolete(True)
            performer.error.emit(str(exc))
            return
        if first and not changes:
            self.setObsolete(True)  # nothing was written: nothing to undo
        performer.announce(changes)


Step = tuple[Literal["push", "undo", "redo", "call"], object]


class Performer(QObject):
    """The window's undo stack and write queue; ``error`` and ``waiting`` for the user."""

    error = Signal(str)
    waiting = Signal(bool)
    failed = Signal(str)

    def __init__(
        self,
        show: Callable[[str], None],
        announce: Callable[[Changes], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.show, self.announce = show, announce
        self.stack = QUndoStack(self)
        self.queue: list[Step] = []
        self.attempts = 0
        self.max_attempts = MAX_ATTEMPTS
        self.timer = QTimer(self, singleShot=True, interval=RETRY_MS)
        self.timer.timeout.connect(self._retry)

    @property
    def is_waiting(self) -> bool:
        """True while edits wait for another process's write lock."""
        return bool(self.queue)

    def perform(self, edit: Edit) -> None:
        """Run ``edit`` as one undoable command (queued while another writer holds the lock)."""
        self._submit(("push", edit))

    def call(self, write: Callable[[], Changes]) -> None:
        """Run a write that is not undone (a rejection, an import's result) and announce it."""
        self._submit(("call", write))

    def undo(self) -> None:
        """Undo the last command (Ctrl+Z)."""
        if self.stack.canUndo() or self.queue:
            self._submit(("undo", None))

    def redo(self) -> None:
        """Redo the last undone command (Ctrl+Shift+Z)."""
        if self.stack.canRedo() or self.queue:
            self._submit(("redo", None))

    def push_done(self, edit: Edit) -> None:
        """Put an edit that is already in the database on the stack (history from the journal)."""
        command = _Command(self, edit)
        command.skip, command.pushed = True, True
        self.stack.push(command)

    # -- running and retrying ------------------------------------------------

    def _submit(self, step: Step) -> None:
        if self.queue:
            self.queue.append(step)  # keep the order behind the waiting edit
            return
        if not self._attempt(step):
            self.queue.append(step)
            self.attempts = 1
            self.waiting.emit(True)
            self.timer.start()

    def _attempt(self, step: Step) -> bool:
        """Run one step; False when the lock was taken (nothing changed)."""
        kind, what = step
        if kind == "call":
            try:
                changes = what()
            except DatabaseBusy:
                return False
            except UserError as exc:
                self.error.emit(str(exc))
                return True
            self.announce(changes)
            return True
        if kind == "push":
            command = _Command(self, what)
            self.stack.push(command)  # runs redo(); dropped again when obsolete
            return not command.busy
        stack = self.stack
        index = stack.index()
        if kind == "undo":
            if not stack.canUndo():
                return True
            command = stack.command(index - 1)
            stack.undo()
            if command.busy:  # not undone in the database: put the stack back
                command.skip = True
                stack.redo()
                return False
            return True
        if not stack.canRedo():
            return True
        command = stack.command(index)
        stack.redo()
        if command.busy:
            command.skip = True
            stack.undo()
            return False
        return True

    def _retry(self) -> None:
        while self.queue:
            if not self._attempt(self.queue[0]):
                self.attempts += 1
                if self.attempts > self.max_attempts:
                    self._give_up()
                else:
                    self.timer.start()
                return
            self.queue.pop(0)
        self.attempts = 0
        self.waiting.emit(False)

    def flush(self, wait: Callable[[], None] | None = None) -> bool:
        """Try the waiting edits once more now (the window closes); True when none is left.

        ``wait`` is called first (e.g. to let the connection wait longer for
        the lock); edits still not stored are reported through ``failed``.
        """
        self.timer.stop()
        if not self.queue:
            return True
        if wait is not None:
            wait()
        self.attempts = self.max_attempts  # this is the last try
        self._retry()
        return not self.queue

    def _give_up(self) -> None:
        lost = len(self.queue)
        self.queue.clear()
        self.attempts = 0
        self.waiting.emit(False)
        self.failed.emit(
            tr(
                "{n} edit(s) could not be saved: another program kept the database busy."
                " Nothing of them was stored; please do them again.",
                n=lost,
            )
        )
