"""Importing files from the GUI with a cancellable progress dialog.

``services.importing.import_paths`` checks every file before writing and
writes each file in its own transaction; cancelling stops between files, so
no file is ever half stored. A refused file leaves the database unchanged
and its one-line message (file, line, problem) is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from annotator.core.errors import UserError
from annotator.gui.i18n import tr
from annotator.gui.plain import message_box, plain_label
from annotator.services import importing

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def run_import(window: MainWindow, paths: list[str]) -> importing.ImportReport | None:
    """Import ``paths`` into the window's project; return the report (None if refused).

    The result is shown in a non-blocking message box (``window.import_box``)
    and the status bar; the document list is reloaded.
    """
    dialog = QProgressDialog(tr("Importing…"), tr("Cancel"), 0, 100, window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setObjectName("importProgress")
    dialog.setLabel(plain_label(tr("Importing…")))  # shows file names

    def progress(done: int, total: int, what: str) -> bool:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(f"{tr('Importing…')} {what}")
        QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        report = importing.import_paths(window.project, paths, progress=progress)
    except UserError as exc:
        dialog.close()
        _show(window, QMessageBox.Icon.Warning, tr("Import refused"), str(exc))
        return None
    dialog.close()
    text = report.summary()
    if report.cancelled:
        text += "\n" + tr("Import cancelled: nothing from the unfinished files was stored.")
    if report.warnings:
        text += "\n" + "\n".join(report.warnings[:20])
    _show(window, QMessageBox.Icon.Information, tr("Import finished"), text)
    window.doc_panel.apply_filter()
    window.update_progress()
    if window.current is None and window.doc_model.rows:
        window.open_document(window.doc_model.rows[0].id)
    return report


def _show(window: MainWindow, icon: QMessageBox.Icon, title: str, text: str) -> None:
    window.message(text.splitlines()[0])
    box = message_box(icon, title, text, window)  # quotes file names and contents
    box.setObjectName("importMessage")
    box.open()
    window.import_box = box
