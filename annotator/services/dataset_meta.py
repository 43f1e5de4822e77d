"""What an export says about itself: manifest, features, warnings, and spaCy DocBins.

Helpers of ``services.datasets.export_dataset``, kept apart so that module
stays one job (choosing and writing records).
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from annotator import __version__
from annotator.core.formats import LayerDoc, Rendered
from annotator.core.formats.features import (
    MetaTypes,
    attribution_features,
    doccano_features,
    hfbio_features,
    labelstudio_features,
    native_features,
)
from annotator.core.formats.manifest import bio_tag_names, build_manifest
from annotator.core.formats.native import has_flags
from annotator.core.formats.spacy_docbin import require_spacy, spacy_doc
from annotator.services.project import Project
from annotator.store import export as store_export

if TYPE_CHECKING:
    from annotator.services.datasets import ExportOptions, ExportReport, _Plan


def command_line(o: ExportOptions) -> str:
    """The ``annotator export`` command that makes this export (for the dataset card)."""
    args = ["annotator", "export", "--format", o.format, "--layer", o.layer]
    if o.status:
        args += ["--status", o.status]
    if o.labels is not None:
        args += ["--labels", ",".join(o.labels)]
    if o.split:
        args += ["--split", o.split, "--seed", str(o.seed)]
    if o.offsets != "codepoint":
        args += ["--offsets", o.offsets]
    if o.max_tokens is not None:
        args += ["--max-tokens", str(o.max_tokens)]
    if o.negatives:
        args.append("--negatives")
    if o.license:
        args += ["--license", o.license]
    args += ["--out", o.out.name]
    return shlex.join(args)


def nothing_to_export(p: _Plan, documents: int) -> str:
    """The refusal of an export that would write no record."""
    what = f"layer {p.options.layer}"
    if p.options.status:
        what += f" with status {p.options.status}"
    if not documents:
        return f"nothing to export: no document in {what}"
    return f"nothing to export: no {p.claim_label or 'record'} in {documents} document(s) of {what}"


def export_warnings(p: _Plan, counts: dict, empty: list[str]) -> list[str]:
    """What the user should hear about an export that still succeeds."""
    out = []
    if not any(c["labels"] for c in counts.values()):
        labels = ", ".join(p.labels)
        out.append(f"layer {p.options.layer} has no {labels} span in the exported documents")
    for name in empty:
        out.append(f"split {name} received no record: {name} file not written")
    return out


def export_features(p: _Plan, types: MetaTypes | None) -> dict | None:
    """The ``datasets.Features`` dict of the written records (None for spaCy).

    ``types`` has seen the varying dict field of every record written
    (``core.formats.features.OPEN_FIELDS``).
    """
    fmt, with_layer = p.options.format, p.layers is None
    extra = types.features() if types is not None else {}
    if fmt == "native":
        return native_features(extra, flags=has_flags())
    if fmt == "doccano":
        return doccano_features(extra)
    if fmt == "hf-bio":
        return hfbio_features(bio_tag_names(list(p.labels)), with_layer=with_layer)
    if fmt == "attribution":
        return attribution_features(with_layer=with_layer)
    if fmt == "labelstudio":  # a JSON array: load_dataset("json") reads it too
        return labelstudio_features(extra)
    return None


def export_manifest(
    project: Project, p: _Plan, counts: dict, report: ExportReport, curators: list[str], agreement
) -> dict:
    """The manifest of this export (see ``core.formats.manifest``)."""
    o = p.options
    split = None
    if p.splits:
        split = {"seed": o.seed, "ratios": dict(p.splits), "unit": "document"}
        split["grouping"] = "near-duplicate clusters kept in one split"
    manifest = build_manifest(
        fmt=o.format,
        version=__version__,
        content_sha256=store_export.content_hash(project.store),
        layer=o.layer,
        status=o.status,
        labels=list(p.labels),
        offsets=None if o.format in ("hf-bio", "conll", "spacy") else o.offsets,
        split=split,
        counts=counts,
        schema=project.schema,
        dropped=report.dropped,
        agreement=agreement,
        agreement_layers=curators,
    )
    manifest["license"] = o.license
    if o.format in ("hf-bio", "conll"):
        manifest["max_tokens"] = o.max_tokens
        manifest["reopened_spans"] = report.reopened
    if o.format == "attribution":
        manifest["negatives"] = o.negatives
    if o.format == "spacy":
        manifest["entity_labels"] = [lab for lab in p.labels if lab in p.entity_labels]
        manifest["dropped_overlapping"] = report.dropped
    return manifest


class DocBins:
    """One spaCy DocBin per split, filled document by document."""

    def __init__(self, entity_labels: frozenset[str]) -> None:
        spacy = require_spacy()
        from spacy.tokens import DocBin

        self._vocab = spacy.vocab.Vocab()
        self._bins: dict[str, DocBin] = {}
        self._new = lambda: DocBin(store_user_data=True)
        self._entities = entity_labels

    def add(self, split: str, item: LayerDoc) -> Rendered:
        """Add the Doc of ``item`` to ``split``; return its counts."""
        doc, rendered = spacy_doc(self._vocab, item, self._entities)
        self._bins.setdefault(split, self._new()).add(doc)
        return rendered

    def to_bytes(self, split: str) -> bytes:
        """The serialised DocBin of ``split``."""
        return self._bins[split].to_bytes()
