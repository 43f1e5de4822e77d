"""Splits: parsing, determinism, coverage, near-duplicate clusters kept together."""

from __future__ import annotations

import pytest

from annotator.core.errors import UserError
from annotator.core.splits import assign_splits, parse_split

SPLITS = [("train", 0.8), ("dev", 0.1), ("test", 0.1)]


def _docs(n: int, cluster_every: int = 0) -> list[tuple[str, str]]:
    """n documents; every ``cluster_every``-th pair shares a cluster."""
    out = []
    for i in range(n):
        cluster = f"c{i // 2}" if cluster_every and (i // 2) % cluster_every == 0 else f"d{i}"
        out.append((f"d{i}", cluster))
    return out


def test_parse_split() -> None:
    assert parse_split("train=.8,dev=.1,test=.1") == SPLITS
    assert parse_split(" a = 0.5 , b=0.5") == [("a", 0.5), ("b", 0.5)]
    assert parse_split("all=1") == [("all", 1.0)]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("train=.8,dev=.1", "sum to 1"),
        ("train=1.1,dev=-.1", ">= 0"),
        ("train=.5,train=.5", "twice"),
        ("train", "NAME=RATIO"),
        ("=1", "NAME=RATIO"),
        ("tr/ain=1", "cannot be a split name"),
        ("manifest=1", "cannot be a split name"),
        ("train=abc", "not a number"),
        ("train=nan", ">= 0"),
    ],
)
def test_bad_split_specs(spec: str, problem: str) -> None:
    with pytest.raises(UserError, match=problem):
        parse_split(spec)


def test_assignment_is_deterministic_and_covers_every_document() -> None:
    docs = _docs(1000, cluster_every=3)
    first = assign_splits(docs, SPLITS, seed=1)
    assert first == assign_splits(list(reversed(docs)), SPLITS, seed=1)
    assert set(first) == {d for d, _ in docs}
    other = assign_splits(docs, SPLITS, seed=2)
    assert other != first
    for assignment in (first, other):
        sizes = {name: sum(1 for v in assignment.values() if v == name) for name, _ in SPLITS}
        for name, ratio in SPLITS:
            assert abs(sizes[name] - ratio * 1000) <= 20, sizes


def test_clusters_never_straddle_splits() -> None:
    docs = _docs(400, cluster_every=1)  # every pair is a cluster
    clusters: dict[str, set[str]] = {}
    for seed in range(5):
        assignment = assign_splits(docs, SPLITS, seed)
        for doc_id, cluster in docs:
            clusters.setdefault((seed, cluster), set()).add(assignment[doc_id])
    assert all(len(names) == 1 for names in clusters.values())


def test_zero_ratio_split_stays_empty() -> None:
    assignment = assign_splits(_docs(50), [("train", 1.0), ("test", 0.0)], seed=0)
    assert set(assignment.values()) == {"train"}
    assignment = assign_splits(_docs(50), [("train", 0.5), ("test", 0.5), ("x", 0.0)], seed=0)
    assert set(assignment.values()) == {"train", "test"}
