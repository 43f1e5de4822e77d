"""Untrusted text is never rich text: every window is opened over hostile data and scanned.

Titles, span texts and layer names hold HTML (``<img src="file:///dev/zero">``
would make Qt read the device when the text is rendered as rich text, and
kill the app). Every QLabel must show such text as plain text, and every
tool tip (widgets, actions, item models, the article's hover tip, the
review lanes' character formats) must either be plain or carry the markup
escaped. Qt decides "rich" with ``Qt.mightBeRichText``: the test uses it too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QHelpEvent, QTextCursor, QTextDocument
from PySide6.QtGui import Qt as QtGuiQt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QToolTip, QWidget

from annotator.core.model import Label
from annotator.gui import open_window
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.import_dialog import run_import
from annotator.gui.review import open_agreement_dashboard, open_review_window
from annotator.gui.settings import SettingsDialog
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from annotator.services.users import add_user
from annotator.store import meta

pytestmark = pytest.mark.gui

IMG = '<img src="file:///dev/zero">'
BOLD = "<b>x</b>"
TEXT = f"{IMG} قال {BOLD} إن الجيش مستعد"
MARKUP = ("<img", "<b>")
LAYERS = (BOLD, IMG)  # two curators whose names are markup
LABEL = "<i>L<i>"  # a label of a database from outside


def _is_rich(text: str) -> bool:
    return bool(text) and QtGuiQt.mightBeRichText(text)


def _safe_rich(text: str) -> bool:
    """Rich text that holds no live markup of ours: it renders the markup as characters."""
    doc = QTextDocument()
    doc.setHtml(text)
    shown = doc.toPlainText()
    return not any(m in text for m in MARKUP) and (
        not any(m in shown for m in ("img", "<b")) or any(m in shown for m in MARKUP)
    )


def _hostile_db(tmp_path: Path) -> Path:
    db = tmp_path / "hostile.db"
    bold_start = TEXT.index(BOLD)
    spans = [
        {"start": 0, "end": len(IMG), "label": "SOURCE"},
        {"start": bold_start, "end": bold_start + len(BOLD), "label": LABEL},
    ]
    lines = [
        {"text": TEXT, "layer": layer, "meta": {"title": IMG}, "spans": spans[: i + 1]}
        for i, layer in enumerate(LAYERS)
    ]
    src = tmp_path / "hostile.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", "utf-8")
    with open_project(db) as project, project.store.transaction():
        meta.insert_labels(project.store, [Label(LABEL, "entity", LABEL, LABEL, "#ff0000", "")], [])
    with open_project(db) as project:
        import_paths(project, [src])
        add_user(project, IMG + "r", "reviewer")
    return db


def _tooltips(root: QWidget) -> list[tuple[str, str]]:
    """(where, tool tip) of every widget, action and visible item under ``root``."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        found.append((f"{type(widget).__name__} {widget.objectName()}", widget.toolTip()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            root_index = widget.rootIndex()
            try:
                cols = model.columnCount(root_index)
            except TypeError:  # list models keep columnCount private
                cols = 1
            for row in range(model.rowCount(root_index)):
                for col in range(cols):
                    tip = model.data(model.index(row, col, root_index), Qt.ItemDataRole.ToolTipRole)
                    found.append((f"{type(model).__name__} {row},{col}", str(tip or "")))
    for action in root.findChildren(QAction):
        found.append((f"action {action.text()}", action.toolTip()))
    return found


def _format_tooltips(view) -> list[tuple[str, str]]:
    """Tool tips on the character formats of a text view and its extra selections (lanes)."""
    found = []
    if hasattr(view, "extraSelections"):
        for sel in view.extraSelections():
            found.append((f"selection in {view.objectName()}", sel.format.toolTip()))
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            found.append((f"fragment in {view.objectName()}", frag.charFormat().toolTip()))
            it += 1
        block = block.next()
    return found


def _scan(root: QWidget) -> list[str]:
    """Every place under ``root`` where hostile markup would be rendered as rich text."""
    bad = []
    for label in [w for w in [root, *root.findChildren(QLabel)] if isinstance(w, QLabel)]:
        if label.textFormat() != Qt.TextFormat.PlainText and _is_rich(label.text()):
            bad.append(f"QLabel {label.objectName()!r}: {label.text()!r}")
    tips = _tooltips(root)
    for view in root.findChildren(QWidget):
        if hasattr(view, "document") and callable(view.document):
            tips += _format_tooltips(view)
    for where, tip in tips:
        if _is_rich(tip) and not _safe_rich(tip):
            bad.append(f"tool tip of {where}: {tip!r}")
    return bad


def _seen(root: QWidget) -> str:
    """All text shown under ``root`` (labels, tool tips), to prove the data is there."""
    texts = [w.text() for w in root.findChildren(QLabel)]
    texts += [tip for _, tip in _tooltips(root)]
    return "\n".join(texts)


def test_every_window_shows_hostile_text_as_plain_text(tmp_path: Path, qtbot) -> None:
    db = _hostile_db(tmp_path)
    window = open_window(db, annotator=LAYERS[0])
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.open_document(window.doc_model.rows[0].id)
    assert IMG in window.doc_model.rows[0].title
    assert _scan(window) == []
    assert "&lt;img" in _seen(window)  # the title reached a tool tip, escaped

    # the article's hover tool tip over the span whose text is markup
    view = window.view
    cur = QTextCursor(view.document())
    cur.setPosition(2)
    pos = view.cursorRect(cur).center()
    QApplication.sendEvent(
        view, QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    )
    tip = QToolTip.text()
    assert "&lt;img" in tip and _safe_rich(tip)

    # the "import refused" box quoting a file whose name and line are markup
    bad = tmp_path / "<b>bad.jsonl"  # a file name cannot hold the "/" of "</b>"
    bad.write_text(json.dumps({"text": IMG, "spans": [{"start": 0, "end": 99}]}) + "\n", "utf-8")
    assert run_import(window, [str(bad)]) is None
    box = window.import_box
    qtbot.addWidget(box)
    assert "<b>bad.jsonl" in box.text() and box.textFormat() == Qt.TextFormat.PlainText
    assert _scan(box) == []

    settings = SettingsDialog("en", window.font_family, window.font_size, window)
    for dialog in (ExportDialog(window.project, window), settings):
        qtbot.addWidget(dialog)
        dialog.show()
        assert _scan(dialog) == []

    review = open_review_window(window.project, IMG + "r")
    qtbot.addWidget(review)
    qtbot.waitExposed(review)
    headers = [w.text() for w in review.findChildren(QLabel) if w.objectName().startswith("lane")]
    assert set(LAYERS) <= set(headers) | {""}
    assert _scan(review) == []
    lane_tips = "".join(tip for _, tip in _format_tooltips_all(review))
    assert "&lt;i&gt;L&lt;i&gt;" in lane_tips  # the hostile label reached a lane, escaped

    dashboard = open_agreement_dashboard(window.project)
    qtbot.addWidget(dashboard)
    assert _scan(dashboard) == []


def _format_tooltips_all(root: QWidget) -> list[tuple[str, str]]:
    found = []
    for view in root.findChildren(QWidget):
        if hasattr(view, "document") and callable(view.document):
            found += _format_tooltips(view)
    return found


def test_the_scan_catches_rich_text(qtbot) -> None:
    """The scan is not blind: a label and a tool tip left to Qt's guess are reported."""
    root = QWidget()
    qtbot.addWidget(root)
    QLabel(IMG, root)
    tipped = QWidget(root)
    tipped.setToolTip(BOLD)
    assert len(_scan(root)) == 2
