"""Running suggester plug-ins: per document or in batches, with optional scores.

A plug-in is a callable, found by entry-point name (group
``annotator.suggesters``) or given as ``module:attribute`` (importable, or
a file in the current folder). Two shapes:

- ``suggester(text, doc_id)`` returns the suggestions of one document;
- a callable with an integer ``batch_size`` attribute is called with a list
  of up to that many ``PluginDocument`` (id, text, title, meta) and returns
  one iterable of suggestions per document, in the same order.

A suggestion is a ``Suggestion``, a ``(start, end, label[, reason[, score]])``
tuple, or a dict with ``start``, ``end``, ``label`` and optional ``reason``
and ``score`` (a finite number; higher is surer). Plug-in output is
untrusted: offsets and labels are checked (an edge inside a grapheme cluster
is moved out to the whole character, as import does), and an exception
inside a plug-in becomes one UserError line naming the plug-in, never a
traceback.
"""

from __future__ import annotations

import importlib
import math
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.errors import UserError
from annotator.core.labels import Schema
from annotator.core.model import Document, check_span_bounds
from annotator.core.span_edges import widen
from annotator.core.suggest import Suggestion

Suggester = Callable[..., Iterable[object]]


@dataclass(frozen=True, slots=True)
class PluginDocument:
    """What a batch plug-in sees of a document."""

    id: str
    text: str
    title: str = ""
    meta: dict = field(default_factory=dict)


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}".rstrip(": ")


def load_plugin(spec: str, installed: dict[str, Suggester]) -> tuple[str, Suggester]:
    """(name, callable) of ``spec``: an installed plug-in's name or ``module:attribute``."""
    if spec in installed:
        return spec, installed[spec]
    if ":" not in spec:
        names = ", ".join(sorted(installed)) or "none installed"
        raise UserError(f"unknown suggester plug-in {spec!r} ({names}; or give module:attribute)")
    module_name, _, attr = spec.partition(":")
    here = os.getcwd()
    if here not in sys.path:  # a module:attribute names a file in the current folder too
        sys.path.append(here)
    try:
        found: object = importlib.import_module(module_name)
        for part in attr.split("."):
            found = getattr(found, part)
    except Exception as exc:  # the plug-in's own import errors included
        raise UserError(f"suggester plug-in {spec!r} cannot load: {_one_line(exc)}") from None
    if not callable(found):
        raise UserError(f"suggester plug-in {spec!r} is not callable")
    return spec, found


def batch_size(suggester: Suggester) -> int | None:
    """The plug-in's batch size, or None for a per-document plug-in."""
    size = getattr(suggester, "batch_size", None)
    if size is None:
        return None
    if type(size) is not int or size < 1:
        raise UserError(f"suggester plug-in batch_size must be a positive integer, got {size!r}")
    return size


def run_plugin(
    name: str, suggester: Suggester, docs: Sequence[Document], schema: Schema
) -> list[Suggestion]:
    """Every checked suggestion of one plug-in over ``docs``, in document order."""
    size = batch_size(suggester)
    out: list[Suggestion] = []
    if size is None:
        for doc in docs:
            try:
                items = list(suggester(doc.text, doc.id))
            except Exception as exc:
                raise UserError(_failed(name, doc.id, exc)) from None
            out += check_items(name, doc, items, schema)
        return out
    for lo in range(0, len(docs), size):
        batch = docs[lo : lo + size]
        seen = [PluginDocument(d.id, d.text, d.title, dict(d.meta)) for d in batch]
        try:
            results = [list(items) for items in suggester(seen)]
        except Exception as exc:
            raise UserError(_failed(name, f"a batch from {batch[0].id}", exc)) from None
        if len(results) != len(batch):
            raise UserError(
                f"suggester {name!r} returned {len(results)} result(s) for {len(batch)} document(s)"
            )
        for doc, items in zip(batch, results, strict=True):
            out += check_items(name, doc, items, schema)
    return out


def _failed(name: str, where: str, exc: Exception) -> str:
    return f"suggester plug-in {name!r} failed on {where}: {_one_line(exc)}"


def check_items(
    name: str, doc: Document, items: Iterable[object], schema: Schema
) -> list[Suggestion]:
    """Suggestions from one document's plug-in output; UserError for a bad item."""
    out = []
    text = doc.text
    for item in items:
        score = None
        if isinstance(item, Suggestion):
            start, end, label, reason, score = (
                item.start, item.end, item.label, item.reason, item.score
            )  # fmt: skip
        elif isinstance(item, dict):
            start, end, label = item.get("start"), item.get("end"), item.get("label")
            reason, score = item.get("reason", ""), item.get("score")
        else:
            try:
                start, end, label, *rest = tuple(item)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise UserError(f"suggester {name!r} on {doc.id}: bad item {item!r:.80}") from None
            reason = rest[0] if rest else ""
            score = rest[1] if len(rest) > 1 else None
        problem = check_span_bounds(len(text), start, end)
        if problem:
            raise UserError(f"suggester {name!r} on {doc.id}: {problem}")
        if not isinstance(label, str) or schema.label(label) is None:
            raise UserError(f"suggester {name!r} on {doc.id}: unknown label {label!r}")
        if score is not None and (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise UserError(
                f"suggester {name!r} on {doc.id}: score must be a number, not {score!r}"
            )
        start, end = widen(text, start, end)  # an edge inside a cluster: the whole character
        reason = str(reason) if reason else f"plug-in {name}"
        score = None if score is None else float(score)
        out.append(Suggestion(doc.id, start, end, label, reason, text[start:end], score=score))
    return out
