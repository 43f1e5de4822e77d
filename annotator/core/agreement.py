"""Inter-annotator agreement (pure maths).

- Pairwise exact-match span F1: over the documents both layers annotated,
  ``matched`` counts spans equal in (start, end, label) (as multisets);
  ``F1 = 2 * matched / (a_spans + b_spans)``; precision and recall are those
  of layer b against layer a (``matched / b_spans``, ``matched / a_spans``).
  Per label the same sums are pooled over every pair.
- Token-level Krippendorff's alpha (nominal), one per label kind, over the
  tokens of documents annotated by two or more layers. Tokens are those of
  ``core.tokens.tokenize`` cut at every span edge of any layer, so a span on
  "الرباط" inside "بالرباط" gets its own unit. A unit's value in a layer is
  the label of that kind covering it (the shortest span wins when several
  do), "no label" when the layer annotated the document but left it bare, and
  missing when the layer did not annotate the document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import krippendorff
import numpy as np

from annotator.core.tokens import split_at, tokenize

SpanKey = tuple[int, int, str]
#: doc_id -> layer -> span keys of that layer (only layers that annotated it)
Annotations = Mapping[str, Mapping[str, Sequence[SpanKey]]]
LABEL_KINDS = ("entity", "claim", "source")
NONE_VALUE = 0  # the value of a unit no span of the kind covers


@dataclass(frozen=True, slots=True)
class PairScore:
    """Exact-match agreement of layer b with layer a."""

    a: str
    b: str
    matched: int
    a_spans: int
    b_spans: int
    documents: int = 0
    per_label: dict[str, tuple[int, int, int]] = field(default_factory=dict, compare=False)

    @property
    def f1(self) -> float | None:
        """2 * matched / (a_spans + b_spans); None when both layers are empty."""
        return _f1(self.matched, self.a_spans + self.b_spans)

    @property
    def precision(self) -> float | None:
        """matched / b_spans (None when b has no spans)."""
        return self.matched / self.b_spans if self.b_spans else None

    @property
    def recall(self) -> float | None:
        """matched / a_spans (None when a has no spans)."""
        return self.matched / self.a_spans if self.a_spans else None


@dataclass(frozen=True, slots=True)
class Agreement:
    """Every agreement figure of a project."""

    documents: int
    pairs: tuple[PairScore, ...]
    per_label: dict[str, tuple[int, int]]  # label -> (matched, spans of both sides)
    alpha: dict[str, float | None]

    def label_f1(self, label: str) -> float | None:
        """F1 of one label pooled over every pair."""
        matched, total = self.per_label[label]
        return _f1(matched, total)

    def to_json(self) -> dict:
        """The JSON shape of ``annotator agreement --json``."""
        return {
            "documents": self.documents,
            "pairs": [
                {
                    "a": p.a,
                    "b": p.b,
                    "f1": p.f1,
                    "precision": p.precision,
                    "recall": p.recall,
                    "matched": p.matched,
                    "a_spans": p.a_spans,
                    "b_spans": p.b_spans,
                }
                for p in self.pairs
            ],
            "per_label": {lab: {"f1": self.label_f1(lab)} for lab in sorted(self.per_label)},
            "alpha": dict(self.alpha),
        }


def _f1(matched: int, total: int) -> float | None:
    return 2 * matched / total if total else None


def pair_score(a: str, b: str, annotations: Annotations) -> PairScore:
    """Exact-match scores of ``b`` against ``a`` over the documents both annotated."""
    matched = a_n = b_n = docs = 0
    per_label: dict[str, list[int]] = {}
    for layers in annotations.values():
        if a not in layers or b not in layers:
            continue
        docs += 1
        ca, cb = Counter(layers[a]), Counter(layers[b])
        both = ca & cb
        matched += sum(both.values())
        a_n += sum(ca.values())
        b_n += sum(cb.values())
        for counter, slot in ((both, 0), (ca, 1), (cb, 2)):
            for key, n in counter.items():
                per_label.setdefault(key[2], [0, 0, 0])[slot] += n
    return PairScore(a, b, matched, a_n, b_n, docs, {k: tuple(v) for k, v in per_label.items()})


def span_agreement(
    annotations: Annotations, layers: Sequence[str] | None = None
) -> tuple[tuple[PairScore, ...], dict[str, tuple[int, int]]]:
    """Scores of every pair of ``layers`` (default: all, sorted) that shares a
    document, and per-label sums (matched, spans of both sides) over those pairs."""
    names = sorted(layers) if layers is not None else _all_layers(annotations)
    scored = (pair_score(a, b, annotations) for a, b in combinations(names, 2))
    pairs = tuple(p for p in scored if p.documents)
    per_label: dict[str, tuple[int, int]] = {}
    for p in pairs:
        for label, (m, na, nb) in p.per_label.items():
            old = per_label.get(label, (0, 0))
            per_label[label] = (old[0] + m, old[1] + na + nb)
    return pairs, per_label


def _all_layers(annotations: Annotations) -> list[str]:
    return sorted({layer for layers in annotations.values() for layer in layers})


def reliability_matrix(
    texts: Mapping[str, str],
    annotations: Annotations,
    labels: Sequence[str],
    layers: Sequence[str] | None = None,
) -> tuple[list[str], np.ndarray]:
    """Layers (rows) and the coder-by-unit matrix for labels ``labels`` of one kind.

    Values: 0 for no label, ``i + 1`` for ``labels[i]``, NaN where the layer
    did not annotate the document. Only documents with two or more layers
    count; documents run in the order of ``texts``.
    """
    names = sorted(layers) if layers is not None else _all_layers(annotations)
    code = {lab: i + 1 for i, lab in enumerate(labels)}
    columns: list[np.ndarray] = []
    for doc_id, text in texts.items():
        doc = annotations.get(doc_id, {})
        present = [n for n in names if n in doc]
        if len(present) < 2:
            continue
        cuts = {edge for n in present for s, e, _ in doc[n] for edge in (s, e)}
        units = split_at(tokenize(text), cuts)
        block = np.full((len(names), len(units)), np.nan)
        for row, name in enumerate(names):
            if name in doc:
                block[row] = _unit_values(units, doc[name], code)
        columns.append(block)
    if not columns:
        return names, np.empty((len(names), 0))
    return names, np.concatenate(columns, axis=1)


def _unit_values(
    units: list[tuple[int, int]], keys: Sequence[SpanKey], code: Mapping[str, int]
) -> np.ndarray:
    """Value of each unit for one layer: the shortest covering span's label code."""
    values = np.zeros(len(units))
    best = np.full(len(units), np.inf)
    starts = np.array([u[0] for u in units], dtype=np.int64)
    ends = np.array([u[1] for u in units], dtype=np.int64)
    for start, end, label in sorted(keys, key=lambda k: (k[1] - k[0], k[2])):
        if label not in code:
            continue
        inside = (starts >= start) & (ends <= end) & (best > end - start)
        values[inside] = code[label]
        best[inside] = end - start
    return values


