"""Dataset export: the one place that writes native, doccano, hf-bio and attribution files.

``export_dataset(project, options, progress)`` checks every argument before
touching the disk, streams the chosen document layers through a pure writer
(``core.formats``), splits by document with near-duplicate clusters kept
together (``core.splits``), and writes each file under a temporary name in
the target folder, renaming only when everything succeeded: an error or a
cancel leaves no file behind. The same database and options give the same
bytes. A ``manifest.json`` (or ``<name>.manifest.json`` next to a single
file) records format, labels, counts, database hash, seed and offsets unit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import agreement
from annotator.core.cues import CueSet, load_cues
from annotator.core.errors import UserError
from annotator.core.formats import (
    FORMATS,
    OFFSET_UNITS,
    OPTION_FORMATS,
    LayerDoc,
    Rendered,
    check_layer_doc,
    file_shape,
    keep_labels,
    option_applies,
)
from annotator.core.formats.attribution import attribution_records
from annotator.core.formats.card import render_card
from annotator.core.formats.conll import render_conll
from annotator.core.formats.doccano import render_doccano
from annotator.core.formats.features import observe_records, open_field_types
from annotator.core.formats.hfbio import render_hfbio
from annotator.core.formats.labelstudio import merge_tasks, render_labelstudio
from annotator.core.formats.native import native_record, render_native
from annotator.core.formats.spacy_docbin import require_spacy
from annotator.core.model import GOLD, STATUSES, Document
from annotator.core.splits import assign_splits, parse_split
from annotator.services.dataset_meta import (
    DocBins,
    command_line,
    export_features,
    export_manifest,
    export_warnings,
    nothing_to_export,
)
from annotator.services.outputs import OutputFiles
from annotator.services.project import Project
from annotator.store import documents, meta, spans
from annotator.store import export as store_export

ALL_LAYERS = "all"
ATTRIBUTION_RELATION = "ATTRIBUTED_TO"
MAX_TOKEN_FORMATS = OPTION_FORMATS["max_tokens"]
#: progress(done, total, what) -> keep going? (False cancels; nothing is written)
Progress = Callable[[int, int, str], bool]
_PROGRESS_EVERY = 200


@dataclass(frozen=True)
class ExportOptions:
    """What to export and where; see ``docs/export.md``."""

    format: str
    out: Path
    layer: str = GOLD
    status: str | None = None
    labels: tuple[str, ...] | None = None
    split: str | None = None
    seed: int = 0
    offsets: str = "codepoint"
    max_tokens: int | None = None  # hf-bio, conll: records of at most this many tokens
    negatives: bool = False  # attribution: claim-free sentences as records too
    license: str | None = None  # for the manifest and the dataset card


@dataclass
class ExportReport:
    """What an export wrote."""

    files: list[str] = field(default_factory=list)
    manifest: str = ""
    documents: int = 0
    records: int = 0
    dropped: int = 0
    reopened: int = 0
    counts: dict = field(default_factory=dict)
    cancelled: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The JSON shape printed by ``annotator export``."""
        return {
            "files": self.files,
            "manifest": self.manifest,
            "documents": self.documents,
            "records": self.records,
            "dropped_overlapping": self.dropped,
            "reopened_spans": self.reopened,
            "counts": self.counts,
            "cancelled": self.cancelled,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class _Plan:
    """Checked options."""

    options: ExportOptions
    layers: tuple[str, ...] | None  # None: every layer
    labels: tuple[str, ...]  # labels written (sorted by schema order)
    label_filter: frozenset[str] | None
    splits: list[tuple[str, float]] | None
    claim_label: str = ""
    entity_labels: frozenset[str] = frozenset()
    cues: CueSet | None = None


def choices(project: Project) -> dict[str, list[str]]:
    """What the export dialog offers: formats, layers, statuses, labels, offsets units."""
    layers = sorted(set(spans.layers(project.store)) | set(meta.annotators(project.store)))
    return {
        "formats": list(FORMATS),
        "layers": [GOLD, *[n for n in layers if n != GOLD], ALL_LAYERS],
        "statuses": list(STATUSES),
        "labels": [lab.name for lab in project.schema.labels],
        "offsets": list(OFFSET_UNITS),
    }


def plan(project: Project, options: ExportOptions) -> _Plan:
    """Check ``options`` against the project; raise UserError naming the first problem."""
    if options.format not in FORMATS:
        raise UserError(f"unknown format {options.format!r} (use {', '.join(FORMATS)})")
    if options.offsets not in OFFSET_UNITS:
        raise UserError(f"unknown offsets unit {options.offsets!r} (use codepoint or utf16)")
    if options.offsets != "codepoint" and not option_applies("offsets", options.format):
        raise UserError(
            f"--offsets utf16 applies to doccano, attribution and labelstudio, not {options.format}"
        )
    if options.max_tokens is not None:
        if not option_applies("max_tokens", options.format):
            raise UserError(f"--max-tokens applies to hf-bio and conll, not {options.format}")
        if type(options.max_tokens) is not int or options.max_tokens < 1:
            raise UserError(f"--max-tokens must be a positive integer, got {options.max_tokens!r}")
    if options.negatives and not option_applies("negatives", options.format):
        raise UserError(f"--negatives applies to attribution, not {options.format}")
    if options.format == "spacy":
        require_spacy()
    if options.status is not None and options.status not in STATUSES:
        raise UserError(f"unknown status {options.status!r} (use {', '.join(STATUSES)})")
    known = set(spans.layers(project.store)) | set(meta.annotators(project.store)) | {GOLD}
    if options.layer != ALL_LAYERS and options.layer not in known:
        names = ", ".join(sorted(known))
        raise UserError(f"unknown layer {options.layer!r} (layers: {names}, or all)")
    schema = project.schema
    order = [lab.name for lab in schema.labels]
    if options.labels is not None:
        unknown = [lab for lab in options.labels if lab not in order]
        if unknown or not options.labels:
            raise UserError(f"unknown label {(unknown or [''])[0]!r} (labels: {', '.join(order)})")
    claim_label = ""
    if options.format == "attribution":
        if options.labels is not None:
            raise UserError("--labels does not apply to attribution (claims and their sources)")
        rel = schema.relation(ATTRIBUTION_RELATION)
        if rel is None:
            raise UserError(f"the label schema has no {ATTRIBUTION_RELATION} relation")
        claim_label, chosen = rel.head, [rel.head, rel.tail]
    elif options.labels is not None:
        chosen = [lab for lab in order if lab in options.labels]
    elif options.format == "hf-bio":
        chosen = [lab.name for lab in schema.labels if lab.kind == "entity"]
    else:
        chosen = order
    label_filter = None if chosen == order and options.format != "hf-bio" else frozenset(chosen)
    if options.format == "attribution":
        label_filter = None  # entity spans give the sources' entity types
    splits = parse_split(options.split) if options.split else None
    layers = None if options.layer == ALL_LAYERS else (options.layer,)
    entity = frozenset(lab.name for lab in schema.labels if lab.kind == "entity")
    if options.format == "spacy":
        entity &= frozenset(chosen)
    cues = load_cues() if options.format == "attribution" else None
    return _Plan(options, layers, tuple(chosen), label_filter, splits, claim_label, entity, cues)


def export_dataset(
    project: Project, options: ExportOptions, progress: Progress | None = None
) -> ExportReport:
    """Write the dataset ``options`` describe; return what was written.

    Raises UserError (nothing written) for bad options, an unwritable output,
    a span that does not fit its text, or an export with no record at all. A
    split that receives no record is not written (``report.warnings`` says
    so, the manifest lists it in ``empty_splits``); nor is an empty layer
    silent. A ``progress`` callback returning False cancels: nothing is
    written and the report says ``cancelled``.
    """
    p = plan(project, options)
    store = project.store
    pairs = _selected_pairs(project, p)
    doc_ids = list(dict.fromkeys(d for d, _ in pairs))
    clusters = dict(store_export.document_index(store))
    names = [n for n, _ in p.splits] if p.splits else ["all"]
    if p.splits:
        where = assign_splits(((d, clusters[d]) for d in doc_ids), p.splits, options.seed)
    else:
        where = dict.fromkeys(doc_ids, "all")
    curators = sorted({layer for _, layer in store_export.layer_pairs(store)} - {GOLD})
    want_agreement = len(curators) >= 2
    report = ExportReport()
    counts = {n: {"documents": 0, "records": 0, "labels": Counter()} for n in names}
    origins: Counter = Counter()
    agreement_input: tuple[dict, dict] = ({}, {})
    open_types = open_field_types(options.format)
    docbins = DocBins(p.entity_labels) if options.format == "spacy" else None
    total = len(doc_ids)
    shape = file_shape(options.format)
    with OutputFiles(options.out, names if p.splits else None, shape, database=store.path) as out:
        read_layers = None if want_agreement else p.layers
        layer_notes = _notes_by_layer(project, p.layers)
        annotated = store_export.iter_annotated(store, read_layers, set(doc_ids))
        for done, (doc, by_layer, rels) in enumerate(annotated, 1):
            if want_agreement:
                _collect_agreement(agreement_input, doc, by_layer, curators)
            split = where[doc.id]
            counts[split]["documents"] += 1
            records: list[dict] = []
            for layer in pairs[doc.id]:
                item = LayerDoc(
                    doc,
                    layer,
                    tuple(by_layer.get(layer, ())),
                    tuple(rels.get(layer, ())),
                    pairs.status(doc.id, layer),
                    layer_notes.get((doc.id, layer), ()),
                )
                check_layer_doc(item)
                item = keep_labels(item, p.label_filter)
                if docbins is not None:
                    rendered = docbins.add(split, item)
                    counts[split]["records"] += 1
                else:
                    rendered = _render(p, item)
                    records.extend(rendered.records)
                origins.update(s.origin for s in item.spans)
                counts[split]["labels"].update(rendered.labels)
                report.dropped += rendered.dropped
                report.reopened += rendered.reopened
            if options.format == "labelstudio" and records:  # one task, one annotation per layer
                records = [merge_tasks(records)]
            if records:
                out.write(split, records)
                observe_records(options.format, records, open_types)
                counts[split]["records"] += len(records)
            tick = done % _PROGRESS_EVERY == 0 or done == total
            if progress and tick and not progress(done, total, "exporting"):
                report.cancelled = True
                return report
        for c in counts.values():
            c["labels"] = {lab: c["labels"][lab] for lab in p.labels if c["labels"][lab]}
        empty = [n for n in names if not counts[n]["records"]]
        if len(empty) == len(names):
            raise UserError(nothing_to_export(p, total))
        report.warnings += export_warnings(p, counts, empty)
        if docbins is not None:
            for name in names:
                if name not in empty:
                    out.write_bytes(name, docbins.to_bytes(name))
        agreement = _agreement(project, agreement_input, curators) if want_agreement else None
        files = {n: out.names[n] for n in names if n not in empty}
        manifest = export_manifest(project, p, counts, report, curators, agreement)
        manifest |= {"empty_splits": empty, "files": files}
        manifest["origins"] = {k: origins[k] for k in sorted(origins)}
        manifest["features"] = export_features(p, open_types)
        out.write_manifest(manifest)
        out.write_card(render_card(manifest, command_line(options)))
        report.files, report.manifest = out.commit(skip=set(empty))
    report.documents = len(doc_ids)
    report.records = sum(c["records"] for c in counts.values())
    report.counts = counts
    return report


class _Pairs(dict):
    """doc_id -> layers to export (sorted), plus each pair's status."""

    def __init__(self, statuses: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self._statuses = statuses

    def status(self, doc_id: str, layer: str) -> str:
        return self._statuses.get((doc_id, layer), "todo")

    def __iter__(self) -> Iterator[tuple[str, str]]:  # type: ignore[override]
        return ((d, layer) for d, layers in self.items() for layer in layers)


def _selected_pairs(project: Project, p: _Plan) -> _Pairs:
    """The (document, layer) pairs to export, documents in import order.

    One layer: every document (or those with ``--status``). ``all``: each
    layer that has spans or a status on a document.
    """
    store = project.store
    pairs = _Pairs(store_export.statuses(store, p.layers))
    status = p.options.status
    if p.layers is not None:
        layer = p.layers[0]
        for doc_id, _ in store_export.document_index(store):
            if status is None or pairs.status(doc_id, layer) == status:
                pairs[doc_id] = [layer]
        return pairs
    by_doc: dict[str, list[str]] = {}
    for doc_id, layer in store_export.layer_pairs(store):
        if status is None or pairs.status(doc_id, layer) == status:
            by_doc.setdefault(doc_id, []).append(layer)
    for doc_id, _ in store_export.document_index(store):
        if doc_id in by_doc:
            pairs[doc_id] = sorted(by_doc[doc_id])
    return pairs


def _render(p: _Plan, item: LayerDoc) -> Rendered:
    fmt, with_layer = p.options.format, p.layers is None
    if fmt == "native":
        return render_native(item)
    if fmt == "doccano":
        return render_doccano(item, p.options.offsets)  # type: ignore[arg-type]
    if fmt == "hf-bio":
        return render_hfbio(item, with_layer=with_layer, max_tokens=p.options.max_tokens)
    if fmt == "conll":
        return render_conll(item, p.options.max_tokens)
    if fmt == "labelstudio":
        return render_labelstudio(item, p.options.offsets)  # type: ignore[arg-type]
    return attribution_records(
        item,
        p.claim_label,
        ATTRIBUTION_RELATION,
        offsets=p.options.offsets,  # type: ignore[arg-type]
        with_layer=with_layer,
        entity_labels=p.entity_labels,
        cues=p.cues,
        negatives=p.options.negatives,
    )


def _collect_agreement(acc: tuple[dict, dict], doc, by_layer: dict, curators: list[str]) -> None:
    texts, annotations = acc
    keyed = {n: [(s.start, s.end, s.label) for s in by_layer[n]] for n in curators if n in by_layer}
    if len(keyed) >= 2:
        texts[doc.id] = doc.text
        annotations[doc.id] = keyed


def _agreement(project: Project, acc: tuple[dict, dict], curators: list[str]) -> dict | None:
    """Agreement of the curator layers over the exported documents (rounded)."""
    texts, annotations = acc
    kinds = {lab.name: lab.kind for lab in project.schema.labels}
    return agreement.compute(texts, annotations, kinds, curators).to_json()


def iter_documents(project: Project) -> Iterator[Document]:
    """Every document in import order."""
    return iter(documents.iter_documents(project.store))


def layer_names(project: Project) -> list[str]:
    """Gold, then every layer with spans and every curator's layer, by name."""
    curators = {n for n, role in meta.annotators(project.store).items() if role == "curator"}
    names = (set(spans.layers(project.store)) | curators) - {GOLD}
    return [GOLD, *sorted(names)]


def _notes_by_layer(project: Project, layers) -> dict[tuple[str, str], tuple]:
    """(doc_id, layer) -> the layer's notes on that document (for native ``meta``)."""
    out: dict[tuple[str, str], list] = {}
    for (doc_id, layer, _t), note in meta.notes_of_layers(project.store, layers).items():
        out.setdefault((doc_id, layer), []).append(note)
    return {k: tuple(v) for k, v in out.items()}


def native_records(project: Project, layer: str) -> Iterator[dict]:
    """Native records of one layer, every document in import order (no checks, no files)."""
    status = store_export.statuses(project.store, [layer])
    layer_notes = _notes_by_layer(project, [layer])
    for doc, by_layer, rels in store_export.iter_annotated(project.store, [layer]):
        item = LayerDoc(
            doc,
            layer,
            tuple(by_layer.get(layer, ())),
            tuple(rels.get(layer, ())),
            status.get((doc.id, layer), "todo"),
            layer_notes.get((doc.id, layer), ()),
        )
        yield native_record(item)


def export_native(project: Project, layer: str, out_path: str | Path) -> int:
    """Native JSONL of one layer to ``out_path``; return the record count."""
    report = export_dataset(project, ExportOptions("native", Path(out_path), layer=layer))
    return report.records
