"""What a write changed: the one value every writing service returns.

The GUI runs every edit through one path that hands the returned ``Changes``
to every view (one signal), so no widget refreshes another by hand. A service
that wrote nothing returns ``Changes()``, which is falsy.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from annotator.core.model import Note, Relation, Span

#: (doc_id, layer, status) as stored in ``progress``.
StatusChange = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Changes:
    """Spans, relations, statuses, decisions, notes, documents and labels a write touched.

    ``spans_changed`` holds the spans as they are *after* the write (same id,
    new label or edges). ``decisions`` holds the ids of documents whose review
    decisions changed.
    """

    spans_added: tuple[Span, ...] = ()
    spans_removed: tuple[Span, ...] = ()
    spans_changed: tuple[Span, ...] = ()
    relations_added: tuple[Relation, ...] = ()
    relations_removed: tuple[Relation, ...] = ()
    statuses: tuple[StatusChange, ...] = ()
    documents_added: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    #: names of labels added or edited (their colour, names or key)
    labels: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        """True when anything at all was written."""
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def anything_new(self) -> bool:
        """Same as ``bool(changes)``: spelled out for readers of the GUI code."""
        return bool(self)

    def __or__(self, other: Changes) -> Changes:
        """Both changes, in order (``a | b``): for a command made of several writes."""
        return Changes(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def span(self) -> Span | None:
        """The first span added (else changed): what a one-span edit made."""
        return next(iter(self.spans_added or self.spans_changed), None)

    @property
    def relation(self) -> Relation | None:
        """The first relation added: what a one-link edit made."""
        return next(iter(self.relations_added), None)

    def documents(self) -> set[str]:
        """Ids of every document the write touched."""
        ids: set[str] = set(self.documents_added) | set(self.decisions)
        for group in (self.spans_added, self.spans_removed, self.spans_changed):
            ids.update(s.doc_id for s in group)
        for rels in (self.relations_added, self.relations_removed):
            ids.update(r.doc_id for r in rels)
        ids.update(doc for doc, _layer, _status in self.statuses)
        ids.update(n.doc_id for n in self.notes)
        return ids

    def layers(self) -> set[str]:
        """Layers whose spans, relations or statuses the write touched."""
        found: set[str] = {layer for _doc, layer, _status in self.statuses}
        found.update(n.layer for n in self.notes)
        for group in (self.spans_added, self.spans_removed, self.spans_changed):
            found.update(s.layer for s in group)
        for rels in (self.relations_added, self.relations_removed):
            found.update(r.layer for r in rels)
        return found
