"""The conflict panel: one conflict's versions side by side, and the reviewer's choice.

A reusable widget (the review window embeds it; the main window may dock it
beside the article view when a reviewer works on the gold layer). It shows
the curators' versions of one conflict as read-only right-to-left lanes (one
per curator layer, plus gold) with the conflicting stretch marked, and
offers three choices: accept a version, reject all, or edit (the words
selected in any lane, or the conflict's stretch, with a label). It never
writes: each choice is emitted as a ``services.review.Choice`` for the owner
to run through its own undoable path.

API::

    panel = ConflictPanel(project, parent, excerpt=True)
    panel.show_conflict(doc_id, conflict)   # or None: nothing to decide
    panel.show_at(doc_id, position)         # the conflict at a code point; returns it or None
    panel.refresh()                         # redraw after a write (e.g. on changed(Changes))
    # each choice as one undoable write (commands.ReviewEdit: text, doc_id, do(), undo()):
    panel.decisionMade.connect(
        lambda choice: performer.perform(decision_edit(project, reviewer, choice)))
    panel.takeBackRequested.connect(
        lambda doc_id, conflict_id: performer.perform(
            take_back_edit(project, reviewer, doc_id, conflict_id)))
    # after the reviewer edits gold there: review.record_gold_changes(project, reviewer, changes)
    panel.message.connect(status_bar.showMessage)  # why a choice was refused
    panel.retranslate()                     # after the interface language changed

``excerpt=True`` shows only the paragraph around the conflict (for a dock);
``False`` shows the whole text in every lane, scrolled to the conflict. The
shortcuts A (accept the version chosen), 1–9 (accept that version), X
(reject), E (edit) and Backspace (take back) work
while the panel has focus; ``set_shortcut_context`` widens them (the review
window makes them window-wide).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.conflicts import Conflict
from annotator.core.model import GOLD, Note, Span
from annotator.gui import i18n
from annotator.gui.i18n import label_name, tr
from annotator.gui.review.lanes import Lanes
from annotator.gui.review.models import describe_history, describe_side, quote
from annotator.services import annotate, browse, notes, review
from annotator.services.project import Project

#: an excerpt reaches this many code points around the conflict inside a long paragraph
CONTEXT = 160
#: height of an excerpt lane, in lines (it scrolls beyond)
EXCERPT_LINES = 4

i18n.add_translations(
    {
        "unsure": "غير مؤكد",
        "note on the document": "ملاحظة على الوثيقة",
    }
)


def excerpt_around(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[int, int]:
    """The paragraph holding [start, end), cut at spaces ``context`` code points around it."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b - (b > end and text[b - 1] == "\r")  # before a CRLF
    if start - a > context:
        cut = text.find(" ", start - context, start)
        a = cut + 1 if cut >= 0 else start - context
    if b - end > context:
        cut = text.rfind(" ", end, end + context)
        b = cut if cut > end else end + context
    return a, b


