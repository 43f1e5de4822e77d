"""Conflicts between curator layers, on hand-built layers (pure core)."""

from __future__ import annotations

from annotator.core.conflicts import (
    LayerAnnotations,
    find_conflicts,
    unanimous_relations,
    unanimous_spans,
)
from annotator.core.model import Relation, Span

KINDS = {
    "PER": "entity",
    "ORG": "entity",
    "LOC": "entity",
    "MISC": "entity",
    "CLAIM": "claim",
    "SOURCE": "source",
}


def layer(name: str, keys: list[tuple[int, int, str]], links=()) -> LayerAnnotations:
    """A layer from span keys; ``links`` are (head index, tail index) pairs."""
    spans = [Span(f"{name}{i}", "d", name, s, e, lab) for i, (s, e, lab) in enumerate(keys)]
    rels = [
        Relation(f"{name}r{j}", "d", name, "ATTRIBUTED_TO", spans[h].id, spans[t].id)
        for j, (h, t) in enumerate(links)
    ]
    return LayerAnnotations(spans, rels)


def three_layers() -> dict[str, LayerAnnotations]:
    # قال مارك أسبر إن الجيش في الرباط مستعد
    return {
        "ali": layer(
            "ali",
            [
                (4, 13, "PER"),
                (4, 13, "SOURCE"),
                (17, 22, "ORG"),
                (26, 32, "LOC"),
                (17, 38, "CLAIM"),
            ],
            [(4, 1)],
        ),
        "sara": layer(
            "sara",
            [
                (4, 13, "PER"),
                (4, 13, "SOURCE"),
                (17, 22, "LOC"),
                (26, 32, "LOC"),
                (17, 38, "CLAIM"),
            ],
            [(4, 1)],
        ),
        "omar": layer(
            "omar", [(4, 8, "PER"), (4, 13, "SOURCE"), (17, 22, "ORG"), (17, 38, "CLAIM")]
        ),
    }


def test_each_kind_of_conflict_with_its_sides() -> None:
    conflicts = find_conflicts("d", three_layers(), KINDS)
    got = [(c.kind, [(s.layers, s.spans, s.relations) for s in c.sides]) for c in conflicts]
    rel = ("ATTRIBUTED_TO", (17, 38, "CLAIM"), (4, 13, "SOURCE"))
    assert got == [
        ("boundary", [(("ali", "sara"), ((4, 13, "PER"),), ()), (("omar",), ((4, 8, "PER"),), ())]),
        ("relation", [(("ali", "sara"), (), (rel,)), (("omar",), (), ())]),
        ("label", [(("ali", "omar"), ((17, 22, "ORG"),), ()), (("sara",), ((17, 22, "LOC"),), ())]),
        ("missing", [(("ali", "sara"), ((26, 32, "LOC"),), ()), (("omar",), (), ())]),
    ]
    assert [c.id for c in conflicts] == [
        "boundary:4-8-PER;4-13-PER",
        "relation:ATTRIBUTED_TO(17-38-CLAIM>4-13-SOURCE)",
        "label:17-22-LOC;17-22-ORG",
        "missing:26-32-LOC",
    ]


def test_unanimous_spans_and_relations() -> None:
    layers = three_layers()
    assert unanimous_spans(layers) == [(4, 13, "SOURCE"), (17, 38, "CLAIM")]
    assert unanimous_relations(layers) == []
    two = {k: layers[k] for k in ("ali", "sara")}
    assert unanimous_relations(two) == [("ATTRIBUTED_TO", (17, 38, "CLAIM"), (4, 13, "SOURCE"))]


def test_stacked_spans_of_other_kinds_are_not_label_conflicts() -> None:
    # An ORG that is also a SOURCE in one layer, only an ORG in the other:
    # the SOURCE is missing, the ORG is agreed.
    layers = {
        "a": layer("a", [(0, 5, "ORG"), (0, 5, "SOURCE")]),
        "b": layer("b", [(0, 5, "ORG")]),
    }
    conflicts = find_conflicts("d", layers, KINDS)
    assert [(c.kind, c.keys) for c in conflicts] == [("missing", ((0, 5, "SOURCE"),))]


def test_stacked_labels_of_one_kind_compared_as_multisets() -> None:
    # a stacks PER and ORG on one stretch; b has only PER: the ORG is the dispute.
    layers = {
        "a": layer("a", [(0, 5, "PER"), (0, 5, "ORG")]),
        "b": layer("b", [(0, 5, "PER")]),
    }
    conflicts = find_conflicts("d", layers, KINDS)
    assert [(c.kind, c.keys) for c in conflicts] == [("missing", ((0, 5, "ORG"),))]


def test_duplicate_spans_count_twice() -> None:
    layers = {
        "a": layer("a", [(0, 5, "PER"), (0, 5, "PER")]),
        "b": layer("b", [(0, 5, "PER")]),
    }
    assert unanimous_spans(layers) == [(0, 5, "PER")]
    (conflict,) = find_conflicts("d", layers, KINDS)
    assert conflict.kind == "missing"
    assert [(s.layers, s.spans) for s in conflict.sides] == [
        (("a",), ((0, 5, "PER"),)),
        (("b",), ()),
    ]


def test_split_span_against_one_long_span_is_one_boundary_conflict() -> None:
    layers = {
        "a": layer("a", [(0, 5, "LOC"), (6, 10, "LOC")]),
        "b": layer("b", [(0, 10, "LOC")]),
    }
    (conflict,) = find_conflicts("d", layers, KINDS)
    assert conflict.kind == "boundary"
    assert conflict.span == (0, 10)
    assert [s.spans for s in conflict.sides] == [((0, 5, "LOC"), (6, 10, "LOC")), ((0, 10, "LOC"),)]


def test_touching_spans_do_not_overlap() -> None:
    layers = {"a": layer("a", [(0, 5, "LOC")]), "b": layer("b", [(5, 9, "LOC")])}
    assert [c.kind for c in find_conflicts("d", layers, KINDS)] == ["missing", "missing"]


def test_one_layer_or_full_agreement_has_no_conflicts() -> None:
    one = {"a": layer("a", [(0, 5, "LOC")])}
    assert find_conflicts("d", one, KINDS) == []
    same = {"a": layer("a", [(0, 5, "LOC")]), "b": layer("b", [(0, 5, "LOC")])}
    assert find_conflicts("d", same, KINDS) == []
    empty = {"a": layer("a", []), "b": layer("b", [(0, 5, "LOC")])}
    assert [c.kind for c in find_conflicts("d", empty, KINDS)] == ["missing"]
