"""The label palette and legend: one button per label with colour, name and key."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from annotator.core.model import Label
from annotator.gui.i18n import label_name, tr
from annotator.gui.plain import plain_label, tooltip

_STYLE = {
    "entity": "background:{c}; color:black; border:1px solid {c};",
    "claim": "border:none; border-bottom:3px solid {c};",
    "source": "border:2px solid {c}; border-radius:3px;",
}


class LabelPalette(QWidget):
    """Buttons that tag the selection; emits ``label_chosen(name)``."""

    label_chosen = Signal(str)

    def __init__(self, labels: list[Label], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        self.legend = plain_label()
        self.legend.setWordWrap(True)
        self.set_labels(labels)

    def set_labels(self, labels: list[Label]) -> None:
        """One button per label (again, when the schema changed), in schema order."""
        for button in self.buttons.values():
            self.grid.removeWidget(button)
            button.deleteLater()
        self.labels = list(labels)
        self.buttons = {}
        for i, lab in enumerate(self.labels):
            button = QPushButton()
            button.setObjectName(f"label_{lab.name}")
            button.setStyleSheet(_STYLE.get(lab.kind, "").format(c=lab.color) + "padding:3px;")
            button.clicked.connect(lambda _c=False, n=lab.name: self.label_chosen.emit(n))
            self.grid.addWidget(button, i // 2, i % 2)
            self.buttons[lab.name] = button
        self.grid.addWidget(self.legend, (len(self.labels) + 1) // 2, 0, 1, 2)
        self.retranslate()

    def retranslate(self) -> None:
        """Set texts in the current language."""
        for lab in self.labels:
            key = f"  [{lab.shortcut}]" if lab.shortcut else ""
            self.buttons[lab.name].setText(f"{label_name(lab)}{key}")
            self.buttons[lab.name].setToolTip(tooltip(f"{lab.name} ({lab.kind})"))
        self.legend.setText(tr("Entities: background · Claims: underline · Sources: frame"))
