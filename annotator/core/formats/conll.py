"""CoNLL / IOB export: one token per line, IOB2 tags, a blank line between sentences.

Each document starts with a ``-DOCSTART-`` line and ``# key = value``
comments (``doc_id``, ``layer``, ``title``, ``source``, ``status``, then the
document's other meta, keys sorted), so the file imports back into the same
documents and layer (``annotator import --format conll``). Tags: one column
per nesting level, greedily: a span goes to the first column whose spans it
does not overlap, outer (longer) spans first, so overlapping and nested
spans are all kept. Tokens are ``core.tokens`` tokens (punctuation its own
token), or the text's space-separated tokens for documents imported from
CoNLL (``meta.tokens == "whitespace"``), split at every span edge.
Sentences end at a line break or after ``. ! ? ؟ … ۔``, never inside a span.
Relations cannot be written and are counted as dropped; a document without
a token gives no record. ``max_tokens`` regroups a document's tokens into
blocks of at most that many (``core.formats.chunking.cut_tokens``, every tag
column at once): blocks end at sentence ends, never inside a span unless a
span is longer than the room left, whose next piece is re-opened with ``B-``;
each block is one blank-line-separated sequence, preceded by a
``# sent_id = <doc id>/<n>`` comment.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter

from annotator.core.formats import LayerDoc, Rendered, sorted_spans
from annotator.core.formats.chunking import cut_tokens
from annotator.core.tokens import split_at, tokenize

_WS_TOKEN = re.compile(r"\S+")
_SENTENCE_END = frozenset(".!?؟…۔")
_SKIP_META = ("cluster", "tokens", "status", "title", "source")


def conll_tokens(text: str, meta: dict, cuts: set[int]) -> list[tuple[int, int]]:
    """Token offsets of ``text`` split at ``cuts`` (see the module docstring)."""
    if meta.get("tokens") == "whitespace":
        base = [m.span() for m in _WS_TOKEN.finditer(text)]
    else:
        base = tokenize(text)
    return split_at(base, cuts)


def _columns(spans: list) -> dict[str, int]:
    """Column of each span id: the first whose spans end before it starts."""
    ends: list[int] = []
    out: dict[str, int] = {}
    for s in sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.id)):
        for c, last in enumerate(ends):
            if last <= s.start:
                ends[c] = s.end
                out[s.id] = c
                break
        else:
            out[s.id] = len(ends)
            ends.append(s.end)
    return out


def _header(item: LayerDoc) -> list[tuple[str, str]]:
    doc = item.doc
    pairs = [("doc_id", doc.id), ("layer", item.layer)]
    pairs += [("title", doc.title), ("source", doc.source), ("status", item.status)]
    for key in sorted(doc.meta):
        if key in _SKIP_META or "=" in key or not key.strip() or key.startswith("#"):
            continue
        value = doc.meta[key]
        pairs.append(
            (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        )
    return [(k, " ".join(str(v).split())) for k, v in pairs if str(v).strip()]


def conll_record(item: LayerDoc, max_tokens: int | None = None) -> tuple[dict, Counter, int, int]:
    """The record of one document layer: header pairs and sentences of (token, tags).

    Returns (record, label counts of the spans written, spans or relations
    dropped, spans re-opened by ``max_tokens``).
    """
    text = item.doc.text
    spans = sorted_spans(item.spans)
    tokens = conll_tokens(text, item.doc.meta, {s.start for s in spans} | {s.end for s in spans})
    column = _columns(spans)
    width = max([1, *(c + 1 for c in column.values())])
    tags = [["O"] * width for _ in tokens]
    starts = [t[0] for t in tokens]
    inside = [False] * (len(tokens) + 1)  # inside[i]: tokens i-1 and i share a span
    counts: Counter = Counter()
    dropped = len(item.relations)
    for s in spans:
        i = first = bisect.bisect_left(starts, s.start)
        while i < len(tokens) and tokens[i][1] <= s.end:
            tags[i][column[s.id]] = ("B-" if i == first else "I-") + s.label
            if i > first:
                inside[i] = True
            i += 1
        if i == first:
            dropped += 1  # only spaces: no token to tag
        else:
            counts[s.label] += 1
    whitespace = item.doc.meta.get("tokens") == "whitespace"
    starts_at = [0] if tokens else []
    for i in range(1, len(tokens)):
        gap = text[tokens[i - 1][1] : tokens[i][0]]
        prev = text[tokens[i - 1][0] : tokens[i - 1][1]]
        if not inside[i] and ("\n" in gap or (not whitespace and prev in _SENTENCE_END)):
            starts_at.append(i)
    record: dict = {"id": item.doc.id, "header": _header(item)}
    reopened = 0
    if not tokens:
        ranges = []
    elif max_tokens is None:
        ranges = list(zip(starts_at, [*starts_at[1:], len(tokens)], strict=True))
    else:
        cut = cut_tokens([t[0] for t in tags], starts_at, max_tokens, extra=_levels(tags)[1:])
        ranges, reopened = cut.ranges, cut.reopened
        tags = [list(row) for row in zip(*cut.columns, strict=True)]
        record["sent_ids"] = [f"{item.doc.id}/{n}" for n in range(len(ranges))]
    record["sentences"] = [
        [[text[s:e], tags[i]] for i, (s, e) in enumerate(tokens[lo:hi], lo)] for lo, hi in ranges
    ]
    return record, counts, dropped, reopened


def _levels(tags: list[list[str]]) -> tuple[list[str], ...]:
    """The tag columns of per-token tag rows."""
    return tuple(list(c) for c in zip(*tags, strict=True)) if tags else ([],)


def render_conll(item: LayerDoc, max_tokens: int | None = None) -> Rendered:
    """One CoNLL record, its label counts, what could not be written, re-opened spans.

    A document without a token (only spaces or direction marks) has no lines
    to write and gives no record.
    """
    record, counts, dropped, reopened = conll_record(item, max_tokens)
    return Rendered([record] if record["sentences"] else [], counts, dropped, reopened)


def conll_text(record: dict) -> str:
    """The lines of one record: ``-DOCSTART-``, comments, a blank line, sentences."""
    width = len(record["sentences"][0][0][1]) if record["sentences"] else 1
    lines = [" ".join(["-DOCSTART-", *["O"] * width])]
    lines += [f"# {key} = {value}" for key, value in record["header"]]
    sent_ids = record.get("sent_ids")
    for n, sentence in enumerate(record["sentences"]):
        lines.append("")
        if sent_ids:
            lines.append(f"# sent_id = {sent_ids[n]}")
        lines += [" ".join([token, *tags]) for token, tags in sentence]
    return "\n".join(lines) + "\n\n"
