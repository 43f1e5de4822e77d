"""Imported span edges moved out to whole grapheme clusters.

A span edge never falls inside a grapheme cluster (``core.tokens``): a
letter and its haraka, an emoji ZWJ sequence, a flag are one character to a
reader, and an exporter that cuts tokens at span edges would otherwise split
them. Files from other tools often end a span between a letter and its
diacritic ("مُحَمَّ" + "دٌ" cut after the dal), so import does not refuse such
spans: ``widen_record`` moves each edge that falls inside a cluster outward
(the start back to the cluster's start, the end on to its end) and counts the
edges it moved. Widening never empties a span; two spans that become the same
(start, end, label) are one span in the store (its key), and relations and
notes follow them by that key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import regex

from annotator.core.records import RawSpan, Record
from annotator.core.tokens import ceil_edge, floor_edge

#: Characters between which UAX #29 always breaks (GB4, GB5, GB999): ``Other``,
#: ``Control`` and ``LF``. Arabic letters, Latin, digits, spaces and most
#: punctuation are ``Other``; marks (Extend), ZWJ, regional indicators,
#: Prepend, CR and Hangul jamo are not.
_PLAIN = regex.compile(r"[\p{GCB=Other}\p{GCB=Control}\p{GCB=LF}]")


_NOT_PLAIN = regex.compile(r"[^\p{GCB=Other}\p{GCB=Control}\p{GCB=LF}]")


def all_plain(text: str) -> bool:
    """True when every edge in ``text`` is a cluster edge (no marks, joiners, flags…)."""
    return _NOT_PLAIN.search(text) is None


@lru_cache(maxsize=4096)
def _plain(ch: str) -> bool:
    return _PLAIN.fullmatch(ch) is not None


def is_edge(text: str, pos: int) -> bool:
    """True when ``pos`` (0 <= pos <= len(text)) falls between two grapheme clusters."""
    if pos <= 0 or pos >= len(text):
        return True
    if _plain(text[pos - 1]) and _plain(text[pos]):
        return True  # the fast answer for almost every edge
    return floor_edge(text, pos) == pos


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) with each edge inside a cluster moved outward to the cluster's edge."""
    if not is_edge(text, start):
        start = floor_edge(text, start)
    if not is_edge(text, end):
        end = ceil_edge(text, end)
    return start, end


def widen_spans(text: str, spans: Sequence[RawSpan]) -> tuple[tuple[RawSpan, ...], int]:
    """``spans`` of ``text`` with edges widened, and how many edges were moved."""
    moved, out, n, plain = 0, None, len(text), _plain
    for i, span in enumerate(spans):
        a, b = span.start, span.end
        # The fast answer for almost every span: plain characters on both sides of both edges.
        if (a == 0 or (plain(text[a - 1]) and plain(text[a]))) and (
            b == n or (plain(text[b - 1]) and plain(text[b]))
        ):
            if out is not None:
                out.append(span)
            continue
        start, end = widen(text, a, b)
        k = (start != a) + (end != b)
        if k:
            if out is None:
                out = list(spans[:i])
            moved += k
            out.append(span._replace(start=start, end=end))
        elif out is not None:
            out.append(span)
    return (tuple(spans) if out is None else tuple(out)), moved


def widen_record(rec: Record) -> tuple[Record, int]:
    """``rec`` with its span edges widened to whole clusters, and how many edges were moved.

    Span indices are kept, so the record's relations still point at the same
    spans; refs are kept, so its notes do too.
    """
    if not rec.spans:
        return rec, 0
    spans, moved = widen_spans(rec.text, rec.spans)
    return (replace(rec, spans=spans) if moved else rec), moved


def widen_records(records: list[Record]) -> tuple[list[Record], int, int | None]:
    """``records`` widened; the number of edges moved and the line of the first record moved."""
    moved, first = 0, None
    out = records
    for i, rec in enumerate(records):
        new, n = widen_record(rec)
        if n:
            if out is records:
                out = list(records)
            out[i] = new
            moved += n
            if first is None:
                first = rec.line
    return out, moved, first
