"""The agreement dashboard: figures per pair and per label, with bars to compare.

Labels are named as the schema names them now: ``show_schema`` (called on
every label change of the main window) renames them without recounting.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import Agreement
from annotator.gui.i18n import label_name, tr
from annotator.gui.plain import plain_label
from annotator.gui.review.models import LabelsModel, PairsModel, score_color
from annotator.services import review
from annotator.services.project import Project


class BarChart(QWidget):
    """Horizontal bars (0 to 1) with their names, drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementBars")
        self.bars: list[tuple[str, float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_bars(self, bars: list[tuple[str, float | None]]) -> None:
        """Show (name, value in 0..1 or None) bars."""
        self.bars = list(bars)
        self.setMinimumHeight(22 * len(self.bars) + 10)
        self.update()

    def paintEvent(self, _event) -> None:
        """Draw one bar per figure; a missing figure shows as a dash."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        name_w = 140
        width = max(self.width() - name_w - 60, 10)
        for i, (name, value) in enumerate(self.bars):
            y = 5 + 22 * i
            painter.setPen(QPen(self.palette().windowText().color()))
            painter.drawText(QRectF(0, y, name_w - 6, 18), Qt.AlignmentFlag.AlignVCenter, name)
            painter.drawRect(QRectF(name_w, y, width, 18))
            if value is None:
                painter.drawText(
                    QRectF(name_w + width + 6, y, 50, 18), Qt.AlignmentFlag.AlignVCenter, "–"
                )
                continue
            painter.fillRect(
                QRectF(name_w, y, width * max(0.0, min(1.0, value)), 18),
                score_color(value).darker(115),
            )
            painter.drawText(
                QRectF(name_w + width + 6, y, 50, 18), Qt.AlignmentFlag.AlignVCenter, f"{value:.2f}"
            )
        painter.end()


class AgreementDashboard(QWidget):
    """Pairwise and per-label F1 in tables and bars, and alpha per label kind."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("agreementDashboard")
        self.setWindowTitle(tr("Agreement"))
        self.project = project
        self.kinds: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.pairs_model = PairsModel(self)
        self.labels_model = LabelsModel(self)
        self.pairs_view = QTableView(objectName="pairsTable")
        self.pairs_view.setModel(self.pairs_model)
        self.labels_view = QTableView(objectName="labelsTable")
        self.labels_view.setModel(self.labels_model)
        self.summary = plain_label(objectName="agreementSummary")
        self.alpha_label = plain_label(objectName="alphaLabel")
        self.pair_bars = BarChart()
        self.label_bars = BarChart()
        self.label_bars.setObjectName("labelBars")
        refresh = QPushButton(tr("Refresh"), objectName="refreshAgreement")
        refresh.clicked.connect(self.refresh)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(refresh)
        layout.addLayout(top)
        layout.addWidget(QLabel(tr("Per pair (precision and recall of b against a)")))
        layout.addWidget(self.pairs_view)
        layout.addWidget(self.pair_bars)
        layout.addWidget(QLabel(tr("Per label (pooled over pairs)")))
        layout.addWidget(self.labels_view)
        layout.addWidget(self.label_bars)
        layout.addWidget(self.alpha_label)
        self.resize(760, 720)
        self.agreement: Agreement | None = None
        self._read_schema()
        self.refresh()

    def _read_schema(self) -> None:
        labels = self.project.schema.labels
        self.kinds = {lab.name: lab.kind for lab in labels}
        self.names = {lab.name: label_name(lab) for lab in labels}

    def show_schema(self) -> None:
        """Label kinds and names as they are now (an edit or a sync); figures as they were."""
        self._read_schema()
        if self.agreement is not None:
            self._show_labels(self.agreement)

    def _show_labels(self, result: Agreement) -> None:
        self.labels_model.set_agreement(result, self.kinds, self.names)
        self.label_bars.set_bars(
            [(self.names.get(lab, lab), result.label_f1(lab)) for lab in sorted(result.per_label)]
        )

    def refresh(self) -> None:
        """Recompute every figure from the database."""
        self.agreement = result = review.agreement(self.project)
        self.pairs_model.set_agreement(result)
        self.pair_bars.set_bars([(f"{p.a} / {p.b}", p.f1) for p in result.pairs])
        self._show_labels(result)
        self.summary.setText(
            tr("{n} document(s) annotated by two or more layers", n=result.documents)
        )
        alpha = "   ".join(
            f"{tr(kind)}: {'–' if v is None else f'{v:.3f}'}" for kind, v in result.alpha.items()
        )
        self.alpha_label.setText(tr("Krippendorff's alpha (tokens, nominal)") + ":   " + alpha)
