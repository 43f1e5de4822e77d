"""What the curator's keys and clicks mean: tag, relabel, resize, link, delete, note.

``Editor`` turns a request from a view (code points, span ids) into one
``Edit`` from ``gui.commands`` and hands it to ``window.perform``; it never
updates a view itself (the window's ``changed`` signal does). It edits the
window's current layer (``window.layer``) as ``window.annotator``.

Edge keys, in logical order whatever the display direction ("start" is
where the span begins in reading order, on the right in Arabic text):
Alt+Home moves the start one word earlier, Alt+Shift+Home one word later;
Alt+End moves the end one word later, Alt+Shift+End one word earlier.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from annotator.core.model import Note, Relation, Span
from annotator.core.snapping import snap
from annotator.core.tokens import tokenize
from annotator.gui.commands import (
    AddRelation,
    AddSpan,
    DeleteRelation,
    DeleteSpan,
    SetNote,
    UpdateSpan,
)
from annotator.gui.i18n import tr
from annotator.gui.linking import build_context_menu, link_relation, pick_pair
from annotator.gui.workbench import Workbench
from annotator.services import notes


class Editor:
    """The edit requests of one main window."""

    def __init__(self, window: Workbench) -> None:
        self.window = window
        self.pending_link: Span | None = None
        self._tokens: tuple[str, list[int], list[int]] = ("", [], [])

    # -- helpers -------------------------------------------------------------

    @property
    def view(self):
        return self.window.view

    def _args(self) -> tuple:
        w = self.window
        return w.project, w.annotator

    def span(self, span_id: str) -> Span | None:
        """A span of the shown layer by id."""
        return self.view.index.spans.get(span_id)

    # -- spans -----------------------------------------------------------------

    def label_key(self, start: int, end: int, label: str, exact: bool = False) -> None:
        """A label key: relabel the one span under the caret, else tag the selection.

        With the caret in nested spans (a name inside a claim), the one span
        of the new label's kind is relabelled.
        """
        w = self.window
        if w.current is None:
            return
        if start == end:
            target = self.view.active_span() or self._one_of_kind(start, label)
            if target is not None:
                self.relabel(target, label)
                return
            if len(self.view.spans_at_cursor()) > 1:
                w.message(tr("The caret is in several spans: pick one in the span list."))
                return
        self.tag(start, end, label, exact)

    def _one_of_kind(self, cp: int, label: str) -> Span | None:
        """Among nested spans at ``cp``, the one of the new label's kind (an entity in a claim)."""
        kinds = self.view.index.kinds
        here = [s for s in self.view.index.at(cp) if kinds.get(s.label) == kinds.get(label)]
        return here[0] if len(here) == 1 else None

    def tag(self, start: int, end: int, label: str, exact: bool = False) -> None:
        """Tag [start, end) (code points) with ``label``, snapped to words unless ``exact``."""
        w = self.window
        if w.current is None:
            return
        got = snap(w.current.text, start, end, exact=exact) if end > start else None
        if got is None:
            w.message(tr("Select some text first."))
            return
        if any(s.key == (*got, label) for s in self.view.index.at(got[0])):
            w.message(tr("Already tagged."))
            return
        w.perform(AddSpan(*self._args(), w.layer, w.current.id, got[0], got[1], label))
        self.view.select(*got)

    def relabel(self, span: Span, label: str) -> None:
        """Give ``span`` another label in place (one undoable command)."""
        if span.label == label:
            self.window.message(tr("Already tagged."))
            return
        self.window.perform(UpdateSpan(*self._args(), span, span._replace(label=label)))

    def relabel_ids(self, span_ids: list[str], label: str) -> None:
        """Relabel the one span selected in the span list."""
        spans = [s for s in map(self.span, span_ids) if s is not None]
        if len(spans) == 1:
            self.relabel(spans[0], label)

    def resize(self, span_id: str, start: int, end: int, exact: bool = False) -> None:
        """Move a span's edges to [start, end) (snapped to words unless ``exact``)."""
        w = self.window
        span = self.span(span_id)
        if span is None or w.current is None:
            return
        got = snap(w.current.text, start, end, exact=exact) if end > start else None
        if got is None or got == (span.start, span.end):
            return
        w.perform(UpdateSpan(*self._args(), span, span._replace(start=got[0], end=got[1])))

    def step_edge(self, edge: str, grow: bool) -> None:
        """Move the active span's ``start`` or ``end`` one word (outwards when ``grow``)."""
        w = self.window
        span = self.view.active_span()
        if span is None or w.current is None:
            w.message(tr("Put the caret inside one span first."))
            return
        starts, ends = self._words(w.current.text)
        start, end = span.start, span.end
        if edge == "start":
            i = bisect_left(starts, start) - 1 if grow else bisect_right(starts, start)
            if not 0 <= i < len(starts) or (not grow and starts[i] >= end):
                return
            start = starts[i]
        else:
            i = bisect_right(ends, end) if grow else bisect_left(ends, end) - 1
            if not 0 <= i < len(ends) or (not grow and ends[i] <= start):
                return
            end = ends[i]
        w.perform(UpdateSpan(*self._args(), span, span._replace(start=start, end=end)))
        self.view.select(start, start)

    def _words(self, text: str) -> tuple[list[int], list[int]]:
        if self._tokens[0] is not text:
            tokens = tokenize(text)
            self._tokens = (text, [a for a, _ in tokens], [b for _, b in tokens])
        return self._tokens[1], self._tokens[2]

    def delete_span_id(self, span_id: str) -> None:
        """Delete one span of the shown layer (undoable)."""
        span = self.span(span_id)
        if span is not None:
            self.delete(span)

    def delete(self, span: Span) -> None:
        """Delete ``span`` and its links (undoable)."""
        if self.pending_link is not None and self.pending_link.id == span.id:
            self.pending_link = None
        self.window.perform(DeleteSpan(*self._args(), span))

    def delete_at_cursor(self) -> None:
        """Delete the selected arc, else the innermost span under the caret."""
        rel = self.view.relations.get(self.view.selected_relation or "")
        if rel is not None:
            self.unlink(rel)
            return
        spans = self.view.spans_at_cursor()
        if spans:
            self.delete(spans[0])

    # -- links -----------------------------------------------------------------

    def link_ids(self, span_ids: list[str]) -> None:
        """Link a claim and a source among ``span_ids`` (or remember one end)."""
        w = self.window
        rel = link_relation(w.project.schema.relations)
        if rel is None:
            return
        spans = [s for s in map(self.span, span_ids) if s is not None]
        pair, pending = pick_pair(rel, spans, self.pending_link)
        if pair is not None:
            self.pending_link = None
            self.link(*pair)
            w.message(tr("Linked."))
        elif pending is not None:
            self.pending_link = pending
            kind = "source" if pending.label == rel.head else "claim"
            w.message(tr("Pick the {kind} to link, then press R again.", kind=tr(kind)))

    def link(self, head: Span, tail: Span) -> None:
        """Link ``head`` (claim) to ``tail`` (source), undoable."""
        rel = link_relation(self.window.project.schema.relations)
        if rel is not None:
            self.window.perform(AddRelation(*self._args(), head.doc_id, head.id, tail.id, rel.name))

    def unlink(self, rel: Relation) -> None:
        """Remove one link (undoable)."""
        self.window.perform(DeleteRelation(*self._args(), rel))

    def unlink_ids(self, rel_ids: list[str]) -> None:
        """Remove links by id."""
        for rel_id in rel_ids:
            rel = self.view.relations.get(rel_id)
            if rel is not None:
                self.unlink(rel)

    # -- notes and flags ---------------------------------------------------------

    def note(self, target: str = "") -> Note:
        """The note on a span (id) or on the document (""), as stored."""
        w = self.window
        return notes.note_of(w.project, w.current.id, w.layer, target)

    def set_note(self, target: str, text: str | None = None, unsure: bool | None = None) -> None:
        """Change the note text and/or the unsure flag of a span or the document."""
        if self.window.current is None:
            return
        before = self.note(target)
        after = Note(
            before.doc_id,
            before.layer,
            target,
            before.text if text is None else text.strip(),
            before.unsure if unsure is None else unsure,
        )
        if after != before:
            self.window.perform(SetNote(*self._args(), before, after))

    def toggle_unsure(self) -> None:
        """Flag the span under the caret "unsure" (or clear the flag)."""
        span = self.view.active_span() or next(iter(self.view.spans_at_cursor()), None)
        if span is None:
            self.window.message(tr("Put the caret inside one span first."))
            return
        self.set_note(span.id, unsure=not self.note(span.id).unsure)

    # -- context menu ---------------------------------------------------------------

    def context_menu(self, cp: int):
        """The context menu for code point ``cp`` of the shown document."""
        w, view = self.window, self.view
        at = view.index.at(cp) if w.current and cp < len(view.text) else []
        return build_context_menu(
            w,
            view.text,
            at,
            view.index.spans.values(),
            list(view.relations.values()),
            link_relation(w.project.schema.relations),
            self.delete,
            self.link,
            self.unlink,
        )
