"""Agreement figures on three curator layers with known disagreements.

Every expected figure is worked out by hand in the comments next to it.
"""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest

from annotator.services import review
from annotator.services.importing import import_paths
from annotator.services.project import Project

T1 = "قال مارك أسبر إن الجيش في الرباط مستعد"
# tokens: قال(0,3) مارك(4,8) أسبر(9,13) إن(14,16) الجيش(17,22) في(23,25) الرباط(26,32) مستعد(33,38)
T2 = "ذكرت وكالة الأنباء أن الوزير زار القاهرة"
# tokens: ذكرت(0,4) وكالة(5,10) الأنباء(11,18) أن(19,21) الوزير(22,28) زار(29,32) القاهرة(33,40)
T3 = "أعلنت الحكومة خطة جديدة"

LAYERS = {
    ("ali", T1): [
        (4, 13, "PER"),
        (4, 13, "SOURCE"),
        (17, 22, "ORG"),
        (26, 32, "LOC"),
        (17, 38, "CLAIM"),
    ],
    ("sara", T1): [
        (4, 13, "PER"),
        (4, 13, "SOURCE"),
        (17, 22, "LOC"),
        (26, 32, "LOC"),
        (17, 38, "CLAIM"),
    ],
    ("omar", T1): [(4, 8, "PER"), (4, 13, "SOURCE"), (17, 22, "ORG"), (17, 38, "CLAIM")],
    ("ali", T2): [(5, 18, "ORG"), (33, 40, "LOC")],
    ("sara", T2): [(5, 18, "ORG"), (22, 28, "PER"), (33, 40, "LOC")],
    ("omar", T3): [(6, 13, "ORG")],  # only omar annotated T3: it counts nowhere
}
#: ali and sara link the claim of T1 to its source; omar does not.
LINKS = {("ali", T1), ("sara", T1)}


