"""Suggested spans for a layer: propagation, attribution cues and plug-ins.

``suggest`` lists what a layer might still be missing; ``accept`` stores one
suggestion as a span with origin ``suggested`` (and its ATTRIBUTED_TO link
once both ends exist); ``reject`` records it so it never comes back.

Plug-ins: any installed distribution may register callables in the entry
point group ``annotator.suggesters``; ``plugin="module:attribute"`` names
one that is not installed. Each is called per document as
``suggester(text, doc_id)``, or with a batch of documents when it has a
``batch_size`` attribute, and may give a score (``services.suggest_plugins``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from importlib.metadata import entry_points
from pathlib import Path

from annotator.core.changes import Changes
from annotator.core.cues import cue_suggestions as _cue_suggestions
from annotator.core.cues import load_cues
from annotator.core.errors import UserError
from annotator.core.model import GOLD
from annotator.core.suggest import Suggestion, build_propagator, propagate
from annotator.services import annotate
from annotator.services.project import Project
from annotator.services.suggest_plugins import Suggester, load_plugin, run_plugin
from annotator.store import documents, meta, spans
from annotator.store import search as search_store
from annotator.store.db import now

ENTRY_POINT_GROUP = "annotator.suggesters"
RELATION = "ATTRIBUTED_TO"


def plugin_suggesters() -> dict[str, Suggester]:
    """The suggesters installed under the ``annotator.suggesters`` entry point group."""
    found: dict[str, Suggester] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found[ep.name] = ep.load()
        except Exception as exc:  # name the broken plug-in instead of a traceback
            raise UserError(f"suggester plug-in {ep.name!r} cannot load: {exc}") from None
    return found


def suggest(
    project: Project,
    layer: str,
    doc_ids: Sequence[str] | None = None,
    *,
    cues_file: Path | None = None,
    extra_suggesters: dict[str, Suggester] | None = None,
    plugins: bool = True,
    plugin: str | None = None,
    min_score: float | None = None,
) -> list[Suggestion]:
    """Suggestions for ``layer`` in the given documents (default: all), in document order.

    Leaves out places the layer already has (same offsets and label) and
    suggestions rejected in this layer. ``plugin`` (an installed plug-in's
    name or ``module:attribute``) gives that plug-in's suggestions only, no
    propagation or cues. ``min_score`` keeps only suggestions scored at least
    that (unscored ones are left out). Raises InputError for a malformed cue
    file, UserError for an unknown document, an unknown or failing plug-in,
    or a plug-in's bad suggestion.
    """
    store = project.store
    if plugin is not None:
        suggesters = dict([load_plugin(plugin, plugin_suggesters())])
        cues, propagator = None, None
    else:
        suggesters = dict(plugin_suggesters() if plugins else {})
        cues = load_cues(cues_file)
        propagator = build_propagator(search_store.labeled_strings(store, layer))
    suggesters.update(extra_suggesters or {})
    skip = search_store.span_keys(store, layer) | search_store.rejected_keys(store, layer)
    docs = list(documents.iter_documents(store, list(doc_ids) if doc_ids is not None else None))
    if doc_ids is not None:
        missing = set(doc_ids) - {d.id for d in docs}
        if missing:
            raise UserError(f"no document {sorted(missing)[0]}")
    by_doc: dict[str, list[Suggestion]] = {}
    for name, suggester in suggesters.items():
        for s in run_plugin(name, suggester, docs, project.schema):
            by_doc.setdefault(s.doc_id, []).append(s)
    out: list[Suggestion] = []
    for doc in docs:
        found = by_doc.get(doc.id, [])
        if propagator is not None and cues is not None:
            found = propagate(doc.id, doc.text, propagator) + found
            found = _cue_suggestions(doc.id, doc.text, cues) + found
        seen: set[tuple[str, int, int, str]] = set()
        for s in sorted(found, key=lambda s: (s.start, s.end, s.label)):
            if s.key in skip or s.key in seen:
                continue
            if min_score is not None and (s.score is None or s.score < min_score):
                continue
            seen.add(s.key)
            out.append(replace(s, layer=layer))
    return out


def accept(project: Project, actor: str, suggestion: Suggestion) -> Changes:
    """Store ``suggestion`` as a span (origin ``suggested``) in its layer.

    When the suggestion carries a link and the other end is already a span of
    the layer, the two are linked with ATTRIBUTED_TO (claim -> source). Returns
    the span and link made (a span the layer already had is looked up again,
    so a second pass can still make its link).
    """
    layer = suggestion.layer or actor
    s = suggestion
    changes = annotate.add_span(
        project, actor, s.doc_id, s.start, s.end, s.label, layer=layer, origin="suggested"
    )
    span = changes.span or spans.find(project.store, s.doc_id, layer, s.start, s.end, s.label)
    rel_type = project.schema.relation(RELATION)
    if span and suggestion.link and rel_type and span.label in (rel_type.head, rel_type.tail):
        other_label = rel_type.tail if span.label == rel_type.head else rel_type.head
        other = spans.find(project.store, span.doc_id, layer, *suggestion.link, other_label)
        if other is not None:
            head, tail = (span, other) if span.label == rel_type.head else (other, span)
            changes |= annotate.add_relation(project, actor, head.id, tail.id, RELATION)
    return changes


def accept_suggestions(
    project: Project, actor: str, suggestions: Sequence[Suggestion], *, layer: str | None = None
) -> int:
    """Accept ``suggestions`` (e.g. a plug-in's) as ``actor``; return how many spans are new.

    A curator accepting into their own layer is registered if new (a layer
    made by a model, say ``spacy``); the gold layer needs a reviewer.
    ``layer`` is checked even when there is nothing to accept.
    """
    layers = {s.layer or actor for s in suggestions} | ({layer} if layer else set())
    if actor in layers and actor != GOLD and annotate.role_of(project, actor) is None:
        annotate.register(project, actor)
    for name in layers:
        annotate.check_write(project, actor, name)
    if not suggestions:
        return 0
    before = {name: search_store.span_keys(project.store, name) for name in layers}
    with project.store.transaction():  # all or nothing, one commit
        accept_all(project, actor, suggestions)
    return sum(len(search_store.span_keys(project.store, name) - before[name]) for name in layers)


def reject(project: Project, actor: str, suggestion: Suggestion) -> Changes:
    """Record that ``suggestion`` is wrong for its layer: it is not suggested again."""
    return reject_all(project, actor, [suggestion])


def reject_all(project: Project, actor: str, suggestions: Sequence[Suggestion]) -> Changes:
    """Reject several suggestions at once (one transaction).

    Rejections change no span, relation or status: the returned ``Changes``
    is empty (views have nothing to redraw).
    """
    if not suggestions:
        return Changes()
    layers = {s.layer or actor for s in suggestions}
    for layer in layers:
        annotate.check_write(project, actor, layer)
    at = now()
    rows = [(s.doc_id, s.layer or actor, s.start, s.end, s.label, actor, at) for s in suggestions]
    with project.store.transaction():
        search_store.add_rejections(project.store, rows)
        for doc_id in sorted({s.doc_id for s in suggestions}):
            meta.log_event(
                project.store,
                actor,
                "reject_suggestions",
                doc_id,
                None,
                [s.as_json() for s in suggestions if s.doc_id == doc_id],
            )
    return Changes()


def accept_all(project: Project, actor: str, suggestions: Sequence[Suggestion]) -> Changes:
    """Accept several suggestions (e.g. all of one kind) in one transaction.

    Links are made once both ends exist. Besides each span's and link's own
    journal entry, one ``accept_suggestions`` entry lists everything the batch
    made, so the workspace can offer the whole batch as one undo step after a
    restart (``gui/session.py``), also for a batch accepted by ``annotator
    suggest --accept``.
    """
    ordered = sorted(suggestions, key=lambda s: s.link is not None)
    changes = Changes()
    with project.store.transaction():
        for s in ordered:
            changes |= accept(project, actor, s)
        for s in ordered:  # second pass: links whose other end was accepted later
            if s.link:
                changes |= accept(project, actor, s)
        if changes.spans_added or changes.relations_added:
            first = (changes.spans_added or changes.relations_added)[0].doc_id
            meta.log_event(
                project.store, actor, annotate.SUGGESTION_BATCH, first, None, batch_json(changes)
            )
    return changes


def batch_json(made: Changes) -> dict:
    """The journal's record of an accepted batch: its new spans and links."""
    return {
        "spans": [s._asdict() for s in made.spans_added],
        "relations": [asdict(r) for r in made.relations_added],
    }


def take_back(project: Project, actor: str, made: Changes) -> Changes:
    """Undo an accepted batch in one transaction: its links, then its spans."""
    new_spans = {s.id for s in made.spans_added}
    out = Changes()
    with project.store.transaction():
        for rel in made.relations_added:  # links between spans the layer had before
            if rel.head not in new_spans and rel.tail not in new_spans:
                out |= annotate.delete_relation(project, actor, rel.id)
        for span in made.spans_added:  # each takes its links along
            out |= annotate.delete_span(project, actor, span.id)
    return out


def put_back(project: Project, actor: str, made: Changes) -> Changes:
    """Redo an accepted batch after ``take_back``: the same spans and links, same ids."""
    out = Changes()
    with project.store.transaction():
        for span in made.spans_added:
            out |= annotate.restore_span(project, actor, span)
        for rel in made.relations_added:
            out |= annotate.restore_relation(project, actor, rel)
    return out
