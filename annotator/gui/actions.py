"""Every window command as a QAction, built once from one table.

Menus, the context menu and tests name actions by ``Act`` member
(``window.actions_[Act.MARK_DONE].trigger()``), never by widget.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.gui.i18n import tr
from annotator.gui.plain import tooltip


class Act(Enum):
    """Window commands."""

    IMPORT = "import"
    EXPORT = "export"
    REVIEW = "review"
    AGREEMENT = "agreement"
    SYNC = "sync"
    HUB_STATUS = "hub_status"
    SETTINGS = "settings"
    QUIT = "quit"
    UNDO = "undo"
    REDO = "redo"
    DELETE_SPAN = "delete_span"
    LINK = "link"
    MARK_DONE = "mark_done"
    NEXT_DOC = "next_doc"
    PREV_DOC = "prev_doc"
    REFRESH = "refresh"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"


#: member -> (English text, shortcuts). Label, R and Delete keys are handled by
#: the article view and span panel themselves, so typing them never misfires.
SPECS: dict[Act, tuple[str, list[QKeySequence | str]]] = {
    Act.IMPORT: ("Import…", [QKeySequence.StandardKey.Open]),
    Act.EXPORT: ("Export…", ["Ctrl+E"]),
    Act.REVIEW: ("Review…", []),
    Act.AGREEMENT: ("Agreement…", []),
    Act.SYNC: ("Sync with hub", ["Ctrl+Shift+S"]),
    Act.HUB_STATUS: ("Team progress…", []),
    Act.SETTINGS: ("Settings…", [QKeySequence.StandardKey.Preferences]),
    Act.QUIT: ("Quit", [QKeySequence.StandardKey.Quit]),
    Act.UNDO: ("Undo", ["Ctrl+Z"]),
    Act.REDO: ("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"]),
    Act.DELETE_SPAN: ("Delete span", []),
    Act.LINK: ("Link claim to source", []),
    Act.MARK_DONE: ("Mark done and next", ["Ctrl+Return", "Ctrl+Enter"]),
    Act.NEXT_DOC: ("Next document", ["Ctrl+PgDown", "Alt+Down"]),
    Act.PREV_DOC: ("Previous document", ["Ctrl+PgUp", "Alt+Up"]),
    Act.REFRESH: ("Refresh list", ["F5"]),
    Act.ZOOM_IN: ("Zoom in", [QKeySequence.StandardKey.ZoomIn, "Ctrl+="]),
    Act.ZOOM_OUT: ("Zoom out", [QKeySequence.StandardKey.ZoomOut]),
}

HINTS = {Act.DELETE_SPAN: "Del", Act.LINK: "R"}


def build_actions(parent: QWidget) -> dict[Act, QAction]:
    """One QAction per ``Act``, added to ``parent`` so its shortcuts work."""
    out: dict[Act, QAction] = {}
    for act, (_text, keys) in SPECS.items():
        action = QAction(parent)
        action.setObjectName(f"action_{act.value}")
        shortcuts: list[QKeySequence] = []
        for key in keys:
            if isinstance(key, QKeySequence.StandardKey):
                shortcuts.extend(QKeySequence.keyBindings(key))
            else:
                shortcuts.append(QKeySequence(key))
        action.setShortcuts(shortcuts)
        parent.addAction(action)
        out[act] = action
    retranslate_actions(out)
    return out


def retranslate_actions(actions: dict[Act, QAction]) -> None:
    """Set action texts and tooltips in the current language."""
    for act, action in actions.items():
        text = tr(SPECS[act][0])
        hint = HINTS.get(act)
        action.setText(f"{text}\t{hint}" if hint else text)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) or hint or ""
        action.setToolTip(tooltip(f"{text} ({keys})" if keys else text))  # may name a label
