"""Dataset writers: pure functions from one document layer to JSON records.

Every writer takes a ``LayerDoc`` (a document, one layer's spans and
relations, and that layer's progress status) and returns the records to
write plus counts for the manifest. ``check_layer_doc`` checks every span
against its text before anything is written. ``dumps`` gives the one JSON
line every format uses: UTF-8, ``ensure_ascii=False``, keys in the order
the writer built them, so the same database gives the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from annotator.core.errors import UserError
from annotator.core.model import Document, Note, Relation, Span, check_span_bounds

FORMATS: tuple[str, ...] = (
    "native",
    "doccano",
    "hf-bio",
    "attribution",
    "spacy",
    "conll",
    "labelstudio",
)
OffsetUnit = Literal["codepoint", "utf16"]
OFFSET_UNITS: tuple[str, ...] = ("codepoint", "utf16")

#: Export options that only some formats take (every other option applies to all).
#: The export service refuses an option given to a format not listed; the
#: export dialog shows an option's control only for these formats.
OPTION_FORMATS: dict[str, tuple[str, ...]] = {
    "labels": tuple(f for f in FORMATS if f != "attribution"),
    "offsets": ("doccano", "attribution", "labelstudio"),
    "max_tokens": ("hf-bio", "conll"),
    "negatives": ("attribution",),
}


def option_applies(option: str, fmt: str) -> bool:
    """True when export option ``option`` (an ``ExportOptions`` field) applies to ``fmt``."""
    return fmt in OPTION_FORMATS.get(option, FORMATS)


@dataclass(frozen=True, slots=True)
class LayerDoc:
    """One document seen through one layer: what every writer takes."""

    doc: Document
    layer: str
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    status: str = "todo"
    notes: tuple[Note, ...] = ()


@dataclass
class Rendered:
    """Records of one LayerDoc plus what the manifest counts.

    ``dropped``: spans a format could not hold; ``reopened``: spans cut
    between two records (re-opened with ``B-`` in the next).
    """

    records: list[dict]
    labels: Counter = field(default_factory=Counter)
    dropped: int = 0
    reopened: int = 0


def check_layer_doc(item: LayerDoc) -> None:
    """Raise UserError if a span lies outside its text or a relation dangles."""
    length = len(item.doc.text)
    ids = set()
    for span in item.spans:
        problem = check_span_bounds(length, span.start, span.end)
        if problem:
            raise UserError(
                f"document {item.doc.id}, layer {item.layer}: span {span.id}: {problem}"
            )
        ids.add(span.id)
    for rel in item.relations:
        if rel.head not in ids or rel.tail not in ids:
            raise UserError(
                f"document {item.doc.id}, layer {item.layer}: relation {rel.id} "
                "links a span the layer lacks"
            )


def sorted_spans(spans: tuple[Span, ...] | list[Span]) -> list[Span]:
    """Spans in a fixed order: start, end, label, id."""
    return sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))


def sorted_relations(relations: tuple[Relation, ...] | list[Relation]) -> list[Relation]:
    """Relations in a fixed order: label, head, tail, id."""
    return sorted(relations, key=lambda r: (r.label, r.head, r.tail, r.id))


def keep_labels(item: LayerDoc, labels: frozenset[str] | None) -> LayerDoc:
    """``item`` with only spans of ``labels`` (None: all) and relations between them."""
    if labels is None:
        return item
    spans = tuple(s for s in item.spans if s.label in labels)
    ids = {s.id for s in spans}
    rels = tuple(r for r in item.relations if r.head in ids and r.tail in ids)
    return LayerDoc(item.doc, item.layer, spans, rels, item.status, item.notes)


def dumps(record: dict) -> str:
    """One JSON line (no newline): UTF-8 text, keys in insertion order."""
    return json.dumps(record, ensure_ascii=False)


@dataclass(frozen=True)
class FileShape:
    """How a format's records become a file: suffix, framing and one record's text."""

    suffix: str = ".jsonl"
    head: str = ""
    sep: str = ""
    tail: str = ""
    empty: str = ""  # the whole file when it holds no record
    dump: Callable[[dict], str] = lambda record: dumps(record) + "\n"
    binary: bool = False  # bytes written at once (a spaCy DocBin), no framing


def file_shape(fmt: str) -> FileShape:
    """The file shape of ``fmt``: JSON lines, except CoNLL text and Label Studio's JSON array."""
    if fmt == "conll":
        from annotator.core.formats.conll import conll_text

        return FileShape(".conll", dump=conll_text)
    if fmt == "labelstudio":
        return FileShape(".json", "[\n", ",\n", "\n]\n", "[]\n", dumps)
    if fmt == "spacy":
        return FileShape(".spacy", binary=True)
    return FileShape()
