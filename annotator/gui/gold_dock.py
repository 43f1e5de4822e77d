"""A reviewer curating gold in the workspace sees the conflict under the caret beside it.

When the window's layer becomes ``gold``, the review package's conflict dock
is added (built on first use) and follows the caret; its choices (accept a
version, reject all, take a decision back) run through the window's own
``perform``, so they share the one undo stack, and it redraws on
``changed``. On any other layer the dock is hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import GOLD
from annotator.gui import schema_views
from annotator.gui.workbench import Workbench


class GoldDock:
    """The conflict dock of one main window, shown while gold is edited."""

    def __init__(self, window: Workbench) -> None:
        self.window = window
        self.dock = None

    def follow(self, layer: str) -> None:
        """Show the dock for ``gold`` (a reviewer), hide it for any other layer."""
        if layer != GOLD:
            if self.dock is not None:
                self.dock.hide()
            return
        if self.dock is None:
            self._build()
        self.dock.show()
        self.caret_moved()

    def _build(self) -> None:
        from annotator.gui.review.dock import conflict_dock  # loaded on first use

        w = self.window
        self.dock = conflict_dock(w, w.project, w.annotator, w.perform, w.message)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        w.view.cursorPositionChanged.connect(self.caret_moved)
        w.changed.connect(lambda _changes: self.refresh())
        schema_views.follow(w, self.dock.panel)  # label colours and names as they are now

    def caret_moved(self) -> None:
        """Show the conflict under the caret of the shown document."""
        w = self.window
        if self.dock is None or not self.dock.isVisible() or w.current is None:
            return
        start, _end = w.view.selection()
        self.dock.panel.show_at(w.current.id, start)

    def refresh(self) -> None:
        """Redraw after a write (a decision, a gold edit, an undo)."""
        if self.dock is not None and self.dock.isVisible():
            self.dock.panel.refresh()

    def retranslate(self) -> None:
        """The dock's texts in the current language."""
        if self.dock is not None:
            self.dock.retranslate()
