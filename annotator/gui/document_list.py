"""The document list: a lazily paged table model and the panel around it.

``DocumentListModel`` fetches ``services.browse.list_page`` pages on demand
(``canFetchMore``/``fetchMore``), so 100,000 documents open at once. Each row
shows a title, the curator's status and span count; a status filter and a
search box narrow it (corpus search when available, else a substring).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.model import STATUSES
from annotator.gui.i18n import tr
from annotator.gui.plain import tooltip
from annotator.services import browse
from annotator.services.browse import DocRow, ListFilter
from annotator.services.project import Project

ASSIGNED = "assigned"  # the status box's "Assigned to me"

_INDEX = QModelIndex | QPersistentModelIndex
COLUMNS = ("Title", "Status", "Spans")
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class DocumentListModel(QAbstractTableModel):
    """Rows of ``DocRow`` for one layer, fetched a page at a time."""

    def __init__(self, project: Project, layer: str, parent=None) -> None:
        super().__init__(parent)
        self.project, self.layer = project, layer
        self.flt = ListFilter()
        self.rows: list[DocRow] = []
        self.row_of: dict[str, int] = {}
        self._more = True

    # Qt model API
    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == DOC_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title or row.id, tr(row.status), row.span_count)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:  # titles come from files: never rich text
            return tooltip(
                str((row.title or row.id, tr(row.status), row.span_count)[index.column()])
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return tr(COLUMNS[section])
        return None

    def canFetchMore(self, parent: _INDEX = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _INDEX = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        after = self.rows[-1].seq if self.rows else 0
        page = browse.list_page(self.project, self.layer, after, browse.PAGE_SIZE, self.flt)
        self._more = len(page) == browse.PAGE_SIZE
        if not page:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for i, row in enumerate(page):
            self.row_of[row.id] = first + i
        self.rows.extend(page)
        self.endInsertRows()

    # our API
    def set_filter(self, flt: ListFilter) -> None:
        """Show only rows matching ``flt`` (starts paging again)."""
        self.beginResetModel()
        self.flt, self.rows, self.row_of, self._more = flt, [], {}, True
        self.endResetModel()
        self.fetchMore()

    def refresh(self, doc_id: str) -> None:
        """Re-read one document's row (status, span count) after an edit."""
        i = self.row_of.get(doc_id)
        if i is None:
            return
        row = browse.list_row(self.project, self.layer, doc_id)
        if row is not None:
            self.rows[i] = row
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def find(self, doc_id: str) -> int | None:
        """Row of ``doc_id`` among those fetched, or None."""
        return self.row_of.get(doc_id)

    def neighbour(self, doc_id: str, step: int) -> str | None:
        """The document after (1) or before (-1) ``doc_id`` in this list, fetching if needed."""
        i = self.row_of.get(doc_id)
        if i is None:
            return self.rows[0].id if self.rows else None
        j = i + step
        if j >= len(self.rows) and self.canFetchMore():
            self.fetchMore()
        return self.rows[j].id if 0 <= j < len(self.rows) else None


class DocumentListPanel(QWidget):
    """Search box, status filter and the table; emits ``document_chosen(doc_id)``."""

    document_chosen = Signal(str)

    def __init__(self, model: DocumentListModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.hits: dict[str, list[tuple[int, int]]] = {}
        self.search = QLineEdit()
        self.search.setObjectName("documentSearch")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.table = QTableView()
        self.table.setObjectName("documentList")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.retranslate()

    def retranslate(self) -> None:
        """Set texts in the current language."""
        self.search.setPlaceholderText(tr("Search documents"))
        current = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(tr("All"), None)
        for status in STATUSES:
            self.status.addItem(tr(status), status)
        self.status.addItem(tr("Assigned to me"), ASSIGNED)
        self.status.setCurrentIndex(max(0, self.status.findData(current)))
        self.status.blockSignals(False)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def apply_filter(self) -> None:
        """Filter the list by the status box and the search text."""
        query = self.search.text().strip()
        status = self.status.currentData()
        mine = status == ASSIGNED  # the team hub's assignment, as of the last sync
        status = None if mine else status
        self.hits = {}
        if not query:
            self.model.set_filter(ListFilter(status=status, assigned=mine))
            return
        hits = browse.search_hits(self.model.project, query)
        if not hits:  # e.g. a word still being typed: fall back to a substring
            self.model.set_filter(ListFilter(status=status, contains=query, assigned=mine))
            return
        for hit in hits:
            self.hits.setdefault(hit.doc_id, []).append((hit.start, hit.end))
        self.model.set_filter(ListFilter(status=status, ids=tuple(self.hits), assigned=mine))

    def apply(self, changes: Changes) -> None:
        """Re-read the rows a write touched; new documents reload the list."""
        if changes.documents_added:
            self.apply_filter()
            return
        if self.model.layer in changes.layers():
            for doc_id in changes.documents():
                self.model.refresh(doc_id)

    def stop(self) -> None:
        """Cancel a pending search (the window is closing)."""
        self._timer.stop()

    def select(self, doc_id: str) -> None:
        """Show ``doc_id`` as the selected row (if it is in the list)."""
        row = self.model.find(doc_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _clicked(self, index: QModelIndex) -> None:
        doc_id = index.data(DOC_ID_ROLE)
        if doc_id:
            self.document_chosen.emit(doc_id)
