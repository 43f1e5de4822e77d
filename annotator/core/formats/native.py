"""The native JSONL record (DESIGN §5): one document layer per line.

Keys come in a fixed order: id, text, layer, spans (id, start, end, label,
text), relations (label, head, tail), meta (title, source, cluster, status,
then the document's other meta keys in sorted order). Offsets are code
points. The same record imports back unchanged.
"""

from __future__ import annotations

from collections import Counter

from annotator.core.formats import LayerDoc, Rendered, sorted_relations, sorted_spans

_FIXED_META = ("title", "source", "cluster", "status", "notes")


def native_record(item: LayerDoc) -> dict:
    """The native record of one document layer."""
    doc = item.doc
    text = doc.text
    spans = [
        {
            "id": s.id,
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "text": text[s.start : s.end],
        }
        for s in sorted_spans(item.spans)
    ]
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
