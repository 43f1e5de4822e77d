"""Finding a query in a batch of texts at once: one fold, one scan, one offset map.

``find_many`` gives, text by text, what ``core.search.find`` gives, with far
less Python work per text. The batch is folded in one vectorised pass (the
table of ``arabic.normalize_many``), joined by a separator no match can hold
(it is neither a word character nor whitespace, and a query holding it is
found text by text), scanned once by the query's matchers, and every match is
mapped back to original offsets through one index array: folded character
``i`` of the batch is original character ``kept[i]``. Texts whose folding
changes length or depends on context (ligatures, the superscript alef, rare
astral letters) and queries with folding options go through ``find`` one by
one, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.arabic import _LUT_DELETED, extend_end, fold_codes
from annotator.core.search import Query, _matches, find

#: Joins the texts of a batch: never ``\\w`` or ``\\s``, so no match spans two texts.
SEPARATOR = "\x00"


def find_many(
    texts: Sequence[str], query: Query, limit: int | None = None
) -> list[list[tuple[int, int]]]:
    """``find(text, query)`` of each text, up to ``limit`` hits in all (in text order).

    Text ``i`` gets at most what is left of ``limit`` after texts ``0 … i-1``,
    exactly as calling ``find(text, query, remaining)`` text after text.
    """
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    if query.pattern is None or not texts:
        return out
    if query.taa_marbuta or query.hamza or SEPARATOR in query.text:
        return _one_by_one(texts, query, limit, out)
    import numpy as np  # here, not at the top: the GUI starts faster without it

    mapped, slow = fold_codes(SEPARATOR.join(texts))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths + 1) - 1  # the separator after each text
    starts = ends - lengths
    keep = mapped != _LUT_DELETED
    slow_texts = set(np.searchsorted(ends, np.flatnonzero(slow), side="right").tolist())
    for i in slow_texts:  # found one by one below; nothing of them in the joined scan
        keep[starts[i] : ends[i]] = False
    kept = np.flatnonzero(keep)
    joined = mapped[kept].astype("<u4").tobytes().decode("utf-32-le")
    found = _matches(joined, query)
    per_text: dict[int, list[tuple[int, int]]] = {}
    if found:
        spans = np.array(found, dtype=np.int64)
        folded_starts = np.searchsorted(kept, starts)
        which = np.searchsorted(folded_starts, spans[:, 0], side="right") - 1
        base = starts[which]
        first = (kept[spans[:, 0]] - base).tolist()
        last = (kept[spans[:, 1] - 1] - base + 1).tolist()
        for i, a, b in zip(which.tolist(), first, last, strict=True):
            per_text.setdefault(i, []).append((a, b))
    remaining = limit
    for i, text in enumerate(texts):
        if remaining is not None and remaining <= 0:
            break
        if i in slow_texts:
            hits = find(text, query, remaining)
        else:
            hits = _extended(text, per_text.get(i, [])[:remaining])
        out[i] = hits
        if remaining is not None:
            remaining -= len(hits)
    return out


def _extended(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each end moved over the marks on its last letter, repeats dropped."""
    hits: list[tuple[int, int]] = []
    for a, b in spans:
        hit = (a, extend_end(text, b))
        if not hits or hits[-1] != hit:
            hits.append(hit)
    return hits


def _one_by_one(
    texts: Sequence[str], query: Query, limit: int | None, out: list[list[tuple[int, int]]]
) -> list[list[tuple[int, int]]]:
    remaining = limit
    for i, text in enumerate(texts):
        if remaining is not None and remaining <= 0:
            break
        out[i] = find(text, query, remaining)
        if remaining is not None:
            remaining -= len(out[i])
    return out
