"""Aligned lanes: one read-only right-to-left text view per layer over the same text.

Spans are drawn as ``ExtraSelections`` over the unchanged plain text (never
HTML, never an inserted character): entities as a coloured background,
claims underlined, sources on a light tint. The conflict under review gets a
red wavy underline in every lane. Offsets cross to Qt's document positions only
through the document's ``QtPositions``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QSplitter, QTextEdit, QVBoxLayout, QWidget

from annotator.core.model import Span
from annotator.core.offsets import QtPositions
from annotator.gui.plain import plain_label, tooltip
from annotator.gui.rtl import show_plain_rtl

FOCUS_COLOR = "#d00000"


class LaneView(QTextEdit):
    """One layer's spans over the document text."""

    def __init__(self, layer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.setObjectName(f"lane_{layer}")
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.offsets = QtPositions("")
        self.spans: list[Span] = []

    def load(self, text: str, offsets: QtPositions) -> None:
        """Show ``text`` (plain, right to left)."""
        self.offsets = offsets
        show_plain_rtl(self, text)

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cur = QTextCursor(self.document())
        cur.setPosition(self.offsets.to_qt(start))
        cur.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cur

    def draw(
        self,
        spans: list[Span],
        labels: dict[str, tuple[str, str]],
        focus: tuple[int, int] | None = None,
    ) -> None:
        """Draw ``spans`` (labels: name -> (kind, colour)) and the focused range."""
        self.spans = list(spans)
        selections: list[QTextEdit.ExtraSelection] = []
        ordered = sorted(spans, key=lambda s: (-(s.end - s.start), s.start))  # inner on top
        for span in ordered:
            kind, color = labels.get(span.label, ("entity", "#cccccc"))
            fmt = QTextCharFormat()
            if kind == "claim":
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(color))
            elif kind == "source":
                tint = QColor(color)
                tint.setAlpha(90)
                fmt.setBackground(tint)
            else:
                fmt.setBackground(QColor(color))
            fmt.setToolTip(tooltip(span.label))
            selections.append(self._selection(span.start, span.end, fmt))
        if focus is not None:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(FOCUS_COLOR))
            fmt.setFontWeight(700)
            selections.append(self._selection(focus[0], focus[1], fmt))
            self.setTextCursor(self._cursor(focus[0], focus[0]))
            self.ensureCursorVisible()
        self.setExtraSelections(selections)

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        sel.cursor = self._cursor(start, end)
        sel.format = fmt
        return sel

    def selected_range(self) -> tuple[int, int] | None:
        """Code-point (start, end) of the user's selection, or None."""
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        a = self.offsets.to_codepoint(cur.selectionStart())
        b = self.offsets.to_codepoint(cur.selectionEnd())
        return (a, b) if a < b else None

    def select_range(self, start: int, end: int) -> None:
        """Select code points [start, end) (as the user would)."""
        self.setTextCursor(self._cursor(start, end))


class Lanes(QWidget):
    """Curator lanes plus the gold lane, stacked and scrolled together."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewLanes")
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.lanes: dict[str, LaneView] = {}
        self.text = ""
        self.last_lane: LaneView | None = None

    def show_layers(self, text: str, layers: list[str]) -> None:
        """Build one lane per layer over ``text`` (replacing the old lanes)."""
        for i in reversed(range(self.splitter.count())):
            widget = self.splitter.widget(i)
            widget.setParent(None)
            widget.deleteLater()
        self.lanes = {}
        self.last_lane = None
        self.text = text
        offsets = QtPositions(text)
        for layer in layers:
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            header = plain_label(layer)  # a layer name is data: never rich text
            header.setObjectName(f"laneHeader_{layer}")
            header.setStyleSheet("font-weight: bold;")
            lane = LaneView(layer)
            lane.load(text, offsets)
            lane.verticalScrollBar().valueChanged.connect(self._sync_scroll)
            lane.selectionChanged.connect(lambda lane=lane: self._remember(lane))
            col.addWidget(header)
            col.addWidget(lane)
            self.splitter.addWidget(box)
            self.lanes[layer] = lane

    def _remember(self, lane: LaneView) -> None:
        if lane.textCursor().hasSelection():
            self.last_lane = lane

    def _sync_scroll(self, value: int) -> None:
        for lane in self.lanes.values():
            bar = lane.verticalScrollBar()
            if bar.value() != value:
                bar.blockSignals(True)
                bar.setValue(value)
                bar.blockSignals(False)

    def selected_range(self) -> tuple[int, int] | None:
        """The selection of the lane last selected in, as code points."""
        return self.last_lane.selected_range() if self.last_lane else None
