"""Showing stored text right to left, verbatim: never as HTML, never altered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit


def show_plain_rtl(edit: QPlainTextEdit | QTextEdit, text: str) -> None:
    """Put ``text`` in ``edit`` as plain text, laid out right to left.

    Spans are drawn afterwards with formats over this one unchanged layout
    (never by inserting characters), so word order cannot scramble.
    """
    edit.setPlainText(text)
    doc = edit.document()
    option = QTextOption(doc.defaultTextOption())
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
    doc.setDefaultTextOption(option)


FSI, PDI = "\u2068", "\u2069"


def isolate(text: object) -> str:
    """``text`` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.

    A Latin label beside an Arabic name (or the reverse) then keeps its
    colons, arrows and numbers where a reader expects them in both
    interface directions.
    """
    return f"{FSI}{text}{PDI}"
