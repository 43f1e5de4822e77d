"""Conflicts between the annotation layers of one document (pure logic).

Spans are compared by their key ``(start, end, label)`` as multisets, so
stacked spans (an ORG that is also a SOURCE) and duplicates are counted, not
merged. A key every layer holds is *unanimous*; the others are grouped into
conflicts:

- ``label``: the same boundaries carry different labels (of one label kind);
- ``boundary``: overlapping spans of the same label with different edges;
- ``missing``: a span some layers have and the others do not;
- ``relation``: the links from one claim (by key) differ between layers;
  relations are compared by ``(label, head key, tail key)``.

Each conflict lists its *sides*: a version (the keys one group of layers
holds inside the conflict; possibly nothing) and the layers holding it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.core.model import Relation, Span

SpanKey = tuple[int, int, str]
RelKey = tuple[str, SpanKey, SpanKey]  # (label, head key, tail key)
KINDS = ("label", "boundary", "missing", "relation")


@dataclass(frozen=True, slots=True)
class Side:
    """One version of a conflict and the layers that hold it."""

    layers: tuple[str, ...]
    spans: tuple[SpanKey, ...] = ()
    relations: tuple[RelKey, ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    """A disagreement between layers on one stretch (or one claim) of a document."""

    doc_id: str
    kind: str
    sides: tuple[Side, ...]

    @property
    def keys(self) -> tuple[SpanKey, ...]:
        """Every span key any side holds, sorted (relation ends included)."""
        out: set[SpanKey] = set()
        for side in self.sides:
            out.update(side.spans)
            for _, head, tail in side.relations:
                out.update((head, tail))
        return tuple(sorted(out))

    @property
    def relation_keys(self) -> tuple[RelKey, ...]:
        """Every relation key any side holds, sorted."""
        return tuple(sorted({r for side in self.sides for r in side.relations}))

    @property
    def id(self) -> str:
        """Stable name of the conflict within its document (what decisions record)."""
        if self.kind == "relation":
            return "relation:" + ";".join(_rel_str(r) for r in self.relation_keys)
        return f"{self.kind}:" + ";".join(_key_str(k) for k in self.keys)

    @property
    def span(self) -> tuple[int, int]:
        """(start, end) covering every span of the conflict."""
        keys = self.keys
        return min(k[0] for k in keys), max(k[1] for k in keys)


@dataclass(frozen=True, slots=True)
class LayerAnnotations:
    """Spans and relations of one layer of one document."""

    spans: Sequence[Span]
    relations: Sequence[Relation] = ()

    def span_keys(self) -> Counter[SpanKey]:
        """Multiset of the layer's span keys."""
        return Counter(s.key for s in self.spans)

    def relation_keys(self) -> Counter[RelKey]:
        """Multiset of the layer's relation keys (ends by span key)."""
        by_id = {s.id: s.key for s in self.spans}
        return Counter(
            (r.label, by_id[r.head], by_id[r.tail])
            for r in self.relations
            if r.head in by_id and r.tail in by_id
        )


def _key_str(key: SpanKey) -> str:
    return f"{key[0]}-{key[1]}-{key[2]}"


def _rel_str(rel: RelKey) -> str:
    return f"{rel[0]}({_key_str(rel[1])}>{_key_str(rel[2])})"


def unanimous_spans(layers: Mapping[str, LayerAnnotations]) -> list[SpanKey]:
    """Span keys every layer holds (as often as the layer holding fewest), sorted."""
    return sorted(_common([a.span_keys() for a in layers.values()]).elements())


def unanimous_relations(layers: Mapping[str, LayerAnnotations]) -> list[RelKey]:
    """Relation keys every layer holds, sorted."""
    return sorted(_common([a.relation_keys() for a in layers.values()]).elements())


def _common(counters: list[Counter]) -> Counter:
    if not counters:
        return Counter()
    out = counters[0]
    for c in counters[1:]:
        out = out & c
    return out


