"""Suggestions measured against hand-tagged spans of the two sample articles.

``tests/data/sample_gold.jsonl`` is native JSONL: the stored (cleaned) texts
of the sample articles with entities, sources, claims and their links tagged
by hand. The figures printed here (``pytest -s``) are the ones reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.services import annotate
from annotator.services import suggest as sg
from annotator.services.importing import import_paths
from annotator.services.project import Project
from annotator.store import documents, spans
from tests.helpers import gold_reviewer

GOLD = Path(__file__).parent / "data" / "sample_gold.jsonl"
ENTITIES = {"PER", "ORG", "LOC", "MISC"}
Key = tuple[str, int, int, str]


def _gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def _scores(found: set[Key], gold: set[Key], overlap: bool = False) -> tuple[float, float]:
    def hit(a: Key, pool: set[Key]) -> bool:
        if not overlap:
            return a in pool
        return any(a[0] == b[0] and a[3] == b[3] and a[1] < b[2] and b[1] < a[2] for b in pool)

    precision = sum(hit(s, gold) for s in found) / len(found) if found else 0.0
    recall = sum(hit(g, found) for g in gold) / len(gold) if gold else 0.0
    return precision, recall


def test_gold_texts_are_the_stored_sample_texts(sample_project: Project) -> None:
    records = _gold()
    assert len(records) == 2
    for rec in records:
        doc = documents.get(sample_project.store, rec["id"])
        assert doc is not None and doc.text == rec["text"]
        for span in rec["spans"]:
            assert rec["text"][span["start"] : span["end"]] == span["text"]
    import_paths(sample_project, [GOLD], reviewer=gold_reviewer(sample_project))  # checked too
    for rec in records:
        stored = spans.for_document(sample_project.store, rec["id"], "gold")
        assert len(stored) == len(rec["spans"])


def test_attribution_cues_against_gold(sample_project: Project) -> None:
    annotate.register(sample_project, "cue")
    found = {s.key for s in sg.suggest(sample_project, "cue", plugins=False)}
    for labels in (("SOURCE",), ("CLAIM",)):
        gold = {
            (r["id"], s["start"], s["end"], s["label"])
            for r in _gold()
            for s in r["spans"]
            if s["label"] in labels
        }
        mine = {k for k in found if k[3] in labels}
        p, r = _scores(mine, gold)
        po, ro = _scores(mine, gold, overlap=True)
        print(f"cues {labels[0]}: exact P={p:.2f} R={r:.2f}, overlap P={po:.2f} R={ro:.2f}")
        assert p >= 0.8 and r >= 0.6


@pytest.mark.parametrize(("seeded", "target"), [(0, 1), (1, 0)])
def test_propagation_against_gold(sample_project: Project, seeded: int, target: int) -> None:
    """Tag the entities of one article; measure what is suggested in the other."""
    records = _gold()
    annotate.register(sample_project, "amal")
    seed = records[seeded]
    for s in seed["spans"]:
        if s["label"] in ENTITIES:
            annotate.add_span(sample_project, "amal", seed["id"], s["start"], s["end"], s["label"])
    doc_id = records[target]["id"]
    found = {
        s.key
        for s in sg.suggest(sample_project, "amal", [doc_id], plugins=False)
        if s.reason.startswith("propagation")
    }
    gold = {
        (doc_id, s["start"], s["end"], s["label"])
        for s in records[target]["spans"]
        if s["label"] in ENTITIES
    }
    p, r = _scores(found, gold)
    print(f"propagation {seeded}->{target}: P={p:.2f} R={r:.2f} ({len(found)} suggested)")
    assert p >= 0.6 and r >= 0.15
