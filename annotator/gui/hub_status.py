"""The team's progress from the hub: a table per curator, read off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtWidgets import QDialog, QPushButton, QTableView, QVBoxLayout, QWidget

from annotator.core.errors import UserError
from annotator.gui import i18n
from annotator.gui.i18n import tr
from annotator.gui.plain import plain_label

if TYPE_CHECKING:
    from annotator.services.assign import CuratorStatus

_INDEX = QModelIndex | QPersistentModelIndex
HEADERS = ("Curator", "Assigned", "Done", "In progress", "Skipped", "Spans", "Agreement (F1)")

i18n.add_translations(
    {
        "Team progress…": "تقدّم الفريق…",
        "Team progress": "تقدّم الفريق",
        "Curator": "المحرر",
        "Assigned": "المسند",
        "Done": "تم",
        "In progress": "قيد العمل",
        "Skipped": "متروك",
        "Agreement (F1)": "الاتفاق (F1)",
        "Reading the hub…": "جارٍ القراءة من المركز…",
        "Refresh": "تحديث",
        "No hub yet: sync once first.": "لا مركز بعد: زامن مرة أولاً.",
    }
)


class CuratorsModel(QAbstractTableModel):
    """One row per curator: their figures on the hub."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CuratorStatus] = []

    def set_rows(self, rows: list[CuratorStatus]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self.rows[index.row()]
        f1 = "-" if r.f1 is None else f"{r.f1:.2f}"
        values = (r.name, r.assigned, r.done, r.in_progress, r.skipped, r.spans, f1)
        return str(values[index.column()])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(HEADERS[section])
        return None


class _Signals(QObject):
    done = Signal(list)
    failed = Signal(str)


class _ReadJob(QRunnable):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.signals = _Signals()

    def run(self) -> None:
        try:
            from annotator.services.assign import hub_status  # numpy: loaded on first use

            rows = hub_status(self.url)
        except UserError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a worker must report, never die silently
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(rows)


class HubStatusDialog(QDialog):
    """Per-curator progress and agreement, as the hub shows them to this user."""

    finished_reading = Signal(bool)

    def __init__(self, url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hubStatusDialog")
        self.setWindowTitle(tr("Team progress"))
        self.url = url
        self.model = CuratorsModel(self)
        self.table = QTableView()
        self.table.setObjectName("hubStatusTable")
        self.table.setModel(self.model)
        self.note = plain_label()
        self.note.setObjectName("hubStatusNote")
        self.note.setWordWrap(True)
        refresh = QPushButton(tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addWidget(refresh)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._job: _ReadJob | None = None
        self.resize(640, 320)
        self.refresh()

    def refresh(self) -> None:
        """Read the hub again (in the background)."""
        if self.url is None:
            self.note.setText(tr("No hub yet: sync once first."))
            return
        self.note.setText(tr("Reading the hub…"))
        job = _ReadJob(self.url)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self._job = job
        self.pool.start(job)

    def _done(self, rows: list) -> None:
        self.model.set_rows(rows)
        self.note.setText("")
        self.finished_reading.emit(True)

    def _failed(self, reason: str) -> None:
        self.note.setText(reason)
        self.finished_reading.emit(False)

    def done(self, result: int) -> None:
        """Closing: let a running read finish first."""
        self.pool.waitForDone(30_000)
        super().done(result)
