"""The menu bar and the Workspace menu's dialogs: import, export, review, settings.

Export and review windows come from optional modules
(``annotator.gui.export_dialog``, ``annotator.gui.review``); when one is
missing its menu item says so instead of failing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.gui import i18n
from annotator.gui.actions import Act
from annotator.gui.i18n import label_name, tr
from annotator.gui.settings import SettingsDialog

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

FILE_FILTER = "Articles and annotations (*.txt *.jsonl *.ndjson);;All files (*)"


def optional(module: str, name: str) -> object | None:
    """``module.name`` if that module can be imported, else None."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


class WorkspaceMenus:
    """Builds the menus of a MainWindow and runs its dialogs."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        acts = window.actions_
        bar = window.menuBar()
        self.menus = {}
        layout = {
            "&Workspace": [Act.IMPORT, Act.EXPORT, Act.REVIEW, None, Act.SETTINGS, None, Act.QUIT],
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
        acts[Act.SETTINGS].triggered.connect(self.settings_dialog)
        self.review = None

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
            from annotator.gui.import_dialog import run_import  # the importer loads on first use

            run_import(self.window, paths)

    def export_dialog(self) -> None:
        """Open the export dialog (if installed)."""
        dialog_class = optional("annotator.gui.export_dialog", "ExportDialog")
        if dialog_class is None:
            self._missing()
            return
        dialog = dialog_class(self.window.project, self.window)
        dialog.exec()

    def review_window(self) -> None:
        """Open the review window (if installed) for this user as reviewer."""
        opener = optional("annotator.gui.review", "open_review_window")
        if opener is None:
            self._missing()
            return
        self.review = opener(self.window.project, self.window.annotator, self.window)
        if self.review is not None and hasattr(self.review, "show"):
            self.review.show()

    def settings_dialog(self) -> None:
        """Language, font and size."""
        w = self.window
        dialog = SettingsDialog(i18n.language(), w.font_family, w.font_size, w)
        if dialog.exec():
            lang, family, size = dialog.values()
            w.apply_font(family, size)
            w.apply_language(lang)

    def _missing(self) -> None:
        QMessageBox.information(
            self.window, tr("Not available"), tr("This part of the application is not installed.")
        )
