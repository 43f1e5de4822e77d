"""Importing files from the GUI: a worker thread, a progress dialog, cancel.

``start_import`` runs ``services.importing.import_paths`` in a ``QThread``
on its own connection to the project's database (like another process), so
the window stays responsive and its edits wait at most one short import
transaction. Progress comes back by signal; Cancel stops the import at the
next batch and removes the file being written (finished files stay). A
refused file leaves the database unchanged and its one-line message (file,
line, problem) is shown. When the job ends, ``ImportJob.done`` carries the
report and the ids of the documents added (for a ``Changes``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.gui.i18n import tr
from annotator.gui.plain import message_box, plain_label
from annotator.gui.workbench import Workbench
from annotator.services import importing
from annotator.services.project import open_project

if TYPE_CHECKING:
    from pathlib import Path


#: Progress is reported in steps of a thousandth (byte counts exceed Qt's int range).
STEPS = 1000


class ImportWorker(QObject):
    """Runs one import in the thread it is moved to."""

    progressed = Signal(int, str)  # thousandths done, what
    succeeded = Signal(object, object)  # ImportReport, tuple of added document ids
    failed = Signal(str)  # the one-line message

    def __init__(self, db_path: Path, paths: list[str]) -> None:
        super().__init__()
        self.db_path = db_path
        self.paths = paths
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop at the next batch (safe from any thread)."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        """Import, then emit ``succeeded`` or ``failed``."""
        try:
            with open_project(self.db_path) as project:
                report = importing.import_paths(project, self.paths, progress=self._progress)
                added = importing.added_documents(project, report)
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug or a disk error: still one line, never a crash
            self.failed.emit(f"{tr('Import failed')}: {exc}")
            return
        self.succeeded.emit(report, added)

    def _progress(self, done: int, total: int, what: str) -> bool:
        self.progressed.emit(done * STEPS // max(total, 1), what)
        return not self._cancel.is_set()


class ImportJob(QObject):
    """One import in the background, with its progress dialog."""

    #: (ImportReport or None when refused, tuple of added document ids)
    done = Signal(object, object)

    def __init__(self, window: Workbench, paths: list[str]) -> None:
        super().__init__(window)  # the window is reached by parent(): no reference cycle
        self.report: importing.ImportReport | None = None
        self.added: tuple[str, ...] = ()
        self.finished = False
        self.dialog = QProgressDialog(tr("Importing…"), tr("Cancel"), 0, STEPS, window)
        self.dialog.setObjectName("importProgress")
        self.dialog.setLabel(plain_label(tr("Importing…")))  # shows file names
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.thread = QThread(self)
        self.worker = ImportWorker(window.project.store.path, paths)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._progressed)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.dialog.canceled.connect(self.cancel)

    def window(self) -> Workbench:
        """The window this job imports for."""
        return self.parent()  # type: ignore[return-value]

    def start(self) -> None:
        """Start the worker thread."""
        self.thread.start()

    def cancel(self) -> None:
        """Ask the import to stop at its next batch."""
        self.worker.cancel()

    @Slot(int, str)
    def _progressed(self, value: int, what: str) -> None:
        self.dialog.setValue(value)
        self.dialog.setLabelText(f"{tr('Importing…')} {what}")

    @Slot(object, object)
    def _succeeded(self, report: importing.ImportReport, added: tuple[str, ...]) -> None:
        self.report, self.added = report, added
        text = report.summary()
        if report.cancelled:
            text += "\n" + tr("Import cancelled: nothing from the unfinished files was stored.")
        if report.warnings:
            text += "\n" + "\n".join(report.warnings[:20])
        self._end(QMessageBox.Icon.Information, tr("Import finished"), text)
        self.window().announce(Changes(documents_added=added))  # every view follows
        self._release()
        self.done.emit(report, added)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._end(QMessageBox.Icon.Warning, tr("Import refused"), message)
        self._release()
        self.done.emit(None, ())

    def _release(self) -> None:
        """The window no longer keeps this job; Qt deletes it once its signal is out."""
        window = self.window()
        if getattr(window, "import_job", None) is self:
            window.import_job = None
        self.deleteLater()

    def _end(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        self.finished = True
        self.dialog.close()
        self.thread.quit()
        self.thread.wait()
        _show(self.window(), icon, title, text)


def start_import(window: Workbench, paths: list[str]) -> ImportJob:
    """Import ``paths`` into the window's project in the background; return the job.

    The result is shown in a non-blocking message box (``window.import_box``)
    and the status bar; the document list is reloaded.
    """
    job = ImportJob(window, paths)
    window.import_job = job  # kept alive while it runs
    job.start()
    return job


def run_import(window: Workbench, paths: list[str]) -> importing.ImportReport | None:
    """``start_import`` and wait (the event loop keeps running); the report, or None."""
    job = start_import(window, paths)
    result: list[importing.ImportReport | None] = []
    loop = QEventLoop()

    def finished(report: importing.ImportReport | None, _added: object) -> None:
        result.append(report)
        loop.quit()

    job.done.connect(finished)
    loop.exec()
    return result[0]


def _show(window: Workbench, icon: QMessageBox.Icon, title: str, text: str) -> None:
    window.message(text.splitlines()[0])
    box = message_box(icon, title, text, window)  # quotes file names and contents
    box.setObjectName("importMessage")
    window.installEventFilter(_CloseWithWindow(box))
    box.open()
    window.import_box = box


class _CloseWithWindow(QObject):
    """Closes its (parent) message box when the window is closed or hidden."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Close, QEvent.Type.Hide):
            box = self.parent()
            if isinstance(box, QMessageBox):
                box.close()
        return False
