"""CoNLL / IOB token-per-line files: ``token TAG [TAG …]``, a blank line between sentences.

Every column after the token is one nesting level of IOB tags, as Wojood and
INCEpTION write nested entities (the outermost entity in the first column).
Tags may be IOB2 (``B-X`` starts a span), IOB1 (an ``I-X`` after ``O`` or
another label starts one) or BIOES/BILOU (``S-``/``U-`` single, ``E-``/``L-``
last). The text of a document is rebuilt from its tokens: tokens joined by
one space, sentences by one newline; offsets refer to that text, and the
record's meta says ``"tokens": "whitespace"`` so exporters can give the same
tokens back.

Documents: a ``-DOCSTART-`` line, or a ``# doc_id = …`` / ``# newdoc id = …``
comment, starts a document; the sentences up to the next marker are joined
into one. ``# key = value`` comments before a document's first token are its
meta (``title``, ``source``, ``url``, …; ``layer`` names its layer unless
``--annotator`` is given; ``status`` its progress). A file without any
marker is one document per sentence, numbered in ``meta.sentence``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from annotator.core.errors import InputError
from annotator.core.ids import document_id
from annotator.core.labels import Schema
from annotator.core.readers import LabelMap, check_record, map_label
from annotator.core.records import RawSpan, ReadResult, Record
from annotator.core.text import decode, normalize_newlines

DOCSTART = "-DOCSTART-"
_DOC_KEYS = ("doc_id", "newdoc id", "newdoc")
_SENTENCE_KEYS = ("sent_id", "text", "newpar", "newpar id")
_PREFIXES = "BIESLU"


def is_tag(field_: str) -> bool:
    """True for ``O`` and ``P-LABEL`` with P one of B I E S L U."""
    return field_ == "O" or (len(field_) > 2 and field_[1] == "-" and field_[0] in _PREFIXES)


def _is_token_line(fields: list[str]) -> bool:
    return len(fields) >= 2 and all(is_tag(f) for f in fields[1:])


def looks_like_conll(text: str, sample: int = 200) -> bool:
    """True when the first non-blank lines are mostly ``token TAG`` lines (or ``-DOCSTART-``)."""
    lines = [ln.split() for ln in text.split("\n", 4 * sample)[: 4 * sample] if ln.strip()]
    # comments (``# sent_id = 1``) count neither way
    lines = [f for f in lines if not f[0].startswith("#") or _is_token_line(f)][:sample]
    hits = sum(1 for f in lines if f[0] == DOCSTART or _is_token_line(f))
    return hits >= 3 and hits >= 0.9 * len(lines)


@dataclass
class _Doc:
    line: int
    meta: dict = field(default_factory=dict)
    sentences: list[list[tuple[str, list[str], int]]] = field(default_factory=list)
    marked: bool = False


def _comment(stripped: str) -> tuple[str, str] | None:
    """(key, value) of a ``# key = value`` comment, ``("newdoc", "")`` for ``# newdoc``."""
    body = stripped[1:].strip()
    if "=" in body:
        key, value = body.split("=", 1)
        return key.strip(), value.strip()
    return (body, "") if body == "newdoc" else None


def _meta_value(value: str) -> object:
    """A comment value: JSON numbers, lists and objects decoded, anything else kept as text."""
    if value[:1] in "-0123456789[{":
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value


def _mapped(tag: str, label_map: LabelMap | None) -> str:
    if tag == "O" or not label_map:
        return tag
    label = map_label(tag[2:], label_map)
    return f"{tag[:2]}{label}" if label else "O"


