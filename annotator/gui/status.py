"""The main window's status bar: messages, who is working on which layer, progress, waiting."""

from __future__ import annotations

from annotator.gui.i18n import tr
from annotator.gui.plain import plain_label
from annotator.gui.rtl import isolate
from annotator.gui.workbench import Workbench
from annotator.services import browse


class StatusArea:
    """Permanent labels (waiting, role and layer, progress) and one-line messages."""

    def __init__(self, window: Workbench) -> None:
        self.window = window
        # the user label shows a name and a layer: data, so plain text
        self.progress, self.user, self.wait = plain_label(), plain_label(), plain_label()
        self.progress.setObjectName("progressLabel")
        self.user.setObjectName("userLabel")
        self.wait.setObjectName("waitLabel")
        self.wait.hide()
        for label in (self.wait, self.user, self.progress):
            window.statusBar().addPermanentWidget(label)

    def message(self, text: str) -> None:
        """Show a one-line message for a while."""
        self.window.last_message = text
        self.window.statusBar().showMessage(text, 8000)

    def update_progress(self) -> None:
        """Refresh "12 / 40 done" for the current layer."""
        w = self.window
        done, total = browse.progress(w.project, w.layer)
        self.progress.setText(tr("{done} / {total} done", done=done, total=total))

    def show_user(self) -> None:
        """ "Curator: name" or "Reviewer: name", and the layer when it is not their own."""
        w = self.window
        role = tr("Reviewer") if w.role == "reviewer" else tr("Curator")
        text = tr("{role}: {name}", role=role, name=isolate(w.annotator))
        if w.layer != w.annotator:
            text += " · " + tr("layer {layer}", layer=isolate(w.layer))
        self.user.setText(text)

    def waiting(self, on: bool) -> None:
        """Show (or hide) "waiting for another writer"."""
        self.wait.setText(tr("Waiting for another writer…") if on else "")
        self.wait.setVisible(on)
        if on:
            self.message(tr("Waiting for another writer…"))
