"""The review window: documents, their conflicts, the conflict panel, and corpus-wide tools.

Only reviewers may open it. Each choice made in the conflict panel becomes a
``ReviewCommand`` on the window's undo stack (Ctrl+Z / Ctrl+Shift+Z), which
calls one service (``services.review``) and hands the returned ``Changes``
to ``apply``, the one place the views are brought up to date. N / P step to
the next / previous conflict across documents; U accepts everything
unanimous in this document, Shift+U in every document (with a count first and
a progress dialog). Esc and Ctrl+W close the window. Errors (a bad edit, a
refused permission) show in the status line.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.conflicts import Conflict
from annotator.gui.i18n import direction, tr
from annotator.gui.plain import plain_label
from annotator.gui.review.commands import (
    Focus,
    ReviewCommand,
    ReviewEdit,
    decision_edit,
    take_back_edit,
    unanimous_edit,
)
from annotator.gui.review.conflict_panel import ConflictPanel
from annotator.gui.review.models import ConflictsModel, DocumentsModel
from annotator.gui.review.unanimous_all import UnanimousAll
from annotator.services import review
from annotator.services.project import Project

#: documents whose conflicts are counted per event-loop turn while the list fills in
COUNT_BATCH = 50


class ReviewWindow(QWidget):
    """Adjudicate conflicts, one document at a time or across documents, into gold."""

    changed = Signal(object)  # Changes of every review write (and its undo)

    def __init__(self, project: Project, reviewer: str, parent: QWidget | None = None) -> None:
        """Raises PermissionDenied unless ``reviewer`` has the reviewer role."""
        review.require_reviewer(project, reviewer)
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reviewWindow")
        self.setLayoutDirection(direction())
        self.project, self.reviewer = project, reviewer
        self.doc_id: str | None = None
        self.text = ""
        self.undo_stack = QUndoStack(self)
        self._want: str | None = None  # conflict to show once a document row is current
        self.bulk = UnanimousAll(self)
        self._uncounted: list[str] = []
        self._counter = QTimer(self, interval=0)
        self._counter.timeout.connect(self._count_some)
        self.setWindowTitle(tr("Review — {name}", name=reviewer))
        self.resize(1200, 760)
        self._build()
        self.reload_documents()

    # -- layout ------------------------------------------------------------

    def _build(self) -> None:
        self.docs_model = DocumentsModel(parent=self)
        self.docs_view = QTableView(objectName="reviewDocuments")
        self.docs_view.setModel(self.docs_model)
        self.docs_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.docs_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.docs_view.horizontalHeader().setStretchLastSection(True)
        self.docs_view.selectionModel().currentRowChanged.connect(self._doc_row_changed)

        self.panel = ConflictPanel(self.project, self, excerpt=False)
        self.panel.set_shortcut_context(Qt.ShortcutContext.WindowShortcut)
        self.panel.decisionMade.connect(self.decide)
        self.panel.takeBackRequested.connect(self.take_back)
        self.panel.message.connect(self.report)

        self.conflicts_model = ConflictsModel(self)
        self.conflict_view = QListView(objectName="conflictList")
        self.conflict_view.setModel(self.conflicts_model)
        self.conflict_view.setWordWrap(True)
        self.conflict_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflict_view.selectionModel().currentRowChanged.connect(self._conflict_changed)

        self.next_action = self._action("Next conflict", "N", lambda: self.step(True))
        self.previous_action = self._action("Previous conflict", "P", lambda: self.step(False))
        self.skip_decided = QCheckBox(tr("Skip decided"), objectName="skipDecided")
        self.skip_decided.setChecked(True)
        self.unanimous_action = self._action(
            "Accept everything unanimous", "U", self.accept_unanimous
        )
        self.unanimous_all_action = self._action(
            "Accept everything unanimous in all documents…", "Shift+U", self.bulk.ask
        )
        self.undo_action = self._action("Undo", QKeySequence.StandardKey.Undo, self.undo_stack.undo)
        self.redo_action = self._action("Redo", "Ctrl+Shift+Z", self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.close_action = self._action("Close", "Esc", self.close)
        self.close_action.setShortcuts([QKeySequence("Esc"), QKeySequence("Ctrl+W")])

        self.progress_label = plain_label(objectName="reviewProgress")
        self.status_label = plain_label(objectName="reviewStatus")  # messages quote data
        self.status_label.setWordWrap(True)

        side = QWidget()
        col = QVBoxLayout(side)
        self.conflicts_title = QLabel(tr("Conflicts"))
        col.addWidget(self.conflicts_title)
        col.addWidget(self.conflict_view, 1)
        row = QHBoxLayout()
        for action in (self.previous_action, self.next_action):
            row.addWidget(self._button(action))
        row.addWidget(self.skip_decided)
        col.addLayout(row)
        row = QHBoxLayout()
        for action in (self.undo_action, self.redo_action):
            row.addWidget(self._button(action))
        row.addStretch(1)
        col.addLayout(row)
        col.addWidget(self._button(self.unanimous_action))
        col.addWidget(self._button(self.unanimous_all_action))
        col.addWidget(self.progress_label)
        col.addWidget(self.status_label)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.docs_view)
        split.addWidget(self.panel)
        split.addWidget(side)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 640, 340])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _action(self, text: str, key, slot) -> QAction:
        action = QAction(tr(text), self)
        action.setData(text)  # the English text, for retranslate
        action.setObjectName(text.lower().rstrip("…").replace(" ", "_"))
        action.setShortcut(QKeySequence(key))
        action.setToolTip(f"{tr(text)} ({action.shortcut().toString()})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def retranslate(self) -> None:
        """Put every text of the window in the current interface language."""
        self.setLayoutDirection(direction())
        self.setWindowTitle(tr("Review — {name}", name=self.reviewer))
        for action in self.actions():
            action.setText(tr(action.data()))
            action.setToolTip(f"{action.text()} ({action.shortcut().toString()})")
        self.skip_decided.setText(tr("Skip decided"))
        self.conflicts_title.setText(tr("Conflicts"))
        self.panel.retranslate()
        docs, conflicts = self.docs_model, self.conflicts_model  # their texts go through tr
        if docs.rows:
            last = docs.index(len(docs.rows) - 1, len(docs.HEADERS) - 1)
            docs.dataChanged.emit(docs.index(0, 0), last)
        docs.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(docs.HEADERS) - 1)
        conflicts.set_decided(conflicts.decided)
        self._update_progress()

    def show_schema(self) -> None:
        """Show the label schema as it is now (a label edit or a sync changed it)."""
        self.panel.show_schema()

    def showEvent(self, event) -> None:
        """Go on counting the list if a close stopped it."""
        if self._uncounted:
            self._counter.start()
        super().showEvent(event)

    def closeEvent(self, event) -> None:
        """Stop background work: counting, and a running unanimous run after its batch."""
        self._counter.stop()
        if self.bulk.run is not None:
            self.bulk.run.cancel()
        super().closeEvent(event)

    # the panel's parts, named as before for callers and tests
    lanes = property(lambda self: self.panel.lanes)
    side_box = property(lambda self: self.panel.side_box)
    label_box = property(lambda self: self.panel.label_box)
    accept_action = property(lambda self: self.panel.accept_action)
    reject_action = property(lambda self: self.panel.reject_action)
    edit_action = property(lambda self: self.panel.edit_action)
    take_back_action = property(lambda self: self.panel.take_back_action)

    # -- documents and conflicts --------------------------------------------

    def reload_documents(self) -> None:
        """Re-read the documents to review and show the first (or the current) one.

        The list shows at once; conflicts and decisions are counted for the
        document opened, then for the others a batch per event-loop turn.
        """
        self.docs_model.set_rows(review.review_rows(self.project))
        self._uncounted = [r.doc_id for r in self.docs_model.rows]
        self._counter.start()
        ids = [r.doc_id for r in self.docs_model.rows]
        if ids:
            self.open_document(self.doc_id if self.doc_id in ids else ids[0])
        else:
            self.status_label.setText(tr("No document has two or more curator layers yet."))

    def open_document(self, doc_id: str, conflict_id: str | None = None) -> None:
        """Show a document's conflicts (and the conflict ``conflict_id``, or the first)."""
        ids = [r.doc_id for r in self.docs_model.rows]
        row = ids.index(doc_id)
        current = self.docs_view.currentIndex()
        if not current.isValid() or current.row() != row:
            self._want = conflict_id
            self.docs_view.selectionModel().setCurrentIndex(
                self.docs_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            return  # _doc_row_changed comes back here
        self.doc_id = doc_id
        self.docs_model.update_row(review.document_review(self.project, doc_id))
        self.panel.show_conflict(doc_id, None)  # reads the text, builds the lanes
        self.text = self.panel.text
        conflicts = review.document_conflicts(self.project, doc_id)
        decided = review.decided_ids(self.project, doc_id)  # of *this* document's conflicts
        self.conflicts_model.set_conflicts(conflicts, decided, self.text)
        self._update_progress()
        ids = [c.id for c in conflicts]
        if conflicts:
            self.select_conflict(ids.index(conflict_id) if conflict_id in ids else 0)

    def _count_some(self) -> None:
        """Count conflicts and decisions of the next few listed documents."""
        done = {r.doc_id for r in self.docs_model.rows if r.counted}
        batch, self._uncounted = self._uncounted[:COUNT_BATCH], self._uncounted[COUNT_BATCH:]
        for doc_id in batch:
            if doc_id not in done:
                self.docs_model.update_row(review.document_review(self.project, doc_id))
        if not self._uncounted:
            self._counter.stop()

    def _doc_row_changed(self, current, _previous) -> None:
        if current.isValid():
            want, self._want = self._want, None
            self.open_document(self.docs_model.rows[current.row()].doc_id, want)

    def select_conflict(self, row: int) -> None:
        """Make conflict ``row`` of this document the current one."""
        self.conflict_view.selectionModel().setCurrentIndex(
            self.conflicts_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def current_conflict(self) -> Conflict | None:
        """The conflict under review, or None."""
        index = self.conflict_view.currentIndex()
        return self.conflicts_model.conflicts[index.row()] if index.isValid() else None

    def _conflict_changed(self, _current, _previous) -> None:
        self.panel.show_conflict(self.doc_id, self.current_conflict())

    def _update_progress(self) -> None:
        total = len(self.conflicts_model.conflicts)
        done = sum(
            1 for c in self.conflicts_model.conflicts if c.id in self.conflicts_model.decided
        )
        status = next((r.status for r in self.docs_model.rows if r.doc_id == self.doc_id), "")
        self.progress_label.setText(
            tr("Decided {done} / {total} — {status}", done=done, total=total, status=tr(status))
        )

    def step(self, forward: bool) -> None:
        """Go to the next (or previous) conflict, across documents."""
        current = self.current_conflict()
        found = review.step_conflict(
            self.project,
            self.doc_id,
            current.id if current else None,
            forward=forward,
            skip_decided=self.skip_decided.isChecked(),
        )
        if found is None:
            self.report(tr("No further conflict.") if forward else tr("No earlier conflict."))
            return
        self.go_to(found.doc_id, found.id)

    def go_to(self, doc_id: str, conflict_id: str | None) -> None:
        """Show document ``doc_id`` with conflict ``conflict_id`` current."""
        if doc_id != self.doc_id:
            self.open_document(doc_id, conflict_id)
            return
        ids = [c.id for c in self.conflicts_model.conflicts]
        if conflict_id in ids:
            self.select_conflict(ids.index(conflict_id))

    # -- writes -------------------------------------------------------------

    def report(self, text: str) -> None:
        """Show ``text`` (plain) in the status line."""
        self.status_label.setText(text)

    def push(self, edit: ReviewEdit, **options) -> None:
        """Run a review write as one undoable command (options: see ``ReviewCommand``)."""
        self.undo_stack.push(ReviewCommand(edit, self.apply, self.report, **options))

    def decide(self, choice: review.Choice) -> None:
        """Run a choice made in the conflict panel (undoable)."""
        self.push(decision_edit(self.project, self.reviewer, choice))

    def take_back(self, doc_id: str, conflict_id: str) -> None:
        """Take back the decision in force on a conflict (made in any session; undoable)."""
        self.push(take_back_edit(self.project, self.reviewer, doc_id, conflict_id), moves_on=False)

    def accept_unanimous(self) -> None:
        """Put every span and link all curator layers of this document agree on into gold."""
        if self.doc_id is None:
            return
        if not review.unanimous_plan(self.project, [self.doc_id]).documents:
            self.report(tr("Nothing unanimous is missing from gold."))
            return
        self.push(unanimous_edit(self.project, self.reviewer, [self.doc_id]))

    def apply(self, changes: Changes, focus: Focus, forward: bool) -> None:
        """Bring every view up to date after a write, then show ``focus``.

        After a decision the next conflict of the document becomes current;
        after an undo, the conflict it concerned.
        """
        self.changed.emit(changes)
        for doc_id in changes.documents():
            if any(r.doc_id == doc_id for r in self.docs_model.rows):
                self.docs_model.update_row(review.document_review(self.project, doc_id))
        if focus is not None and focus[0] != self.doc_id:
            self.go_to(*focus)
            return
        if self.doc_id is not None:
            self.conflicts_model.set_decided(review.decided_ids(self.project, self.doc_id))
            self._update_progress()
        row = self.conflict_view.currentIndex().row()
        ids = [c.id for c in self.conflicts_model.conflicts]
        if focus is not None and focus[1] in ids:
            row = ids.index(focus[1]) + (1 if forward else 0)
        if ids:
            row = max(0, min(row, len(ids) - 1))
            if row != self.conflict_view.currentIndex().row():
                self.select_conflict(row)
        self.panel.refresh()
