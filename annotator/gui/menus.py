"""The menu bar and the Workspace menu's dialogs: import, export, review, settings.

Export, review and agreement windows (and the importer) are loaded on first
use, so the window opens without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.errors import UserError
from annotator.gui import i18n
from annotator.gui.actions import Act
from annotator.gui.i18n import label_name, tr
from annotator.gui.plain import message_box
from annotator.gui.settings import SettingsDialog

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

FILE_FILTER = (
    "Articles and annotations (*.txt *.html *.htm *.jsonl *.ndjson *.conll *.iob *.bio *.json)"
    ";;All files (*)"
)


class WorkspaceMenus:
    """Builds the menus of a MainWindow and runs its dialogs."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        acts = window.actions_
        bar = window.menuBar()
        self.menus = {}
        layout = {
            "&Workspace": [
                Act.IMPORT,
                Act.EXPORT,
                None,
                Act.REVIEW,
                Act.AGREEMENT,
                Act.SYNC,
                Act.HUB_STATUS,
                None,
                Act.SETTINGS,
                None,
                Act.QUIT,
            ],
            "&Edit": [Act.UNDO, Act.REDO, None, Act.DELETE_SPAN, Act.LINK],
            "&Document": [Act.MARK_DONE, Act.NEXT_DOC, Act.PREV_DOC, None, Act.REFRESH],
            "&View": [Act.ZOOM_IN, Act.ZOOM_OUT],
        }
        for title, items in layout.items():
            menu = bar.addMenu(title)
            for act in items:
                if act is None:
                    menu.addSeparator()
                else:
                    menu.addAction(acts[act])
            self.menus[title] = menu
        self.label_actions: dict[str, QAction] = {}
        labels_menu = bar.addMenu("&Labels")
        self.menus["&Labels"] = labels_menu
        for lab in window.project.schema.labels:
            action = labels_menu.addAction(lab.name)
            action.triggered.connect(
                lambda _c=False, n=lab.name: window.tag(
                    *window.view.selection(), n, window.view.alt_selection
                )
            )
            self.label_actions[lab.name] = action
        acts[Act.IMPORT].triggered.connect(self.import_dialog)
        acts[Act.EXPORT].triggered.connect(self.export_dialog)
        acts[Act.REVIEW].triggered.connect(self.review_window)
        acts[Act.AGREEMENT].triggered.connect(self.agreement_dashboard)
        acts[Act.SETTINGS].triggered.connect(self.settings_dialog)
        self.review = None
        self.review_refused = None  # the message box of a refused review window
        self.dashboard = None

    def retranslate(self) -> None:
        """Menu titles and label items in the current language."""
        for title, menu in self.menus.items():
            menu.setTitle(tr(title))
        for lab in self.window.project.schema.labels:
            key = f"\t{lab.shortcut}" if lab.shortcut else ""
            self.label_actions[lab.name].setText(tr("Add {label}", label=label_name(lab)) + key)

    def import_dialog(self) -> None:
        """Ask for files, then import them with a progress dialog."""
        paths, _ = QFileDialog.getOpenFileNames(self.window, tr("Import files"), "", FILE_FILTER)
        if paths:
            from annotator.gui.import_dialog import start_import  # loads on first use

            start_import(self.window, paths)

    def export_dialog(self) -> None:
        """Open the export dialog."""
        from annotator.gui.export_dialog import ExportDialog

        ExportDialog(self.window.project, self.window).exec()

    def review_window(self) -> None:
        """Open the review window for this user; a curator gets the reason why not."""
        from annotator.gui.review import open_review_window

        try:
            self.review = open_review_window(
                self.window.project, self.window.annotator, self.window
            )
        except UserError as exc:
            box = message_box(QMessageBox.Icon.Information, tr("Review…"), str(exc), self.window)
            box.setObjectName("reviewRefused")
            box.open()  # not modal: the message quotes the user's name, shown as plain text
            self.review_refused = box

    def agreement_dashboard(self) -> None:
        """Open the agreement dashboard (any user may look)."""
        from annotator.gui.review import open_agreement_dashboard

        self.dashboard = open_agreement_dashboard(self.window.project, self.window)

    def settings_dialog(self) -> None:
        """Language, font and size."""
        w = self.window
        dialog = SettingsDialog(i18n.language(), w.font_family, w.font_size, w)
        if dialog.exec():
            lang, family, size = dialog.values()
            w.apply_font(family, size)
            w.apply_language(lang)
