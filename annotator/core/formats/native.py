"""The native JSONL record (DESIGN §5): one document layer per line.

Keys come in a fixed order: id, text, layer, spans (id, start, end, label,
text, origin, and flags when spans carry them), relations (label, head,
tail), meta (title, source, cluster, status, then the document's other meta
keys in sorted order). Offsets are code
points. The same record imports back unchanged.
"""

from __future__ import annotations

from collections import Counter

from annotator.core.formats import LayerDoc, Rendered, sorted_relations, sorted_spans
from annotator.core.model import Span

_FIXED_META = ("title", "source", "cluster", "status", "notes")


def native_record(item: LayerDoc) -> dict:
    """The native record of one document layer."""
    doc = item.doc
    text = doc.text
    spans = [_span(s, text) for s in sorted_spans(item.spans)]
    relations = [
        {"label": r.label, "head": r.head, "tail": r.tail} for r in sorted_relations(item.relations)
    ]
    meta = {"title": doc.title, "source": doc.source, "cluster": doc.cluster, "status": item.status}
    notes = _notes(item)
    if notes:
        meta["notes"] = notes
    for key in sorted(doc.meta):
        if key not in _FIXED_META:
            meta[key] = doc.meta[key]
    return {
        "id": doc.id,
        "text": text,
        "layer": item.layer,
        "spans": spans,
        "relations": relations,
        "meta": meta,
    }


def span_flags(span: Span) -> list[str]:
    """The span's review flags, sorted (none when the span model has no flags)."""
    flags = getattr(span, "flags", None) or ()
    return sorted(f for f in (flags.split(",") if isinstance(flags, str) else flags) if f)


def has_flags() -> bool:
    """True when the span model carries flags (every native span then has a list)."""
    return "flags" in getattr(Span, "_fields", ())


def _span(s: Span, text: str) -> dict:
    out = {"id": s.id, "start": s.start, "end": s.end, "label": s.label}
    out["text"] = text[s.start : s.end]
    out["origin"] = s.origin
    if has_flags():
        out["flags"] = span_flags(s)
    return out


def _notes(item: LayerDoc) -> list[dict]:
    """The layer's notes and flags: the document's (``span`` null) and its spans', by span id."""
    ids = {s.id for s in item.spans}
    out = []
    for note in sorted(item.notes, key=lambda n: n.target):
        if note.target and note.target not in ids:
            continue  # a note left on a deleted span
        out.append({"span": note.target or None, "note": note.text, "unsure": note.unsure})
    return out


def render_native(item: LayerDoc) -> Rendered:
    """One native record and its label counts."""
    return Rendered([native_record(item)], Counter(s.label for s in item.spans))