def team_jsonl(path: Path) -> Path:
    """Write the three curators' layers as native JSONL; return the path."""
    lines = []
    for (layer, text), keys in LAYERS.items():
        spans = [
            {"id": f"s{i}", "start": s, "end": e, "label": lab, "text": text[s:e]}
            for i, (s, e, lab) in enumerate(keys)
        ]
        rels = []
        if (layer, text) in LINKS:
            rels = [{"label": "ATTRIBUTED_TO", "head": "s4", "tail": "s1"}]
        lines.append(
            json.dumps(
                {"text": text, "layer": layer, "spans": spans, "relations": rels},
                ensure_ascii=False,
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_team(project: Project, tmp_path: Path) -> None:
    """Import the team's layers into ``project``."""
    import_paths(project, [team_jsonl(tmp_path / "team.jsonl")])


@pytest.fixture
def team(project: Project, tmp_path: Path) -> Project:
    load_team(project, tmp_path)
    return project


def test_pairwise_exact_match_f1(team: Project) -> None:
    result = review.agreement(team).to_json()
    # T1 and T2 have two or more layers; T3 only omar's.
    assert result["documents"] == 2
    pairs = {(p["a"], p["b"]): p for p in result["pairs"]}
    assert set(pairs) == {("ali", "omar"), ("ali", "sara"), ("omar", "sara")}

    # ali/omar share T1 only. ali 5 spans, omar 4; equal: SOURCE, ORG, CLAIM = 3.
    p = pairs["ali", "omar"]
    assert (p["matched"], p["a_spans"], p["b_spans"]) == (3, 5, 4)
    assert p["f1"] == pytest.approx(2 * 3 / (5 + 4))
    assert p["precision"] == pytest.approx(3 / 4)
    assert p["recall"] == pytest.approx(3 / 5)

    # ali/sara: T1 5 vs 5, equal PER SOURCE LOC(26,32) CLAIM = 4; T2 2 vs 3, equal 2.
    p = pairs["ali", "sara"]
    assert (p["matched"], p["a_spans"], p["b_spans"]) == (6, 7, 8)
    assert p["f1"] == pytest.approx(12 / 15)
    assert p["precision"] == pytest.approx(6 / 8)
    assert p["recall"] == pytest.approx(6 / 7)

    # omar/sara share T1: omar 4, sara 5, equal SOURCE and CLAIM = 2.
    p = pairs["omar", "sara"]
    assert (p["matched"], p["a_spans"], p["b_spans"]) == (2, 4, 5)
    assert p["f1"] == pytest.approx(4 / 9)
    assert p["precision"] == pytest.approx(2 / 5)
    assert p["recall"] == pytest.approx(2 / 4)
    assert set(p) == {"a", "b", "f1", "precision", "recall", "matched", "a_spans", "b_spans"}


def test_per_label_f1_pooled_over_pairs(team: Project) -> None:
    per = review.agreement(team).to_json()["per_label"]
    # PER: ali/omar 0 of 1+1; ali/sara T1 1 of 1+1, T2 0 of 0+1; omar/sara 0 of 1+1
    #      -> matched 1, spans 7
    assert per["PER"]["f1"] == pytest.approx(2 * 1 / 7)
    # ORG: ali/omar 1 of 1+1; ali/sara T1 0 of 1+0, T2 1 of 1+1; omar/sara 0 of 1+0
    #      -> matched 2, spans 6
    assert per["ORG"]["f1"] == pytest.approx(2 * 2 / 6)
    # LOC: ali/omar 0 of 1+0; ali/sara T1 1 of 1+2, T2 1 of 1+1; omar/sara 0 of 0+2
    #      -> matched 2, spans 8
    assert per["LOC"]["f1"] == pytest.approx(2 * 2 / 8)
    # SOURCE and CLAIM: every pair 1 of 1+1.
    assert per["SOURCE"]["f1"] == pytest.approx(1.0)
    assert per["CLAIM"]["f1"] == pytest.approx(1.0)
    assert set(per) == {"PER", "ORG", "LOC", "SOURCE", "CLAIM"}


def test_alpha_matches_krippendorff_on_hand_built_matrix(team: Project) -> None:
    alpha = review.agreement(team).to_json()["alpha"]
    nan = np.nan
    # Entity labels coded in name order: LOC 1, MISC 2, ORG 3, PER 4; 0 = none.
    # Rows ali, omar, sara; columns the 8 tokens of T1 then the 7 of T2
    # (omar did not annotate T2: missing).
    entity = np.array(
        [
            [0, 4, 4, 0, 3, 0, 1, 0, 0, 3, 3, 0, 0, 0, 1],
            [0, 4, 0, 0, 3, 0, 0, 0] + [nan] * 7,
            [0, 4, 4, 0, 1, 0, 1, 0, 0, 3, 3, 0, 4, 0, 1],
        ]
    )
    expected = krippendorff.alpha(reliability_data=entity, level_of_measurement="nominal")
    assert alpha["entity"] == pytest.approx(expected)
    assert 0 < alpha["entity"] < 1
    # CLAIM covers الجيش في الرباط مستعد in all three layers of T1.
    claim = np.array(
        [
            [0, 0, 0, 0, 1, 1, 1, 1] + [0] * 7,
            [0, 0, 0, 0, 1, 1, 1, 1] + [nan] * 7,
            [0, 0, 0, 0, 1, 1, 1, 1] + [0] * 7,
        ]
    )
    expected = krippendorff.alpha(reliability_data=claim, level_of_measurement="nominal")
    assert alpha["claim"] == pytest.approx(expected) == pytest.approx(1.0)
    source = np.array(
        [
            [0, 1, 1, 0, 0, 0, 0, 0] + [0] * 7,
            [0, 1, 1, 0, 0, 0, 0, 0] + [nan] * 7,
            [0, 1, 1, 0, 0, 0, 0, 0] + [0] * 7,
        ]
    )
    expected = krippendorff.alpha(reliability_data=source, level_of_measurement="nominal")
    assert alpha["source"] == pytest.approx(expected)


def test_gold_and_single_layer_documents_take_no_part(team: Project) -> None:
    before = review.agreement(team).to_json()
    review_name = "rana"
    from annotator.services import annotate, users

    users.add_user(team, review_name, "reviewer")
    doc_id = review.reviewable_documents(team)[0]
    annotate.add_span(team, review_name, doc_id, 0, 3, "MISC", layer="gold")
    assert review.agreement(team).to_json() == before


def test_layer_with_only_progress_counts_as_empty() -> None:
    from annotator.core.agreement import compute

    # b marked the document done without a span: it annotated it, found nothing.
    annotations = {"d": {"a": [(0, 3, "PER")], "b": []}}
    result = compute({"d": "abc def"}, annotations, {"PER": "entity"}).to_json()
    assert result["pairs"] == [
        {
            "a": "a",
            "b": "b",
            "f1": 0.0,
            "precision": None,
            "recall": 0.0,
            "matched": 0,
            "a_spans": 1,
            "b_spans": 0,
        }
    ]
    # PER on token 0 for a, nothing for b: alpha over [[1, 0], [0, 0]].
    expected = krippendorff.alpha(
        reliability_data=np.array([[1, 0], [0, 0]]), level_of_measurement="nominal"
    )
    assert result["alpha"]["entity"] == pytest.approx(expected)
    assert result["alpha"]["claim"] is None  # a single value: alpha is undefined


def test_units_split_at_span_edges_inside_words() -> None:
    from annotator.core.agreement import reliability_matrix

    text = "زار بالرباط"  # a tags الرباط inside بالرباط, b tags the whole word
    annotations = {"d": {"a": [(5, 11, "LOC")], "b": [(4, 11, "LOC")]}}
    names, matrix = reliability_matrix({"d": text}, annotations, ["LOC"])
    assert names == ["a", "b"]
    # units: زار, ب, الرباط
    assert matrix.tolist() == [[0, 0, 1], [0, 1, 1]]
