"""The export dialog: the same choices as ``annotator export``, with progress and cancel.

A control shows only for the formats its option applies to (the table
``core.formats.option_applies`` the export checks against). The choices are
remembered (``gui/export_choices.py``); the layer offered first stays the
user's own.

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
    QCheckBox,
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
from annotator.core.formats import option_applies
from annotator.gui import export_choices
from annotator.gui.i18n import tr
from annotator.gui.plain import plain_label
from annotator.services.datasets import ExportOptions, choices, export_dataset, plan
from annotator.services.project import Project, open_project

ANY_STATUS = ""
MAX_TOKENS_LIMIT = 1_000_000
#: Offered in the licence box (any other text may be typed).
LICENSES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC0-1.0", "ODC-By-1.0")
_FILE_KINDS = {
    "conll": "CoNLL (*.conll)",
    "labelstudio": "Label Studio JSON (*.json)",
    "spacy": "spaCy DocBin (*.spacy)",
}


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
    """Choose every export option and the output; export with progress."""

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
        self._format = ""
        self._build(choices(project))
        self._restore(export_choices.load(project))
        if layer is not None and self.layerBox.findData(layer) >= 0:
            self.layerBox.setCurrentIndex(self.layerBox.findData(layer))
        self._show_applicable()

    def _build(self, offered: dict[str, list[str]]) -> None:
        self.formatBox = self._combo("formatBox", offered["formats"])
        self.layerBox = self._combo("layerBox", offered["layers"])
        self.statusBox = self._combo("statusBox", [ANY_STATUS, *offered["statuses"]])
        self.statusBox.setItemText(0, tr("any"))
        self.offsetsBox = self._combo("offsetsBox", offered["offsets"])
        self.offsetsBox.setToolTip(
            tr("doccano, attribution, Label Studio: codepoint (Python) or UTF-16 (JavaScript)")
        )
        self.labelsEdit = QLineEdit(objectName="labelsEdit")
        self.labelsEdit.setPlaceholderText(", ".join(offered["labels"]))
        self.labelsEdit.setToolTip(tr("Comma-separated labels; empty: the format's default"))
        self.splitEdit = QLineEdit(objectName="splitEdit")
        self.splitEdit.setPlaceholderText("train=.8,dev=.1,test=.1")
        self.seedBox = QSpinBox(objectName="seedBox")
        self.seedBox.setRange(0, 2**31 - 1)
        self.seedBox.setToolTip(tr("With a split: the seed of its shuffle"))
        self.maxTokensBox = QSpinBox(objectName="maxTokensBox")
        self.maxTokensBox.setRange(0, MAX_TOKENS_LIMIT)
        self.maxTokensBox.setSpecialValueText(tr("No limit"))  # shown for 0
        self.maxTokensBox.setToolTip(
            tr("hf-bio, CoNLL: cut records at sentence ends to at most this many tokens")
        )
        self.negativesCheck = QCheckBox(
            tr("Claim-free sentences as records too"), objectName="negativesCheck"
        )
        self.licenseBox = QComboBox(objectName="licenseBox", editable=True)
        self.licenseBox.addItems(["", *LICENSES])
        self.licenseBox.lineEdit().setPlaceholderText(tr("unknown"))
        self.licenseBox.setToolTip(
            tr("The data's licence, written into the manifest and the dataset card")
        )
        self.outEdit = QLineEdit(objectName="outEdit")
        browse = QPushButton(tr("Browse…"), objectName="browseButton")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.outEdit, 1)
        out_row.addWidget(browse)
        self.form = form = QFormLayout()
        form.addRow(tr("Format"), self.formatBox)
        form.addRow(tr("Layer"), self.layerBox)
        form.addRow(tr("Status"), self.statusBox)
        form.addRow(tr("Labels"), self.labelsEdit)
        form.addRow(tr("Split"), self.splitEdit)
        form.addRow(tr("Seed"), self.seedBox)
        form.addRow(tr("Offsets"), self.offsetsBox)
        form.addRow(tr("Max tokens per record"), self.maxTokensBox)
        form.addRow(tr("Negatives"), self.negativesCheck)
        form.addRow(tr("Licence"), self.licenseBox)
        form.addRow(tr("Output"), out_row)
        #: ExportOptions field -> its control (shown only where the option applies)
        self.optional: dict[str, QWidget] = {
            "labels": self.labelsEdit,
            "offsets": self.offsetsBox,
            "max_tokens": self.maxTokensBox,
            "negatives": self.negativesCheck,
        }
        self.formatBox.currentIndexChanged.connect(self._show_applicable)
        self.splitEdit.textChanged.connect(self._show_applicable)
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

    @Slot()
    def _show_applicable(self) -> None:
        """Show the controls of the options the chosen format takes; seed only with a split."""
        fmt = self.formatBox.currentData()
        for option, widget in self.optional.items():
            self.form.setRowVisible(widget, option_applies(option, fmt))
        self.seedBox.setEnabled(bool(self.splitEdit.text().strip()))

    def _browse(self) -> None:
        if self.splitEdit.text().strip():
            path = QFileDialog.getExistingDirectory(self, tr("Output folder"))
        else:
            pattern = _FILE_KINDS.get(self.formatBox.currentData(), "JSONL (*.jsonl)")
            path, _ = QFileDialog.getSaveFileName(self, tr("Output file"), "", pattern)
        if path:
            self.outEdit.setText(path)

    def options(self) -> ExportOptions:
        """The options the widgets describe (UserError when no output is given).

        An option the chosen format does not take is left at its default, so a
        value set for another format is never sent.
        """
        out = self.outEdit.text().strip()
        if not out:
            raise UserError(tr("Choose an output file or folder"))
        fmt = self.formatBox.currentData()
        labels = None
        if option_applies("labels", fmt):
            labels_text = self.labelsEdit.text().strip()
            labels = tuple(x.strip() for x in labels_text.split(",") if x.strip()) or None
        max_tokens = self.maxTokensBox.value() if option_applies("max_tokens", fmt) else 0
        return ExportOptions(
            format=fmt,
            out=Path(out),
            layer=self.layerBox.currentData(),
            status=self.statusBox.currentData() or None,
            labels=labels,
            split=self.splitEdit.text().strip() or None,
            seed=self.seedBox.value(),
            offsets=self.offsetsBox.currentData()
            if option_applies("offsets", fmt)
            else "codepoint",
            max_tokens=max_tokens or None,
            negatives=option_applies("negatives", fmt) and self.negativesCheck.isChecked(),
            license=self.licenseBox.currentText().strip() or None,
        )

    # -- remembered choices ------------------------------------------------

    def _remember(self) -> None:
        """Keep every control's value (those hidden for this format too) for next time."""
        values: dict[str, str] = {
            "format": self.formatBox.currentData(),
            "layer": self.layerBox.currentData(),
            "status": self.statusBox.currentData(),
            "labels": self.labelsEdit.text(),
            "split": self.splitEdit.text(),
            "seed": str(self.seedBox.value()),
            "offsets": self.offsetsBox.currentData(),
            "max_tokens": str(self.maxTokensBox.value()),
            "negatives": "1" if self.negativesCheck.isChecked() else "0",
            "license": self.licenseBox.currentText(),
            "out": self.outEdit.text(),
        }
        export_choices.save(self.project, values)

    def _restore(self, saved: dict[str, str]) -> None:
        """Put remembered values back; a value no longer offered or not a number is ignored."""
        for key, box in (
            ("format", self.formatBox),
            ("layer", self.layerBox),
            ("status", self.statusBox),
            ("offsets", self.offsetsBox),
        ):
            index = box.findData(saved.get(key))
            if index >= 0:
                box.setCurrentIndex(index)
        for key, edit in (
            ("labels", self.labelsEdit),
            ("split", self.splitEdit),
            ("out", self.outEdit),
        ):
            edit.setText(saved.get(key, ""))
        self.licenseBox.setEditText(saved.get("license", ""))
        for key, spin in (("seed", self.seedBox), ("max_tokens", self.maxTokensBox)):
            value = saved.get(key, "")
            if value.isdigit() and int(value) <= spin.maximum():
                spin.setValue(int(value))
        self.negativesCheck.setChecked(saved.get("negatives") == "1")

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
        self._remember()
        self._format = options.format
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
            self.messageLabel.setText("\n".join([done, *self._notes(report), *report.warnings]))
            self.progressBar.setValue(self.progressBar.maximum())
        self.exportFinished.emit(report)

    def _notes(self, report) -> list[str]:
        """What the command line warns about dropped and re-opened spans, in the UI language."""
        notes = []
        if report.dropped and self._format == "conll":
            notes.append(
                tr(
                    "{n} relation(s) or space-only span(s) not written"
                    " (CoNLL holds tokens and tags only).",
                    n=report.dropped,
                )
            )
        elif report.dropped:
            notes.append(
                tr(
                    "{n} overlapping or empty span(s) dropped"
                    " (BIO keeps the longest of overlapping spans).",
                    n=report.dropped,
                )
            )
        if report.reopened:
            notes.append(
                tr(
                    "{n} span(s) longer than the token limit cut between records"
                    " (re-opened with B- in the next record).",
                    n=report.reopened,
                )
            )
        return notes

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