def _split_docs(text: str, path: str, label_map: LabelMap | None) -> tuple[list[_Doc], bool]:
    """Documents (or bare sentences) of the file and whether it had document markers."""
    docs: list[_Doc] = []
    cur = _Doc(1)
    sentence: list[tuple[str, list[str], int]] = []
    marked = False
    valid = {"O"}

    def end_sentence() -> None:
        nonlocal sentence
        if sentence:
            cur.sentences.append(sentence)
            sentence = []

    def new_doc(n: int) -> None:
        nonlocal cur
        end_sentence()
        if cur.sentences or cur.marked:
            docs.append(cur)
        cur = _Doc(n, marked=True)

    for n, line in enumerate(text.split("\n"), 1):
        fields = line.split()
        if not fields:
            end_sentence()
            continue
        if fields[0] == DOCSTART:
            marked = True
            new_doc(n)
            continue
        if fields[0].startswith("#") and not _is_token_line(fields):
            kv = _comment(line.strip())
            if kv is None:
                continue
            key, value = kv
            if key in _DOC_KEYS:
                marked = True
                if cur.sentences or sentence or not cur.marked:
                    new_doc(n)
                if value:
                    cur.meta["doc_id"] = value
            elif not cur.sentences and not sentence and key not in _SENTENCE_KEYS and value:
                cur.meta[key] = _meta_value(value)
            continue
        if len(fields) < 2:
            raise InputError(path, f"token {fields[0]!r} has no tag (expected: token TAG)", n)
        tags = fields[1:]
        for c, tag in enumerate(tags, 2):
            if tag not in valid:  # each distinct tag is checked once
                if not is_tag(tag):
                    problem = f"column {c}: {tag!r} is not an IOB tag (O, B-X, I-X)"
                    raise InputError(path, problem, n)
                valid.add(tag)
        if label_map:
            tags = [_mapped(t, label_map) for t in tags]
        sentence.append((fields[0], tags, n))
    end_sentence()
    if cur.sentences or cur.marked:
        docs.append(cur)
    return docs, marked


def _close(open_: dict[int, list], c: int, spans: list[RawSpan]) -> None:
    start, end, label = open_.pop(c)
    spans.append(RawSpan(start, end, label))


def _tag_token(
    tags: list[str],
    start: int,
    end: int,
    open_: dict[int, list],
    spans: list[RawSpan],
    n: int,
    path: str,
    names: frozenset[str],
) -> None:
    """Apply one token's tags, column by column, to the open spans."""
    width = max(len(tags), max(open_) + 1 if open_ else 0)
    for c in range(width):
        tag = tags[c] if c < len(tags) else "O"
        if tag == "O":
            if c in open_:
                _close(open_, c, spans)
            continue
        prefix, label = tag[0], tag[2:]
        cur = open_.get(c)
        if prefix in "IEL" and cur is not None and cur[2] == label:
            cur[1] = end
        else:
            if cur is not None:
                _close(open_, c, spans)
            if label not in names:
                known = ", ".join(sorted(names))
                raise InputError(path, f"unknown label {label!r} (labels: {known})", n)
            open_[c] = [start, end, label]
        if prefix in "ESLU":
            _close(open_, c, spans)


def _build(doc: _Doc, path: str, schema: Schema) -> tuple[str, list[RawSpan]]:
    """The document text and its spans, from its sentences."""
    pieces: list[str] = []
    spans: list[RawSpan] = []
    names = schema.label_names
    pos = 0
    for si, sentence in enumerate(doc.sentences):
        if si:
            pieces.append("\n")
            pos += 1
        open_: dict[int, list] = {}  # column -> [start, end, label]
        for ti, (token, tags, n) in enumerate(sentence):
            if ti:
                pieces.append(" ")
                pos += 1
            pieces.append(token)
            if open_ or tags.count("O") != len(tags):  # nothing to do for O outside spans
                _tag_token(tags, pos, pos + len(token), open_, spans, n, path, names)
            pos += len(token)
        for c in sorted(open_):
            _close(open_, c, spans)
    return "".join(pieces), spans


def read_conll(
    raw: bytes,
    path: str,
    schema: Schema,
    *,
    layer: str | None = None,
    label_map: LabelMap | None = None,
) -> ReadResult:
    """Parse and check a CoNLL/IOB file into records (see the module docstring).

    ``label_map`` renames tags' labels as they are read (``""``: the tag is ``O``).
    """
    text = normalize_newlines(decode(raw, path))
    docs, marked = _split_docs(text, path, label_map)
    if not marked:  # one document per sentence
        docs = [
            _Doc(s[0][2], {"sentence": i}, [s]) for d in docs for i, s in enumerate(d.sentences, 1)
        ]
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    result = ReadResult([])
    for doc in docs:
        if not doc.sentences:
            continue
        doc_text, spans = _build(doc, path, schema)
        meta = dict(doc.meta)
        rec_layer = layer or (str(meta.pop("layer")) if meta.get("layer") else None)
        meta.pop("layer", None)
        if meta.get("doc_id") == document_id(doc_text):
            del meta["doc_id"]  # this tool's own id: the content hash gives it back
        elif "doc_id" in meta:
            meta["original_id"] = meta.pop("doc_id")
        meta.setdefault("source", name)
        meta["tokens"] = "whitespace"
        record = Record(doc.line, doc_text, rec_layer, tuple(spans), (), meta)
        result.records.append(check_record(record, schema, path))
    if not result.records:
        raise InputError(path, "the file holds no tokens")
    return result
