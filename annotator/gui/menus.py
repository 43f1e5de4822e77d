"""The menu bar and the Workspace menu's dialogs: import, export, review, settings.

Export, review and agreement windows (and the importer) are loaded on first
use, so the window opens without them.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.errors import UserError
from annotator.gui import i18n, schema_views, settings
from annotator.gui.actions import Act
from annotator.gui.i18n import tr
from annotator.gui.plain import message_box
from annotator.gui.settings import SettingsDialog
from annotator.gui.workbench import Workbench

FILE_FILTER = (
    "Articles and annotations (*.txt *.html *.htm *.jsonl *.ndjson *.conll *.iob *.bio *.json)"
    ";;All files (*)"
)


class WorkspaceMenus:
    """Builds the menus of the main window and runs its dialogs."""

    def __init__(self, window: Workbench) -> None:
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
            "&Edit": [
                Act.UNDO,
                Act.REDO,
                None,
                Act.DELETE_SPAN,
                Act.LINK,
                None,
                Act.GROW_START,
                Act.SHRINK_START,
                Act.GROW_END,
                Act.SHRINK_END,
                None,
                Act.SPAN_NOTE,
                Act.UNSURE,
                None,
                Act.FIND,
                Act.FIND_NEXT,
                Act.FIND_PREV,
            ],
            "&Document": [
                Act.MARK_DONE,
                Act.SKIP_DOC,
                Act.DOC_NOTE,
                None,
                Act.NEXT_DOC,
                Act.PREV_DOC,
                None,
                Act.REFRESH,
            ],
            "&Suggestions": [
                Act.SUGGEST,
                None,
                Act.ACCEPT_SUGGESTION,
                Act.REJECT_SUGGESTION,
                Act.ACCEPT_KIND,
                Act.REJECT_KIND,
            ],
            "&View": [Act.SHOW_ARCS, None, Act.ZOOM_IN, Act.ZOOM_OUT],
        }
        for title, items in layout.items():
            menu = bar.addMenu(title)
            for act in items:
                if act is None:
                    menu.addSeparator()
                else:
                    menu.addAction(acts[act])
            self.menus[title] = menu
        self.label_actions: dict[str, QAction] = window.label_actions
        labels_menu = bar.addMenu("&Labels")
        self.menus["&Labels"] = labels_menu
        for action in self.label_actions.values():
            labels_menu.addAction(action)
        acts[Act.IMPORT].triggered.connect(self.import_dialog)
        acts[Act.EXPORT].triggered.connect(self.export_dialog)
        acts[Act.REVIEW].triggered.connect(self.review_window)
        acts[Act.AGREEMENT].triggered.connect(self.agreement_dashboard)
        acts[Act.SETTINGS].triggered.connect(self.settings_dialog)
        self.review = None
        self.review_refused = None  # the message box of a refused review window
        self.dashboard = None

    def retranslate(self) -> None:
        """Menu titles, and the open review window, in the current language."""
        for title, menu in self.menus.items():
            menu.setTitle(tr(title))
        if self.review is not None and shiboken6.isValid(self.review):
            self.review.retranslate()

    def import_dialog(self) -> None:
        """Ask for files, then import them with a progress dialog."""
        paths, _ = QFileDialog.getOpenFileNames(self.window, tr("Import files"), "", FILE_FILTER)
        if paths:
            from annotator.gui.import_dialog import start_import  # loads on first use

            start_import(self.window, paths)

    def export_dialog(self) -> None:
        """Open the export dialog."""
        from annotator.gui.export_dialog import ExportDialog

        ExportDialog(self.window.project, self.window, layer=self.window.layer).exec()

    def review_window(self) -> None:
        """Open the review window for this user; a curator gets the reason why not."""
        from annotator.gui.review import open_review_window

        try:
            self.review = open_review_window(
                self.window.project, self.window.annotator, self.window
            )
            schema_views.follow(self.window, self.review)
        except UserError as exc:
            self.window.message(str(exc))
            box = message_box(QMessageBox.Icon.Information, tr("Review…"), str(exc), self.window)
            box.setObjectName("reviewRefused")
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.show()  # not modal: the message quotes the user's name, shown as plain text
            self.review_refused = box

    def agreement_dashboard(self) -> None:
        """Open the agreement dashboard (any user may look)."""
        from annotator.gui.review import open_agreement_dashboard

        self.dashboard = open_agreement_dashboard(self.window.project, self.window)
        schema_views.follow(self.window, self.dashboard)

    def settings_dialog(self) -> None:
        """Language, font, size and light or dark colours."""
        from annotator.gui import theme

        w = self.window
        dialog = SettingsDialog(i18n.language(), w.font_family, w.font_size, w, theme.choice())
        if dialog.exec():
            lang, family, size = dialog.values()
            w.apply_font(family, size)
            settings.put("ui/theme", dialog.theme_choice())
            w.dark = theme.apply_theme()
            w.apply_language(lang)
