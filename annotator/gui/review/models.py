"""Qt models of the review window and the agreement dashboard (plain lists inside)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from annotator.core.agreement import Agreement
from annotator.core.conflicts import Conflict, Side
from annotator.gui.i18n import tr
from annotator.gui.plain import tooltip
from annotator.services.review import DocumentReview

Index = QModelIndex | QPersistentModelIndex
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1
DOC_ROLE = Qt.ItemDataRole.UserRole + 2


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


class _Table(QAbstractTableModel):
    """A table over ``self.rows`` with translated ``HEADERS``."""

    HEADERS: tuple[str, ...] = ()
    rows: list

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.HEADERS[section])
        return None


class DocumentsModel(_Table):
    """Documents to review: title, layers, decided / conflicts, review status."""

    HEADERS = ("Title", "Layers", "Decided", "Status")

    def __init__(self, rows: list[DocumentReview] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[DocumentReview] = list(rows or [])

    def set_rows(self, rows: list[DocumentReview]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def update_row(self, row: DocumentReview) -> None:
        """Replace the row of the same document and tell the views."""
        for i, old in enumerate(self.rows):
            if old.doc_id == row.doc_id:
                self.rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.HEADERS) - 1))
                return

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == DOC_ROLE:
            return row.doc_id
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.title,
                ", ".join(row.layers),
                tr("{done} / {total}", done=row.decided, total=row.conflicts)
                if row.counted
                else "…",
                tr(row.status),
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2 and row.counted:
            return QColor("#2a7a2a" if row.decided == row.conflicts else "#a05000")
        return None


def isolate(text: str) -> str:
    """``text`` between FSI and PDI: a name or figure that does not turn the line's direction."""
    return f"\u2068{text}\u2069"


def quote(words: str) -> str:
    """``«words»``, the words isolated (FSI … PDI) so the marks stay put in either direction."""
    return f"«\u2068{words}\u2069»"


def describe_side(side: Side, text: str) -> str:
    """A side in words: 'ali, omar: ORG «الجيش»' or 'sara: nothing'."""
    parts = [f"{lab} {quote(text[s:e])}" for s, e, lab in side.spans]
    parts += [
        f"{h[2]} {quote(text[h[0] : h[1]])} → {t[2]} {quote(text[t[0] : t[1]])}"
        for _, h, t in side.relations
    ]
    return f"{', '.join(side.layers)}: {'; '.join(parts) or tr('nothing')}"


def describe_history(rows: list[dict]) -> str:
    """A conflict's decisions, one a line: '2026-12-01 09:12 rana: accept (omar)' (local time)."""
    lines = []
    for row in rows:
        choice = row["choice"]
        what = tr(choice.get("action", ""))
        if choice.get("layers"):
            what += f" ({isolate(', '.join(choice['layers']))})"
        elif choice.get("via"):
            what += f" ({tr('in gold')})"
        when = datetime.fromisoformat(row["decided_at"]).astimezone().strftime("%Y-%m-%d %H:%M")
        lines.append(f"{isolate(when)} {isolate(row['reviewer'])}: {what}")
    return "\n".join(lines)


class ConflictsModel(QAbstractListModel):
    """Conflicts of one document; decided ones are ticked."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.conflicts: list[Conflict] = []
        self.decided: set[str] = set()
        self.text = ""

    def set_conflicts(self, conflicts: list[Conflict], decided: set[str], text: str) -> None:
        """Replace the list."""
        self.beginResetModel()
        self.conflicts, self.decided, self.text = list(conflicts), set(decided), text
        self.endResetModel()

    def set_decided(self, decided: set[str]) -> None:
        """Refresh the ticks."""
        self.decided = set(decided)
        if self.conflicts:
            self.dataChanged.emit(self.index(0), self.index(len(self.conflicts) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.conflicts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        c = self.conflicts[index.row()]
        if role == CONFLICT_ROLE:
            return c
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "✓" if c.id in self.decided else "•"
            start, end = c.span
            head = f"{mark} {tr(c.kind)} [{start}, {end})"
            return head + "\n" + "\n".join("  " + describe_side(s, self.text) for s in c.sides)
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if c.id in self.decided else Qt.CheckState.Unchecked
        return None


class _ScoreTable(_Table):
    """A table of plain rows whose ``SCORE_COLUMNS`` hold F1-like figures (coloured)."""

    SCORE_COLUMNS: frozenset[int] = frozenset()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[list] = []

    def _set_rows(self, rows: list[list]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        score = index.column() in self.SCORE_COLUMNS
        if role == Qt.ItemDataRole.DisplayRole:
            return _fmt(value) if score else str(value)
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 2 and value is not None:
            return score_color(value)
        return None


class PairsModel(_ScoreTable):
    """Agreement per pair of layers."""

    HEADERS = ("a", "b", "F1", "Precision", "Recall", "Matched", "a spans", "b spans")
    SCORE_COLUMNS = frozenset({2, 3, 4})

    def set_agreement(self, agreement: Agreement) -> None:
        """Fill from computed agreement."""
        self._set_rows(
            [
                [p.a, p.b, p.f1, p.precision, p.recall, p.matched, p.a_spans, p.b_spans]
                for p in agreement.pairs
            ]
        )


class LabelsModel(_ScoreTable):
    """Agreement per label (pooled over pairs), with its kind."""

    HEADERS = ("Label", "Kind", "F1", "Matched", "Spans")
    SCORE_COLUMNS = frozenset({2})

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.names: dict[str, str] = {}

    def set_agreement(
        self, agreement: Agreement, kinds: dict[str, str], names: dict[str, str] | None = None
    ) -> None:
        """Fill from computed agreement (kinds: label -> kind; names: label -> its name,
        shown as the label cell's tooltip)."""
        self.names = dict(names or {})
        self._set_rows(
            [
                [lab, kinds.get(lab, ""), agreement.label_f1(lab), m, total]
                for lab, (m, total) in sorted(agreement.per_label.items())
            ]
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 0:
            name = self.names.get(self.rows[index.row()][0])
            return tooltip(name) if name else None
        return super().data(index, role)


def score_color(value: float) -> QColor:
    """Red (0) through yellow to green (1), light enough to read text on."""
    value = max(0.0, min(1.0, value))
    return QColor.fromHsvF(value / 3, 0.45, 1.0)