def alpha_nominal(matrix: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) of a coder-by-unit matrix; None when undefined."""
    if matrix.size == 0:
        return None
    pairable = np.sum(~np.isnan(matrix), axis=0) >= 2
    values = matrix[:, pairable]
    if values.size == 0 or len(np.unique(values[~np.isnan(values)])) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"))


def compute(
    texts: Mapping[str, str],
    annotations: Annotations,
    label_kinds: Mapping[str, str],
    layers: Sequence[str] | None = None,
) -> Agreement:
    """All figures: pairwise F1, per-label F1 and alpha per kind.

    ``texts`` maps doc_id -> text (documents to consider), ``annotations``
    doc_id -> layer -> span keys, ``label_kinds`` label -> kind.
    """
    names = sorted(layers) if layers is not None else _all_layers(annotations)
    pairs, per_label = span_agreement(annotations, names)
    alpha: dict[str, float | None] = {}
    for kind in LABEL_KINDS:
        labels = sorted(lab for lab, k in label_kinds.items() if k == kind)
        _, matrix = reliability_matrix(texts, annotations, labels, names)
        alpha[kind] = alpha_nominal(matrix)
    documents = sum(
        1 for doc_id in texts if sum(1 for n in names if n in annotations.get(doc_id, {})) >= 2
    )
    return Agreement(documents, pairs, per_label, alpha)
