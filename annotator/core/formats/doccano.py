"""doccano's sequence-labelling JSONL: ``{"id", "text", "label", "meta"}``.

``label`` is ``[[start, end, "LABEL"], …]`` in code points (the Python
convention, default) or UTF-16 code units (what doccano's own UI counts:
use ``utf16`` for files meant to be loaded into doccano). ``meta`` holds the
layer, title, source, cluster and status, then the document's other meta
(keys sorted). doccano projects
must allow overlapping spans, or it silently drops some of them.
"""

from __future__ import annotations

from collections import Counter

from annotator.core.formats import LayerDoc, OffsetUnit, Rendered, sorted_spans
from annotator.core.offsets import OffsetIndex


def doccano_record(item: LayerDoc, offsets: OffsetUnit = "codepoint") -> dict:
    """The doccano record of one document layer, offsets in ``offsets`` units."""
    doc = item.doc
    spans = sorted_spans(item.spans)
    if offsets == "utf16":
        index = OffsetIndex(doc.text)
        label = [[index.to_utf16(s.start), index.to_utf16(s.end), s.label] for s in spans]
    else:
        label = [[s.start, s.end, s.label] for s in spans]
    meta = {"layer": item.layer, "title": doc.title, "source": doc.source}
    meta |= {"cluster": doc.cluster, "status": item.status}
    for key in sorted(doc.meta):  # what the document was imported with: url, author, date, …
        meta.setdefault(key, doc.meta[key])
    return {"id": doc.id, "text": doc.text, "label": label, "meta": meta}


def render_doccano(item: LayerDoc, offsets: OffsetUnit = "codepoint") -> Rendered:
    """One doccano record and its label counts."""
    return Rendered([doccano_record(item, offsets)], Counter(s.label for s in item.spans))
