"""What the article view paints over the text: frames, outlines, link arcs, edge handles.

Pure geometry over the view's laid-out blocks (Qt positions come from the
view's ``SpanIndex``, which converts through ``gui.positions``). Arcs join a
claim (head) to its source (tail) with an arrow at the source; they start at
the top of each span's first line, so right-to-left lines and links across
lines need nothing special. A span end that is scrolled out of view is drawn
at the top or bottom edge.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)

from annotator.core.model import Relation, Span
from annotator.gui.rtl import isolate

ARC_COLOR = "#5b5f97"
SELECTED_COLOR = "#d62828"
HANDLE = 5.0  # half width of an edge handle, pixels


def range_rects(block, a: int, b: int, origin) -> list[QRectF]:
    """Rectangles (viewport coordinates) of block-relative Qt range [a, b)."""
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


def paint_block(view, painter: QPainter, block, origin) -> None:
    """Frames around the sources and dashed outlines of the suggestions in one block."""
    base, end = block.position(), block.position() + block.length()
    dark = view.palette().color(QPalette.ColorRole.Base).lightness() < 128
    for span in view.index.in_block(block.blockNumber()):
        if view.index.kinds.get(span.label) == "source":
            color = QColor(view.labels[span.label][1])
            if dark:  # a dark frame colour would vanish on a dark page
                color = color.lighter(260)
            painter.setPen(QPen(color, 2))
            s16, e16 = view.index.pos16(span)
            for rect in range_rects(block, s16 - base, e16 - base, origin):
                painter.drawRoundedRect(rect, 3, 3)
    _paint_stacked(view, painter, block, origin)
    for start, stop, label in view.suggestions:
        s16, e16 = view.positions.range16(start, stop)
        if e16 <= base or s16 >= end:
            continue
        color = QColor(view.labels.get(label, ("", "#555555", ""))[1])
        painter.setPen(QPen(color, 1.5, Qt.PenStyle.DashLine))
        for rect in range_rects(block, s16 - base, e16 - base, origin):
            painter.drawRect(rect)


def _paint_stacked(view, painter: QPainter, block, origin) -> None:
    """Entities on exactly the same characters: one colour bar each along the top.

    The background shows one entity colour; a second label on the very same
    characters (PER and ORG on one name) would be hidden without the bars.
    """
    kinds = view.index.kinds
    by_range: dict[tuple[int, int], list] = {}
    for span in view.index.in_block(block.blockNumber()):
        if kinds.get(span.label) == "entity":
            by_range.setdefault((span.start, span.end), []).append(span)
    base = block.position()
    painter.setPen(Qt.PenStyle.NoPen)
    for group in by_range.values():
        if len(group) < 2:
            continue
        s16, e16 = view.index.pos16(group[0])
        for rect in range_rects(block, s16 - base, e16 - base, origin):
            for i, span in enumerate(sorted(group, key=lambda s: s.label)):
                painter.setBrush(QColor(view.labels[span.label][1]).darker(115))
                painter.drawRect(QRectF(rect.left(), rect.top() + 3 * i, rect.width(), 3))


def edge_point(view, pos16: int) -> QPointF | None:
    """Viewport point of the caret at Qt position ``pos16`` (middle of its line), if laid out."""
    block = view.document().findBlock(pos16)
    if not block.isValid() or not block.layout() or block.layout().lineCount() == 0:
        return None
    origin = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
    rel = pos16 - block.position()
    line = block.layout().lineForTextPosition(rel)
    if not line.isValid():
        return None
    return QPointF(origin.x() + _x(line, rel), origin.y() + line.y() + line.height() / 2)


def span_anchor(view, span: Span, shown: range) -> QPointF | None:
    """Top middle of the span's first line piece; an edge point when its block is off screen.

    ``shown`` is the range of block numbers on screen: blocks outside it are
    never laid out for an arc (that would lay out the whole article).
    """
    s16, e16 = view.index.pos16(span)
    block = view.document().findBlock(s16)
    if not block.isValid():
        return None
    number = block.blockNumber()
    if number < shown.start:
        return QPointF(view.viewport().width() / 2, -4)
    if number >= shown.stop:
        return QPointF(view.viewport().width() / 2, view.viewport().height() + 4)
    geo = view.blockBoundingGeometry(block).translated(view.contentOffset())
    rects = range_rects(block, s16 - block.position(), e16 - block.position(), geo.topLeft())
    if not rects:
        return None
    first = rects[0]
    return QPointF(first.center().x(), first.top())


def arc_path(head: QPointF, tail: QPointF) -> QPainterPath:
    """A curve rising above both ends, from ``head`` to ``tail``."""
    lift = 14 + min(60.0, abs(head.x() - tail.x()) * 0.15 + abs(head.y() - tail.y()) * 0.1)
    top = min(head.y(), tail.y()) - lift
    path = QPainterPath(head)
    path.cubicTo(QPointF(head.x(), top), QPointF(tail.x(), top), tail)
    return path


def arc_paths(view, relations: list[Relation], shown: range) -> dict[str, QPainterPath]:
    """rel id -> path of each link with an end on screen (blocks ``shown``)."""
    spans = view.index.spans
    blocks = view.index.blocks_of
    out: dict[str, QPainterPath] = {}
    for rel in relations:
        head, tail = spans.get(rel.head), spans.get(rel.tail)
        if head is None or tail is None:
            continue
        ends = (blocks(head.id).start, blocks(tail.id).start)
        if max(ends) < shown.start or min(ends) >= shown.stop:
            continue  # both ends above, or both below, the screen
        a, b = span_anchor(view, head, shown), span_anchor(view, tail, shown)
        if a is not None and b is not None:
            out[rel.id] = arc_path(a, b)
    return out


def paint_arcs(painter: QPainter, paths: dict[str, QPainterPath], selected: str | None) -> None:
    """Draw each arc with an arrowhead at its source end; the selected one thicker and red."""
    for rel_id, path in paths.items():
        color = QColor(SELECTED_COLOR if rel_id == selected else ARC_COLOR)
        painter.setPen(QPen(color, 2.5 if rel_id == selected else 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        tip = path.pointAtPercent(1.0)
        back = path.pointAtPercent(0.93)
        painter.setBrush(color)
        painter.drawPolygon(_arrow(back, tip))


def _arrow(back: QPointF, tip: QPointF) -> QPolygonF:
    dx, dy = tip.x() - back.x(), tip.y() - back.y()
    norm = max((dx * dx + dy * dy) ** 0.5, 1e-6)
    ux, uy = dx / norm, dy / norm
    size = 7.0
    left = QPointF(tip.x() - ux * size - uy * size / 2, tip.y() - uy * size + ux * size / 2)
    right = QPointF(tip.x() - ux * size + uy * size / 2, tip.y() - uy * size - ux * size / 2)
    return QPolygonF([tip, left, right])


def arc_at(paths: dict[str, QPainterPath], point: QPointF) -> str | None:
    """Id of the arc within a few pixels of ``point``, or None."""
    stroker = QPainterPathStroker()
    stroker.setWidth(8)
    for rel_id, path in paths.items():
        if stroker.createStroke(path).contains(point):
            return rel_id
    return None


def handle_rects(view, span: Span) -> tuple[QRectF, QRectF] | None:
    """Handles at the span's start and end edges (logical: start is where it begins)."""
    s16, e16 = view.index.pos16(span)
    a, b = edge_point(view, s16), edge_point(view, e16)
    if a is None or b is None:
        return None
    h = view.fontMetrics().height() / 2 + 2
    return (
        QRectF(a.x() - HANDLE, a.y() - h, 2 * HANDLE, 2 * h),
        QRectF(b.x() - HANDLE, b.y() - h, 2 * HANDLE, 2 * h),
    )


def paint_handles(painter: QPainter, rects: tuple[QRectF, QRectF], color: str) -> None:
    """Draw the two edge handles of the active span."""
    painter.setPen(QPen(QColor(color).darker(160), 1))
    painter.setBrush(QColor(color))
    for rect in rects:
        painter.drawRoundedRect(rect.adjusted(HANDLE - 2, 0, -(HANDLE - 2), 0), 2, 2)


def tooltip_text(view, cp: int) -> str:
    """Plain text naming the spans at ``cp`` and what each is linked to."""
    text, spans = view.text, view.index.spans
    lines = []
    for s in view.index.at(cp):
        lines.append(f"{s.label}: {isolate(text[s.start : s.end][:80])}")
        note = view.notes.get(s.id)
        if note is not None and not note.empty:
            flag = "? " if note.unsure else ""
            lines.append(f"  {flag}{isolate(note.text[:120])}")
        for r in view.relations.values():
            other = r.tail if r.head == s.id else r.head if r.tail == s.id else None
            if other and other in spans:
                o = spans[other]
                lines.append(f"  {r.label} ↔ {isolate(text[o.start : o.end][:60])}")
    return "\n".join(lines)
