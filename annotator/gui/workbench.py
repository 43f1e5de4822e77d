"""What the window's helpers (editor, notes, status bar, menus) may use of the window.

``MainWindow`` has all of this; the helpers type their ``window`` with this
protocol instead of importing the main window, so the window stands above
the parts it is built from.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenuBar, QStatusBar

from annotator.core.changes import Changes
from annotator.core.model import Document
from annotator.gui.perform import Edit, Performer
from annotator.services.project import Project


class Workbench(Protocol):
    """The main window, as its helpers see it."""

    project: Project
    annotator: str
    layer: str
    role: str
    current: Document | None
    last_message: str
    workspace: Performer
    view: object  # ArticleView
    editor: object  # Editor
    actions_: dict
    label_actions: dict
    menus: object  # WorkspaceMenus
    font_family: str
    font_size: int
    dark: bool
    changed: object  # Signal(Changes)

    def perform(self, edit: Edit) -> None: ...

    def message(self, text: str) -> None: ...

    def announce(self, changes: Changes) -> None: ...

    def statusBar(self) -> QStatusBar: ...

    def addDockWidget(self, area, dock) -> None: ...

    def menuBar(self) -> QMenuBar: ...

    def apply_font(self, family: str, size: int) -> None: ...

    def apply_language(self, lang: str) -> None: ...