def find_conflicts(
    doc_id: str,
    layers: Mapping[str, LayerAnnotations],
    kinds: Mapping[str, str] | None = None,
) -> list[Conflict]:
    """Conflicts between ``layers`` (layer name -> annotations) of one document.

    ``kinds`` maps a label to its kind (entity, claim, source): labels of
    different kinds never form a label conflict, since such spans may stack.
    Fewer than two layers give no conflicts. Sorted by position, then kind.
    """
    if len(layers) < 2:
        return []
    kinds = kinds or {}
    names = sorted(layers)
    counts = {name: layers[name].span_keys() for name in names}
    common = _common(list(counts.values()))
    extra = {name: counts[name] - common for name in names}
    disputed = sorted(set().union(*extra.values()))
    out: list[Conflict] = []
    for cluster in _clusters(disputed, kinds):
        members = set(cluster)
        sides = _sides(
            names, lambda n, m=members: tuple(sorted(k for k in m for _ in range(extra[n][k])))
        )
        labels = {k[2] for k in cluster}
        if len(cluster) == 1:
            kind = "missing"
        elif len(labels) > 1:
            kind = "label"
        else:
            kind = "boundary"
        out.append(Conflict(doc_id, kind, sides))
    out.extend(_relation_conflicts(doc_id, names, layers))
    out.sort(key=lambda c: (c.span, KINDS.index(c.kind), c.id))
    return out


def _sides(names: list[str], version_of) -> tuple[Side, ...]:
    """Group layers by the version ``version_of(layer)`` they hold.

    Sides holding something come first, larger groups before smaller ones.
    """
    groups: dict[tuple, list[str]] = {}
    for name in names:
        groups.setdefault(version_of(name), []).append(name)
    return tuple(
        Side(tuple(layers_), version)
        for version, layers_ in sorted(
            groups.items(), key=lambda kv: (not kv[0], -len(kv[1]), kv[0])
        )
    )


def _clusters(keys: list[SpanKey], kinds: Mapping[str, str]) -> list[list[SpanKey]]:
    """Connected groups of keys of one kind that overlap with the same edges or label."""
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(keys):
        for j in range(i + 1, len(keys)):
            b = keys[j]
            if b[0] >= a[1]:
                break  # keys are sorted by start: no later key overlaps a
            if kinds.get(a[2], "") != kinds.get(b[2], ""):
                continue
            if a[2] == b[2] or (a[0], a[1]) == (b[0], b[1]):
                parent[root(j)] = root(i)
    groups: dict[int, list[SpanKey]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(root(i), []).append(key)
    return list(groups.values())


def _relation_conflicts(
    doc_id: str, names: list[str], layers: Mapping[str, LayerAnnotations]
) -> list[Conflict]:
    """One conflict per (relation label, head key) whose links differ between layers."""
    counts = {name: layers[name].relation_keys() for name in names}
    common = _common(list(counts.values()))
    extra = {name: counts[name] - common for name in names}
    heads: dict[tuple[str, SpanKey], set[RelKey]] = {}
    for c in extra.values():
        for rel in c:
            heads.setdefault((rel[0], rel[1]), set()).add(rel)
    out = []
    for rels in heads.values():
        sides = _sides(
            names,
            lambda n, rs=rels: tuple(sorted(r for r in rs for _ in range(extra[n][r]))),
        )
        out.append(Conflict(doc_id, "relation", tuple(Side(s.layers, (), s.spans) for s in sides)))
    return out


def layers_from(
    spans: Iterable[Span], relations: Iterable[Relation], layer_names: Iterable[str]
) -> dict[str, LayerAnnotations]:
    """Group a document's spans and relations by layer, for ``layer_names`` only."""
    names = list(layer_names)
    by_span: dict[str, list[Span]] = {n: [] for n in names}
    by_rel: dict[str, list[Relation]] = {n: [] for n in names}
    for s in spans:
        if s.layer in by_span:
            by_span[s.layer].append(s)
    for r in relations:
        if r.layer in by_rel:
            by_rel[r.layer].append(r)
    return {n: LayerAnnotations(by_span[n], by_rel[n]) for n in names}
