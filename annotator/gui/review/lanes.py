"""Aligned lanes: one read-only right-to-left text view per layer over the same text.

Spans are drawn as ``ExtraSelections`` over the unchanged plain text (never
HTML, never an inserted character): entities as a coloured background,
claims underlined, sources on a light tint. The conflict under review gets a
red frame and a red wavy underline in every lane. Offsets cross to Qt's
document positions only through ``gui.positions`` (the GUI's one crossing).

A lane may show an excerpt ``text[base:base + len(excerpt)]`` of the document
(the conflict panel does): every offset in and out stays a code point of the
whole document; spans outside the excerpt are not drawn.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextCharFormat, QTextCursor, QTextLine
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTextEdit, QVBoxLayout, QWidget

from annotator.core.model import Span
from annotator.gui.plain import plain_label, tooltip
from annotator.gui.positions import Positions
from annotator.gui.rtl import show_plain_rtl

FOCUS_COLOR = "#d00000"


def _x(line: QTextLine, pos: int) -> float:
    got = line.cursorToX(pos)
    return got[0] if isinstance(got, tuple) else got


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
        self.positions = Positions("")
        self.spans: list[Span] = []
        self.base = 0
        self.length = 0
        self.focus: tuple[int, int] | None = None

    def load(self, text: str, positions: Positions, base: int = 0) -> None:
        """Show ``text`` (plain, right to left): the document from code point ``base`` on.

        ``positions`` is the crossing of ``text`` (shared by the lanes of one excerpt).
        """
        self.positions, self.base, self.length = positions, base, len(text)
        show_plain_rtl(self, text)

    def to_qt(self, cp: int) -> int:
        """Qt position of document code point ``cp`` (clamped to the text shown)."""
        return self.positions.to_qt(cp - self.base)

    def to_codepoint(self, pos: int) -> int:
        """Document code point of Qt position ``pos``."""
        return self.positions.to_cp(pos) + self.base

    def _cursor(self, start: int, end: int) -> QTextCursor:
        return self.positions.cursor(self.document(), start - self.base, end - self.base)

    def shows(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps the text shown."""
        return start < self.base + self.length and self.base < end

    def draw(
        self,
        spans: list[Span],
        labels: dict[str, tuple[str, str]],
        focus: tuple[int, int] | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        """Draw ``spans`` (labels: name -> (kind, colour)) and the focused range;
        a span's tooltip is its label's name (``names``, else the label itself)."""
        self.spans = list(spans)
        selections: list[QTextEdit.ExtraSelection] = []
        shown = [s for s in spans if self.shows(s.start, s.end)]
        ordered = sorted(shown, key=lambda s: (-(s.end - s.start), s.start))  # inner on top
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
            fmt.setToolTip(tooltip((names or {}).get(span.label, span.label)))
            selections.append(self._selection(span.start, span.end, fmt))
        self.focus = focus
        if focus is not None:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(FOCUS_COLOR))
            selections.append(self._selection(focus[0], focus[1], fmt))
            self.setTextCursor(self._cursor(focus[0], focus[0]))
            self.ensureCursorVisible()
        self.setExtraSelections(selections)
        self.viewport().update()

    def focus_rects(self) -> list[QRectF]:
        """Viewport rectangles around the focused range, one per line it covers."""
        if self.focus is None or not self.shows(*self.focus):
            return []
        a16, b16 = self.positions.range16(self.focus[0] - self.base, self.focus[1] - self.base)
        doc = self.document()
        scroll = QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        rects = []
        block = doc.findBlock(a16)
        while block.isValid() and block.position() < b16:
            origin = doc.documentLayout().blockBoundingRect(block).topLeft() - scroll
            layout = block.layout()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                start = line.textStart()
                lo = max(a16 - block.position(), start)
                hi = min(b16 - block.position(), start + line.textLength())
                if lo < hi:
                    xs = sorted((_x(line, lo), _x(line, hi)))
                    rects.append(
                        QRectF(
                            origin.x() + xs[0] - 2,
                            origin.y() + line.y(),
                            xs[1] - xs[0] + 4,
                            line.height(),
                        )
                    )
            block = block.next()
        return rects

    def paintEvent(self, event) -> None:
        """The text and its spans, then a frame around the conflict under review."""
        super().paintEvent(event)
        rects = self.focus_rects()
        if rects:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(FOCUS_COLOR), 2))
            for rect in rects:
                painter.drawRoundedRect(rect, 3, 3)
            painter.end()

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
        a, b = self.positions.selection(cur)
        return (a + self.base, b + self.base) if a < b else None

    def code_point_at(self, pos: QPoint) -> int:
        """Document code point under viewport position ``pos``."""
        return self.positions.at_point(self, pos) + self.base

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
        self.headers: dict[str, QLabel] = {}  # layer name, bold
        self.notes: dict[str, QLabel] = {}  # beside it: which version the layer holds
        self.remarks: dict[str, QLabel] = {}  # under it: the curator's notes and flags
        self.text = ""
        self.last_lane: LaneView | None = None

    def show_layers(
        self,
        text: str,
        layers: list[str],
        excerpt: tuple[int, int] | None = None,
    ) -> None:
        """Build one lane per layer over ``text`` (replacing the old lanes).

        ``excerpt`` (start, end) shows only that stretch of ``text``.
        """
        for i in reversed(range(self.splitter.count())):
            widget = self.splitter.widget(i)
            widget.setParent(None)
            widget.deleteLater()
        self.lanes, self.headers, self.notes, self.remarks = {}, {}, {}, {}
        self.last_lane = None
        self.text = text
        base, stop = excerpt or (0, len(text))
        shown = text[base:stop]
        positions = Positions(shown)
        for layer in layers:
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            header = plain_label(layer)  # a layer name is data: never rich text
            header.setObjectName(f"laneHeader_{layer}")
            header.setStyleSheet("font-weight: bold;")
            note = plain_label(objectName=f"laneNote_{layer}")
            top = QHBoxLayout()
            top.addWidget(header)
            top.addWidget(note, 1)
            lane = LaneView(layer)
            lane.load(shown, positions, base)
            lane.verticalScrollBar().valueChanged.connect(self._sync_scroll)
            lane.selectionChanged.connect(lambda lane=lane: self._remember(lane))
            remarks = plain_label(objectName=f"laneRemarks_{layer}")  # curators' words: plain
            remarks.setWordWrap(True)
            remarks.setVisible(False)
            col.addLayout(top)
            col.addWidget(remarks)
            col.addWidget(lane)
            self.splitter.addWidget(box)
            self.lanes[layer] = lane
            self.headers[layer] = header
            self.notes[layer] = note
            self.remarks[layer] = remarks

    def set_notes(self, notes: dict[str, str]) -> None:
        """Beside each lane's name: ``notes[layer]`` (e.g. "version 2"), or nothing."""
        for layer, note in self.notes.items():
            note.setText(notes.get(layer, ""))

    def set_remarks(self, remarks: dict[str, str]) -> None:
        """Under each lane's name: ``remarks[layer]`` (the curator's notes), hidden when none."""
        for layer, label in self.remarks.items():
            label.setText(remarks.get(layer, ""))
            label.setVisible(bool(remarks.get(layer)))

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
