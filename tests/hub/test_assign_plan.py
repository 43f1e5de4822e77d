"""Planning assignments (pure): k curators each, clusters together, the least loaded first."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.core.assign import plan

DOCS = [("d1", ""), ("d2", "c1"), ("d3", "c1"), ("d4", ""), ("d5", ""), ("d6", "")]


def test_each_document_gets_k_distinct_curators() -> None:
    pairs = plan(DOCS, ["a", "b", "c"], 2, {})
    per_doc = Counter(d for d, _ in pairs)
    assert set(per_doc.values()) == {2} and len(per_doc) == len(DOCS)
    assert len(set(pairs)) == len(pairs)


def test_a_cluster_stays_with_the_same_curators() -> None:
    pairs = plan(DOCS, ["a", "b", "c"], 1, {})
    got = dict(pairs)
    assert got["d2"] == got["d3"]


def test_load_is_balanced_and_existing_work_counts() -> None:
    pairs = plan(DOCS, ["a", "b", "c"], 1, {"d1": {"a"}})
    load = Counter(c for _, c in pairs)
    assert "d1" not in dict(pairs)
    assert load["a"] <= load["b"] and load["a"] <= load["c"]  # "a" already has d1
    assert max(load.values()) - min(load.values() or [0]) <= 2  # a cluster of two moves together


def test_count_takes_whole_clusters() -> None:
    pairs = plan(DOCS, ["a", "b"], 1, {}, count=2)
    assert {d for d, _ in pairs} == {"d1"}  # the cluster of two would make three
    pairs = plan(DOCS, ["a", "b"], 1, {}, count=3)
    assert {d for d, _ in pairs} == {"d1", "d2", "d3"}


def test_already_covered_documents_get_nothing_more() -> None:
    first = plan(DOCS, ["a", "b"], 1, {})
    existing: dict[str, set[str]] = {}
    for d, c in first:
        existing.setdefault(d, set()).add(c)
    assert plan(DOCS, ["a", "b"], 1, existing) == []
    more = plan(DOCS, ["a", "b"], 2, existing)
    assert all(c not in existing[d] for d, c in more) and len(more) == len(DOCS)


@pytest.mark.parametrize("k", [0, 4])
def test_k_must_fit_the_team(k: int) -> None:
    with pytest.raises(ValueError, match="curator"):
        plan(DOCS, ["a", "b", "c"], k, {})
