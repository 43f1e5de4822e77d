"""The span panel: the current document's spans and links, in reading order.

Two small table models over the curator's layer; a click jumps to the span
in the article, Delete removes the selected spans or links, R links the
selected claim and source.
"""

from __future__ import annotations

from bisect import bisect_left
from operator import attrgetter

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import Changes
from annotator.core.model import Note, Relation, Span
from annotator.gui.i18n import tr
from annotator.gui.plain import plain_label, tooltip
from annotator.gui.rtl import isolate

_INDEX = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_SPAN_ROLES = frozenset({_DISPLAY, _DECORATION, int(Qt.ItemDataRole.ToolTipRole), ID_ROLE})


class SpanTableModel(QAbstractTableModel):
    """Spans of one document ordered by (start, end, label); inserts one row per add."""

    HEADERS = ("Label", "Text", "Links", "Note")

    def __init__(self, colors: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.colors = colors
        self.text = ""
        self.spans: list[Span] = []
        self.links: dict[str, int] = {}
        self.notes: dict[str, Note] = {}
        self.names: dict[str, str] = {}
        self._colors: dict[str, QColor] = {}

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in _SPAN_ROLES or not index.isValid():  # most roles asked are unused
            return None
        row = index.row()
        if not 0 <= row < len(self.spans):
            return None
        span = self.spans[row]
        col = index.column()
        if role == _DISPLAY:
            if col == 0:
                return self.names.get(span.label, span.label)
            if col == 1:
                return self.text[span.start : span.end].replace("\n", " ")[:80]
            if col == 3:
                note = self.notes.get(span.id)
                if note is None:
                    return ""
                return ("? " if note.unsure else "") + note.text.replace("\n", " ")[:40]
            return self.links.get(span.id, 0) or ""
        if role == ID_ROLE:
            return span.id
        if role == _DECORATION:
            if col != 0:
                return None
            color = self._colors.get(span.label)
            if color is None:
                color = self._colors[span.label] = QColor(self.colors.get(span.label, "#cccccc"))
            return color
        return tooltip(f"{span.label} [{span.start}, {span.end})")

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.HEADERS[section]) if 0 <= section < len(self.HEADERS) else None
        return None

    def set_colors(self, colors: dict[str, str]) -> None:
        """New label colours: every row's swatch is drawn again."""
        self.colors, self._colors = colors, {}
        if self.spans:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.spans) - 1, 0))

    def reset(self, text: str, spans: list[Span], relations: list[Relation]) -> None:
        """Show another document's spans."""
        self.beginResetModel()
        self.text = text
        self.spans = sorted(spans, key=_key)
        self.links = {}
        for rel in relations:
            for sid in (rel.head, rel.tail):
                self.links[sid] = self.links.get(sid, 0) + 1
        self.endResetModel()

    def add(self, span: Span) -> None:
        """Insert one span at its place."""
        i = bisect_left(self.spans, _key(span), key=_key)
        if i < len(self.spans) and self.spans[i].id == span.id:
            return
        self.beginInsertRows(QModelIndex(), i, i)
        self.spans.insert(i, span)
        self.endInsertRows()

    def remove(self, span: Span) -> None:
        """Remove one span's row."""
        i = self.row_of(span)
        if i is None:
            return
        self.beginRemoveRows(QModelIndex(), i, i)
        del self.spans[i]
        self.endRemoveRows()

    def row_of(self, span: Span) -> int | None:
        """Row of ``span``, or None."""
        i = bisect_left(self.spans, _key(span), key=_key)
        return i if i < len(self.spans) and self.spans[i].id == span.id else None

    def replace(self, span: Span) -> None:
        """Show a relabelled or resized span (same id): in its row if it keeps its place."""
        i = next((i for i, s in enumerate(self.spans) if s.id == span.id), None)
        if i is None:
            self.add(span)
            return
        key = _key(span)
        before_ok = i == 0 or _key(self.spans[i - 1]) <= key
        after_ok = i + 1 == len(self.spans) or key <= _key(self.spans[i + 1])
        if before_ok and after_ok:  # the usual edit: same place, new contents
            self.spans[i] = span
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.HEADERS) - 1))
            return
        self.beginRemoveRows(QModelIndex(), i, i)
        del self.spans[i]
        self.endRemoveRows()
        self.add(span)

    def set_notes(self, notes: dict[str, Note]) -> None:
        """Notes and flags by span id (shown in the Note column)."""
        self.notes = dict(notes)
        if self.spans:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.spans) - 1, 3))

    def count_link(self, rel: Relation, delta: int) -> None:
        """Adjust the link counts of a relation's two spans."""
        for sid in (rel.head, rel.tail):
            self.links[sid] = max(0, self.links.get(sid, 0) + delta)
            row = next((i for i, s in enumerate(self.spans) if s.id == sid), None)
            if row is not None:
                self.dataChanged.emit(self.index(row, 2), self.index(row, 2))


