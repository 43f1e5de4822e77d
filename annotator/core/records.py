"""Reading annotated JSONL (native, doccano, Prodigy) into checked records.

Everything is validated before anything is stored: a bad line raises
``InputError`` naming the file, the line and the problem. Texts are kept
verbatim so the offsets that come with them hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Literal, NamedTuple

from annotator.core.errors import InputError
from annotator.core.labels import Schema
from annotator.core.model import check_span_bounds
from annotator.core.offsets import OffsetIndex
from annotator.core.text import decode
from annotator.core.validate import (
    check_layer,
    clean_title,
    find_surrogate,
    needs_check,
    parse_json,
    short,
    text_problem,
)

OffsetUnit = Literal["codepoint", "utf16"]


class RawSpan(NamedTuple):
    """A span as read from a file; ``ref`` is the file's own span id, if any."""

    start: int
    end: int
    label: str
    ref: str | None = None


# tuple.__new__ directly: the hot path skips NamedTuple's Python-level __new__.
_new_span = partial(tuple.__new__, RawSpan)


class RawRelation(NamedTuple):
    """A relation between two spans of one record, by index into its spans."""

    label: str
    head: int
    tail: int


@dataclass(frozen=True, slots=True)
class Record:
    """One checked JSONL record."""

    line: int
    text: str
    layer: str | None
    spans: tuple[RawSpan, ...]
    relations: tuple[RawRelation, ...]
    meta: dict = field(default_factory=dict)


@dataclass
class ReadResult:
    """Records of one file plus counts of what was skipped and why."""

    records: list[Record]
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def read_jsonl(
    raw: bytes,
    path: str,
    schema: Schema,
    *,
    layer: str | None = None,
    offsets: OffsetUnit | None = None,
    on_progress: Callable[[float], object] | None = None,
) -> ReadResult:
    """Parse and check every line of a JSONL file.

    ``layer`` (from ``--annotator``) overrides each record's ``layer``.
    ``offsets`` is the unit of doccano offsets (default code points; a
    warning is added when texts hold astral characters and it was not given).
    Prodigy records answered "reject" or "ignore" are skipped and counted.
    ``on_progress(fraction)`` is called every few thousand lines.
    """
    text = decode(raw, path)
    result = ReadResult([])
    astral_doccano = False
    lines = text.split("\n")
    for n, line in enumerate(lines, 1):
        if on_progress is not None and n % 5000 == 0:
            on_progress(n / len(lines))
        if not line.strip():
            continue
        try:
            obj = parse_json(line)
        except ValueError as exc:
            raise InputError(path, str(exc), n) from None
        if not isinstance(obj, dict):
            raise InputError(path, f"expected a JSON object, got {type(obj).__name__}", n)
        check = needs_check(line)
        if check:
            bad = find_surrogate(obj)
            if bad:
                raise InputError(path, f"the record holds a {bad}", n)
        if obj.get("answer") in ("reject", "ignore"):
            result.skipped += 1
            continue
        rec_text = obj.get("text")
        if not isinstance(rec_text, str):
            raise InputError(path, 'the record has no string "text"', n)
        if not rec_text.strip():
            raise InputError(path, 'the record\'s "text" is empty', n)
        problem = text_problem(rec_text) if check else None
        if problem:
            raise InputError(path, f'the record\'s "text" holds a {problem}', n)
        is_doccano = "label" in obj or "labels" in obj or "entities" in obj
        if is_doccano and offsets is None and any(ord(c) > 0xFFFF for c in rec_text):
            astral_doccano = True
        record = _record(obj, n, path, rec_text, schema, layer, offsets or "codepoint")
        result.records.append(record)
    if not result.records and not result.skipped:
        raise InputError(path, "the file holds no records")
    if astral_doccano:
        result.warnings.append(
            f"{path}: doccano texts hold emoji or other characters above U+FFFF; offsets were "
            "read as code points (pass --offsets utf16 for files exported from doccano's UI)"
        )
    return result


