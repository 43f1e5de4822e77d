"""Corpus figures: documents, clusters, spans per layer and label, progress."""

from __future__ import annotations

from annotator.services.project import Project
from annotator.store import meta, stats


def corpus_stats(project: Project) -> dict:
    """Figures as a JSON-ready dict.

    Shape: {"documents", "clusters", "annotators": {name: role},
    "layers": {layer: {"spans", "relations", "labels": {L: n}, "status": {s: n}}}}
    """
    counts = stats.span_counts(project.store)
    layers: dict[str, dict] = {}
    for layer, label, n in counts:
        entry = layers.setdefault(layer, {"spans": 0, "relations": 0, "labels": {}})
        entry["spans"] += n
        entry["labels"][label] = n
    for layer, n in stats.relation_counts(project.store):
        layers.setdefault(layer, {"spans": 0, "relations": 0, "labels": {}})["relations"] = n
    for layer in stats.progress_layers(project.store):
        layers.setdefault(layer, {"spans": 0, "relations": 0, "labels": {}})
    for layer, entry in layers.items():
        entry["status"] = meta.status_counts(project.store, layer)
    return {
        "documents": stats.document_count(project.store),
        "clusters": stats.cluster_count(project.store),
        "annotators": meta.annotators(project.store),
        "layers": dict(sorted(layers.items())),
    }
