"""The review window: documents, aligned layer lanes, conflicts and decisions.

Only reviewers may open it. Every button calls one service
(``services.review``): decisions are stored with their provenance and the
result goes to the gold layer; the window then re-reads what changed.
Errors (a bad edit, a refused permission) show in the status line.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.conflicts import Conflict
from annotator.core.errors import UserError
from annotator.core.model import GOLD
from annotator.gui.i18n import tr
from annotator.gui.plain import plain_label
from annotator.gui.review.lanes import Lanes
from annotator.gui.review.models import ConflictsModel, DocumentsModel, describe_side
from annotator.services import annotate, browse, review
from annotator.services.project import Project


class ReviewWindow(QWidget):
    """Adjudicate the conflicts of one document at a time into the gold layer."""

    def __init__(self, project: Project, reviewer: str, parent: QWidget | None = None) -> None:
        """Raises PermissionDenied unless ``reviewer`` has the reviewer role."""
        review.require_reviewer(project, reviewer)
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reviewWindow")
        self.project, self.reviewer = project, reviewer
        self.doc_id: str | None = None
        self.text = ""
        self.labels = {lab.name: (lab.kind, lab.color) for lab in project.schema.labels}
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

        self.lanes = Lanes(self)

        self.conflicts_model = ConflictsModel(self)
        self.conflict_view = QListView(objectName="conflictList")
        self.conflict_view.setModel(self.conflicts_model)
        self.conflict_view.setWordWrap(True)
        self.conflict_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflict_view.selectionModel().currentRowChanged.connect(self._conflict_changed)

        self.side_box = QComboBox(objectName="sideBox")
        self.accept_action = self._action("Accept version", "A", self.accept_side)
        self.reject_action = self._action("Reject all", "X", self.reject_all)
        self.edit_action = self._action("Apply edit", "E", self.apply_edit)
        self.unanimous_action = self._action(
            "Accept everything unanimous", "U", self.accept_unanimous
        )

        self.start_spin = QSpinBox(objectName="editStart")
        self.end_spin = QSpinBox(objectName="editEnd")
        self.label_box = QComboBox(objectName="editLabel")
        self.label_box.addItems(list(self.labels))
        self.from_selection = QPushButton(tr("From selection"), objectName="fromSelection")
        self.from_selection.clicked.connect(self.use_selection)
        edit_box = QGroupBox(tr("Edit"))
        form = QFormLayout(edit_box)
        form.addRow(tr("Start"), self.start_spin)
        form.addRow(tr("End"), self.end_spin)
        form.addRow(tr("Label"), self.label_box)
        form.addRow(self.from_selection, self._button(self.edit_action))

        self.progress_label = plain_label(objectName="reviewProgress")
        self.status_label = plain_label(objectName="reviewStatus")  # messages quote data
        self.status_label.setWordWrap(True)

        right = QWidget()
        col = QVBoxLayout(right)
        col.addWidget(QLabel(tr("Conflicts")))
        col.addWidget(self.conflict_view, 1)
        col.addWidget(self.side_box)
        row = QHBoxLayout()
        row.addWidget(self._button(self.accept_action))
        row.addWidget(self._button(self.reject_action))
        col.addLayout(row)
        col.addWidget(edit_box)
        col.addWidget(self._button(self.unanimous_action))
        col.addWidget(self.progress_label)
        col.addWidget(self.status_label)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.docs_view)
        split.addWidget(self.lanes)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _action(self, text: str, key: str, slot) -> QAction:
        action = QAction(tr(text), self)
        action.setObjectName(text.lower().replace(" ", "_"))
        action.setShortcut(QKeySequence(key))
        action.setToolTip(f"{tr(text)} ({key})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    # -- documents and conflicts --------------------------------------------

    def reload_documents(self) -> None:
        """Re-read the documents to review and show the first (or the current) one."""
        self.docs_model.set_rows(review.review_documents(self.project))
        ids = [r.doc_id for r in self.docs_model.rows]
        if ids:
            self.open_document(self.doc_id if self.doc_id in ids else ids[0])
        else:
            self.status_label.setText(tr("No document has two or more curator layers yet."))

    def open_document(self, doc_id: str) -> None:
        """Show a document's lanes and conflicts."""
        ids = [r.doc_id for r in self.docs_model.rows]
        row = ids.index(doc_id)
        current = self.docs_view.currentIndex()
        if not current.isValid() or current.row() != row:
            self.docs_view.selectionModel().setCurrentIndex(
                self.docs_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            return  # _doc_row_changed comes back here
        self.doc_id = doc_id
        self.text = browse.get_document(self.project, doc_id).text
        layers = review.curator_layers(self.project, doc_id)
        self.lanes.show_layers(self.text, [*layers, GOLD])
        for spin in (self.start_spin, self.end_spin):
            spin.setRange(0, len(self.text))
        self._load_conflicts()

    def _doc_row_changed(self, current, _previous) -> None:
        if current.isValid():
            self.open_document(self.docs_model.rows[current.row()].doc_id)

    def _load_conflicts(self, keep_row: int = 0) -> None:
        conflicts = review.document_conflicts(self.project, self.doc_id)
        self.conflicts_model.set_conflicts(conflicts, self._decided(), self.text)
        self._update_progress()
        if conflicts:
            self.select_conflict(min(keep_row, len(conflicts) - 1))
        else:
            self._conflict_changed(None, None)

    def _decided(self) -> set[str]:
        decided = review.decided_ids(self.project, self.doc_id)
        return {c.id for c in self.conflicts_model.conflicts if c.id in decided}

    def select_conflict(self, row: int) -> None:
        """Make conflict ``row`` the current one."""
        self.conflict_view.selectionModel().setCurrentIndex(
            self.conflicts_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def current_conflict(self) -> Conflict | None:
        """The conflict under review, or None."""
        index = self.conflict_view.currentIndex()
        return self.conflicts_model.conflicts[index.row()] if index.isValid() else None

    def _conflict_changed(self, _current, _previous) -> None:
        conflict = self.current_conflict()
        self.side_box.clear()
        for side in conflict.sides if conflict else ():
            self.side_box.addItem(describe_side(side, self.text))
        for action in (self.accept_action, self.reject_action, self.edit_action):
            action.setEnabled(conflict is not None)
        if conflict is not None and conflict.kind != "relation":
            first = next((s.spans[0] for s in conflict.sides if s.spans), None)
            if first:
                self.start_spin.setValue(first[0])
                self.end_spin.setValue(first[1])
                self.label_box.setCurrentText(first[2])
        self.edit_action.setEnabled(conflict is not None and conflict.kind != "relation")
        self._draw(conflict.span if conflict else None)

    def _draw(self, focus: tuple[int, int] | None) -> None:
        for layer, lane in self.lanes.lanes.items():
            lane.draw(annotate.layer_spans(self.project, self.doc_id, layer), self.labels, focus)

    def _update_progress(self) -> None:
        total = len(self.conflicts_model.conflicts)
        done = len(self.conflicts_model.decided)
        status = next((r.status for r in self.docs_model.rows if r.doc_id == self.doc_id), "")
        self.progress_label.setText(
            tr("Decided {done} / {total} — {status}", done=done, total=total, status=tr(status))
        )

    # -- decisions ---------------------------------------------------------

    def accept_side(self) -> None:
        """Accept the version chosen in the side box."""
        self._decide("accept", side=self.side_box.currentIndex())

    def reject_all(self) -> None:
        """Reject every version of the current conflict."""
        self._decide("reject")

    def apply_edit(self) -> None:
        """Put the edited span (start, end, label of the edit panel) into gold."""
        key = (self.start_spin.value(), self.end_spin.value(), self.label_box.currentText())
        self._decide("edit", spans_=[key])

    def use_selection(self) -> None:
        """Copy the selection of a lane into the edit panel's start and end."""
        selected = self.lanes.selected_range()
        if selected is None:
            self.status_label.setText(tr("Select text in a lane first."))
            return
        self.start_spin.setValue(selected[0])
        self.end_spin.setValue(selected[1])

    def _decide(self, action: str, **kwargs) -> None:
        conflict = self.current_conflict()
        if conflict is None:
            return
        row = self.conflict_view.currentIndex().row()
        try:
            review.decide(self.project, self.reviewer, conflict, action, **kwargs)
        except UserError as exc:
            self.status_label.setText(str(exc))
            return
        self.status_label.setText(tr("Decided: {what}", what=tr(action)))
        self._after_change(row + 1)

    def accept_unanimous(self) -> None:
        """Put every span and link all curator layers agree on into gold."""
        if self.doc_id is None:
            return
        try:
            added = review.accept_unanimous(self.project, self.reviewer, self.doc_id)
        except UserError as exc:
            self.status_label.setText(str(exc))
            return
        self.status_label.setText(
            tr("{spans} span(s) and {relations} link(s) added to gold", **added)
        )
        self._after_change(self.conflict_view.currentIndex().row())

    def _after_change(self, next_row: int) -> None:
        for row in review.review_documents(self.project):
            if row.doc_id == self.doc_id:
                self.docs_model.update_row(row)
        self.conflicts_model.set_decided(self._decided())
        self._update_progress()
        if self.conflicts_model.conflicts:
            self.select_conflict(max(0, min(next_row, len(self.conflicts_model.conflicts) - 1)))
        self._draw(self.current_conflict().span if self.current_conflict() else None)
