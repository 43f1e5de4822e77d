"""Token BIO tags for Hugging Face token classification.

A record is ``{"id", "tokens", "ner_tags"}`` with string tags (``B-PER``,
``I-PER``, ``O``). Tokens cover every visible character, whole grapheme
clusters (``core.tokens.tokenize``), and are split at every edge of an exported span
(``split_at``), so "الرباط" tagged inside "بالرباط" is a token of its own.
BIO cannot nest: of overlapping spans the longest is kept (ties: the
earlier, then by label) and the others are counted as dropped.
"""

from __future__ import annotations

from collections import Counter

from annotator.core.formats import LayerDoc, Rendered
from annotator.core.model import Span
from annotator.core.tokens import split_at, tokenize


def choose_spans(spans: tuple[Span, ...] | list[Span]) -> tuple[list[Span], int]:
    """Non-overlapping spans, longest first; return them by position and the dropped count."""
    kept: list[Span] = []
    dropped = 0
    by_length = sorted(spans, key=lambda s: (s.start - s.end, s.start, s.label, s.id))
    for span in by_length:
        if any(span.start < k.end and k.start < span.end for k in kept):
            dropped += 1
        else:
            kept.append(span)
    kept.sort(key=lambda s: s.start)
    return kept, dropped


def bio_tags(text: str, spans: list[Span]) -> tuple[list[tuple[int, int]], list[str], list[Span]]:
    """Token offsets and tags of ``text`` for non-overlapping ``spans``.

    Returns (tokens, tags, spans that hold no token, e.g. only spaces).
    """
    cuts = {s.start for s in spans} | {s.end for s in spans}
    tokens = split_at(tokenize(text), cuts)
    tags = ["O"] * len(tokens)
    empty: list[Span] = []
    i = 0
    for span in spans:  # ordered by start, non-overlapping
        while i < len(tokens) and tokens[i][0] < span.start:
            i += 1
        first = True
        while i < len(tokens) and tokens[i][1] <= span.end:
            tags[i] = ("B-" if first else "I-") + span.label
            first = False
            i += 1
        if first:
            empty.append(span)
    return tokens, tags, empty


def hfbio_record(item: LayerDoc, *, with_layer: bool = False) -> tuple[dict, Counter, int]:
    """The BIO record of one document layer, the kept label counts and the dropped count.

    The caller has already narrowed ``item`` to the labels to tag.
    ``with_layer`` adds a ``layer`` field (for exports of several layers).
    """
    kept, dropped = choose_spans(item.spans)
    text = item.doc.text
    tokens, tags, empty = bio_tags(text, kept)
    record: dict = {"id": item.doc.id}
    if with_layer:
        record["layer"] = item.layer
    record["tokens"] = [text[s:e] for s, e in tokens]
    record["ner_tags"] = tags
    empty_ids = {s.id for s in empty}
    counts = Counter(s.label for s in kept if s.id not in empty_ids)
    return record, counts, dropped + len(empty)


def render_hfbio(item: LayerDoc, *, with_layer: bool = False) -> Rendered:
    """One BIO record, its label counts and how many spans were dropped."""
    record, counts, dropped = hfbio_record(item, with_layer=with_layer)
    return Rendered([record], counts, dropped)
