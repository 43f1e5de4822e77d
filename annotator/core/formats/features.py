"""``datasets.Features`` of every JSONL format, as plain dicts (no ``datasets`` import).

The manifest stores ``features`` in the shape ``Features.to_dict()`` gives and
``Features.from_dict()`` reads, with lists written as ``[inner]`` (read the
same way by every ``datasets`` release since 2.x). Loading a split with these
features never depends on what the first file happens to hold: an empty
``spans`` list in the train split is typed like the filled one in test.

Fields whose keys vary by document (native ``meta`` beyond title, source,
cluster and status) are typed from the values written: ``MetaTypes`` sees
each record's extra keys and merges their types (int and float make float;
a key whose values disagree otherwise becomes ``Json``, datasets >= 4.7).
"""

from __future__ import annotations

from typing import Any

Feature = Any  # a dict (Value, ClassLabel, Json, or a struct) or a one-item list

STRING: dict = {"dtype": "string", "_type": "Value"}
INT: dict = {"dtype": "int64", "_type": "Value"}
FLOAT: dict = {"dtype": "float64", "_type": "Value"}
BOOL: dict = {"dtype": "bool", "_type": "Value"}
JSON: dict = {"_type": "Json"}

_PIECE = {"text": STRING, "start": INT, "end": INT}
#: Native meta keys every record has, as strings; the others are typed from the data.
NATIVE_FIXED_META = ("title", "source", "cluster", "status")
DOCCANO_FIXED_META = ("layer", "title", "source", "cluster", "status")


def _infer(value: object) -> Feature | None:
    """The feature of one JSON value; None for null (type unknown yet)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT if -(2**63) <= value < 2**63 else JSON
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, str):
        return STRING
    if isinstance(value, list):
        inner = None
        for item in value:
            inner = merge(inner, _infer(item))
        return [inner]
    if isinstance(value, dict):
        if "_type" in value:  # would read as a feature type: keep the object whole
            return JSON
        return {str(k): _infer(v) for k, v in value.items()}
    return JSON


def merge(a: Feature | None, b: Feature | None) -> Feature | None:
    """One feature that holds values of both ``a`` and ``b`` (Json when none does)."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    if a == JSON or b == JSON:
        return JSON
    if {_dtype(a), _dtype(b)} == {"int64", "float64"}:
        return FLOAT
    if isinstance(a, list) and isinstance(b, list):
        inner = merge(a[0], b[0])
        return JSON if inner == JSON and JSON not in (a[0], b[0]) else [inner]
    if _is_struct(a) and _is_struct(b):
        keys = list(a) + [k for k in b if k not in a]
        return {k: merge(a.get(k), b.get(k)) for k in keys}
    return JSON


def _dtype(f: Feature) -> str | None:
    return f.get("dtype") if isinstance(f, dict) else None


def _is_struct(f: Feature) -> bool:
    return isinstance(f, dict) and "_type" not in f


def finish(f: Feature | None) -> Feature:
    """``f`` with every still-unknown type (only nulls or empty lists seen) made a string."""
    if f is None:
        return STRING
    if isinstance(f, list):
        return [finish(f[0])]
    if _is_struct(f):
        return {k: finish(v) for k, v in f.items()}
    return f


class MetaTypes:
    """The merged feature of the variable keys of a dict field, seen record by record."""

    def __init__(self, fixed: tuple[str, ...]) -> None:
        self._fixed = set(fixed)
        self._seen: dict[str, Feature | None] = {}

    def observe(self, meta: dict) -> None:
        """Take in one record's dict (keys in ``fixed`` are skipped)."""
        for key, value in meta.items():
            if key not in self._fixed:
                self._seen[key] = merge(self._seen.get(key), _infer(value))

    def features(self) -> dict[str, Feature]:
        """The extra keys (sorted, as the native writer orders them) and their features."""
        return {k: finish(self._seen[k]) for k in sorted(self._seen)}


