"""Labels → Edit labels…: a reviewer changes a label's names, colour and key.

The dialog checks the values as the service will (``labels.check_edit``)
and says what is wrong inline, staying open; the write goes through the
window's change path as one undoable ``EditLabel`` (Ctrl+Z puts back the
colour, names and key), whose ``Changes(labels=…)`` redraws every view
(``gui/schema_views.py``). With a team hub the edit goes
up with the next sync. Whoever may not edit labels here (a curator, once
there are reviewers or a hub) is told so instead of getting the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.core.errors import UserError
from annotator.core.model import RelationType
from annotator.gui import i18n, schema_views
from annotator.gui.commands import EditLabel
from annotator.gui.i18n import label_name, tr
from annotator.gui.plain import plain_label
from annotator.gui.workbench import Workbench
from annotator.services import labels

i18n.add_translations(
    {
        "Edit labels…": "تحرير الوسوم…",
        "Edit labels": "تحرير الوسوم",
        "English name": "الاسم بالإنجليزية",
        "Arabic name": "الاسم بالعربية",
        "Colour": "اللون",
        "Choose…": "اختيار…",
        "Key": "المفتاح",
        "A label's name and kind never change; with a team hub the edit reaches"
        " everyone on their next sync.": (
            "لا يتغير اسم الوسم ولا نوعه؛ ومع مركز الفريق يصل التعديل إلى الجميع"
            " في مزامنتهم التالية."
        ),
    }
)


class LabelDialog(QDialog):
    """Edit one label at a time: pick it, change its fields, OK."""

    def __init__(self, window: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelDialog")
        self.window_ = window
        self.setWindowTitle(tr("Edit labels"))
        self.choice = QComboBox()
        self.choice.setObjectName("labelChoice")
        self.name_en, self.name_ar = QLineEdit(), QLineEdit()
        self.name_en.setObjectName("labelNameEn")
        self.name_ar.setObjectName("labelNameAr")
        self.name_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.color = QLineEdit()
        self.color.setObjectName("labelColor")
        self.pick = QPushButton(tr("Choose…"))
        self.pick.clicked.connect(self._pick_color)
        self.shortcut = QLineEdit()
        self.shortcut.setObjectName("labelShortcut")
        self.shortcut.setMaxLength(1)
        self.problem = plain_label()
        self.problem.setObjectName("labelProblem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.color, 1)
        colour_row.addWidget(self.pick)
        form = QFormLayout(self)
        form.addRow(tr("Label"), self.choice)
        form.addRow(tr("English name"), self.name_en)
        form.addRow(tr("Arabic name"), self.name_ar)
        form.addRow(tr("Colour"), colour_row)
        form.addRow(tr("Key"), self.shortcut)
        hint = plain_label(
            tr(
                "A label's name and kind never change; with a team hub the edit reaches"
                " everyone on their next sync."
            )
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.shown: dict[str, str] = {}  # the fields as filled from the label
        self._list_labels()
        self.choice.currentIndexChanged.connect(lambda _i: self.show_label())
        self.show_label()

    def _list_labels(self) -> None:
        for lab in labels.all_labels(self.window_.project):
            self.choice.addItem(f"{label_name(lab)} ({lab.name})", lab.name)

    def current(self):
        """The label chosen (as the project holds it now)."""
        name = self.choice.currentData()
        return next(lab for lab in labels.all_labels(self.window_.project) if lab.name == name)

    def show_label(self) -> None:
        """Fill the fields from the chosen label."""
        lab = self.current()
        relation = isinstance(lab, RelationType)
        self.name_en.setText(lab.name_en)
        self.name_ar.setText(lab.name_ar)
        self.color.setText("" if relation else lab.color)
        self.color.setEnabled(not relation)
        self.pick.setEnabled(not relation)
        self.shortcut.setText(lab.shortcut)
        self.problem.setText("")
        self.shown = self.values()

    def show_schema(self) -> None:
        """The labels changed while the dialog is open (an undo, a sync): name them anew
        and refill the fields of the chosen label that the user has not changed."""
        chosen, before = self.choice.currentData(), self.values()
        self.choice.blockSignals(True)
        self.choice.clear()
        self._list_labels()
        self.choice.setCurrentIndex(max(0, self.choice.findData(chosen)))
        self.choice.blockSignals(False)
        if self.choice.currentData() != chosen:
            self.show_label()
            return
        typed = {c: v for c, v in before.items() if v != self.shown.get(c)}
        self.show_label()
        for column, value in typed.items():
            self._fields()[column].setText(value)

    def _fields(self) -> dict[str, QLineEdit]:
        return {
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "color": self.color,
            "shortcut": self.shortcut,
        }

    def values(self) -> dict[str, str]:
        """The fields as label attributes (a relation has no colour)."""
        out = {
            "name_en": self.name_en.text(),
            "name_ar": self.name_ar.text(),
            "shortcut": self.shortcut.text(),
        }
        if self.color.isEnabled():
            out["color"] = self.color.text().strip()
        return out

    def changed_values(self) -> dict[str, str]:
        """The fields the user changed: only these are written, so a field edited
        elsewhere meanwhile (by a sync) is not put back to what the dialog showed."""
        return {c: v for c, v in self.values().items() if v != self.shown.get(c)}

    def apply(self) -> None:
        """Check the changed values; store them as one undoable edit and close."""
        name, values = self.choice.currentData(), self.changed_values()
        window = self.window_
        try:
            labels.check_edit(window.project, name, values)
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        window.perform(EditLabel(window.project, window.annotator, name, values))
        self.accept()

    def _pick_color(self) -> None:
        color = QColorDialog.getColor(QColor(self.color.text()), self, tr("Colour"))
        if color.isValid():
            self.color.setText(color.name())


class LabelEditing:
    """The Labels menu's "Edit labels…" action and its dialog."""

    def __init__(self, window: Workbench) -> None:
        self.window = window
        self.dialog: LabelDialog | None = None
        self.action = QAction(window)
        self.action.setObjectName("action_edit_labels")
        self.action.triggered.connect(self.open)
        menu = window.menus.menus.get("&Labels")
        if menu is not None:
            first = menu.actions()[0] if menu.actions() else None
            menu.insertAction(first, self.action)
            menu.insertSeparator(first)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.action.setText(tr("Edit labels…"))

    def open(self) -> None:
        """Show the dialog, or say why this person may not edit labels."""
        window = self.window
        refused = labels.may_edit(window.project, window.annotator)
        if refused:
            window.message(refused)
            return
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = LabelDialog(window, window)
        schema_views.follow(window, self.dialog)
        self.dialog.show()


def attach(window: Workbench) -> LabelEditing:
    """Give ``window`` its label editor."""
    return LabelEditing(window)
