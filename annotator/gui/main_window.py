"""The main window: document list, article view, label palette and span panel.

Widgets ask; ``Workspace`` (undoable commands over services.annotate) edits
and announces what changed; the window routes each change to the views.
The curator sees and edits only their own layer.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QVBoxLayout, QWidget

from annotator.core.errors import UserError
from annotator.core.model import Document, Relation, Span
from annotator.core.snapping import snap
from annotator.gui import i18n, settings
from annotator.gui.actions import Act, build_actions, retranslate_actions
from annotator.gui.article_view import ArticleView
from annotator.gui.commands import Workspace
from annotator.gui.document_list import DocumentListModel, DocumentListPanel
from annotator.gui.i18n import tr
from annotator.gui.linking import build_context_menu, link_relation, pick_pair
from annotator.gui.menus import WorkspaceMenus
from annotator.gui.palette import LabelPalette
from annotator.gui.plain import plain_label
from annotator.gui.span_panel import SpanPanel
from annotator.gui.suggestions import attach as attach_suggestions
from annotator.gui.sync import attach as attach_sync
from annotator.services import annotate, browse
from annotator.services.project import Project

DEFAULT_FAMILY = "Noto Sans Arabic"


class MainWindow(QMainWindow):
    """One curator's workspace on one project."""

    def __init__(self, project: Project, annotator: str, family: str = DEFAULT_FAMILY) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.project, self.annotator = project, annotator
        self.current: Document | None = None
        self.pending_link: Span | None = None
        self.last_message = ""
        labels = list(project.schema.labels)
        colors = {lab.name: lab.color for lab in labels}
        self.workspace = Workspace(project, annotator, self.ensure_document, self)
        self.view = ArticleView({lab.name: (lab.kind, lab.color, lab.shortcut) for lab in labels})
        self.font_family = settings.font_family(family)
        self.font_size = settings.font_size()
        self.view.set_font(self.font_family, self.font_size)
        self.doc_model = DocumentListModel(project, annotator, self)
        self.doc_panel = DocumentListPanel(self.doc_model)
        self.palette = LabelPalette(labels)
        self.span_panel = SpanPanel(colors)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.palette)
        side_layout.addWidget(self.span_panel, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for w in (self.doc_panel, self.view, side):
            self.splitter.addWidget(w)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([260, 700, 300])
        self.setCentralWidget(self.splitter)
        self.actions_ = build_actions(self)
        self.menus = WorkspaceMenus(self)
        attach_suggestions(self)
        self.progress_label = plain_label()
        self.progress_label.setObjectName("progressLabel")
        self.curator_label = plain_label()
        self.statusBar().addPermanentWidget(self.curator_label)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.sync = attach_sync(self)
        self._connect()
        self._restore_layout()
        self.retranslate()
        self.doc_model.fetchMore()
        if self.doc_model.rows:
            self.open_document(self.doc_model.rows[0].id)

    def _connect(self) -> None:
        ws, view, acts = self.workspace, self.view, self.actions_
        ws.span_added.connect(self._span_added)
        ws.span_removed.connect(self._span_removed)
        ws.relation_added.connect(self._relation_added)
        ws.relation_removed.connect(self._relation_removed)
        ws.status_changed.connect(lambda doc_id, _s: self._refresh_counts(doc_id))
        ws.error.connect(self.message)
        view.tag_requested.connect(self.tag)
        view.delete_requested.connect(self.delete_span_id)
        view.link_requested.connect(self.link_ids)
        view.context_requested.connect(self._context_menu)
        self.palette.label_chosen.connect(
            lambda name: self.tag(*view.selection(), name, view.alt_selection)
        )
        self.doc_panel.document_chosen.connect(self.open_document)
        self.span_panel.span_clicked.connect(self._jump_to)
        self.span_panel.delete_spans.connect(lambda ids: [self.delete_span_id(i) for i in ids])
        self.span_panel.delete_relations.connect(self._delete_relation_ids)
        self.span_panel.link_spans.connect(self.link_ids)
        stack = ws.stack
        acts[Act.UNDO].triggered.connect(stack.undo)
        acts[Act.REDO].triggered.connect(stack.redo)
        stack.canUndoChanged.connect(acts[Act.UNDO].setEnabled)
        stack.canRedoChanged.connect(acts[Act.REDO].setEnabled)
        acts[Act.UNDO].setEnabled(False)
        acts[Act.REDO].setEnabled(False)
        acts[Act.DELETE_SPAN].triggered.connect(self.delete_at_cursor)
        acts[Act.LINK].triggered.connect(
            lambda: self.link_ids([s.id for s in view.spans_at_cursor()])
        )
        acts[Act.MARK_DONE].triggered.connect(self.mark_done)
        acts[Act.NEXT_DOC].triggered.connect(lambda: self.go(1))
        acts[Act.PREV_DOC].triggered.connect(lambda: self.go(-1))
        acts[Act.REFRESH].triggered.connect(self.refresh_list)
        acts[Act.ZOOM_IN].triggered.connect(lambda: self.zoom(1))
        acts[Act.ZOOM_OUT].triggered.connect(lambda: self.zoom(-1))
        acts[Act.QUIT].triggered.connect(self.close)

    # -- documents ---------------------------------------------------------

    def open_document(self, doc_id: str) -> None:
        """Show document ``doc_id`` with the curator's spans and links."""
        try:
            doc = browse.get_document(self.project, doc_id)
        except UserError as exc:
            self.message(str(exc))
            return
        spans = annotate.layer_spans(self.project, doc_id, self.annotator)
        rels = annotate.layer_relations(self.project, doc_id, self.annotator)
        self.current, self.pending_link = doc, None
        self.view.load(doc.id, doc.text, spans, rels)
        self.span_panel.spans.reset(doc.text, spans, rels)
        linked = {sid for r in rels for sid in (r.head, r.tail)}
        described = self._describe(s for s in spans if s.id in linked) if linked else {}
        self.span_panel.relations.reset(rels, described)
        self.view.set_search_hits(self.doc_panel.hits.get(doc.id, []))
        self.doc_panel.select(doc.id)
        self.setWindowTitle(f"{doc.title or doc.id} — annotator")

    def ensure_document(self, doc_id: str) -> None:
        """Open ``doc_id`` unless it is the one shown (undo of another document's edit)."""
        if self.current is None or self.current.id != doc_id:
            self.open_document(doc_id)

    def go(self, step: int) -> None:
        """Open the next (1) or previous (-1) document of the list."""
        if self.current is None:
            return
        target = self.doc_model.neighbour(self.current.id, step)
        if target is None and self.doc_model.find(self.current.id) is None:
            target = browse.neighbour(self.project, self.current.id, step)
        if target:
            self.open_document(target)

    def refresh_list(self) -> None:
        """Read the document list and progress again (another process may have imported)."""
        self.doc_panel.apply_filter()
        if self.current is not None:
            self.doc_panel.select(self.current.id)
        self.update_progress()

    def mark_done(self) -> None:
        """Mark the shown document done (undoable) and move to the next one."""
        if self.current is not None:
            self.workspace.set_status(self.current.id, "done")
            self.go(1)

    # -- edits -------------------------------------------------------------

    def tag(self, start: int, end: int, label: str, exact: bool = False) -> None:
        """Tag the selection [start, end) (code points) with ``label``, snapped to words."""
        if self.current is None:
            return
        got = snap(self.current.text, start, end, exact=exact) if end > start else None
        if got is None:
            self.message(tr("Select some text first."))
            return
        if any(s.key == (*got, label) for s in self.view.index.at(got[0])):
            self.message(tr("Already tagged."))
            return
        self.workspace.add_span(self.current.id, got[0], got[1], label)
        self.view.select(*got)

    def delete_span_id(self, span_id: str) -> None:
        """Delete one span of the shown document (undoable)."""
        span = self.view.index.spans.get(span_id)
        if span is not None:
            self.workspace.delete_span(span)

    def delete_at_cursor(self) -> None:
        """Delete the innermost span under the cursor."""
        spans = self.view.spans_at_cursor()
        if spans:
            self.workspace.delete_span(spans[0])

    def link_ids(self, span_ids: list[str]) -> None:
        """Link a claim and a source among ``span_ids`` (or remember one end)."""
        rel = link_relation(self.project.schema.relations)
        if rel is None:
            return
        spans = [self.view.index.spans[i] for i in span_ids if i in self.view.index.spans]
        pair, pending = pick_pair(rel, spans, self.pending_link)
        if pair is not None:
            self.pending_link = None
            self.workspace.add_relation(pair[0], pair[1], rel.name)
            self.message(tr("Linked."))
        elif pending is not None:
            self.pending_link = pending
            kind = "source" if pending.label == rel.head else "claim"
            self.message(tr("Pick the {kind} to link, then press R again.", kind=tr(kind)))

    def context_menu(self, cp: int):
        """The context menu for code point ``cp`` of the shown document."""
        index = self.view.index
        return build_context_menu(
            self,
            self.view.text,
            index.at(cp) if self.current and cp < len(self.view.text) else [],
            index.spans.values(),
            list(self.view.relations.values()),
            link_relation(self.project.schema.relations),
            self.workspace.delete_span,
            lambda h, t: self.workspace.add_relation(
                h, t, link_relation(self.project.schema.relations).name
            ),
            self.workspace.delete_relation,
        )

    def _context_menu(self, cp: int, global_pos: QPoint) -> None:
        menu = self.context_menu(cp)
        if not menu.isEmpty():
            menu.popup(global_pos)

    def _delete_relation_ids(self, ids: list[str]) -> None:
        for rel_id in ids:
            rel = self.view.relations.get(rel_id)
            if rel is not None:
                self.workspace.delete_relation(rel)

    # -- change routing ----------------------------------------------------

    def _is_current(self, doc_id: str) -> bool:
        return self.current is not None and self.current.id == doc_id

    def _span_added(self, span: Span) -> None:
        if self._is_current(span.doc_id):
            self.view.add_span(span)
            self.span_panel.spans.add(span)
        self._refresh_counts(span.doc_id)

    def _span_removed(self, span: Span) -> None:
        if self._is_current(span.doc_id):
            self.view.remove_span(span.id)
            self.span_panel.spans.remove(span)
            if self.pending_link is not None and self.pending_link.id == span.id:
                self.pending_link = None
        self._refresh_counts(span.doc_id)

    def _relation_added(self, rel: Relation) -> None:
        if self._is_current(rel.doc_id):
            self.view.add_relation(rel)
            spans = self.view.index.spans
            self.span_panel.relations.add(
                rel, self._describe(spans[i] for i in (rel.head, rel.tail) if i in spans)
            )
            self.span_panel.spans.count_link(rel, 1)

    def _relation_removed(self, rel: Relation) -> None:
        if self._is_current(rel.doc_id):
            self.view.remove_relation(rel.id)
            self.span_panel.relations.remove(rel)
            self.span_panel.spans.count_link(rel, -1)

    def _refresh_counts(self, doc_id: str) -> None:
        self.doc_model.refresh(doc_id)
        self.update_progress()

    def _describe(self, spans) -> dict[str, str]:
        text = self.current.text if self.current else ""
        return {s.id: f"{s.label}: {text[s.start : s.end][:30]}" for s in spans}

    def _jump_to(self, span_id: str) -> None:
        span = self.view.index.spans.get(span_id)
        if span is not None:
            self.view.select(span.start, span.end)
            self.view.setFocus()

    # -- status, language, layout -------------------------------------------

    def message(self, text: str) -> None:
        """Show a one-line message in the status bar."""
        self.last_message = text
        self.statusBar().showMessage(text, 8000)

    def update_progress(self) -> None:
        """Refresh "12 / 40 done" in the status bar."""
        done, total = browse.progress(self.project, self.annotator)
        self.progress_label.setText(tr("{done} / {total} done", done=done, total=total))

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
        """Switch the interface language; Arabic mirrors the whole window."""
        i18n.set_language(lang)
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
        self.menus.retranslate()
        self.doc_panel.retranslate()
        self.palette.retranslate()
        self.span_panel.retranslate()
        self.curator_label.setText(tr("Curator: {name}", name=self.annotator))
        self.sync.retranslate()
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
        """Remember the layout, then close the database."""
        s = settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()
        super().closeEvent(e)
        self.doc_panel.stop()
        self.sync.wait()  # a sync in the background finishes on its own connection
        self.project.close()
