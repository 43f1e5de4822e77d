"""The article view: read-only right-to-left text with spans drawn over it.

The text is set with ``setPlainText`` only (never HTML) and never changes;
spans are drawn by ``SpanHighlighter`` formats and by ``gui.overlay``
(source frames, suggestion outlines, link arcs, edge handles), so the bidi
layout of the article is never disturbed. Offsets cross between Qt positions
and code points only through ``gui.positions``.

The view shows one layer of one document and updates itself from the
window's ``changed`` signal (``apply``). Signals carry code-point offsets:
``tag_requested(start, end, label, exact)`` for a label key,
``delete_requested(span_id)``, ``unlink_requested(rel_id)`` (Delete on a
selected arc), ``link_requested(span_ids)`` for R,
``resize_requested(span_id, start, end)`` when an edge handle is dropped,
``context_requested(cp, global_pos)``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QPainter,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.changes import Changes
from annotator.core.model import Note, Relation, Span
from annotator.gui import overlay
from annotator.gui.highlight import SpanHighlighter, SpanIndex
from annotator.gui.plain import tooltip
from annotator.gui.positions import Positions
from annotator.gui.rtl import show_plain_rtl

SEARCH_COLOR = "#fff3b0"
CURRENT_HIT_COLOR = "#ffb703"


class ArticleView(QPlainTextEdit):
    """Shows one document layer and its spans; emits what the curator asks for."""

    tag_requested = Signal(int, int, str, bool)
    delete_requested = Signal(str)
    unlink_requested = Signal(str)
    link_requested = Signal(list)
    resize_requested = Signal(str, int, int)
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
        self.layer = ""
        self.text = ""
        self.positions = Positions("")
        self.index = SpanIndex(self.positions, [0], {})
        self.relations: dict[str, Relation] = {}
        self.notes: dict[str, Note] = {}
        self.suggestions: list[tuple[int, int, str]] = []
        self.hits: list[tuple[int, int]] = []
        self.current_hit = -1
        self.alt_selection = False
        self.show_arcs = True
        self.selected_relation: str | None = None
        self._arcs: dict = {}
        self._drag: tuple[Span, int] | None = None  # span, edge (0 start, 1 end)
        colors = {name: color for name, (_k, color, _s) in labels.items()}
        self.highlighter = SpanHighlighter(self.document(), colors)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.format_visible())
        self.cursorPositionChanged.connect(self.viewport().update)

    def set_labels(self, labels: dict[str, tuple[str, str, str]]) -> None:
        """New label colours and keys (the schema changed): redraw what is shown."""
        self.labels = labels
        self.keys = {key.lower(): name for name, (_k, _c, key) in labels.items() if key}
        self.index.kinds = {name: kind for name, (kind, _c, _s) in labels.items()}
        self.highlighter.set_colors({name: color for name, (_k, color, _s) in labels.items()})
        self.format_visible()
        self.viewport().update()

    # -- content -----------------------------------------------------------

    def load(
        self,
        doc_id: str,
        text: str,
        spans: list[Span],
        relations: list[Relation],
        layer: str = "",
    ) -> None:
        """Show ``text`` with one layer's spans and relations (replacing what was shown)."""
        self.highlighter.index = None
        self.highlighter.ready = set()
        self.doc_id, self.text, self.layer = doc_id, text, layer
        show_plain_rtl(self, text)
        doc = self.document()
        starts, block = [], doc.begin()
        while block.isValid():
            starts.append(block.position())
            block = block.next()
        kinds = {name: kind for name, (kind, _c, _s) in self.labels.items()}
        self.positions = Positions(text)
        self.index = SpanIndex(self.positions, starts or [0], kinds)
        self.index.load(spans)
        self.relations = {r.id: r for r in relations}
        self.suggestions, self.hits, self.current_hit = [], [], -1
        self.selected_relation, self._drag = None, None
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

    def apply(self, changes: Changes) -> None:
        """Update the drawing from what a write changed (only this document and layer)."""
        if self.doc_id is None:
            return
        mine = (self.doc_id, self.layer)
        blocks: set[int] = set()
        for span in changes.spans_removed:
            if (span.doc_id, span.layer) == mine:
                blocks.update(self.index.remove(span.id))
        for span in changes.spans_changed:
            if (span.doc_id, span.layer) == mine:
                blocks.update(self.index.remove(span.id))
                blocks.update(self.index.add(span))
        for span in changes.spans_added:
            if (span.doc_id, span.layer) == mine:
                blocks.update(self.index.add(span))
        for rel in changes.relations_removed:
            self.relations.pop(rel.id, None)
            if rel.id == self.selected_relation:
                self.selected_relation = None
        for rel in changes.relations_added:
            if (rel.doc_id, rel.layer) == mine:
                self.relations[rel.id] = rel
        for note in changes.notes:
            if (note.doc_id, note.layer) == mine:
                self.notes[note.target] = note
        gone = {s.id for s in changes.spans_removed}
        for rel_id in [r.id for r in self.relations.values() if {r.head, r.tail} & gone]:
            del self.relations[rel_id]
        self._redraw(blocks)

    def _redraw(self, blocks) -> None:
        doc = self.document()
        for number in sorted(blocks):
            if number in self.highlighter.ready:
                self.highlighter.rehighlightBlock(doc.findBlockByNumber(number))
        self.viewport().update()

    def set_suggestions(self, items: list[tuple[int, int, str]]) -> None:
        """Draw dashed outlines over (start, end, label) code-point ranges."""
        n = len(self.text)
        self.suggestions = [(s, e, lab) for s, e, lab in items if 0 <= s < e <= n]
        self.viewport().update()

    def set_search_hits(self, hits: list[tuple[int, int]], current: int = 0) -> None:
        """Mark hits (code points) with a light background, ``current`` stronger; [] clears."""
        n = len(self.text)
        self.hits = [(a, b) for a, b in hits if 0 <= a < b <= n]
        self.current_hit = min(current, len(self.hits) - 1) if self.hits else -1
        sels = []
        for i, (start, end) in enumerate(self.hits):
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self.cursor_for(start, end)
            color = CURRENT_HIT_COLOR if i == self.current_hit else SEARCH_COLOR
            sel.format.setBackground(QColor(color))
            sel.format.setProperty(QTextFormat.Property.FullWidthSelection, False)
            sels.append(sel)
        self.setExtraSelections(sels)
        if self.current_hit >= 0:
            start, end = self.hits[self.current_hit]
            self.setTextCursor(self.cursor_for(start, start))
            self.ensureCursorVisible()

    def set_show_arcs(self, on: bool) -> None:
        """Draw link arcs (or not)."""
        self.show_arcs = on
        if not on:
            self.selected_relation = None
        self.viewport().update()

    # -- offsets (through gui.positions) ------------------------------------

    def cursor_for(self, start: int, end: int) -> QTextCursor:
        """A cursor selecting code points [start, end)."""
        return self.positions.cursor(self.document(), start, end)

    def selection(self) -> tuple[int, int]:
        """The selection as code points (start, end); equal when nothing is selected."""
        return self.positions.selection(self.textCursor())

    def select(self, start: int, end: int) -> None:
        """Select code points [start, end) and scroll there."""
        self.setTextCursor(self.cursor_for(start, end))
        self.ensureCursorVisible()

    def cp_at(self, pos: QPoint) -> int:
        """Code point under a viewport position."""
        return self.positions.at_point(self, pos)

    def spans_at_cursor(self) -> list[Span]:
        """Spans under the selection (or the caret), shortest first."""
        start, end = self.selection()
        if end > start:
            found = {s.id: s for s in self.index.spans.values() if s.start < end and start < s.end}
            return sorted(found.values(), key=lambda s: (s.end - s.start, s.start))
        return self.index.at(start) if start < len(self.text) else []

    def active_span(self) -> Span | None:
        """The one span the caret is in (no selection), or the span exactly selected."""
        start, end = self.selection()
        if end > start:
            exact = [s for s in self.index.at(start) if (s.start, s.end) == (start, end)]
            return exact[0] if len(exact) == 1 else None
        here = self.index.at(start) if start < len(self.text) else []
        return here[0] if len(here) == 1 else None

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
        """Label keys tag (or relabel), R links, Delete removes the arc or span selected."""
        if not self._own_key(e):
            super().keyPressEvent(e)
            return
        label = self.keys.get(e.text().lower())
        if label is None and e.key() == Qt.Key.Key_R:
            self.link_requested.emit([s.id for s in self.spans_at_cursor()])
        elif label is None and e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.selected_relation and self.selected_relation in self.relations:
                self.unlink_requested.emit(self.selected_relation)
            else:
                spans = self.spans_at_cursor()
                if spans:
                    self.delete_requested.emit(spans[0].id)
        elif label is not None:
            exact = bool(e.modifiers() & Qt.KeyboardModifier.AltModifier) or self.alt_selection
            start, end = self.selection()
            self.tag_requested.emit(start, end, label, exact)
        e.accept()

    def mousePressEvent(self, e) -> None:
        """Right click: context menu; on an arc: select it; on a handle: start a resize."""
        point = e.position().toPoint()
        if e.button() == Qt.MouseButton.RightButton:
            self.context_requested.emit(self.cp_at(point), e.globalPosition().toPoint())
            return
        if e.button() == Qt.MouseButton.LeftButton:
            grip = self._handle_at(e.position())
            if grip is not None:
                self._drag = grip
                return
            if self.show_arcs:
                hit = overlay.arc_at(self._arcs, e.position())
                if hit != self.selected_relation:
                    self.selected_relation = hit
                    self.viewport().update()
                if hit is not None:
                    return
        self.alt_selection = bool(e.modifiers() & Qt.KeyboardModifier.AltModifier)
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e) -> None:
        """While dragging a handle, show the edge under the mouse."""
        if self._drag is not None:
            self.viewport().update()
            return
        super().mouseMoveEvent(e)

    def mouseReleaseEvent(self, e) -> None:
        """Dropping a handle asks for the span's new edge."""
        if self._drag is not None:
            span, edge = self._drag
            self._drag = None
            cp = self.cp_at(e.position().toPoint())
            start, end = (cp, span.end) if edge == 0 else (span.start, cp)
            if start > end:
                start, end = end, start
            if end > start and (start, end) != (span.start, span.end):
                self.resize_requested.emit(span.id, start, end)
            return
        super().mouseReleaseEvent(e)

    def _handle_at(self, point: QPointF) -> tuple[Span, int] | None:
        span = self.active_span()
        if span is None:
            return None
        rects = overlay.handle_rects(self, span)
        if rects is None:
            return None
        for edge, rect in enumerate(rects):
            if rect.contains(point):
                return span, edge
        return None

    def _tooltip(self, pos: QPoint, global_pos: QPoint) -> None:
        text = overlay.tooltip_text(self, self.cp_at(pos)) if self.text else ""
        if text:
            QToolTip.showText(global_pos, tooltip(text), self)
        else:
            QToolTip.hideText()

    # -- painting ------------------------------------------------------------

    def paintEvent(self, e) -> None:
        """Draw the text, then frames, suggestion outlines, link arcs and edge handles."""
        super().paintEvent(e)
        if not self.text:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        block = self.firstVisibleBlock()
        first = last = block.blockNumber()
        bottom = self.viewport().rect().bottom()
        offset = self.contentOffset()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > bottom:
                break
            overlay.paint_block(self, painter, block, geo.topLeft())
            last = block.blockNumber()
            block = block.next()
        shown = range(first, last + 1)
        rels = list(self.relations.values())
        self._arcs = overlay.arc_paths(self, rels, shown) if self.show_arcs else {}
        overlay.paint_arcs(painter, self._arcs, self.selected_relation)
        span = self.active_span()
        if span is not None:
            rects = overlay.handle_rects(self, span)
            if rects is not None:
                overlay.paint_handles(painter, rects, self.labels[span.label][1])
        painter.end()

    def set_font(self, family: str, size: int) -> None:
        """Use this article font."""
        font = QFont(family)
        font.setPointSize(size)
        self.setFont(font)
        self.document().setDefaultFont(font)
