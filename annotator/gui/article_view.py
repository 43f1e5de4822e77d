"""The article view: read-only right-to-left text with spans drawn over it.

The text is set with ``setPlainText`` only (never HTML) and never changes;
spans are drawn by ``SpanHighlighter`` formats and frames painted here, so
the bidi layout of the article is never disturbed. Offsets cross between Qt's
document positions and code points only through the document's ``QtPositions``
(``core.offsets``: UTF-16 units, and ``\r\n`` as one position).

Signals carry code-point offsets: ``tag_requested(start, end, label, exact)``
when a label key is pressed over a selection, ``delete_requested(span_id)``,
``link_requested(span_ids)`` for R, ``context_requested(cp, global_pos)``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QPainter,
    QPen,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.model import Relation, Span
from annotator.gui.highlight import SpanHighlighter, SpanIndex
from annotator.gui.plain import tooltip
from annotator.gui.rtl import show_plain_rtl


class ArticleView(QPlainTextEdit):
    """Shows one document and its spans; emits what the curator asks for."""

    tag_requested = Signal(int, int, str, bool)
    delete_requested = Signal(str)
    link_requested = Signal(list)
    context_requested = Signal(int, QPoint)

    def __init__(
        self, labels: dict[str, tuple[str, str, str]], parent: QWidget | None = None
    ) -> None:
        """``labels``: name -> (kind, colour, shortcut key)."""
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setMouseTracking(True)
        self.labels = labels
        self.keys = {key.lower(): name for name, (_k, _c, key) in labels.items() if key}
        self.doc_id: str | None = None
        self.text = ""
        self.index = SpanIndex("", [0], {})
        self.relations: dict[str, Relation] = {}
        self.suggestions: list[tuple[int, int, str]] = []
        self._search: list[QTextEdit.ExtraSelection] = []
        self.alt_selection = False
        colors = {name: color for name, (_k, color, _s) in labels.items()}
        self.highlighter = SpanHighlighter(self.document(), colors)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.format_visible())

    # -- content -----------------------------------------------------------

    def load(self, doc_id: str, text: str, spans: list[Span], relations: list[Relation]) -> None:
        """Show ``text`` with its spans and relations (replacing what was shown)."""
        self.highlighter.index = None
        self.highlighter.ready = set()
        self.doc_id, self.text = doc_id, text
        show_plain_rtl(self, text)
        doc = self.document()
        starts, block = [], doc.begin()
        while block.isValid():
            starts.append(block.position())
            block = block.next()
        kinds = {name: kind for name, (kind, _c, _s) in self.labels.items()}
        self.index = SpanIndex(text, starts or [0], kinds)
        self.index.load(spans)
        self.relations = {r.id: r for r in relations}
        self.suggestions = []
        self._search = []
        self.setExtraSelections([])
        self.highlighter.index = self.index
        self.format_visible()

    def format_visible(self) -> None:
        """Format the blocks now on screen that were not formatted yet."""
        hl = self.highlighter
        if hl.index is None:
            return
        block = self.firstVisibleBlock()
        bottom = self.viewport().height()
        offset = self.contentOffset()
        while block.isValid():
            number = block.blockNumber()
            if number not in hl.ready:
                hl.ready.add(number)
                if hl.index.by_block.get(number):
                    hl.rehighlightBlock(block)
            if self.blockBoundingGeometry(block).translated(offset).bottom() >= bottom:
                break  # the next block starts below the view
            block = block.next()

    def resizeEvent(self, e) -> None:
        """Format blocks that a larger view brings on screen."""
        super().resizeEvent(e)
        self.format_visible()

    def add_span(self, span: Span) -> None:
        """Draw one more span (re-formats only the blocks it covers)."""
        if span.doc_id == self.doc_id:
            self._redraw(self.index.add(span))

    def remove_span(self, span_id: str) -> None:
        """Stop drawing one span."""
        self._redraw(self.index.remove(span_id))
        for rel_id in [r.id for r in self.relations.values() if span_id in (r.head, r.tail)]:
            del self.relations[rel_id]

    def add_relation(self, rel: Relation) -> None:
        """Know one more link (shown in tooltips)."""
        if rel.doc_id == self.doc_id:
            self.relations[rel.id] = rel

    def remove_relation(self, rel_id: str) -> None:
        """Forget one link."""
        self.relations.pop(rel_id, None)

    def _redraw(self, blocks: range) -> None:
        doc = self.document()
        for number in blocks:
            if number in self.highlighter.ready:
                self.highlighter.rehighlightBlock(doc.findBlockByNumber(number))
        self.viewport().update()

    def set_suggestions(self, items: list[tuple[int, int, str]]) -> None:
        """Draw dashed outlines over (start, end, label) code-point ranges."""
        n = len(self.text)
        self.suggestions = [(s, e, lab) for s, e, lab in items if 0 <= s < e <= n]
        self.viewport().update()

    def set_search_hits(self, hits: list[tuple[int, int]]) -> None:
        """Mark search hits (code points) with a light background; scroll to the first."""
        sels = []
        for start, end in hits:
            if 0 <= start < end <= len(self.text):
                sel = QTextEdit.ExtraSelection()
                sel.cursor = self.cursor_for(start, end)
                sel.format.setBackground(QColor("#fff3b0"))
                sel.format.setProperty(QTextFormat.Property.FullWidthSelection, False)
                sels.append(sel)
        self._search = sels
        self.setExtraSelections(sels)
        if sels:
            self.setTextCursor(QTextCursor(sels[0].cursor))

    # -- offsets -----------------------------------------------------------

    def cursor_for(self, start: int, end: int) -> QTextCursor:
        """A cursor selecting code points [start, end)."""
        cur = QTextCursor(self.document())
        cur.setPosition(self.index.offsets.to_qt(start))
        cur.setPosition(self.index.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cur

    def selection(self) -> tuple[int, int]:
        """The selection as code points (start, end); equal when nothing is selected."""
        cur = self.textCursor()
        to_cp = self.index.offsets.to_codepoint
        return to_cp(cur.selectionStart()), to_cp(cur.selectionEnd())

    def select(self, start: int, end: int) -> None:
        """Select code points [start, end) and scroll there."""
        self.setTextCursor(self.cursor_for(start, end))
        self.ensureCursorVisible()

    def cp_at(self, pos: QPoint) -> int:
        """Code point under a viewport position."""
        return self.index.offsets.to_codepoint(self.cursorForPosition(pos).position())

    def spans_at_cursor(self) -> list[Span]:
        """Spans under the selection (or the cursor), shortest first."""
        start, end = self.selection()
        if end > start:
            found = {s.id: s for s in self.index.spans.values() if s.start < end and start < s.end}
            return sorted(found.values(), key=lambda s: (s.end - s.start, s.start))
        return self.index.at(start) if start < len(self.text) else []

    # -- keys and mouse ----------------------------------------------------

    def event(self, e: QEvent) -> bool:
        """Take label, R and Delete keys before window shortcuts; show span tooltips."""
        if e.type() == QEvent.Type.ShortcutOverride and self._own_key(e):
            e.accept()
            return True
        if e.type() == QEvent.Type.ToolTip:
            self._tooltip(e.pos(), e.globalPos())
            return True
        return super().event(e)

    def _own_key(self, e: QKeyEvent) -> bool:
        mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.AltModifier):
            return False
        return e.text().lower() in self.keys or e.key() in (
            Qt.Key.Key_R,
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
        )

    def keyPressEvent(self, e: QKeyEvent) -> None:
        """Label keys tag the selection (Alt: exact), R links, Delete removes."""
        if not self._own_key(e):
            super().keyPressEvent(e)
            return
        label = self.keys.get(e.text().lower())
        if label is None and e.key() == Qt.Key.Key_R:
            self.link_requested.emit([s.id for s in self.spans_at_cursor()])
        elif label is None and e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            spans = self.spans_at_cursor()
            if spans:
                self.delete_requested.emit(spans[0].id)
        elif label is not None:
            exact = bool(e.modifiers() & Qt.KeyboardModifier.AltModifier) or self.alt_selection
            start, end = self.selection()
            self.tag_requested.emit(start, end, label, exact)
        e.accept()

    def mousePressEvent(self, e) -> None:
        """Right click asks for the context menu; Alt while selecting means exact."""
        if e.button() == Qt.MouseButton.RightButton:
            self.context_requested.emit(
                self.cp_at(e.position().toPoint()), e.globalPosition().toPoint()
            )
            return
        self.alt_selection = bool(e.modifiers() & Qt.KeyboardModifier.AltModifier)
        super().mousePressEvent(e)

    def _tooltip(self, pos: QPoint, global_pos: QPoint) -> None:
        spans = self.index.at(self.cp_at(pos)) if self.text else []
        if not spans:
            QToolTip.hideText()
            return
        lines = []
        for s in spans:
            lines.append(f"{s.label}: {self.text[s.start : s.end][:80]}")
            for r in self.relations.values():
                other = r.tail if r.head == s.id else r.head if r.tail == s.id else None
                if other and other in self.index.spans:
                    o = self.index.spans[other]
                    lines.append(f"  {r.label} ↔ {self.text[o.start : o.end][:60]}")
        QToolTip.showText(global_pos, tooltip("\n".join(lines)), self)

    # -- painting frames ---------------------------------------------------

    def paintEvent(self, e) -> None:
        """Draw the text, then frames around sources and dashed suggestion outlines."""
        super().paintEvent(e)
        if not self.text:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        block = self.firstVisibleBlock()
        bottom = self.viewport().rect().bottom()
        offset = self.contentOffset()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > bottom:
                break
            self._paint_block(painter, block, geo.topLeft())
            block = block.next()
        painter.end()

    def _paint_block(self, painter: QPainter, block, origin) -> None:
        base, end = block.position(), block.position() + block.length()
        for span in self.index.in_block(block.blockNumber()):
            if self.index.kinds.get(span.label) == "source":
                color = QColor(self.labels[span.label][1])
                painter.setPen(QPen(color, 2))
                s16, e16 = self.index.pos16(span)
                for rect in _range_rects(block, s16 - base, e16 - base, origin):
                    painter.drawRoundedRect(rect, 3, 3)
        to16 = self.index.offsets.to_qt
        for start, stop, label in self.suggestions:
            s16, e16 = to16(start), to16(stop)
            if e16 <= base or s16 >= end:
                continue
            color = QColor(self.labels.get(label, ("", "#555555", ""))[1])
            painter.setPen(QPen(color, 1.5, Qt.PenStyle.DashLine))
            for rect in _range_rects(block, s16 - base, e16 - base, origin):
                painter.drawRect(rect)

    def set_font(self, family: str, size: int) -> None:
        """Use this article font."""
        font = QFont(family)
        font.setPointSize(size)
        self.setFont(font)
        self.document().setDefaultFont(font)


def _range_rects(block, a: int, b: int, origin) -> list[QRectF]:
    """Rectangles (viewport coordinates) of block-relative UTF-16 range [a, b)."""
    layout = block.layout()
    a, b = max(a, 0), min(b, block.length() - 1)
    rects = []
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        ls, le = line.textStart(), line.textStart() + line.textLength()
        lo, hi = max(a, ls), min(b, le)
        if lo >= hi:
            continue
        x1, x2 = _x(line, lo), _x(line, hi)
        left, right = min(x1, x2), max(x1, x2)
        rects.append(
            QRectF(
                origin.x() + left - 1, origin.y() + line.y(), right - left + 2, line.height()
            ).adjusted(0, 1, 0, -1)
        )
    return rects


def _x(line, pos: int) -> float:
    got = line.cursorToX(pos)
    return got[0] if isinstance(got, tuple) else got
