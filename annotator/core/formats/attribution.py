"""Claim–source attribution records: one per claim span.

A record holds the claim (text and offsets), the source it is linked to by
the attribution relation (``ATTRIBUTED_TO``; null when unlinked; the
earliest source when several are linked, the others in ``other_sources``)
and the sentence around the claim (text and offsets). Offsets are into the
document text, code points by default or UTF-16 code units.
"""

from __future__ import annotations

import re
from collections import Counter

from annotator.core.formats import LayerDoc, OffsetUnit, Rendered, sorted_spans
from annotator.core.model import Span
from annotator.core.offsets import OffsetIndex

# Sentence ends: . ! ? Arabic question mark, Urdu full stop, ellipsis, newline.
_END = re.compile(r"[.!?؟۔…\n]+")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the sentence(s) holding ``text[start:end]``, spaces trimmed.

    A sentence runs from just after the previous end mark to its own end
    mark (included); a span crossing a mark gets every sentence it touches.
    """
    lo = 0
    for m in _END.finditer(text, 0, start):
        lo = m.end()
    m = _END.search(text, max(end - 1, start))
    hi = len(text) if m is None else (m.end() if text[m.start()] != "\n" else m.start())
    hi = max(hi, end)
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def attribution_records(
    item: LayerDoc,
    claim_label: str,
    relation_label: str,
    *,
    offsets: OffsetUnit = "codepoint",
    with_layer: bool = False,
) -> Rendered:
    """One record per ``claim_label`` span of ``item``; counts claims and linked sources."""
    text = item.doc.text
    index = OffsetIndex(text) if offsets == "utf16" else None
    by_id = {s.id: s for s in item.spans}
    linked: dict[str, list[Span]] = {}
    for rel in item.relations:
        if rel.label == relation_label and rel.head in by_id and rel.tail in by_id:
            linked.setdefault(rel.head, []).append(by_id[rel.tail])

    def piece(start: int, end: int) -> dict:
        conv = index.to_utf16 if index else int
        return {"text": text[start:end], "start": conv(start), "end": conv(end)}

    records: list[dict] = []
    counts: Counter = Counter()
    for claim in sorted_spans([s for s in item.spans if s.label == claim_label]):
        sources = sorted_spans(linked.get(claim.id, []))
        counts[claim.label] += 1
        record: dict = {"id": f"{item.doc.id}/{claim.id}", "doc_id": item.doc.id}
        if with_layer:
            record["layer"] = item.layer
        record["claim"] = piece(claim.start, claim.end)
        record["source"] = None
        if sources:
            counts[sources[0].label] += 1
            record["source"] = piece(sources[0].start, sources[0].end)
        record["other_sources"] = [piece(s.start, s.end) for s in sources[1:]]
        record["sentence"] = piece(*sentence_bounds(text, claim.start, claim.end))
        records.append(record)
    return Rendered(records, counts)
