"""Accept everything unanimous in every document: count, ask, run in batches with progress.

``UnanimousAll(window).ask()`` counts what all curators agree on and gold
lacks, asks the reviewer (a non-blocking question box, ``confirm_box``), then
runs ``UnanimousRun``: ``batch`` documents per event-loop turn, one
transaction per batch, so the window stays responsive and Cancel in the
progress dialog stops between batches (what was written stays: each document
is a decision of its own). The finished run goes on the window's undo stack
as one command.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.gui.i18n import tr
from annotator.gui.review.commands import unanimous_edit
from annotator.services import review
from annotator.services.project import Project


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


class UnanimousAll(QObject):
    """The corpus-wide "accept everything unanimous" of a review window."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.batch = 20  # documents per transaction (and per progress step)
        self.confirm_box: QMessageBox | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.run: UnanimousRun | None = None

    def ask(self) -> None:
        """Count what all curators agree on in every document; ask; then add it with progress."""
        if self.run is not None:
            return  # one run at a time
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            plan = review.unanimous_plan(self.window.project)
        finally:
            QApplication.restoreOverrideCursor()
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
                box.standardButton(button) == QMessageBox.StandardButton.Yes and self._run(docs)
            )
        )
        self.confirm_box = box
        box.open()

    def _run(self, doc_ids: list[str]) -> None:
        dialog = QProgressDialog(
            tr("Accepting everything unanimous…"), tr("Cancel"), 0, len(doc_ids), self.window
        )
        dialog.setObjectName("unanimousProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setValue(0)
        self.run = run = UnanimousRun(
            self.window.project, self.window.reviewer, doc_ids, self.batch, parent=self
        )
        run.progressed.connect(lambda done, _total: self._progressed(dialog, run, done))
        dialog.canceled.connect(run.cancel)
        run.finished.connect(self._finished)
        self.progress_dialog = dialog
        run.start()

    @staticmethod
    def _progressed(dialog: QProgressDialog, run: UnanimousRun, done: int) -> None:
        dialog.setValue(done)
        if dialog.wasCanceled():
            run.cancel()

    def _finished(self, changes: Changes, cancelled: bool) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
        run, self.run = self.run, None
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
        if run is not None and run.error:
            message = run.error + " — " + message
        elif cancelled:
            message = tr("Stopped.") + " " + message
        self.window.report(message)
