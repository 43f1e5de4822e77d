"""Label Studio tasks (JSON): one task per document, for NER and relation projects.

A task is ``{"data": {"text", "doc_id", "title", "source", …meta}, "annotations":
[{"result": [...], "ground_truth": …}, …], "meta": {"layers", "statuses"}}``
with one annotation per exported layer, named in order by ``meta.layers``; each
span is a ``labels`` result (``value.start``/``end``/``text``/``labels``) and
each relation a ``relation`` result (``from_id`` → ``to_id``, ``direction``
``right``, ``labels``). ``from_name``/``to_name`` are ``label``/``text``, as in
Label Studio's Named Entity Recognition template (see docs/formats.md for
the labelling config). Offsets are code points (what Label Studio stores
since its emoji fix) or UTF-16 code units for older versions. The file is
one JSON array: Label Studio imports it as it is, and so does
``annotator import``.
"""

from __future__ import annotations

from collections import Counter

from annotator.core.formats import LayerDoc, OffsetUnit, Rendered, sorted_relations, sorted_spans
from annotator.core.model import GOLD
from annotator.core.offsets import OffsetIndex

FROM_NAME = "label"
TO_NAME = "text"
_SKIP_META = ("cluster", "status")


def labelstudio_task(item: LayerDoc, offsets: OffsetUnit = "codepoint") -> dict:
    """The Label Studio task of one document layer."""
    doc = item.doc
    text = doc.text
    index = OffsetIndex(text) if offsets == "utf16" else None
    conv = index.to_utf16 if index else int
    result: list[dict] = []
    for s in sorted_spans(item.spans):
        value = {
            "start": conv(s.start),
            "end": conv(s.end),
            "text": text[s.start : s.end],
            "labels": [s.label],
        }
        result.append(
            {
                "id": s.id,
                "from_name": FROM_NAME,
                "to_name": TO_NAME,
                "type": "labels",
                "value": value,
            }
        )
    for r in sorted_relations(item.relations):
        result.append(
            {
                "from_id": r.head,
                "to_id": r.tail,
                "type": "relation",
                "direction": "right",
                "labels": [r.label],
            }
        )
    data: dict = {"text": text, "doc_id": doc.id, "title": doc.title, "source": doc.source}
    for key in sorted(doc.meta):
        if key not in data and key not in _SKIP_META:
            data[key] = doc.meta[key]
    annotation = {"result": result, "ground_truth": item.layer == GOLD}
    return {
        "data": data,
        "annotations": [annotation],
        "meta": {"layers": [item.layer], "statuses": [item.status]},
    }


def merge_tasks(tasks: list[dict]) -> dict:
    """One task of a document from its layers' tasks: one annotation per layer, in order."""
    first = tasks[0]
    return {
        "data": first["data"],
        "annotations": [a for t in tasks for a in t["annotations"]],
        "meta": {
            "layers": [x for t in tasks for x in t["meta"]["layers"]],
            "statuses": [x for t in tasks for x in t["meta"]["statuses"]],
        },
    }


def render_labelstudio(item: LayerDoc, offsets: OffsetUnit = "codepoint") -> Rendered:
    """One task and its label counts."""
    return Rendered([labelstudio_task(item, offsets)], Counter(s.label for s in item.spans))
