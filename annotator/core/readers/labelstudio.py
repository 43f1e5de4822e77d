"""Label Studio tasks: a JSON array (also one task per line, JSONL) of text tasks.

A task's text is ``data.text`` (or the only string in ``data``). Its spans
come from each annotation's ``result`` (``labels`` results: ``value.start``,
``end``, ``labels``, ``text``; a region with several labels gives one span
each) and its relations from ``relation`` results (``from_id`` → ``to_id``;
``direction: left`` reverses them; an unlabelled relation takes the schema's
one relation type between the two labels). A task with no annotation gives
its ``predictions`` instead. JSON-min exports (``{"text", "label": [{start,
end, text, labels}]}``) are read too. Cancelled annotations are skipped.

Layers: ``--annotator`` for every annotation, else the task's
``meta.layers`` (this tool's export: the layer of each annotation, in order,
with ``meta.statuses``), else the annotator Label Studio
recorded (``completed_by`` email, or ``ls-user-N``), a prediction's
``model_version``, or ``predictions``.

Offsets: recent Label Studio versions store code points (label-studio#1559,
#4988); older ones counted UTF-16 code units, as the browser does (#1347).
Every span's ``value.text`` is checked against the text: read as code points
first, then as UTF-16; a file whose spans only fit as UTF-16 is read so and
gets a warning; a span that fits neither refuses the file. ``--offsets``
forces one unit.
"""

from __future__ import annotations

from annotator.core.errors import InputError
from annotator.core.labels import Schema
from annotator.core.model import check_span_bounds
from annotator.core.offsets import OffsetIndex
from annotator.core.readers import LabelMap, check_record, map_label
from annotator.core.records import OffsetUnit, RawRelation, RawSpan, ReadResult, Record
from annotator.core.text import decode
from annotator.core.validate import parse_json


class _Ctx:
    """What one file's tasks share: path, schema, layer override, offset unit, warnings."""

    def __init__(self, path: str, schema: Schema, layer: str | None, unit: OffsetUnit | None):
        self.path, self.schema, self.layer, self.unit = path, schema, layer, unit
        self.label_map: LabelMap | None = None
        self.utf16_spans = 0
        self.ignored: dict[str, int] = {}

    def fail(self, where: str, problem: str, line: int | None) -> InputError:
        return InputError(self.path, f"{where}: {problem}", line)


def _tasks(text: str, path: str) -> list[tuple[object, int | None, str]]:
    """(task, line or None, name for messages) of a JSON array, one object, or JSONL."""
    try:
        data = parse_json(text)
    except ValueError as exc:
        lines = [ln for ln in text.split("\n", 2) if ln.strip()]
        if len(lines) < 2 or not _first_line_is_json(text):
            raise InputError(path, str(exc)) from None
        out = []  # JSONL: one task per line
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                out.append((parse_json(line), n, f"task on line {n}"))
            except ValueError as err:
                raise InputError(path, str(err), n) from None
        return out
    if isinstance(data, dict):
        data = data.get("tasks", [data]) if "data" not in data and "text" not in data else [data]
    if not isinstance(data, list):
        raise InputError(path, "expected a JSON array of Label Studio tasks")
    return [(t, None, f"task {i}") for i, t in enumerate(data, 1)]


def _first_line_is_json(text: str) -> bool:
    first = next(ln for ln in text.split("\n") if ln.strip())
    try:
        return isinstance(parse_json(first), dict)
    except ValueError:
        return False


def _text_of(task: dict, ctx: _Ctx, where: str, line: int | None) -> str:
    data = task.get("data")
    if data is None and isinstance(task.get("text"), str):
        return task["text"]
    if not isinstance(data, dict):
        raise ctx.fail(where, 'no "data" object with the text', line)
    text = data.get("text")
    if text is None:
        strings = [v for v in data.values() if isinstance(v, str)]
        text = strings[0] if len(strings) == 1 else None
    if not isinstance(text, str):
        raise ctx.fail(where, 'no string "text" in "data"', line)
    if not text.strip():
        raise ctx.fail(where, "the text is empty", line)
    return text


def _nth(meta: object, key: str, index: int) -> str | None:
    """``meta[key][index]`` when it is a non-empty string (this tool's per-annotation lists)."""
    items = meta.get(key) if isinstance(meta, dict) else None
    if isinstance(items, list) and 0 <= index < len(items):
        item = items[index]
        return item if isinstance(item, str) and item.strip() else None
    return None


