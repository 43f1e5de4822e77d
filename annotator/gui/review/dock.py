"""The conflict panel as a dock of a main window, wired to the window's own undo path.

For a reviewer curating gold in the workspace::

    dock = conflict_dock(window, project, reviewer, perform=window.performer.perform)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    # on every caret move in the article view (cheap when the conflict is unchanged):
    dock.panel.show_at(doc_id, caret_code_point)
    # on every changed(Changes):
    dock.panel.refresh()

``perform`` receives one ``ReviewEdit`` per choice (``text``, ``doc_id``,
``do()``, ``undo()``), so decisions share the window's single undo stack.
Refusals go to ``report`` (the status bar by default), never a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDockWidget, QMainWindow

from annotator.gui.i18n import tr
from annotator.gui.review.commands import ReviewEdit, decision_edit, take_back_edit
from annotator.gui.review.conflict_panel import ConflictPanel
from annotator.services.project import Project


class ConflictDock(QDockWidget):
    """A dock holding a ``ConflictPanel`` (``.panel``) over excerpts of the article."""

    def __init__(self, window: QMainWindow, project: Project) -> None:
        super().__init__(tr("Conflicts"), window)
        self.setObjectName("conflictDock")
        self.panel = ConflictPanel(project, self, excerpt=True)
        self.setWidget(self.panel)

    def retranslate(self) -> None:
        """Title and panel in the current interface language."""
        self.setWindowTitle(tr("Conflicts"))
        self.panel.retranslate()


def conflict_dock(
    window: QMainWindow,
    project: Project,
    reviewer: str,
    perform: Callable[[ReviewEdit], object],
    report: Callable[[str], object] | None = None,
) -> ConflictDock:
    """A ``ConflictDock`` whose choices run through ``perform`` as ``ReviewEdit`` values."""
    dock = ConflictDock(window, project)
    panel = dock.panel
    panel.decisionMade.connect(lambda choice: perform(decision_edit(project, reviewer, choice)))
    panel.takeBackRequested.connect(
        lambda doc_id, conflict_id: perform(take_back_edit(project, reviewer, doc_id, conflict_id))
    )
    panel.message.connect(report or (lambda text: window.statusBar().showMessage(text)))
    return dock
