"""Notes in the workspace: the document's note box, a span's note dialog, failure notices.

Notes are plain text (never rich text). The document note is saved when
the box loses focus or Enter is pressed; a span's note is asked for in a
non-blocking dialog. Both go through the editor, so each is one undoable
command and the views hear of it through ``changed``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from annotator.core.changes import Changes
from annotator.core.model import Note
from annotator.gui.i18n import tr
from annotator.gui.plain import message_box
from annotator.gui.workbench import Workbench


class NoteEditor:
    """The notes widgets of one main window."""

    def __init__(self, window: Workbench) -> None:
        self.window = window
        self.doc_box = QLineEdit()
        self.doc_box.setObjectName("documentNote")
        self.doc_box.setClearButtonEnabled(True)
        self.doc_box.editingFinished.connect(self._save_document_note)
        self.dialog: QInputDialog | None = None
        self.notice: QMessageBox | None = None

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.doc_box.setPlaceholderText(tr("Note on this document"))

    def load(self, note: Note | None) -> None:
        """Show the document's note (another document was opened)."""
        self.doc_box.setText(note.text if note else "")

    def apply(self, changes: Changes) -> None:
        """Show a document note that a write (or its undo) changed."""
        w = self.window
        for note in changes.notes:
            if w.current and (note.doc_id, note.layer, note.target) == (w.current.id, w.layer, ""):
                self.doc_box.setText(note.text)

    def _save_document_note(self) -> None:
        w = self.window
        if w.current is not None and self.doc_box.text().strip() != w.editor.note("").text:
            w.editor.set_note("", text=self.doc_box.text())

    def focus_document_note(self) -> None:
        """Put the caret in the document's note box."""
        self.doc_box.setFocus()
        self.doc_box.selectAll()

    def edit_span_note(self) -> None:
        """Ask for the note of the span under the caret (non-blocking dialog)."""
        w = self.window
        span = w.view.active_span() or next(iter(w.view.spans_at_cursor()), None)
        if span is None:
            w.message(tr("Put the caret inside one span first."))
            return
        dialog = QInputDialog(w)
        dialog.setObjectName("spanNoteDialog")
        dialog.setWindowTitle(tr("Note on span"))
        dialog.setLabelText(tr("Note on {label}:", label=span.label))
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.setTextValue(w.editor.note(span.id).text)
        dialog.accepted.connect(lambda: w.editor.set_note(span.id, text=dialog.textValue()))
        dialog.open()
        self.dialog = dialog

    def show_failure(self, text: str) -> None:
        """Tell the user plainly that edits were not saved (a non-blocking notice)."""
        box = message_box(QMessageBox.Icon.Warning, tr("Edit not saved"), text, self.window)
        box.setObjectName("saveFailedMessage")
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.notice = box
