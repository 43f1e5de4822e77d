"""Native JSONL records of a layer (DESIGN §5): the round trip of import."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import UserError
from annotator.services.project import Project
from annotator.store import documents, meta, spans


def native_records(project: Project, layer: str) -> Iterator[dict]:
    """One native record per document, with the layer's spans and relations.

    Keys come in the fixed order of DESIGN §5; spans sort by (start, end,
    label); the output is the same for the same database.
    """
    for doc in documents.iter_documents(project.store):
        layer_spans = spans.for_document(project.store, doc.id, layer)
        layer_rels = spans.relations_for(project.store, doc.id, layer)
        yield {
            "id": doc.id,
            "text": doc.text,
            "layer": layer,
            "spans": [
                {
                    "id": s.id,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "text": doc.text[s.start : s.end],
                }
                for s in layer_spans
            ],
            "relations": [
                {"label": r.label, "head": r.head, "tail": r.tail}
                for r in sorted(layer_rels, key=lambda r: (r.head, r.tail, r.label))
            ],
            "meta": {
                "title": doc.title,
                "source": doc.source,
                "cluster": doc.cluster,
                "status": meta.status(project.store, doc.id, layer),
                **{k: v for k, v in doc.meta.items() if k not in ("title", "source", "status")},
            },
        }


def export_native(project: Project, layer: str, out: str | Path) -> int:
    """Write the layer as native JSONL to ``out`` (atomically); return record count."""
    out = Path(out)
    if layer not in spans.layers(project.store) and layer != "gold":
        raise UserError(f"no layer {layer!r} in this database")
    count = 0
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", dir=out.parent or ".")
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for record in native_records(project, layer):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
