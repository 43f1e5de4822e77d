"""The export manifest: what a dataset holds and where it came from.

Built from plain values so the same database and options give the same
bytes: no times, no absolute paths, floats rounded to four places.
"""

from __future__ import annotations

import json

from annotator.core.labels import Schema


def rounded(value: object, places: int = 4) -> object:
    """``value`` with every float inside it rounded to ``places``."""
    if isinstance(value, float):
        return round(value, places)
    if isinstance(value, dict):
        return {k: rounded(v, places) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v, places) for v in value]
    return value


def bio_tag_names(labels: list[str]) -> list[str]:
    """Every BIO tag of ``labels``: ``O`` then ``B-`` and ``I-`` of each label in order."""
    return ["O"] + [f"{bi}-{lab}" for lab in labels for bi in ("B", "I")]


def build_manifest(
    *,
    fmt: str,
    version: str,
    content_sha256: str,
    layer: str,
    status: str | None,
    labels: list[str],
    offsets: str | None,
    split: dict | None,
    counts: dict,
    schema: Schema,
    dropped: int = 0,
    agreement: dict | None = None,
    agreement_layers: list[str] | None = None,
) -> dict:
    """The manifest dict, keys in a fixed order.

    ``counts`` maps split name (``all`` without splits) to documents,
    records and per-label counts. ``agreement`` is given when several
    curator layers exist (``agreement_layers``); if it could not be
    computed, a note says so instead.
    """
    manifest: dict = {
        "format": fmt,
        "tool": {"name": "annotator", "version": version},
        "database": {"content_sha256": content_sha256},
        "layer": layer,
        "status": status,
        "labels": labels,
        "offsets": offsets,
    }
    if fmt == "hf-bio":
        manifest["tags"] = bio_tag_names(labels)
        manifest["dropped_overlapping"] = dropped
    manifest["split"] = split
    manifest["counts"] = counts
    manifest["schema"] = {
        "labels": [{"name": lab.name, "kind": lab.kind} for lab in schema.labels],
        "relations": [{"name": r.name, "head": r.head, "tail": r.tail} for r in schema.relations],
    }
    if agreement_layers and len(agreement_layers) >= 2:
        if agreement is not None:
            manifest["agreement"] = {"layers": agreement_layers, **rounded(agreement)}
        else:
            manifest["agreement"] = None
            manifest["agreement_note"] = "agreement figures could not be computed"
    return manifest


def dumps_manifest(manifest: dict) -> str:
    """The manifest as indented UTF-8 JSON with a final newline."""
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
