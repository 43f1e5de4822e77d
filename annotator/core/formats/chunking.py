"""Cutting a document's tagged tokens into model-sized records.

Token exporters (hf-bio, CoNLL) call ``cut_tokens`` with the tokens, their
BIO tags and the sentence starts from ``sentence_starts``. Records end at
sentence boundaries, and never inside a span: a sentence end inside a span
(an abbreviation's dot inside a name) is not a boundary. Whole sentences are
packed greedily up to ``max_tokens``. A sentence longer than that is cut at
the last token boundary outside a span that fits; only when a span itself
runs past the limit is it cut, and the piece in the next record is re-opened
with ``B-`` (``Cut.reopened`` counts these, for a warning).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Characters that end a sentence when a token consists of them only.
SENTENCE_END = frozenset(".!?؟۔…")


@dataclass(frozen=True)
class Cut:
    """Token ranges ``[lo, hi)`` of the records, the tags to write, and re-opened spans.

    ``columns`` holds every tag column written (``tags`` is the first); a
    nested format (CoNLL with one column per nesting level) passes its other
    levels as ``extra`` and gets them back here, re-opened the same way.
    """

    ranges: list[tuple[int, int]]
    tags: list[str]
    reopened: int
    columns: tuple[list[str], ...] = ()


def sentence_starts(text: str, tokens: list[tuple[int, int]]) -> list[int]:
    """Indices of tokens that open a sentence (after an end mark or a line break), 0 first."""
    starts = [0] if tokens else []
    for i in range(1, len(tokens)):
        prev_start, prev_end = tokens[i - 1]
        gap = text[prev_end : tokens[i][0]]
        if "\n" in gap or set(text[prev_start:prev_end]) <= SENTENCE_END:
            starts.append(i)
    return starts


def cut_tokens(
    tags: list[str],
    starts: list[int],
    max_tokens: int | None,
    extra: tuple[list[str], ...] = (),
) -> Cut:
    """Records of at most ``max_tokens`` tokens (None: one record for everything).

    ``extra``: more tag columns of the same tokens (nested levels); no cut
    falls inside a span of any column unless it must.
    """
    n = len(tags)
    columns = (list(tags), *(list(c) for c in extra))
    if max_tokens is None or n <= max_tokens:
        return Cut([(0, n)], columns[0], 0, columns)
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")

    def inside(i: int) -> bool:  # a cut before token i splits a span
        return 0 < i < n and any(c[i].startswith("I-") for c in columns)

    bounds = [s for s in starts if 0 < s < n and not inside(s)]
    sentences = list(zip([0, *bounds], [*bounds, n], strict=True))
    ranges: list[tuple[int, int]] = []
    lo = hi = 0  # the record being packed: tokens [lo, hi)
    for _, s_hi in sentences:
        if s_hi - lo <= max_tokens:
            hi = s_hi
            continue
        if hi > lo:
            ranges.append((lo, hi))
            lo = hi
        while s_hi - lo > max_tokens:
            limit = lo + max_tokens
            cut = next((c for c in range(limit, lo, -1) if not inside(c)), limit)
            ranges.append((lo, cut))
            lo = cut
        hi = s_hi
    if hi > lo:
        ranges.append((lo, hi))
    reopened = 0
    for r_lo, _ in ranges[1:]:
        for column in columns:
            if column[r_lo].startswith("I-"):
                column[r_lo] = "B-" + column[r_lo][2:]
                reopened += 1
    return Cut(ranges, columns[0], reopened, columns)