def _layer_of(task: dict, ann: dict, index: int, ctx: _Ctx) -> str | None:
    """The layer of annotation ``index`` (-1 for a prediction); see the module docstring."""
    if ctx.layer:
        return ctx.layer
    meta = task.get("meta")
    if _nth(meta, "layers", index):
        return _nth(meta, "layers", index)
    if isinstance(meta, dict) and isinstance(meta.get("layer"), str) and meta["layer"].strip():
        return meta["layer"]
    if index < 0:
        version = ann.get("model_version")
        return str(version) if isinstance(version, str | int) and str(version) else "predictions"
    who = ann.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    if isinstance(who, str) and who.strip():
        return who.strip()
    if type(who) is int:
        return f"ls-user-{who}"
    return None


def _offsets(value: dict, text: str, index: list, ctx: _Ctx, where: str, line) -> tuple[int, int]:
    """Code-point (start, end) of a region, checked against ``value.text``."""
    start, end = value.get("start"), value.get("end")
    if (
        ctx.unit is None
        and type(start) is int
        and type(end) is int
        and 0 <= start < end <= len(text)
        and text[start:end] == value.get("text", text[start:end])
    ):
        return start, end  # the common case: code points that match the region's text
    if type(start) is not int or type(end) is not int:
        raise ctx.fail(where, f"start and end must be integers, got {start!r} and {end!r}", line)
    given = value.get("text")
    problem = check_span_bounds(len(text), start, end)
    if given is not None and given != text[start:end]:
        problem = problem or f"span text {given!r} differs from the text at [{start}, {end})"
    if ctx.unit == "codepoint" or (ctx.unit is None and problem is None):
        if problem:
            raise ctx.fail(where, problem, line)
        return start, end
    if not index:
        index.append(OffsetIndex(text))
    try:
        cs, ce = index[0].to_codepoint(start), index[0].to_codepoint(end)
    except ValueError as exc:
        raise ctx.fail(where, problem or str(exc), line) from None
    exact = index[0].to_utf16(cs) == start and index[0].to_utf16(ce) == end
    if exact and cs < ce and (given is None or text[cs:ce] == given):
        if ctx.unit is None:
            ctx.utf16_spans += 1
        return cs, ce
    raise ctx.fail(where, problem or f"UTF-16 [{start}, {end}) falls inside a character", line)


def _result(
    results: object, text: str, ctx: _Ctx, where: str, line: int | None
) -> tuple[list[RawSpan], list[tuple[str, str, str, str]]]:
    """Spans and raw relations (from_id, to_id, direction, label) of one result list.

    Relations touching a region whose labels the label map dropped are left out.
    """
    if not isinstance(results, list):
        raise ctx.fail(where, '"result" must be a list', line)
    spans: list[RawSpan] = []
    rels: list[tuple[str, str, str, str]] = []
    dropped: set[str] = set()
    index: list = []
    for j, r in enumerate(results, 1):
        at = f"{where}, result {j}"
        if not isinstance(r, dict):
            raise ctx.fail(at, "must be an object", line)
        kind = r.get("type")
        if kind == "relation":
            labels = r.get("labels") or [""]
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise ctx.fail(at, "relation labels must be a list of strings", line)
            for label in labels:
                rels.append((str(r.get("from_id")), str(r.get("to_id")), r.get("direction"), label))
            continue
        value = r.get("value")
        if kind != "labels" or not isinstance(value, dict):
            ctx.ignored[str(kind)] = ctx.ignored.get(str(kind), 0) + 1
            continue
        labels = value.get("labels")
        if (
            not isinstance(labels, list)
            or not labels
            or not all(isinstance(x, str) for x in labels)
        ):
            raise ctx.fail(at, '"value.labels" must be a non-empty list of strings', line)
        start, end = _offsets(value, text, index, ctx, at, line)
        ref = None if r.get("id") is None else str(r.get("id"))
        labels = [m for m in (map_label(x, ctx.label_map) for x in labels) if m]
        if not labels and ref is not None:
            dropped.add(ref)
        spans.extend(RawSpan(start, end, label, ref) for label in labels)
    return spans, [r for r in rels if r[0] not in dropped and r[1] not in dropped]