class RelationTableModel(QAbstractTableModel):
    """Links of one document as "claim text → source text" rows."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rels: list[Relation] = []
        self.describe: dict[str, str] = {}

    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rels)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rels):
            return None
        rel = self.rels[index.row()]
        if role == ID_ROLE:
            return rel.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            head = self.describe.get(rel.head, rel.head)
            tail = self.describe.get(rel.tail, rel.tail)
            text = f"{isolate(head)} {tr('→')} {isolate(tail)}"
            return text if role == Qt.ItemDataRole.DisplayRole else tooltip(text)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr("Relations") if section == 0 else None
        return None

    def reset(self, relations: list[Relation], describe: dict[str, str]) -> None:
        """Show another document's links; ``describe`` maps span id -> short text."""
        self.beginResetModel()
        self.rels, self.describe = list(relations), dict(describe)
        self.endResetModel()

    def add(self, rel: Relation, describe: dict[str, str]) -> None:
        """Append one link."""
        if any(r.id == rel.id for r in self.rels):
            return
        self.describe.update(describe)
        self.beginInsertRows(QModelIndex(), len(self.rels), len(self.rels))
        self.rels.append(rel)
        self.endInsertRows()

    def remove(self, rel: Relation) -> None:
        """Remove one link's row."""
        i = next((i for i, r in enumerate(self.rels) if r.id == rel.id), None)
        if i is not None:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self.rels[i]
            self.endRemoveRows()


class _KeyTable(QTableView):
    """A table that reports Delete and R presses, and label keys (``label_keys``)."""

    key_pressed = Signal(int)
    label_pressed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.label_keys: dict[str, str] = {}

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_R):
            self.key_pressed.emit(e.key())
            e.accept()
            return
        label = self.label_keys.get(e.text().lower())
        if label is not None and not e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.label_pressed.emit(label)
            e.accept()
            return
        super().keyPressEvent(e)

    def selected_ids(self) -> list[str]:
        """Ids (ID_ROLE) of the selected rows."""
        rows = {i.row() for i in self.selectionModel().selectedIndexes()}
        return [self.model().index(r, 0).data(ID_ROLE) for r in sorted(rows)]


class SpanPanel(QWidget):
    """Spans and links of the current document."""

    span_clicked = Signal(str)
    relabel_spans = Signal(list, str)
    delete_spans = Signal(list)
    delete_relations = Signal(list)
    link_spans = Signal(list)

    def __init__(self, colors: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.spans = SpanTableModel(colors, self)
        self.relations = RelationTableModel(self)
        self.span_table = _KeyTable()
        self.span_table.setObjectName("spanTable")
        self.span_table.setModel(self.spans)
        self.rel_table = _KeyTable()
        self.rel_table.setObjectName("relationTable")
        self.rel_table.setModel(self.relations)
        for table in (self.span_table, self.rel_table):
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().hide()
            table.horizontalHeader().setStretchLastSection(True)
        self.span_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.doc_id, self.layer = "", ""
        self.title = plain_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.span_table, 3)
        layout.addWidget(self.title)
        layout.addWidget(self.rel_table, 1)
        self.span_table.clicked.connect(lambda i: self.span_clicked.emit(i.data(ID_ROLE)))
        self.span_table.key_pressed.connect(self._span_key)
        self.span_table.label_pressed.connect(
            lambda label: self.relabel_spans.emit(self.span_table.selected_ids(), label)
        )
        self.rel_table.key_pressed.connect(self._rel_key)
        self.retranslate()

    def load(
        self,
        doc_id: str,
        layer: str,
        text: str,
        spans: list[Span],
        rels: list[Relation],
        notes: dict[str, Note],
    ) -> None:
        """Show one document layer's spans, links and notes."""
        self.doc_id, self.layer = doc_id, layer
        self.spans.reset(text, spans, rels)
        self.spans.set_notes(notes)
        by_id = {s.id: s for s in spans}
        self.relations.reset(rels, self._describe(by_id, rels))

    def _describe(self, by_id: dict[str, Span], rels) -> dict[str, str]:
        text = self.spans.text
        ids = {i for r in rels for i in (r.head, r.tail) if i in by_id}
        names = self.spans.names
        return {
            i: f"{names.get(by_id[i].label, by_id[i].label)}: "
            f"{isolate(text[by_id[i].start : by_id[i].end][:30])}"
            for i in ids
        }

    def apply(self, changes: Changes) -> None:
        """Update the tables from what a write changed (only this document and layer)."""
        mine = (self.doc_id, self.layer)
        model = self.spans
        for span in changes.spans_removed:
            if (span.doc_id, span.layer) == mine:
                model.remove(span)
        for span in changes.spans_changed:
            if (span.doc_id, span.layer) == mine:
                model.replace(span)
        for span in changes.spans_added:
            if (span.doc_id, span.layer) == mine:
                model.add(span)
        for rel in changes.relations_removed:
            if (rel.doc_id, rel.layer) == mine:
                self.relations.remove(rel)
                model.count_link(rel, -1)
        added = [r for r in changes.relations_added if (r.doc_id, r.layer) == mine]
        by_id = {s.id: s for s in model.spans} if added else {}
        for rel in added:
            self.relations.add(rel, self._describe(by_id, [rel]))
            model.count_link(rel, 1)
        ours = [n for n in changes.notes if (n.doc_id, n.layer) == mine and n.target]
        if ours:
            notes = dict(model.notes)
            for n in ours:
                notes[n.target] = n
            model.set_notes({k: v for k, v in notes.items() if not v.empty})

    def retranslate(self) -> None:
        """Set texts in the current language."""
        self.title.setText(tr("Relations"))
        self.spans.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)
        self.relations.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 0)

    def _span_key(self, key: int) -> None:
        ids = self.span_table.selected_ids()
        if ids:
            (self.link_spans if key == Qt.Key.Key_R else self.delete_spans).emit(ids)

    def _rel_key(self, key: int) -> None:
        ids = self.rel_table.selected_ids()
        if ids and key != Qt.Key.Key_R:
            self.delete_relations.emit(ids)


#: (start, end, label, id): the order of the span table.
_key = attrgetter("start", "end", "label", "id")
