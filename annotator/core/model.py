"""Domain objects: frozen dataclasses shared by every layer.

Offsets are Unicode code points into the stored document text, ``start``
inclusive, ``end`` exclusive, in logical (reading) order whatever the display
direction: ``text[start:end]`` is the span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

LabelKind = Literal["entity", "claim", "source"]
Status = Literal["todo", "in_progress", "done", "skipped"]
Origin = Literal["manual", "suggested", "imported", "adjudicated"]

STATUSES: tuple[Status, ...] = ("todo", "in_progress", "done", "skipped")
GOLD = "gold"


@dataclass(frozen=True, slots=True)
class Document:
    """One article: immutable text plus what import learnt about it."""

    id: str
    text: str
    title: str = ""
    source: str = ""
    cluster: str = ""
    meta: dict = field(default_factory=dict, compare=False, hash=False)


class Span(NamedTuple):
    """A labelled stretch of a document in one layer.

    Immutable like the other domain objects, but a NamedTuple rather than a
    frozen dataclass: opening a document builds thousands of spans, and a
    frozen dataclass costs four times as much to construct.
    """

    id: str
    doc_id: str
    layer: str
    start: int
    end: int
    label: str
    origin: Origin = "manual"
    updated_at: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        """(start, end, label): what makes two spans "the same" across layers."""
        return (self.start, self.end, self.label)


@dataclass(frozen=True, slots=True)
class Relation:
    """A directed link between two spans of one layer (claim -> source)."""

    id: str
    doc_id: str
    layer: str
    label: str
    head: str
    tail: str


@dataclass(frozen=True, slots=True)
class Note:
    """A curator's note and "unsure" flag on a span (``target`` = span id) or a document ("")."""

    doc_id: str
    layer: str
    target: str = ""
    text: str = ""
    unsure: bool = False

    @property
    def empty(self) -> bool:
        """True when there is neither text nor a flag (nothing to store)."""
        return not self.text and not self.unsure


@dataclass(frozen=True, slots=True)
class Label:
    """A span label of the project's schema."""

    name: str
    kind: LabelKind
    name_en: str
    name_ar: str
    color: str
    shortcut: str


@dataclass(frozen=True, slots=True)
class RelationType:
    """A relation label and the span labels it connects."""

    name: str
    head: str
    tail: str
    name_en: str
    name_ar: str
    shortcut: str = ""


def check_span_bounds(text_length: int, start: object, end: object) -> str | None:
    """Return why (start, end) is not a valid span of a text that long, or None."""
    if type(start) is not int or type(end) is not int:
        return f"offsets must be integers, got {_short(start)} and {_short(end)}"
    if start < 0 or end > text_length:
        return f"span [{_short(start)}, {_short(end)}) is outside the text (length {text_length})"
    if end <= start:
        return f"span [{_short(start)}, {_short(end)}) has end <= start"
    return None


def _short(value: object, limit: int = 24) -> str:
    """``repr(value)`` cut for a message (a huge integer stays one short line)."""
    try:
        text = repr(value)
    except ValueError:  # an integer too long to convert
        return f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
