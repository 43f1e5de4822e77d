"""Find in the document (Ctrl+F): next and previous hit, corpus-search matching.

The query is matched as corpus search matches it (tashkeel, tatweel, alef
forms and alef maksura ignored, a word may follow و ف ب ك ل ال); while a
word is still being typed and nothing matches whole words, a plain
substring is tried. Enter / F3 go to the next hit, Shift+Enter / Shift+F3 to
the previous one; clearing the box (or Esc) removes every mark, so the span
colours show again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

from annotator.core.search import compile_query, find
from annotator.gui.i18n import tr
from annotator.gui.plain import plain_label


def find_hits(text: str, query: str) -> list[tuple[int, int]]:
    """Code-point (start, end) of every hit of ``query`` in ``text``."""
    query = query.strip()
    if not query:
        return []
    hits = find(text, compile_query(query))
    if hits:
        return hits
    low, needle = text.casefold(), query.casefold()
    if len(low) != len(text):  # casefolding changed lengths: offsets would not hold
        low, needle = text, query
    out, i = [], low.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = low.find(needle, i + 1)
    return out


class _Box(QLineEdit):
    """The query box: Enter next, Shift+Enter previous, Esc closes."""

    step = Signal(int)
    closed = Signal()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step.emit(-1 if e.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            return
        if e.key() == Qt.Key.Key_Escape:
            self.closed.emit()
            return
        super().keyPressEvent(e)


class FindBar(QWidget):
    """A bar above the article; marks hits in the given view."""

    def __init__(self, view, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self.hits: list[tuple[int, int]] = []
        self.pos = -1
        self.box = _Box()
        self.box.setObjectName("findBox")
        self.box.setClearButtonEnabled(True)
        self.count = plain_label()
        self.count.setObjectName("findCount")
        self.prev_button, self.next_button = QToolButton(), QToolButton()
        self.prev_button.setText("▲")
        self.next_button.setText("▼")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.box, self.count, self.prev_button, self.next_button):
            layout.addWidget(w)
        self.box.textChanged.connect(self.search)
        self.box.step.connect(self.step)
        self.box.closed.connect(self.close_bar)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.box.setPlaceholderText(tr("Find in document"))
        self.prev_button.setToolTip(tr("Find previous"))
        self.next_button.setToolTip(tr("Find next"))
        self._show_count()

    def open_bar(self) -> None:
        """Show the bar and put the caret in the box."""
        self.show()
        self.box.setFocus()
        self.box.selectAll()
        if self.box.text():
            self.search(self.box.text())

    def close_bar(self) -> None:
        """Clear the query and every mark; give the article the focus back."""
        self.box.clear()
        self.hide()
        self.view.setFocus()

    def search(self, query: str) -> None:
        """Mark every hit of ``query`` in the shown document; an empty query clears."""
        self.hits = find_hits(self.view.text, query)
        self.pos = 0 if self.hits else -1
        self.view.set_search_hits(self.hits, max(self.pos, 0))
        self._show_count()

    def step(self, delta: int) -> None:
        """Go to the next (1) or previous (-1) hit, wrapping around."""
        if not self.hits:
            return
        self.pos = (self.pos + delta) % len(self.hits)
        self.view.set_search_hits(self.hits, self.pos)
        self._show_count()

    def document_changed(self) -> None:
        """Another document is shown: search it for the same query."""
        if self.isVisible() and self.box.text():
            self.search(self.box.text())
        else:
            self.hits, self.pos = [], -1

    def _show_count(self) -> None:
        if not self.box.text().strip():
            self.count.setText("")
        else:
            self.count.setText(
                tr("{n} of {total}", n=self.pos + 1, total=len(self.hits))
                if self.hits
                else tr("no hits")
            )