class ConflictPanel(QWidget):
    """Lanes of one conflict with Accept version / Reject all / Apply edit."""

    decisionMade = Signal(object)  # services.review.Choice
    takeBackRequested = Signal(str, str)  # doc_id, conflict id
    message = Signal(str)  # why a choice was not made (plain text)

    def __init__(
        self, project: Project, parent: QWidget | None = None, *, excerpt: bool = True
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictPanel")
        self.project, self.excerpt = project, excerpt
        self.labels = {lab.name: (lab.kind, lab.color) for lab in project.schema.labels}
        self.names: dict[str, str] = {}  # label -> "Person (PER)", in the interface language
        self.doc_id: str | None = None
        self.conflict: Conflict | None = None
        self.text = ""
        self._shown_doc: str | None = None
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.title = QLabel(objectName="conflictTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.history = QLabel(objectName="conflictHistory")
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.history.setWordWrap(True)
        self.lanes = Lanes(self)
        self.side_box = QComboBox(objectName="sideBox")
        self.label_box = QComboBox(objectName="editLabel")
        for lab in self.project.schema.labels:
            self.label_box.addItem(lab.name, lab.name)
        self.accept_action = self._action("Accept version", "A", self.accept_side)
        self.reject_action = self._action("Reject all", "X", self.reject_all)
        self.edit_action = self._action("Apply edit", "E", self.apply_edit)
        self.take_back_action = self._action("Take back decision", "Backspace", self.take_back)
        self.version_actions = [
            self._action("Accept version {n}", str(n), lambda _=False, n=n: self.accept_version(n))
            for n in range(1, 10)
        ]
        self.hint = hint = QLabel(objectName="editHint")
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.history)
        layout.addWidget(self.lanes, 1 if not self.excerpt else 0)
        row = QHBoxLayout()
        row.addWidget(self.side_box, 1)
        row.addWidget(self._button(self.accept_action))
        row.addWidget(self._button(self.reject_action))
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.label_box, 1)
        row.addWidget(self._button(self.edit_action))
        row.addWidget(self._button(self.take_back_action))
        layout.addLayout(row)
        layout.addWidget(hint)
        if self.excerpt:
            layout.addStretch(1)

    def _action(self, text: str, key: str, slot) -> QAction:
        action = QAction(self)
        action.setData(text)  # the English text, for retranslate
        action.setObjectName(text.lower().replace(" ", "_").replace("{n}", key))
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def retranslate(self) -> None:
        """Put every text of the panel in the current interface language."""
        for action in self.actions():
            english = action.data()
            n = self.version_actions.index(action) + 1 if action in self.version_actions else 0
            text = tr(english, n=n) if n else tr(english)
            action.setText(text)
            action.setToolTip(f"{text} ({action.shortcut().toString()})")
        self.hint.setText(
            tr("Edit: select words in any lane (or keep the conflict's), pick a label.")
        )
        self._name_labels()
        self.show_conflict(self.doc_id, self.conflict)

    def _name_labels(self) -> None:
        self.names = {
            lab.name: f"{label_name(lab)} ({lab.name})" for lab in self.project.schema.labels
        }
        for i in range(self.label_box.count()):
            self.label_box.setItemText(i, self.names[self.label_box.itemData(i)])

    def show_schema(self) -> None:
        """Take the label schema as it is now (after an edit or a sync): the lanes'
        colours, the labels to edit with and their names; the label chosen stays."""
        schema = self.project.schema.labels
        self.labels = {lab.name: (lab.kind, lab.color) for lab in schema}
        chosen = self.label_box.currentData()
        self.label_box.clear()
        for lab in schema:
            self.label_box.addItem(lab.name, lab.name)
        self._name_labels()
        self.label_box.setCurrentIndex(max(0, self.label_box.findData(chosen)))
        self.refresh()

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton(objectName=f"button_{action.objectName()}")
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def set_shortcut_context(self, context: Qt.ShortcutContext) -> None:
        """Where the panel's shortcuts work (default: while the panel has focus)."""
        for action in self.actions():
            action.setShortcutContext(context)

    # -- what is shown ---------------------------------------------------------

    def show_at(self, doc_id: str, position: int) -> Conflict | None:
        """Show the conflict of ``doc_id`` holding code point ``position`` (or none).

        Of several, the shortest stretch wins, and a span conflict before a link
        one. Cheap when the conflict is the one shown (call it on every caret move).
        """
        found = sorted(
            review.conflicts_at(self.project, doc_id, position),
            key=lambda c: (c.kind == "relation", c.span[1] - c.span[0]),
        )
        conflict = found[0] if found else None
        if (doc_id, conflict) != (self.doc_id, self.conflict) or conflict is None:
            self.show_conflict(doc_id, conflict)  # the caret moved to another conflict
        return self.conflict

    def show_conflict(self, doc_id: str | None, conflict: Conflict | None) -> None:
        """Show ``conflict`` of document ``doc_id`` (None: nothing to decide)."""
        if doc_id != self.doc_id or doc_id is None:
            self.text = browse.get_document(self.project, doc_id).text if doc_id else ""
        self.doc_id, self.conflict = doc_id, conflict
        layers = review.curator_layers(self.project, doc_id) if doc_id else []
        self.side_box.clear()
        for i, side in enumerate(conflict.sides if conflict else ()):
            self.side_box.addItem(
                tr("Version {n}: {side}", n=i + 1, side=describe_side(side, self.text))
            )
        if self.excerpt:
            stretch = excerpt_around(self.text, *conflict.span) if conflict else None
            self.lanes.show_layers(self.text, [*layers, GOLD] if conflict else [], stretch)
            lines = self.fontMetrics().lineSpacing() * EXCERPT_LINES + 12
            for lane in self.lanes.lanes.values():
                lane.setMaximumHeight(lines)
        elif self._shown_doc != doc_id:
            self.lanes.show_layers(self.text, [*layers, GOLD] if layers else [])
        self._shown_doc = doc_id
        self.lanes.set_notes(self._versions(conflict))
        if conflict is not None and conflict.kind != "relation":
            first = next((k for s in conflict.sides for k in s.spans), conflict.keys[0])
            index = self.label_box.findData(first[2])
            if index >= 0:
                self.label_box.setCurrentIndex(index)
        self.refresh()

    def _versions(self, conflict: Conflict | None) -> dict[str, str]:
        """Beside each curator lane's name, the number of the version it holds."""
        out = {GOLD: tr("the reference layer")}
        for i, side in enumerate(conflict.sides if conflict else ()):
            for layer in side.layers:
                out[layer] = tr("version {n}", n=i + 1)
        return out

    def refresh(self) -> None:
        """Re-read the lanes' spans and the decision in force (after any write)."""
        conflict = self.conflict
        decision = None
        rows = []
        if conflict is not None:
            decision = review.decisions_in_force(self.project, conflict.doc_id).get(conflict.id)
            rows = [
                r
                for r in review.history(self.project, conflict.doc_id)
                if r["conflict"] == conflict.id
            ]
            start, end = conflict.span
            state = (
                tr("decided: {what}", what=tr(decision["choice"]["action"]))
                if decision
                else tr("undecided")
            )
            self.title.setText(
                f"{tr(conflict.kind)} [{start}, {end}) {quote(self.text[start:end])} — {state}"
            )
        else:
            self.title.setText(tr("No conflict here."))
        self.history.setText(describe_history(rows))
        self.history.setVisible(bool(rows))
        for action in (self.accept_action, self.reject_action):
            action.setEnabled(conflict is not None)
        self.edit_action.setEnabled(conflict is not None and conflict.kind != "relation")
        self.take_back_action.setEnabled(decision is not None)
        sides = len(conflict.sides) if conflict else 0
        for n, action in enumerate(self.version_actions, start=1):
            action.setEnabled(n <= sides)
        focus = conflict.span if conflict else None
        drawn: dict[str, list[Span]] = {}
        for layer, lane in self.lanes.lanes.items():
            drawn[layer] = annotate.layer_spans(self.project, self.doc_id, layer)
            lane.draw(drawn[layer], self.labels, focus, self.names)
        self.lanes.set_remarks(self._remarks(conflict, drawn))

    def _remarks(self, conflict: Conflict | None, drawn: dict[str, list[Span]]) -> dict[str, str]:
        """Per curator lane: its notes and "unsure" flags on spans of the conflict's stretch,
        and the layer's note on the document (one line each, plain text)."""
        if conflict is None:
            return {}
        start, end = conflict.span
        by_layer = notes.notes_of_document(self.project, conflict.doc_id)
        out: dict[str, str] = {}
        for layer, spans in drawn.items():
            mine = by_layer.get(layer, {})
            if layer == GOLD or not mine:
                continue
            lines = [
                self._remark(f"{span.label} {quote(self.text[span.start : span.end])}", note)
                for span in sorted(spans, key=lambda s: (s.start, s.end, s.label))
                if span.start < end
                and start < span.end
                and (note := mine.get(span.id)) is not None
                and not note.empty
            ]
            if (doc_note := mine.get("")) is not None and doc_note.text:
                lines.append(self._remark(tr("note on the document"), doc_note))
            if lines:
                out[layer] = "\n".join(lines)
        return out

    @staticmethod
    def _remark(what: str, note: Note) -> str:
        parts = (
            [what] + ([tr("unsure")] if note.unsure else []) + ([note.text] if note.text else [])
        )
        return " — ".join(parts)

    # -- choices -----------------------------------------------------------------

    def accept_side(self) -> None:
        """Emit: accept the version chosen in the list of versions."""
        if self.conflict is not None:
            choice = review.Choice(self.conflict, "accept", side=self.side_box.currentIndex())
            self.decisionMade.emit(choice)

    def accept_version(self, n: int) -> None:
        """Emit: accept version ``n`` (counted from 1, as the lanes' titles say)."""
        if self.conflict is not None and 1 <= n <= len(self.conflict.sides):
            self.side_box.setCurrentIndex(n - 1)
            self.accept_side()

    def reject_all(self) -> None:
        """Emit: reject every version of the conflict."""
        if self.conflict is not None:
            self.decisionMade.emit(review.Choice(self.conflict, "reject"))

    def apply_edit(self) -> None:
        """Emit: put the selected words (or the conflict's stretch) with the label into gold."""
        conflict = self.conflict
        if conflict is None or conflict.kind == "relation":
            return
        selected = self.lanes.selected_range()
        if selected is None:
            first = next((k for s in conflict.sides for k in s.spans), conflict.keys[0])
            selected = (first[0], first[1])
        elif not (selected[0] < conflict.span[1] and conflict.span[0] < selected[1]):
            self.message.emit(tr("Select words of the conflict (framed in red), or nothing."))
            return
        key = (selected[0], selected[1], self.label_box.currentData())
        self.decisionMade.emit(review.Choice(conflict, "edit", spans=(key,)))

    def take_back(self) -> None:
        """Emit: take back the decision in force on the conflict."""
        if self.conflict is not None and self.take_back_action.isEnabled():
            self.takeBackRequested.emit(self.conflict.doc_id, self.conflict.id)
