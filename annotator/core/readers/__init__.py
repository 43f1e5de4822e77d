"""Readers of annotated formats other than JSONL: CoNLL/IOB, Label Studio, saved HTML pages.

Each reader is a pure function from a file's bytes to the same checked
``Record`` objects as ``core.records`` (``ReadResult``), raising
``InputError`` (file, line, problem) for the first thing it cannot use.
``check_record`` holds the checks every reader shares: labels and relation
types against the project's schema, and a layer for records with spans.
A label map (``--map PERS=PER,GPE=LOC,DATE=``) renames a file's labels to
the project's as they are read; a label mapped to nothing is dropped.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.errors import InputError, UserError
from annotator.core.labels import Schema
from annotator.core.records import Record
from annotator.core.validate import check_layer, clean_title, find_surrogate, short, text_problem

LabelMap = dict[str, str]


def parse_label_map(spec: str) -> LabelMap:
    """``OLD=NEW,OLD2=`` as a dict (``""``: drop); UserError for a malformed item."""
    out: LabelMap = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        old, eq, new = item.partition("=")
        if not eq or not old.strip():
            raise UserError(f"--map: {item.strip()!r} is not OLD=NEW (or OLD= to drop)")
        out[old.strip()] = new.strip()
    return out


def map_label(label: str, label_map: LabelMap | None) -> str:
    """``label`` renamed by ``label_map``; ``""`` when it is to be dropped."""
    return label if not label_map else label_map.get(label, label)


def check_record(record: Record, schema: Schema, path: str, where: str = "") -> Record:
    """``record`` checked like a JSONL record (``core.validate``), its title on one line.

    Raises InputError for a text with refused characters, a bad layer name,
    a lone surrogate in the meta, a label or relation the schema lacks.
    ``where`` prefixes the problem (e.g. ``"task 3: "``) for formats without lines.
    """
    line = record.line or None
    problem = text_problem(record.text)
    if problem:
        raise InputError(path, f"{where}the text holds a {problem}", line)
    bad = find_surrogate(record.meta)
    if bad:
        raise InputError(path, f"{where}the metadata holds a {bad}", line)
    if isinstance(record.meta.get("title"), str):
        record = replace(record, meta={**record.meta, "title": clean_title(record.meta["title"])})
    names = schema.label_names
    for i, span in enumerate(record.spans, 1):
        if span.label not in names:
            known = ", ".join(sorted(names))
            raise InputError(
                path,
                f"{where}span {i}: unknown label {short(span.label)!r} (labels: {known})",
                line,
            )
    for rel in record.relations:
        rel_type = schema.relation(rel.label)
        if rel_type is None:
            raise InputError(path, f"{where}unknown relation {rel.label!r}", line)
        pair = (record.spans[rel.head].label, record.spans[rel.tail].label)
        if pair != (rel_type.head, rel_type.tail):
            raise InputError(
                path, f"{where}{rel.label} must link a {rel_type.head} to a {rel_type.tail}", line
            )
    if record.layer is not None and (problem := check_layer(record.layer)):
        raise InputError(path, f"{where}layer: {problem}", line)
    if record.spans and not record.layer:
        raise InputError(path, f"{where}spans but no layer; give --annotator NAME", line)
    return record
