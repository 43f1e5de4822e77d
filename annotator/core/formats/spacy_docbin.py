"""spaCy DocBin export (``--format spacy``); spaCy is an optional extra.

Each document layer becomes one ``Doc`` whose text is the document text
unchanged (``doc.text == text``, same character offsets). Its words are the
hf-bio tokens (``core.tokens``), split at every span edge, plus the runs of
whitespace between them (one plain space is the previous word's trailing
space, as spaCy's own tokenizer does), so every span is a whole number of
tokens: "تونس" tagged inside "وتونس" is the word "تونس" after the word "و".
spaCy's own Arabic tokenizer (``spacy.blank("ar")``) splits only some
proclitics, so gold that leaves a clitic out does not align with it.

- ``doc.ents``: the entity-kind spans, overlaps resolved as
  ``spacy.util.filter_spans`` does (the longest wins; ties: the earlier);
  the others are counted as dropped.
- ``doc.spans["sc"]``: every exported span, overlaps kept (for spancat).
- ``doc.user_data``: document id, layer, title, source, cluster, status,
  and each span's origin (``spans``: start, end, label, origin).
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from annotator.core.errors import UserError
from annotator.core.formats import LayerDoc, Rendered, sorted_spans
from annotator.core.formats.hfbio import choose_spans
from annotator.core.tokens import split_at, tokenize

SPAN_KEY = "sc"


def require_spacy():
    """The ``spacy`` module, or UserError saying how to install it."""
    try:
        import spacy
    except ImportError:
        raise UserError(
            "--format spacy needs spaCy: pip install 'annotator[spacy]' (or pip install spacy)"
        ) from None
    return spacy


def words_and_spaces(
    text: str, starts: set[int], ends: set[int]
) -> tuple[list[str], list[bool], list[int]]:
    """spaCy words, trailing-space flags and word start offsets covering ``text`` exactly."""
    cuts = starts | ends
    tokens = split_at(tokenize(text), cuts)
    words: list[str] = []
    spaces: list[bool] = []
    offsets: list[int] = []

    def gap(lo: int, hi: int) -> None:
        edges = sorted({lo, hi} | {c for c in cuts if lo < c < hi})
        for a, b in pairwise(edges):
            piece = text[a:b]
            attach = words and not spaces[-1] and offsets[-1] + len(words[-1]) == a
            if piece == " " and attach and a not in starts and b not in ends:
                spaces[-1] = True
            elif piece[:1] == " " and attach and a not in starts and a + 1 not in ends:
                spaces[-1] = True
                words.append(piece[1:])
                spaces.append(False)
                offsets.append(a + 1)
            else:
                words.append(piece)
                spaces.append(False)
                offsets.append(a)

    pos = 0
    for start, end in tokens:
        if start > pos:
            gap(pos, start)
        words.append(text[start:end])
        spaces.append(False)
        offsets.append(start)
        pos = end
    if pos < len(text):
        gap(pos, len(text))
    return words, spaces, offsets


def spacy_doc(vocab, item: LayerDoc, entity_labels: frozenset[str]):
    """The ``Doc`` of one document layer and its ``Rendered`` counts (no records)."""
    from spacy.tokens import Doc

    text = item.doc.text
    spans = sorted_spans(item.spans)
    words, spaces, _ = words_and_spaces(text, {s.start for s in spans}, {s.end for s in spans})
    doc = Doc(vocab, words=words, spaces=spaces)
    assert doc.text == text, "spaCy words must cover the text exactly"
    kept, dropped = choose_spans([s for s in spans if s.label in entity_labels])
    doc.ents = [doc.char_span(s.start, s.end, label=s.label) for s in kept]
    doc.spans[SPAN_KEY] = [doc.char_span(s.start, s.end, label=s.label) for s in spans]
    doc.user_data["id"] = item.doc.id
    doc.user_data["layer"] = item.layer
    for key in ("title", "source", "cluster"):
        doc.user_data[key] = getattr(item.doc, key)
    doc.user_data["status"] = item.status
    doc.user_data["spans"] = [[s.start, s.end, s.label, s.origin] for s in spans]
    return doc, Rendered([], Counter(s.label for s in spans), dropped)