def _relations(
    spans: list[RawSpan], raw: list[tuple[str, str, str, str]], ctx: _Ctx, where: str, line
) -> list[RawRelation]:
    by_ref: dict[str, list[int]] = {}
    for i, s in enumerate(spans):
        if s.ref is not None:
            by_ref.setdefault(s.ref, []).append(i)
    out: list[RawRelation] = []
    for j, (a, b, direction, label) in enumerate(raw, 1):
        if direction == "left":
            a, b = b, a
        if label and ctx.schema.relation(label) is None:
            known = ", ".join(r.name for r in ctx.schema.relations)
            raise ctx.fail(where, f"relation {j}: unknown relation {label!r} ({known})", line)
        heads, tails = by_ref.get(a), by_ref.get(b)
        if not heads or not tails:
            raise ctx.fail(where, f"relation {j} names a region the annotation lacks", line)
        pairs = [(h, t) for h in heads for t in tails]
        fitting = []
        for h, t in pairs:
            for rel in ctx.schema.relations:
                if (not label or rel.name == label) and (
                    (spans[h].label, spans[t].label) == (rel.head, rel.tail)
                ):
                    fitting.append(RawRelation(rel.name, h, t))
        if not fitting:
            h, t = pairs[0]
            what = label or "an unlabelled relation"
            raise ctx.fail(
                where,
                f"relation {j}: {what} cannot link {spans[h].label} to {spans[t].label}",
                line,
            )
        out.append(fitting[0])
    return out


def read_labelstudio(
    raw: bytes,
    path: str,
    schema: Schema,
    *,
    layer: str | None = None,
    offsets: OffsetUnit | None = None,
    label_map: LabelMap | None = None,
) -> ReadResult:
    """Parse and check Label Studio tasks into records (see the module docstring).

    ``label_map`` renames region labels as they are read (``""``: dropped).
    """
    ctx = _Ctx(path, schema, layer, offsets)
    ctx.label_map = label_map
    result = ReadResult([])
    for task, line, where in _tasks(decode(raw, path), path):
        if not isinstance(task, dict):
            raise ctx.fail(where, "must be a JSON object", line)
        text = _text_of(task, ctx, where, line)
        meta = {k: v for k, v in (task.get("data") or {}).items() if k != "text"}
        meta.pop("doc_id", None)
        if not meta.get("source"):
            meta["source"] = path.replace("\\", "/").rsplit("/", 1)[-1]
        task_meta = task.get("meta")
        if isinstance(task_meta, dict) and isinstance(task_meta.get("status"), str):
            meta["status"] = task_meta["status"]
        annotations = _annotations(task, ctx, where, line)
        if not annotations:
            record = Record(line or 0, text, None, (), (), meta)
            result.records.append(check_record(record, schema, path, f"{where}: "))
        for ann, index, at in annotations:
            spans, raw_rels = _result(ann.get("result", []), text, ctx, at, line)
            rels = _relations(spans, raw_rels, ctx, at, line)
            rec_layer = _layer_of(task, ann, index, ctx)
            status = _nth(task_meta, "statuses", index)
            rec_meta = meta | {"status": status} if status else meta
            record = Record(line or 0, text, rec_layer, tuple(spans), tuple(rels), rec_meta)
            result.records.append(check_record(record, schema, path, f"{at}: "))
    if not result.records:
        raise InputError(path, "the file holds no tasks")
    if ctx.utf16_spans:
        result.warnings.append(
            f"{path}: {ctx.utf16_spans} span(s) fit the text only as UTF-16 offsets (an older "
            "Label Studio) and were read so; pass --offsets to choose the unit"
        )
    for kind, count in sorted(ctx.ignored.items()):
        result.warnings.append(f"{path}: {count} result(s) of type {kind!r} ignored")
    return result


def _annotations(task: dict, ctx: _Ctx, where: str, line) -> list[tuple[dict, int, str]]:
    """(annotation, its index or -1 for a prediction, name) to read.

    Annotations, else predictions, else a JSON-min task's regions.
    """
    out: list[tuple[dict, int, str]] = []
    for key, is_prediction in (
        ("annotations", False),
        ("completions", False),
        ("predictions", True),
    ):
        items = task.get(key)
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(a, dict) for a in items):
            raise ctx.fail(where, f'"{key}" must be a list of objects', line)
        for i, ann in enumerate(items):
            if not ann.get("was_cancelled"):
                out.append((ann, -1 if is_prediction else i, f"{where}, {key[:-1]} {i + 1}"))
        if out:
            return out
    if "data" not in task:  # JSON-min: {"text", "<from_name>": [{start, end, labels}]}
        result = []
        for value in task.values():
            if (
                isinstance(value, list)
                and value
                and all(isinstance(v, dict) and "labels" in v for v in value)
            ):
                result += [{"type": "labels", "value": v} for v in value]
        if result:
            out.append(({"result": result, "completed_by": task.get("annotator")}, 0, where))
    return out