def native_features(meta_extra: dict[str, Feature], *, flags: bool = False) -> dict:
    """Features of a native record; ``meta_extra`` from ``MetaTypes.features()``."""
    span = {"id": STRING, "start": INT, "end": INT, "label": STRING, "text": STRING}
    span["origin"] = STRING
    if flags:
        span["flags"] = [STRING]
    meta: dict = {"title": STRING, "source": STRING, "cluster": STRING, "status": STRING}
    meta = JSON if "_type" in meta_extra else meta | meta_extra
    return {
        "id": STRING,
        "text": STRING,
        "layer": STRING,
        "spans": [span],
        "relations": [{"label": STRING, "head": STRING, "tail": STRING}],
        "meta": meta,
    }


def doccano_features(meta_extra: dict[str, Feature] | None = None) -> dict:
    """Features of a doccano record; ``label`` items mix integers and a string: Json."""
    meta: dict = {k: STRING for k in DOCCANO_FIXED_META}
    meta_extra = meta_extra or {}
    meta = JSON if "_type" in meta_extra else meta | meta_extra
    return {"id": STRING, "text": STRING, "label": [[JSON]], "meta": meta}


def hfbio_features(tags: list[str], *, with_layer: bool) -> dict:
    """Features of an hf-bio record; ``ner_tags`` as a ClassLabel over ``tags``."""
    out: dict = {"id": STRING, "doc_id": STRING}
    if with_layer:
        out["layer"] = STRING
    out |= {"start": INT, "end": INT, "tokens": [STRING]}
    out["ner_tags"] = [{"names": list(tags), "_type": "ClassLabel"}]
    out["token_offsets"] = [[INT]]
    return out


def attribution_features(*, with_layer: bool) -> dict:
    """Features of an attribution record (see ``core.formats.attribution``)."""
    rel = {"sentence_start": INT, "sentence_end": INT}
    out: dict = {"id": STRING, "claim_id": STRING, "doc_id": STRING}
    if with_layer:
        out["layer"] = STRING
    out["article"] = {k: STRING for k in ("title", "url", "date", "outlet")}
    out["has_claim"] = BOOL
    out["claim"] = _PIECE | rel | {"origin": STRING}
    out["source"] = _PIECE | rel | {"entity_type": STRING, "origin": STRING}
    out["other_sources"] = [_PIECE | rel | {"entity_type": STRING, "origin": STRING}]
    out["cue"] = _PIECE | rel
    out["speech"] = STRING
    out["sentence"] = dict(_PIECE)
    out["check_worthiness"] = STRING
    out["verdict"] = STRING
    return out


#: Keys of a Label Studio task's ``data`` every task has; the others come from meta.
LABELSTUDIO_FIXED_DATA = ("text", "doc_id", "title", "source")


def labelstudio_features(data_extra: dict[str, Feature]) -> dict:
    """Features of a Label Studio task: span and relation results share one struct
    (a span's relation keys and a relation's span keys load as null)."""
    result = {
        "id": STRING,
        "from_name": STRING,
        "to_name": STRING,
        "type": STRING,
        "value": {"start": INT, "end": INT, "text": STRING, "labels": [STRING]},
        "from_id": STRING,
        "to_id": STRING,
        "direction": STRING,
        "labels": [STRING],
    }
    data = {k: STRING for k in LABELSTUDIO_FIXED_DATA}
    return {
        "data": JSON if "_type" in data_extra else data | data_extra,
        "annotations": [{"result": [result], "ground_truth": BOOL}],
        "meta": {"layers": [STRING], "statuses": [STRING]},
    }


#: format -> (the record's dict field whose keys vary by document, its fixed keys)
OPEN_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "native": ("meta", NATIVE_FIXED_META),
    "doccano": ("meta", DOCCANO_FIXED_META),
    "labelstudio": ("data", LABELSTUDIO_FIXED_DATA),
}


def open_field_types(fmt: str) -> MetaTypes | None:
    """A ``MetaTypes`` for the varying dict field of ``fmt``'s records, or None."""
    spec = OPEN_FIELDS.get(fmt)
    return MetaTypes(spec[1]) if spec else None


def observe_records(fmt: str, records: list[dict], types: MetaTypes | None) -> None:
    """Let the varying dict field of the written records type its features."""
    if types is None:
        return
    key = OPEN_FIELDS[fmt][0]
    for record in records:
        types.observe(record[key])
