"""Accept everything unanimous in every document: count, ask, run in batches with progress.

``UnanimousAll(window).ask()`` counts what all curators agree on and gold
lacks, asks the reviewer (a non-blocking question box, ``confirm_box``), then
accepts it. Counting and accepting are each a ``BatchRun``: ``batch``
documents per event-loop turn (one transaction per batch when writing), so
the window stays responsive and Cancel in the progress dialog stops between
batches (what was written stays: each document is a decision of its own).
The finished run goes on the window's undo stack as one command.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.gui.i18n import tr
from annotator.gui.review.commands import unanimous_edit
from annotator.services import review


class BatchRun(QObject):
    """``work(chunk)`` over ``items``, ``batch`` of them per event-loop turn; results kept.

    A ``UserError`` from ``work`` stops the run (``error`` holds its message).
    """

    progressed = Signal(int, int)  # items done, total
    finished = Signal(bool)  # cancelled (by the user or an error)

    def __init__(
        self,
        items: list[str],
        work: Callable[[list[str]], object],
        batch: int = 20,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.items, self.work, self.batch = items, work, batch
        self.done = 0
        self.results: list = []
        self.error = ""
        self._cancelled = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def start(self) -> None:
        """Begin (returns at once; work happens in later event-loop turns)."""
        self._timer.start()

    def cancel(self) -> None:
        """Stop after the batch in hand; what it wrote stays."""
        self._cancelled = True

    def _step(self) -> None:
        if self._cancelled:
            self._finish(cancelled=True)
            return
        chunk = self.items[self.done : self.done + self.batch]
        try:
            self.results.append(self.work(chunk))
        except UserError as exc:
            self.error = str(exc)
            self._finish(cancelled=True)
            return
        self.done += len(chunk)
        self.progressed.emit(self.done, len(self.items))
        if self.done >= len(self.items):
            self._finish(cancelled=False)

    def _finish(self, *, cancelled: bool) -> None:
        self._timer.stop()
        self.finished.emit(cancelled)


class UnanimousAll(QObject):
    """The corpus-wide "accept everything unanimous" of a review window."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.batch = 20  # documents per transaction (and per progress step)
        self.confirm_box: QMessageBox | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.run: BatchRun | None = None

    def ask(self) -> None:
        """Count what all curators agree on and gold lacks (with progress); then ask."""
        if self.run is not None:
            return  # one run at a time
        project = self.window.project
        docs = review.reviewable_documents(project)
        self._start(
            docs,
            lambda chunk: review.unanimous_plan(project, chunk).documents,
            tr("Counting what all curators agree on…"),
            self._counted,
            shown_after=500,
        )

    def _start(self, docs: list[str], work, label: str, done, shown_after: int = 0) -> None:
        dialog = QProgressDialog(label, tr("Cancel"), 0, max(len(docs), 1), self.window)
        dialog.setObjectName("unanimousProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(shown_after)
        dialog.setValue(0)
        self.run = run = BatchRun(docs, work, self.batch, parent=self)
        run.progressed.connect(lambda n, _total: self._progressed(dialog, run, n))
        dialog.canceled.connect(run.cancel)
        run.finished.connect(lambda cancelled: self._ended(dialog, run, cancelled, done))
        self.progress_dialog = dialog
        run.start()

    def _ended(self, dialog: QProgressDialog, run: BatchRun, cancelled: bool, done) -> None:
        dialog.reset()
        self.run = None
        done(run, cancelled)

    @staticmethod
    def _progressed(dialog: QProgressDialog, run: BatchRun, done: int) -> None:
        dialog.setValue(done)
        if dialog.wasCanceled():
            run.cancel()

    def _counted(self, run: BatchRun, cancelled: bool) -> None:
        if cancelled:
            self.window.report(run.error or tr("Stopped."))
            return
        plan = review.UnanimousPlan(tuple(row for rows in run.results for row in rows))
        if not plan.documents:
            self.window.report(tr("Nothing unanimous is missing from gold."))
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Accept everything unanimous"),
            tr(
                "Add {spans} span(s) and {relations} link(s) that all curators agree on, "
                "in {documents} document(s), to gold?",
                spans=plan.spans,
                relations=plan.relations,
                documents=len(plan.documents),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("confirmUnanimous")
        box.setTextFormat(Qt.TextFormat.PlainText)
        docs = [d for d, _, _ in plan.documents]
        box.buttonClicked.connect(
            lambda button: (
                box.standardButton(button) == QMessageBox.StandardButton.Yes and self._accept(docs)
            )
        )
        self.confirm_box = box
        box.open()

    def _accept(self, docs: list[str]) -> None:
        project, reviewer = self.window.project, self.window.reviewer
        self._start(
            docs,
            lambda chunk: review.accept_unanimous_in(project, reviewer, chunk),
            tr("Accepting everything unanimous…"),
            self._accepted,
        )

    def _accepted(self, run: BatchRun, cancelled: bool) -> None:
        changes = Changes()
        for part in run.results:
            changes = changes | part
        p, who = self.window.project, self.window.reviewer
        docs = list(changes.decisions)
        if changes:
            text = tr("Accept everything unanimous in all documents…")
            self.window.push(unanimous_edit(p, who, docs, text), done=changes, focus=None)
        counts = review.added_counts(changes)
        message = tr(
            "{spans} span(s) and {relations} link(s) added to gold in {documents} document(s)",
            documents=len(docs),
            **counts,
        )
        if run.error:
            message = run.error + " — " + message
        elif cancelled:
            message = tr("Stopped.") + " " + message
        self.window.report(message)
