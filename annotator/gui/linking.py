"""Choosing what to link and the article's context menu (claim → source).

Pure decisions over spans and the schema's relation types; the window turns
them into undoable commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.model import Relation, RelationType, Span
from annotator.gui.i18n import tr


def link_relation(relations: Iterable[RelationType]) -> RelationType | None:
    """The relation type the R key makes (the one with shortcut R, else the first)."""
    rels = list(relations)
    return next((r for r in rels if r.shortcut.upper() == "R"), rels[0] if rels else None)


def pick_pair(
    rel: RelationType, spans: list[Span], pending: Span | None
) -> tuple[tuple[Span, Span] | None, Span | None]:
    """Decide a (head, tail) pair from the spans under the selection.

    Returns (pair to link or None, span to remember as pending or None). A
    selection touching a head (claim) and a tail (source) links them; a
    single end waits for the other end (``pending``) from a second R.
    """
    heads = [s for s in spans if s.label == rel.head]
    tails = [s for s in spans if s.label == rel.tail]
    if heads and tails:
        return (heads[-1], tails[0]), None
    if pending is not None:
        if pending.label == rel.head and tails:
            return (pending, tails[0]), None
        if pending.label == rel.tail and heads:
            return (heads[0], pending), None
    one = (heads or tails or [None])[0]
    return None, one


def _short(text: str, span: Span, limit: int = 40) -> str:
    s = text[span.start : span.end].replace("\n", " ")
    return s if len(s) <= limit else s[: limit - 1] + "…"


def build_context_menu(
    parent: QWidget,
    text: str,
    at: list[Span],
    all_spans: Iterable[Span],
    relations: Iterable[Relation],
    rel: RelationType | None,
    on_delete: Callable[[Span], None],
    on_link: Callable[[Span, Span], None],
    on_unlink: Callable[[Relation], None],
) -> QMenu:
    """The menu for the spans under the mouse: delete, link to a claim/source, unlink."""
    menu = QMenu(parent)
    all_spans = list(all_spans)
    by_id = {s.id: s for s in all_spans}
    for span in at:
        menu.addAction(
            tr("Delete {label}: {text}", label=span.label, text=_short(text, span)),
            lambda s=span: on_delete(s),
        )
    if rel is not None:
        for span in at:
            if span.label == rel.head:
                for tail in (s for s in all_spans if s.label == rel.tail):
                    menu.addAction(
                        tr("Attribute to: {text}", text=_short(text, tail)),
                        lambda h=span, t=tail: on_link(h, t),
                    )
            if span.label == rel.tail:
                for head in (s for s in all_spans if s.label == rel.head):
                    menu.addAction(
                        tr("Attributes: {text}", text=_short(text, head)),
                        lambda h=head, t=span: on_link(h, t),
                    )
    ids = {s.id for s in at}
    for r in relations:
        if (r.head in ids or r.tail in ids) and r.head in by_id and r.tail in by_id:
            label = f"{_short(text, by_id[r.head], 20)} → {_short(text, by_id[r.tail], 20)}"
            menu.addAction(f"{tr('Remove link')}: {label}", lambda x=r: on_unlink(x))
    return menu
