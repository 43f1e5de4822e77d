"""The main window: document list, article view, label palette and span panel.

One path for every change: widgets ask the ``Editor`` (or a controller),
which hands one ``Edit`` to ``perform``; the ``Performer`` runs it on the
undo stack and the window emits ``changed(Changes)`` once; every view
(article, span panel, document list, suggestions, status bar) subscribes
and updates itself. The window shows and edits one layer (``layer``): the
user's own, or ``gold`` for a reviewer (``set_layer``).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, Qt, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QVBoxLayout, QWidget

from annotator.core.changes import Changes
from annotator.core.errors import UserError
from annotator.core.model import Document
from annotator.gui import i18n, session, settings, theme
from annotator.gui.actions import (
    Act,
    build_actions,
    build_label_actions,
    retranslate_actions,
    retranslate_label_actions,
)
from annotator.gui.article_view import ArticleView
from annotator.gui.commands import SetStatus
from annotator.gui.document_list import DocumentListModel, DocumentListPanel
from annotator.gui.editing import Editor
from annotator.gui.find_bar import FindBar
from annotator.gui.gold_dock import GoldDock
from annotator.gui.i18n import label_name, tr
from annotator.gui.label_dialog import attach as attach_label_editing
from annotator.gui.menus import WorkspaceMenus
from annotator.gui.notes_dialog import NoteEditor
from annotator.gui.palette import LabelPalette
from annotator.gui.perform import BUSY_WAIT_MS, Edit, Performer
from annotator.gui.schema_views import attach as attach_schema_views
from annotator.gui.span_panel import SpanPanel
from annotator.gui.status import StatusArea
from annotator.gui.suggestions import attach as attach_suggestions
from annotator.gui.sync import attach as attach_sync
from annotator.services import annotate, browse, notes
from annotator.services.project import Project

DEFAULT_FAMILY = "Noto Sans Arabic"
CLOSE_WAIT_MS = 10_000  # closing waits this long for another writer before giving up


class MainWindow(QMainWindow):
    """One user's workspace on one project."""

    #: Every write's ``Changes``, once, after it is stored (or undone).
    changed = Signal(object)

    def __init__(self, project: Project, annotator: str, family: str = DEFAULT_FAMILY) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.project, self.annotator, self.layer = project, annotator, annotator
        self.role = annotate.role_of(project, annotator) or "curator"
        self.current: Document | None = None
        self.last_message = ""
        project.store.set_busy_timeout(BUSY_WAIT_MS)
        labels = list(project.schema.labels)
        self.workspace = Performer(self.ensure_document, self.changed.emit, self)
        self.editor = Editor(self)
        self.view = ArticleView({lab.name: (lab.kind, lab.color, lab.shortcut) for lab in labels})
        self.font_family = settings.font_family(family)
        self.font_size = settings.font_size()
        self.view.set_font(self.font_family, self.font_size)
        self.find_bar = FindBar(self.view)
        self.doc_model = DocumentListModel(project, annotator, self)
        self.doc_panel = DocumentListPanel(self.doc_model)
        self.palette = LabelPalette(labels)
        self.span_panel = SpanPanel({lab.name: lab.color for lab in labels})
        self.span_panel.span_table.label_keys = dict(self.view.keys)
        self.notes = NoteEditor(self)
        side, middle = QWidget(), QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.palette)
        side_layout.addWidget(self.span_panel, 1)
        side_layout.addWidget(self.notes.doc_box)
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 0, 0, 0)
        mid_layout.addWidget(self.find_bar)
        mid_layout.addWidget(self.view, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for w in (self.doc_panel, middle, side):
            self.splitter.addWidget(w)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([260, 700, 300])
        self.setCentralWidget(self.splitter)
        self.actions_ = build_actions(self)
        self.label_actions = build_label_actions(self, labels)
        self.menus = WorkspaceMenus(self)
        self.label_editing = attach_label_editing(self)
        attach_suggestions(self)
        self.status = StatusArea(self)
        self.progress_label, self.wait_label = self.status.progress, self.status.wait
        self.sync = attach_sync(self)
        self.gold_dock = GoldDock(self)
        self._connect()
        attach_schema_views(self)
        self._restore_layout()
        self.dark = theme.apply_theme()
        self.retranslate()
        self.doc_model.fetchMore()
        session.restore_history(self)
        last = session.last_document(project)
        if last and browse.list_row(project, self.layer, last) is not None:
            self.open_document(last)
        elif self.doc_model.rows:
            self.open_document(self.doc_model.rows[0].id)

    def _connect(self) -> None:
        ws, view, acts, ed = self.workspace, self.view, self.actions_, self.editor
        for subscriber in (
            view.apply,
            self.span_panel.apply,
            self.doc_panel.apply,
            self.notes.apply,
            self._after_change,
        ):
            self.changed.connect(subscriber)
        ws.error.connect(self.message)
        ws.waiting.connect(self.status.waiting)
        ws.failed.connect(self._failed)
        view.tag_requested.connect(ed.label_key)
        view.delete_requested.connect(ed.delete_span_id)
        view.unlink_requested.connect(lambda rel_id: ed.unlink_ids([rel_id]))
        view.link_requested.connect(ed.link_ids)
        view.resize_requested.connect(ed.resize)
        view.context_requested.connect(self._context_menu)
        self.palette.label_chosen.connect(self.tag_selection)
        for name, action in self.label_actions.items():
            action.triggered.connect(lambda _c=False, n=name: self.tag_selection(n))
        self.doc_panel.document_chosen.connect(self.open_document)
        self.span_panel.span_clicked.connect(self._jump_to)
        self.span_panel.relabel_spans.connect(ed.relabel_ids)
        self.span_panel.delete_spans.connect(lambda ids: [ed.delete_span_id(i) for i in ids])
        self.span_panel.delete_relations.connect(ed.unlink_ids)
        self.span_panel.link_spans.connect(ed.link_ids)
        stack = ws.stack
        stack.canUndoChanged.connect(acts[Act.UNDO].setEnabled)
        stack.canRedoChanged.connect(acts[Act.REDO].setEnabled)
        acts[Act.UNDO].setEnabled(False)
        acts[Act.REDO].setEnabled(False)
        slots = {
            Act.UNDO: self.undo,
            Act.REDO: self.redo,
            Act.DELETE_SPAN: ed.delete_at_cursor,
            Act.LINK: lambda: ed.link_ids([s.id for s in view.spans_at_cursor()]),
            Act.MARK_DONE: self.mark_done,
            Act.SKIP_DOC: self.skip,
            Act.NEXT_DOC: lambda: self.go(1),
            Act.PREV_DOC: lambda: self.go(-1),
            Act.REFRESH: self.refresh_list,
            Act.ZOOM_IN: lambda: self.zoom(1),
            Act.ZOOM_OUT: lambda: self.zoom(-1),
            Act.QUIT: self.close,
            Act.SHOW_ARCS: lambda: view.set_show_arcs(acts[Act.SHOW_ARCS].isChecked()),
            Act.FIND: self.find_bar.open_bar,
            Act.FIND_NEXT: lambda: self.find_bar.step(1),
            Act.FIND_PREV: lambda: self.find_bar.step(-1),
            Act.GROW_START: lambda: ed.step_edge("start", True),
            Act.SHRINK_START: lambda: ed.step_edge("start", False),
            Act.GROW_END: lambda: ed.step_edge("end", True),
            Act.SHRINK_END: lambda: ed.step_edge("end", False),
            Act.UNSURE: ed.toggle_unsure,
            Act.SPAN_NOTE: self.notes.edit_span_note,
            Act.DOC_NOTE: self.notes.focus_document_note,
        }
        for act, slot in slots.items():
            acts[act].triggered.connect(slot)

    # -- the one path for changes ---------------------------------------------

    def perform(self, edit: Edit) -> None:
        """Run ``edit`` as one undoable command; views hear of it through ``changed``."""
        self.workspace.perform(edit)

    def undo(self) -> None:
        """Undo the last edit (Ctrl+Z)."""
        self.workspace.undo()

    def redo(self) -> None:
        """Redo the last undone edit (Ctrl+Shift+Z)."""
        self.workspace.redo()

    def announce(self, changes: Changes) -> None:
        """Tell every view about a write made outside ``perform`` (an import)."""
        if changes:
            self.changed.emit(changes)

    def _after_change(self, changes: Changes) -> None:
        pending = self.editor.pending_link
        if pending is not None and pending.id in {s.id for s in changes.spans_removed}:
            self.editor.pending_link = None
        if changes.documents_added or self.layer in changes.layers():
            self.update_progress()
        if self.current is None and changes.documents_added and self.doc_model.rows:
            self.open_document(self.doc_model.rows[0].id)

    def _failed(self, text: str) -> None:
        self.message(text)
        self.notes.show_failure(text)

    # -- documents and layers ----------------------------------------------------

    def open_document(self, doc_id: str) -> None:
        """Show document ``doc_id`` with the current layer's spans, links and notes."""
        try:
            doc = browse.get_document(self.project, doc_id)
        except UserError as exc:
            self.message(str(exc))
            return
        spans = annotate.layer_spans(self.project, doc_id, self.layer)
        rels = annotate.layer_relations(self.project, doc_id, self.layer)
        layer_notes = notes.notes_for(self.project, doc_id, self.layer)
        self.current, self.editor.pending_link = doc, None
        self.view.load(doc.id, doc.text, spans, rels, self.layer)
        self.view.notes = layer_notes
        self.span_panel.load(doc.id, self.layer, doc.text, spans, rels, layer_notes)
        self.notes.load(layer_notes.get(""))
        if self.find_bar.isVisible() and self.find_bar.box.text():
            self.find_bar.document_changed()
        else:
            self.view.set_search_hits(self.doc_panel.hits.get(doc.id, []))
        self.doc_panel.select(doc.id)
        self.setWindowTitle(f"{doc.title or doc.id} — annotator")
        session.remember_document(self.project, doc.id)

    def ensure_document(self, doc_id: str) -> None:
        """Open ``doc_id`` unless it is the one shown (undo of another document's edit)."""
        if self.current is None or self.current.id != doc_id:
            self.open_document(doc_id)

    def set_layer(self, name: str) -> bool:
        """Show and edit layer ``name`` (a reviewer: ``gold``); a refusal is a status message."""
        if name == self.layer:
            return True
        try:
            annotate.check_write(self.project, self.annotator, name)
        except UserError as exc:
            self.message(str(exc))
            return False
        self.layer = name
        self.doc_model.layer = name
        self.doc_panel.apply_filter()
        if self.current is not None:
            self.open_document(self.current.id)
        self.status.show_user()
        self.update_progress()
        self.gold_dock.follow(name)
        return True

    def go(self, step: int) -> bool:
        """Open the next (1) or previous (-1) document of the list; False at the end."""
        if self.current is None:
            return False
        target = self.doc_model.neighbour(self.current.id, step)
        if target is None and self.doc_model.find(self.current.id) is None:
            target = browse.neighbour(self.project, self.current.id, step)
        if target:
            self.open_document(target)
        return bool(target)

    def refresh_list(self) -> None:
        """Read the document list and progress again (another process may have imported)."""
        self.doc_panel.apply_filter()
        if self.current is not None:
            self.doc_panel.select(self.current.id)
        self.update_progress()

    def mark_done(self) -> None:
        """Mark the shown document done (undoable) and move to the next one."""
        self._set_status_and_next("done")

    def skip(self) -> None:
        """Mark the shown document skipped (undoable) and move to the next one."""
        self._set_status_and_next("skipped")

    def _set_status_and_next(self, status: str) -> None:
        if self.current is None:
            return
        self.perform(SetStatus(self.project, self.annotator, self.layer, self.current.id, status))
        if not self.go(1):
            self.message(tr("This was the last document: there is no next one."))

    def tag(self, start: int, end: int, label: str, exact: bool = False) -> None:
        """Tag code points [start, end) with ``label`` (snapped to words unless ``exact``)."""
        self.editor.tag(start, end, label, exact)

    def tag_selection(self, label: str) -> None:
        """Tag (or relabel) with ``label`` from the palette or the Labels menu."""
        self.editor.label_key(*self.view.selection(), label, self.view.alt_selection)

    def context_menu(self, cp: int):
        """The context menu for code point ``cp`` of the shown document."""
        return self.editor.context_menu(cp)

    def _context_menu(self, cp: int, global_pos: QPoint) -> None:
        menu = self.context_menu(cp)
        if not menu.isEmpty():
            menu.popup(global_pos)

    def _jump_to(self, span_id: str) -> None:
        span = self.view.index.spans.get(span_id)
        if span is not None:
            self.view.select(span.start, span.end)
            self.view.setFocus()

    # -- status, language, layout -----------------------------------------------

    def message(self, text: str) -> None:
        """Show a one-line message in the status bar."""
        self.status.message(text)

    def update_progress(self) -> None:
        """Refresh "12 / 40 done" in the status bar."""
        self.status.update_progress()

    def zoom(self, step: int) -> None:
        """Make the article font one point larger or smaller (remembered)."""
        size = max(settings.MIN_FONT_SIZE, min(settings.MAX_FONT_SIZE, self.font_size + step))
        self.apply_font(self.font_family, size)

    def apply_font(self, family: str, size: int) -> None:
        """Use and remember an article font."""
        self.font_family, self.font_size = family, size
        self.view.set_font(family, size)
        settings.put("view/font_size", size)
        settings.put("view/font_family", family)

    def apply_language(self, lang: str) -> None:
        """Switch the interface language (Qt's own dialogs too); Arabic mirrors the window."""
        i18n.set_language(lang)
        i18n.install_qt_translation()
        settings.put("ui/language", i18n.language())
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text and the window direction for the current language."""
        direction = i18n.direction()
        app = QApplication.instance()
        if app is not None:
            app.setLayoutDirection(direction)
        self.setLayoutDirection(direction)
        self.splitter.setSizes(self.splitter.sizes())  # lay the panes out again, mirrored
        retranslate_actions(self.actions_)
        retranslate_label_actions(self.label_actions, self.project.schema.labels)
        self.menus.retranslate()
        self.doc_panel.retranslate()
        self.palette.retranslate()
        self.span_panel.retranslate()
        self.span_panel.spans.names = {
            lab.name: label_name(lab) for lab in self.project.schema.labels
        }
        self.find_bar.retranslate()
        self.notes.retranslate()
        self.status.show_user()
        self.sync.retranslate()
        self.label_editing.retranslate()
        self.gold_dock.retranslate()
        self.update_progress()

    def _restore_layout(self) -> None:
        s = settings.settings()
        geometry, state = s.value("window/geometry"), s.value("window/splitter")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)

    def closeEvent(self, e) -> None:
        """Store edits still waiting for the lock, remember the layout, close the database."""
        self.workspace.flush(lambda: self.project.store.set_busy_timeout(CLOSE_WAIT_MS))
        s = settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()
        super().closeEvent(e)
        self.doc_panel.stop()
        self.sync.wait()  # a sync in the background finishes on its own connection
        self.project.close()
