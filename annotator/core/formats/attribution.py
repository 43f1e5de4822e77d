"""Claim–source attribution records for fact-checking work: one per claim span.

A record holds the article's metadata (title, url, date, outlet), the claim
(text and offsets), the source linked to it by the attribution relation
(``ATTRIBUTED_TO``; null when unlinked; the earliest source when several
are linked, the others in ``other_sources``) with the entity type of the
entity span that stands for it (``_entity_type``), the cue words that introduce the speech
(a reporting verb or a source cue of ``resources/cues.txt`` in the claim's
sentence, nearest the source), whether the speech is ``direct`` (quoted) or
``indirect``, and the sentence around the claim. Claims and sources carry
their span's ``origin`` (manual, suggested, imported, adjudicated). Every piece has document
offsets (code points by default, or UTF-16 code units) and offsets relative
to the sentence (null for a piece outside it). ``claim_id`` is stable: a
hash of the document id and the claim's code-point offsets, the same in
every layer and every export. ``check_worthiness`` and ``verdict`` are left
empty for the fact-checkers (as in CLEF CheckThat!). With ``negatives``,
every sentence that holds no claim is a record too, with ``has_claim``
false and no claim.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from annotator.core.arabic import normalize, original_span
from annotator.core.cues import CueSet
from annotator.core.formats import LayerDoc, OffsetUnit, Rendered, sorted_spans
from annotator.core.model import Span
from annotator.core.offsets import OffsetIndex

# Sentence ends: . ! ? Arabic question mark, Urdu full stop, ellipsis, newline.
_END = re.compile(r"[.!?؟۔…\n]+")
_QUOTES = frozenset("\"'“”«»„‘’‹›")
#: Document meta keys read for each article field, first present wins.
ARTICLE_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "url": ("url", "source_url"),
    "date": ("date", "published"),
    "outlet": ("outlet", "sitename", "site", "hostname"),
}


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


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


def sentences(text: str) -> list[tuple[int, int]]:
    """Every non-blank sentence of ``text`` as (start, end), cut as ``sentence_bounds`` cuts."""
    out = []
    pos = 0
    for m in _END.finditer(text):
        hi = m.end() if text[m.start()] != "\n" else m.start()
        lo, hi = _trim(text, pos, hi)
        if hi > lo:
            out.append((lo, hi))
        pos = m.end()
    lo, hi = _trim(text, pos, len(text))
    if hi > lo:
        out.append((lo, hi))
    return out


def claim_id(doc_id: str, start: int, end: int) -> str:
    """A stable id of a claim: ``c_`` and 16 hex digits of SHA-256 over document and offsets."""
    return "c_" + hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


def cue_places(text: str, cues: CueSet | None) -> list[tuple[int, int]]:
    """(start, end) of every reporting verb and source cue in ``text``, in text order."""
    if cues is None:
        return []
    norm, offset_map = normalize(text)
    found = set()
    for cue in (*cues.speech, *cues.sources):
        for m in cue.pattern.finditer(norm):
            if m.end() > m.start():
                found.add(_trim(text, *original_span(text, offset_map, m.start(), m.end())))
    return sorted(found)


def speech_kind(text: str, start: int, end: int) -> str:
    """``direct`` when the claim is between quotation marks (inside or just outside), else
    ``indirect``."""
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    opens = before in _QUOTES or text[start] in _QUOTES
    closes = after in _QUOTES or text[end - 1] in _QUOTES
    return "direct" if opens and closes else "indirect"


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0] - b[1], b[0] - a[1], 0)


def _entity_type(source: Span, entities: list[Span]) -> str | None:
    """Label of the entity span that best stands for ``source``.

    First an entity starting where the source starts (Arabic noun phrases
    are head-first: "وزارة الخارجية في المملكة المغربية" is an ORG, not the
    LOC inside it), then the largest overlap, the longer, the earlier.
    """
    best = None
    best_key: tuple = (False, 0, 0, 0)
    for e in entities:
        overlap = min(e.end, source.end) - max(e.start, source.start)
        key = (e.start == source.start, overlap, e.end - e.start, -e.start)
        if overlap > 0 and key > best_key:
            best, best_key = e, key
    return best.label if best else None


def attribution_records(
    item: LayerDoc,
    claim_label: str,
    relation_label: str,
    *,
    offsets: OffsetUnit = "codepoint",
    with_layer: bool = False,
    entity_labels: frozenset[str] = frozenset(),
    cues: CueSet | None = None,
    negatives: bool = False,
) -> Rendered:
    """One record per ``claim_label`` span of ``item`` (and per claim-free sentence with
    ``negatives``); counts claims and linked sources."""
    doc = item.doc
    text = doc.text
    index = OffsetIndex(text) if offsets == "utf16" else None
    conv = index.to_utf16 if index else int
    by_id = {s.id: s for s in item.spans}
    entities = [s for s in item.spans if s.label in entity_labels]
    linked: dict[str, list[Span]] = {}
    for rel in item.relations:
        if rel.label == relation_label and rel.head in by_id and rel.tail in by_id:
            linked.setdefault(rel.head, []).append(by_id[rel.tail])
    places = cue_places(text, cues)
    article = {
        key: next((str(doc.meta[k]) for k in keys if doc.meta.get(k)), None)
        for key, keys in ARTICLE_KEYS.items()
    }
    article["title"] = doc.title or article["title"]

    def piece(start: int, end: int, sentence: tuple[int, int] | None = None) -> dict:
        out = {"text": text[start:end], "start": conv(start), "end": conv(end)}
        if sentence is not None:
            inside = sentence[0] <= start and end <= sentence[1]
            base = conv(sentence[0])
            out["sentence_start"] = conv(start) - base if inside else None
            out["sentence_end"] = conv(end) - base if inside else None
        return out

    def _source(span: Span, out: dict) -> dict:
        return out | {"entity_type": _entity_type(span, entities), "origin": span.origin}

    def head(rid: str, cid: str) -> dict:
        record: dict = {"id": rid, "claim_id": cid, "doc_id": doc.id}
        if with_layer:
            record["layer"] = item.layer
        record["article"] = dict(article)
        return record

    records: list[dict] = []
    counts: Counter = Counter()
    claims = sorted_spans([s for s in item.spans if s.label == claim_label])
    for claim in claims:
        sources = sorted_spans(linked.get(claim.id, []))
        counts[claim.label] += 1
        sent = sentence_bounds(text, claim.start, claim.end)
        record = head(f"{doc.id}/{claim.id}", claim_id(doc.id, claim.start, claim.end))
        record["has_claim"] = True
        record["claim"] = piece(claim.start, claim.end, sent) | {"origin": claim.origin}
        record["source"] = None
        if sources:
            counts[sources[0].label] += 1
            record["source"] = _source(sources[0], piece(sources[0].start, sources[0].end, sent))
        record["other_sources"] = [_source(s, piece(s.start, s.end, sent)) for s in sources[1:]]
        near = (sources[0].start, sources[0].end) if sources else (claim.start, claim.end)
        in_sentence = [
            p
            for p in places
            if sent[0] <= p[0] and p[1] <= sent[1] and _gap(p, (claim.start, claim.end)) > 0
        ]
        cue = min(in_sentence, key=lambda p: (_gap(p, near), p), default=None)
        record["cue"] = piece(*cue, sent) if cue else None
        record["speech"] = speech_kind(text, claim.start, claim.end)
        record["sentence"] = piece(*sent)
        record["check_worthiness"] = None
        record["verdict"] = None
        records.append(record)
    if negatives:
        records += _negatives(item, claims, head, piece)
        records.sort(key=lambda r: r["sentence"]["start"])  # stable: claims keep their order
    return Rendered(records, counts)


def _negatives(item: LayerDoc, claims: list[Span], head, piece) -> list[dict]:
    """Records of the sentences that no claim touches."""
    out = []
    text = item.doc.text
    for lo, hi in sentences(text):
        if any(c.start < hi and lo < c.end for c in claims):
            continue
        record = head(f"{item.doc.id}/sentence-{lo}", claim_id(item.doc.id, lo, hi))
        record["has_claim"] = False
        record |= {"claim": None, "source": None, "other_sources": [], "cue": None}
        record |= {"speech": None, "sentence": piece(lo, hi)}
        record |= {"check_worthiness": None, "verdict": None}
        out.append(record)
    return out