def _record(
    obj: dict, n: int, path: str, text: str, schema: Schema, layer: str | None, unit: OffsetUnit
) -> Record:
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError(path, '"meta" must be an object', n)
    if isinstance(meta.get("title"), str):
        meta = {**meta, "title": clean_title(meta["title"])}  # surrogates were refused
    rec_layer = layer or obj.get("layer")
    if rec_layer is not None:
        problem = _layer_problem(rec_layer) if type(rec_layer) is str else check_layer(rec_layer)
        if problem:
            raise InputError(path, f'"layer": {problem}', n)
    if "entities" in obj or "label" in obj or "labels" in obj:
        spans, relations = _doccano(obj, n, path, text, unit)
    else:
        spans, relations = _native(obj, n, path)
    names = schema.label_names
    for i, span in enumerate(spans):  # bounds were checked as each span was read
        if span.label not in names:
            raise InputError(path, f"span {i + 1}: unknown label {short(span.label)!r}", n)
    for rel in relations:
        rel_type = schema.relation(rel.label)
        if rel_type is None:
            raise InputError(path, f"unknown relation {short(rel.label)!r}", n)
        if (spans[rel.head].label, spans[rel.tail].label) != (rel_type.head, rel_type.tail):
            raise InputError(
                path, f"{rel.label} must link a {rel_type.head} to a {rel_type.tail}", n
            )
    if spans and not rec_layer:
        raise InputError(path, 'the record has spans but no "layer"; give --annotator NAME', n)
    return Record(n, text, rec_layer, tuple(spans), tuple(relations), meta)


#: ``check_layer`` of a layer name, checked once per name (a file repeats a few names).
_layer_problem = lru_cache(maxsize=256)(check_layer)


def _int(value: object, path: str, n: int, what: str) -> int:
    if type(value) is not int:
        raise InputError(path, f"{what} must be an integer, got {short(value)}", n)
    return value


def _native(obj: dict, n: int, path: str) -> tuple[list[RawSpan], list[RawRelation]]:
    """Native and Prodigy records: ``spans`` of objects; relations by span id
    (native) or by head/child span objects (Prodigy)."""
    raw_spans = obj.get("spans") or []
    if not isinstance(raw_spans, list):
        raise InputError(path, '"spans" must be a list', n)
    spans: list[RawSpan] = []
    text: str = obj["text"]
    length = len(text)
    for i, s in enumerate(raw_spans, 1):
        if type(s) is not dict:
            raise InputError(path, f"span {i} must be an object", n)
        start, end, label = s.get("start"), s.get("end"), s.get("label")
        # Fast path for the common valid span; details only when it is not.
        if not (type(start) is int and type(end) is int and 0 <= start < end <= length):
            start = _int(start, path, n, f"span {i} start")
            end = _int(end, path, n, f"span {i} end")
            raise InputError(path, f"span {i}: {check_span_bounds(length, start, end)}", n)
        if type(label) is not str:
            raise InputError(path, f"span {i} has no string label", n)
        given = s.get("text")
        if given is not None and given != text[start:end]:
            raise InputError(
                path,
                f"span {i} text {short(given)!r} differs from the slice {short(text[start:end])!r}",
                n,
            )
        ref = s.get("id")
        spans.append(_new_span((start, end, label, None if ref is None else str(ref))))
    relations: list[RawRelation] = []
    raw_rels = obj.get("relations") or []
    if not isinstance(raw_rels, list):
        raise InputError(path, '"relations" must be a list', n)
    if not raw_rels:
        return spans, relations
    by_ref = {s.ref: i for i, s in enumerate(spans) if s.ref is not None}
    by_key = {(s.start, s.end): i for i, s in enumerate(spans)}
    for j, r in enumerate(raw_rels, 1):
        if not isinstance(r, dict) or not isinstance(r.get("label"), str):
            raise InputError(path, f"relation {j} must be an object with a label", n)
        if "child" in r or "child_span" in r:  # Prodigy: spans given inline
            head = _span_index(r.get("head_span"), by_key, path, n, j)
            tail = _span_index(r.get("child_span"), by_key, path, n, j)
        else:
            head = by_ref.get(str(r.get("head")))
            tail = by_ref.get(str(r.get("tail")))
            if head is None or tail is None:
                raise InputError(path, f"relation {j} names a span id the record lacks", n)
        relations.append(RawRelation(r["label"], head, tail))
    return spans, relations


