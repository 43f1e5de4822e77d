"""The export dialog: the same choices as ``annotator export``, with progress and cancel.

The export runs in a ``QThread`` on its own database connection (SQLite in
WAL mode lets it read while the window keeps its connection), so the window
stays responsive on a large corpus and a cancel is acted on within a few
hundred documents. The worker reports progress by signal; cancelling sets a
flag the export's progress callback reads, and the service then removes
every temporary file, so a cancelled export leaves nothing behind.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import UserError
from annotator.gui.i18n import tr
from annotator.gui.plain import plain_label
from annotator.services.datasets import ExportOptions, choices, export_dataset, plan
from annotator.services.project import Project, open_project

ANY_STATUS = ""


class ExportWorker(QObject):
    """Runs one export on its own connection; lives in a worker thread."""

    progressed = Signal(int, int)
    finished = Signal(object)  # ExportReport
    failed = Signal(str)

    def __init__(self, db_path: Path, options: ExportOptions) -> None:
        super().__init__()
        self._db_path = db_path
        self._options = options
        self.cancel_requested = threading.Event()

    def _progress(self, done: int, total: int, _what: str) -> bool:
        self.progressed.emit(done, total)
        return not self.cancel_requested.is_set()

    @Slot()
    def run(self) -> None:
        """Export; emit ``finished`` with the report or ``failed`` with one line."""
        try:
            with open_project(self._db_path) as project:
                report = export_dataset(project, self._options, self._progress)
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        except OSError as exc:
            self.failed.emit(f"{self._options.out}: {exc.strerror or exc}")
            return
        self.finished.emit(report)


class ExportDialog(QDialog):
    """Choose format, layer, status, labels, split, seed and output; export with progress."""

    exportFinished = Signal(object)  # ExportReport (cancelled or not)
    exportFailed = Signal(str)

    def __init__(
        self, project: Project, parent: QWidget | None = None, layer: str | None = None
    ) -> None:
        """``layer``: the layer offered first (the user's own)."""
        super().__init__(parent)
        self.project = project
        self.setObjectName("exportDialog")
        self.setWindowTitle(tr("Export dataset"))
        self._thread: QThread | None = None
        self._worker: ExportWorker | None = None
        self.last_report = None
        self._build(choices(project))
        if layer is not None and self.layerBox.findData(layer) >= 0:
            self.layerBox.setCurrentIndex(self.layerBox.findData(layer))

    def _build(self, offered: dict[str, list[str]]) -> None:
        self.formatBox = self._combo("formatBox", offered["formats"])
        self.layerBox = self._combo("layerBox", offered["layers"])
        self.statusBox = self._combo("statusBox", [ANY_STATUS, *offered["statuses"]])
        self.statusBox.setItemText(0, tr("any"))
        self.offsetsBox = self._combo("offsetsBox", offered["offsets"])
        self.labelsEdit = QLineEdit(objectName="labelsEdit")
        self.labelsEdit.setPlaceholderText(", ".join(offered["labels"]))
        self.labelsEdit.setToolTip(tr("Comma-separated labels; empty: the format's default"))
        self.splitEdit = QLineEdit(objectName="splitEdit")
        self.splitEdit.setPlaceholderText("train=.8,dev=.1,test=.1")
        self.seedBox = QSpinBox(objectName="seedBox")
        self.seedBox.setRange(0, 2**31 - 1)
        self.outEdit = QLineEdit(objectName="outEdit")
        browse = QPushButton(tr("Browse…"), objectName="browseButton")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.outEdit, 1)
        out_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(tr("Format"), self.formatBox)
        form.addRow(tr("Layer"), self.layerBox)
        form.addRow(tr("Status"), self.statusBox)
        form.addRow(tr("Labels"), self.labelsEdit)
        form.addRow(tr("Split"), self.splitEdit)
        form.addRow(tr("Seed"), self.seedBox)
        form.addRow(tr("Offsets"), self.offsetsBox)
        form.addRow(tr("Output"), out_row)
        self.progressBar = QProgressBar(objectName="progressBar")
        self.progressBar.setRange(0, 1)
        self.progressBar.setValue(0)
        self.messageLabel = plain_label(objectName="messageLabel")  # errors quote paths
        self.messageLabel.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.exportButton = self.buttons.addButton(tr("Export"), QDialogButtonBox.AcceptRole)
        self.exportButton.setObjectName("exportButton")
        self.cancelButton = self.buttons.addButton(tr("Cancel"), QDialogButtonBox.RejectRole)
        self.cancelButton.setObjectName("cancelButton")
        self.exportButton.clicked.connect(self.start)
        self.cancelButton.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.messageLabel)
        layout.addWidget(self.buttons)

    def _combo(self, name: str, items: list[str]) -> QComboBox:
        box = QComboBox(objectName=name)
        for item in items:
            box.addItem(tr(item) if item else item, item)
        return box

    def _browse(self) -> None:
        if self.splitEdit.text().strip():
            path = QFileDialog.getExistingDirectory(self, tr("Output folder"))
        else:
            fmt = self.formatBox.currentData()
            kind = {"conll": "CoNLL (*.conll)", "labelstudio": "Label Studio JSON (*.json)"}
            pattern = kind.get(fmt, "JSONL (*.jsonl)")
            path, _ = QFileDialog.getSaveFileName(self, tr("Output file"), "", pattern)
        if path:
            self.outEdit.setText(path)

    def options(self) -> ExportOptions:
        """The options the widgets describe (UserError when no output is given)."""
        out = self.outEdit.text().strip()
        if not out:
            raise UserError(tr("Choose an output file or folder"))
        labels_text = self.labelsEdit.text().strip()
        labels = tuple(x.strip() for x in labels_text.split(",") if x.strip()) or None
        return ExportOptions(
            format=self.formatBox.currentData(),
            out=Path(out),
            layer=self.layerBox.currentData(),
            status=self.statusBox.currentData() or None,
            labels=labels,
            split=self.splitEdit.text().strip() or None,
            seed=self.seedBox.value(),
            offsets=self.offsetsBox.currentData(),
        )

    def is_running(self) -> bool:
        """True while an export is under way."""
        return self._thread is not None

    @Slot()
    def start(self) -> None:
        """Check the options, then export in a worker thread."""
        if self.is_running():
            return
        try:
            options = self.options()
            plan(self.project, options)
        except UserError as exc:
            self._fail(str(exc))
            return
        self.messageLabel.setText(tr("Exporting…"))
        self.progressBar.setRange(0, 0)
        self.exportButton.setEnabled(False)
        self._thread = QThread(self)
        self._worker = ExportWorker(self.project.store.path, options)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._fail)
        self._thread.start()

    @Slot()
    def cancel(self) -> None:
        """Cancel a running export (nothing is written), or close the dialog."""
        if self._worker is not None:
            self._worker.cancel_requested.set()
            self.messageLabel.setText(tr("Cancelling…"))
        elif not self.is_running():
            self.reject()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progressBar.setRange(0, max(total, 1))
        self.progressBar.setValue(done)

    @Slot(object)
    def _on_finished(self, report) -> None:
        self._stop_thread()
        self.last_report = report
        if report.cancelled:
            self.messageLabel.setText(tr("Cancelled: nothing was written."))
            self.progressBar.setValue(0)
        else:
            done = tr(
                "Exported {records} record(s) from {documents} document(s).",
                records=report.records,
                documents=report.documents,
            )
            # Warnings quote layer names: messageLabel is a plain-text label.
            self.messageLabel.setText("\n".join([done, *report.warnings]))
            self.progressBar.setValue(self.progressBar.maximum())
        self.exportFinished.emit(report)

    @Slot(str)
    def _fail(self, message: str) -> None:
        self._stop_thread()
        self.progressBar.setRange(0, 1)
        self.progressBar.setValue(0)
        self.messageLabel.setText(message)
        self.exportFailed.emit(message)

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None
        self.exportButton.setEnabled(True)

    def done(self, result: int) -> None:
        """Closing the dialog cancels a running export and waits for it to clean up."""
        if self._worker is not None:
            self._worker.cancel_requested.set()
            self._stop_thread()
        super().done(result)
