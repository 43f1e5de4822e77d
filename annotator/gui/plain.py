"""Untrusted text on screen as plain text, never as rich text (DESIGN §9).

Qt guesses "rich text" for ``QLabel``, tool tips and ``QMessageBox`` when a
string holds something that looks like a tag (``Qt::mightBeRichText``): a
title ``<img src="file:///dev/zero">`` would make the app read that file. Every
widget that shows titles, span texts, layer names, label names, file
contents or messages quoting them goes through this module:

- ``label`` / ``plain_label`` set ``Qt.PlainText`` on a ``QLabel``;
- ``tooltip`` turns a string into rich text that shows it literally (Qt has
  no plain-text tool tips, so the string is escaped inside a pre-wrap block);
- ``message_box`` builds a ``QMessageBox`` whose text is plain.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

PLAIN = Qt.TextFormat.PlainText


def tooltip(text: str) -> str:
    """A tool tip that shows ``text`` exactly (escaped; line breaks and spaces kept)."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def label(widget: QLabel) -> QLabel:
    """``widget`` set to show its text as plain text; returns it."""
    widget.setTextFormat(PLAIN)
    return widget


def plain_label(text: str = "", parent: QWidget | None = None, **kwargs: object) -> QLabel:
    """A new ``QLabel`` that shows ``text`` as plain text."""
    widget = QLabel(parent, **kwargs)
    widget.setTextFormat(PLAIN)
    widget.setText(text)
    return widget


def message_box(
    icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None = None
) -> QMessageBox:
    """A ``QMessageBox`` with an OK button whose ``text`` is shown as plain text."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(PLAIN)
    box.setText(text)
    return box
