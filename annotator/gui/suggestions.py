"""Suggestions in the article view: dashed outlines, accepted or rejected by key.

``attach(window)`` gives a main window a ``SuggestionController``: "Suggest"
(Ctrl+G) outlines the current document's suggestions and selects the first;
while it is selected, Enter accepts it and Backspace rejects it (Shift with either: every
suggestion of that label in the document), moving on to the next. Accepting
is an undoable command on the window's stack (the span gets origin
``suggested``, plus its ATTRIBUTED_TO link once both ends exist); a
rejection is recorded for good and is not undone. The actions come from the
window's action registry (``Act.SUGGEST`` …).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.core.suggest import Suggestion
from annotator.gui.actions import Act
from annotator.gui.commands import AcceptSuggestions
from annotator.gui.i18n import tr

_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace)


class SuggestionController(QObject):
    """The suggestions of the window's current document, one of them selected."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.items: list[Suggestion] = []
        self.pos = 0
        self.doc_id: str | None = None
        # Enter and Backspace act on a suggestion only while it is selected in
        # the article view (elsewhere Backspace deletes a span): an event
        # filter sees the keys before the view does.
        acts = window.actions_
        for act, slot in (
            (Act.SUGGEST, self.show_current),
            (Act.ACCEPT_SUGGESTION, self.accept),
            (Act.REJECT_SUGGESTION, self.reject),
            (Act.ACCEPT_KIND, self.accept_kind),
            (Act.REJECT_KIND, self.reject_kind),
        ):
            acts[act].triggered.connect(slot)
        self.actions = {
            "suggest": acts[Act.SUGGEST],
            "accept": acts[Act.ACCEPT_SUGGESTION],
            "reject": acts[Act.REJECT_SUGGESTION],
            "accept_kind": acts[Act.ACCEPT_KIND],
            "reject_kind": acts[Act.REJECT_KIND],
        }
        window.view.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Enter/Backspace (Shift: all of the label) over the selected suggestion."""
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key not in _KEYS or not self._on_selection():
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        accept = key != Qt.Key.Key_Backspace
        if accept:
            self.accept_kind() if shift else self.accept()
        else:
            self.reject_kind() if shift else self.reject()
        return True

    def _on_selection(self) -> bool:
        s = self.current()
        return s is not None and self.window.view.selection() == (s.start, s.end)

    # -- state -------------------------------------------------------------

    def show_current(self) -> None:
        """Compute and outline the suggestions of the document shown."""
        doc = self.window.current
        if doc is None:
            return
        try:
            from annotator.services import suggest  # plug-in lookup: loaded on first use

            self.items = suggest.suggest(self.window.project, self.window.layer, [doc.id])
        except UserError as exc:
            self.window.message(str(exc))
            return
        self.doc_id, self.pos = doc.id, 0
        self._draw()

    def current(self) -> Suggestion | None:
        """The selected suggestion (None when none, or another document is shown)."""
        doc = self.window.current
        if doc is None or doc.id != self.doc_id:
            self.items, self.doc_id = [], None
            return None
        return self.items[self.pos] if self.items else None

    def _draw(self) -> None:
        view = self.window.view
        view.set_suggestions([(s.start, s.end, s.label) for s in self.items])
        if not self.items:
            self.window.message(tr("No suggestions"))
            return
        self.pos = min(self.pos, len(self.items) - 1)
        s = self.items[self.pos]
        view.select(s.start, s.end)
        self.window.message(f"{s.label}: {s.reason} ({self.pos + 1}/{len(self.items)})")

    def apply(self, changes: Changes) -> None:
        """Stop outlining suggestions that a write (any edit) has made spans of."""
        if not self.items:
            return
        layer = self.window.layer
        made = {
            (s.doc_id, s.start, s.end, s.label)
            for s in (*changes.spans_added, *changes.spans_changed)
            if s.layer == layer
        }
        done = [x for x in self.items if x.key in made]
        if done:
            self._drop(done)

    def _drop(self, done: list[Suggestion]) -> None:
        gone = {s.key for s in done}
        self.items = [s for s in self.items if s.key not in gone]
        self._draw()

    # -- commands ----------------------------------------------------------

    def accept(self) -> None:
        """Accept the selected suggestion (undoable) and select the next."""
        s = self.current()
        if s is not None:
            w = self.window
            w.perform(AcceptSuggestions(w.project, w.annotator, [s]))
            self._drop([s])

    def reject(self) -> None:
        """Reject the selected suggestion for good and select the next."""
        s = self.current()
        if s is not None:
            self._reject([s])

    def accept_kind(self) -> None:
        """Accept every suggestion with the selected one's label (one undo step)."""
        s = self.current()
        if s is None:
            return
        same = [x for x in self.items if x.label == s.label]
        w = self.window
        w.perform(AcceptSuggestions(w.project, w.annotator, same))
        self._drop(same)

    def reject_kind(self) -> None:
        """Reject every suggestion with the selected one's label."""
        s = self.current()
        if s is not None:
            self._reject([x for x in self.items if x.label == s.label])

    def _reject(self, items: list[Suggestion]) -> None:
        w = self.window
        from annotator.services import suggest

        w.workspace.call(lambda: suggest.reject_all(w.project, w.annotator, items))
        self._drop(items)


def attach(window) -> SuggestionController:
    """Give ``window`` (the main window) its suggestion actions; return the controller."""
    window.suggestions = SuggestionController(window)
    window.changed.connect(window.suggestions.apply)
    return window.suggestions