def _span_index(obj: object, by_key: dict, path: str, n: int, j: int) -> int:
    if (
        not isinstance(obj, dict)
        or type(obj.get("start")) is not int
        or type(obj.get("end")) is not int
        or (obj["start"], obj["end"]) not in by_key
    ):
        raise InputError(path, f"relation {j} points at a span the record lacks", n)
    return by_key[(obj["start"], obj["end"])]


def _doccano(
    obj: dict, n: int, path: str, text: str, unit: OffsetUnit
) -> tuple[list[RawSpan], list[RawRelation]]:
    """doccano records: ``label: [[s, e, L], …]`` or ``entities`` + ``relations``."""
    index = OffsetIndex(text) if unit == "utf16" else None

    def cp(value: object, what: str) -> int:
        value = _int(value, path, n, what)
        if index is None:
            return value
        try:
            converted = index.to_codepoint(value)
        except ValueError as exc:
            raise InputError(path, f"{what}: {exc}", n) from None
        if index.to_utf16(converted) != value:
            raise InputError(path, f"{what} {value} falls inside a character", n)
        return converted

    spans: list[RawSpan] = []
    relations: list[RawRelation] = []
    if "entities" in obj:
        ents = obj["entities"]
        if not isinstance(ents, list):
            raise InputError(path, '"entities" must be a list', n)
        for i, e in enumerate(ents, 1):
            if not isinstance(e, dict) or not isinstance(e.get("label"), str):
                raise InputError(path, f"entity {i} must be an object with a label", n)
            start = cp(e.get("start_offset"), f"entity {i} start")
            end = cp(e.get("end_offset"), f"entity {i} end")
            ref = e.get("id")
            spans.append(RawSpan(start, end, e["label"], None if ref is None else str(ref)))
        by_ref = {s.ref: i for i, s in enumerate(spans) if s.ref is not None}
        raw_rels = obj.get("relations") or []
        if not isinstance(raw_rels, list):
            raise InputError(path, '"relations" must be a list', n)
        for j, r in enumerate(raw_rels, 1):
            if not isinstance(r, dict):
                raise InputError(path, f"relation {j} must be an object", n)
            head, tail = by_ref.get(str(r.get("from_id"))), by_ref.get(str(r.get("to_id")))
            label = r.get("type")
            if head is None or tail is None or not isinstance(label, str):
                raise InputError(path, f"relation {j} names an entity the record lacks", n)
            relations.append(RawRelation(label, head, tail))
        _check_bounds(spans, len(text), path, n)
        return spans, relations
    items = obj.get("label", obj.get("labels"))
    if not isinstance(items, list):
        raise InputError(path, '"label" must be a list of [start, end, label]', n)
    for i, item in enumerate(items, 1):
        if not isinstance(item, list) or len(item) != 3 or not isinstance(item[2], str):
            raise InputError(path, f'label {i} must be [start, end, "LABEL"]', n)
        spans.append(
            RawSpan(cp(item[0], f"label {i} start"), cp(item[1], f"label {i} end"), item[2])
        )
    _check_bounds(spans, len(text), path, n)
    return spans, relations


def _check_bounds(spans: list[RawSpan], length: int, path: str, n: int) -> None:
    for i, span in enumerate(spans, 1):
        problem = check_span_bounds(length, span.start, span.end)
        if problem:
            raise InputError(path, f"span {i}: {problem}", n)
