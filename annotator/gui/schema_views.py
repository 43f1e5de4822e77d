"""A changed label schema reaches the open window at once.

A sync may bring new labels or a reviewer's edit of a label's colour, names
or key. The sync announces it as ``Changes(labels=…)`` through the window's
one change path (``changed``); this subscriber then gives every view of the
window the schema as it now is: the article's colours and keys, the
palette, the span table's swatches, names and keys, and the Labels menu.
Windows opened from it that show labels too (the review window, the
agreement dashboard, the gold conflict dock) ``follow`` the same changes.
"""

from __future__ import annotations

from typing import Protocol

import shiboken6

from annotator.core.changes import Changes
from annotator.gui.actions import build_label_actions
from annotator.gui.i18n import label_name
from annotator.gui.workbench import Workbench


def attach(window: Workbench) -> None:
    """Subscribe ``window`` to label changes."""
    window.changed.connect(lambda changes: _labels_changed(window, changes))


class ShowsLabels(Protocol):
    """A widget that takes the project's label schema again on ``show_schema()``."""

    def show_schema(self) -> None: ...


def follow(window: Workbench, view: ShowsLabels) -> None:
    """Have ``view`` (a QObject) show the schema again on every label change of ``window``."""

    def hand(changes: Changes) -> None:
        if changes.labels and shiboken6.isValid(view):
            view.show_schema()

    window.changed.connect(hand)  # a view deleted since (closed for good) is passed over


def _labels_changed(window: Workbench, changes: Changes) -> None:
    if changes.labels:
        show_schema(window)


def show_schema(window: Workbench) -> None:
    """Give every view of ``window`` the project's label schema as it is now."""
    labels = list(window.project.schema.labels)
    window.view.set_labels({lab.name: (lab.kind, lab.color, lab.shortcut) for lab in labels})
    window.palette.set_labels(labels)
    panel = window.span_panel
    panel.spans.set_colors({lab.name: lab.color for lab in labels})
    panel.spans.names = {lab.name: label_name(lab) for lab in labels}
    panel.span_table.label_keys = dict(window.view.keys)
    _rebuild_label_actions(window, labels)


def _rebuild_label_actions(window: Workbench, labels) -> None:
    """The Labels menu's "Add LABEL" actions, one per label, in schema order."""
    menu = window.menus.menus.get("&Labels")
    for action in window.label_actions.values():
        if menu is not None:
            menu.removeAction(action)
        window.removeAction(action)
        action.deleteLater()
    fresh = build_label_actions(window, labels)
    window.label_actions.clear()  # the same dict the menus hold
    window.label_actions.update(fresh)
    for name, action in fresh.items():
        action.triggered.connect(lambda _c=False, n=name: window.tag_selection(n))
        if menu is not None:
            menu.addAction(action)
