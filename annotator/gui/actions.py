"""Every window command as a QAction, built once from one table.

Menus, the context menu and tests name actions by ``Act`` member
(``window.actions_[Act.MARK_DONE].trigger()``), never by widget. The label
menu's actions (one per span label) are built here too.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.gui.i18n import label_name, tr
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
    SKIP_DOC = "skip_doc"
    DOC_NOTE = "doc_note"
    SPAN_NOTE = "span_note"
    UNSURE = "unsure"
    SHOW_ARCS = "show_arcs"
    FIND = "find"
    FIND_NEXT = "find_next"
    FIND_PREV = "find_prev"
    GROW_START = "grow_start"
    SHRINK_START = "shrink_start"
    GROW_END = "grow_end"
    SHRINK_END = "shrink_end"
    SUGGEST = "suggest"
    ACCEPT_SUGGESTION = "accept_suggestion"
    REJECT_SUGGESTION = "reject_suggestion"
    ACCEPT_KIND = "accept_kind"
    REJECT_KIND = "reject_kind"


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
    Act.SKIP_DOC: ("Skip document", ["Ctrl+Shift+K"]),
    Act.DOC_NOTE: ("Note on document…", ["Ctrl+Shift+N"]),
    Act.SPAN_NOTE: ("Note on span…", ["Ctrl+N"]),
    Act.UNSURE: ("Mark span unsure", ["Ctrl+U"]),
    Act.SHOW_ARCS: ("Show links as arcs", ["Ctrl+L"]),
    Act.FIND: ("Find in document…", [QKeySequence.StandardKey.Find]),
    Act.FIND_NEXT: ("Find next", ["F3"]),
    Act.FIND_PREV: ("Find previous", ["Shift+F3"]),
    Act.GROW_START: ("Start one word earlier", ["Alt+Home"]),
    Act.SHRINK_START: ("Start one word later", ["Alt+Shift+Home"]),
    Act.GROW_END: ("End one word later", ["Alt+End"]),
    Act.SHRINK_END: ("End one word earlier", ["Alt+Shift+End"]),
    Act.SUGGEST: ("Suggest", ["Ctrl+G"]),
    Act.ACCEPT_SUGGESTION: ("Accept suggestion", []),
    Act.REJECT_SUGGESTION: ("Reject suggestion", []),
    Act.ACCEPT_KIND: ("Accept all of this label", []),
    Act.REJECT_KIND: ("Reject all of this label", []),
}

#: Keys the article view handles itself (shown in menus, not shortcuts).
HINTS = {
    Act.DELETE_SPAN: "Del",
    Act.LINK: "R",
    Act.ACCEPT_SUGGESTION: "Enter",
    Act.REJECT_SUGGESTION: "Backspace",
    Act.ACCEPT_KIND: "Shift+Enter",
    Act.REJECT_KIND: "Shift+Backspace",
}
CHECKABLE = {Act.SHOW_ARCS}


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
        if act in CHECKABLE:
            action.setCheckable(True)
            action.setChecked(True)
        parent.addAction(action)
        out[act] = action
    retranslate_actions(out)
    return out


def build_label_actions(parent: QWidget, labels) -> dict[str, QAction]:
    """One "Add LABEL" action per span label (menus; the view handles the key itself)."""
    out: dict[str, QAction] = {}
    for lab in labels:
        action = QAction(parent)
        action.setObjectName(f"action_label_{lab.name}")
        out[lab.name] = action
    retranslate_label_actions(out, labels)
    return out


def retranslate_label_actions(actions: dict[str, QAction], labels) -> None:
    """Texts of the label actions in the current language."""
    for lab in labels:
        key = f"\t{lab.shortcut}" if lab.shortcut else ""
        actions[lab.name].setText(tr("Add {label}", label=label_name(lab)) + key)


def retranslate_actions(actions: dict[Act, QAction]) -> None:
    """Set action texts and tooltips in the current language."""
    for act, action in actions.items():
        text = tr(SPECS[act][0])
        hint = HINTS.get(act)
        action.setText(f"{text}\t{hint}" if hint else text)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) or hint or ""
        action.setToolTip(tooltip(f"{text} ({keys})" if keys else text))  # may name a label
