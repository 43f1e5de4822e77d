"""Import -> export -> import keeps the spans, for every format that imports back.

Run on the layered test data (three curators' layers with relations, and the
gold sample) and on the shared Wojood sample. CoNLL rebuilds a document's
text from its tokens (single spaces), so for texts that were not already
tokenised the spans are compared by label and text without spaces, and the
second cycle must be exact.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.core.tokens import tokenize
from annotator.services.datasets import ExportOptions, choices, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_project
from tests.conftest import require_wojood
from tests.helpers import gold_reviewer, write_jsonl
from tests.test_roundtrip import records

DATA = Path(__file__).parent / "data"
EXAMPLES = 200 if os.environ.get("ANNOTATOR_LONG_TESTS") == "1" else 8


def _layers(project: Project) -> list[str]:
    return [n for n in choices(project)["layers"] if n != "all"]


def _spans(project: Project, layer: str) -> list[tuple]:
    out = []
    for rec in native_records(project, layer):
        key = {s["id"]: (s["start"], s["end"], s["label"]) for s in rec["spans"]}
        spans = sorted((s["start"], s["end"], s["label"]) for s in rec["spans"])
        rels = sorted((r["label"], key[r["head"]], key[r["tail"]]) for r in rec["relations"])
        if spans:
            out.append((rec["text"], spans, rels))
    return sorted(out)


def _loose(project: Project, layer: str) -> list[tuple]:
    """Per document (in order) the sorted (label, span text without spaces)."""
    out = []
    for rec in native_records(project, layer):
        spans = sorted((s["label"], "".join(s["text"].split())) for s in rec["spans"])
        if spans:
            out.append(("".join(rec["text"].split()), spans))
    return sorted(out)


@pytest.fixture(params=["team", "gold", "wojood"])
def source(request, tmp_path: Path) -> Project:
    """A project holding one of the test corpora."""
    project = open_project(tmp_path / "source.db")
    if request.param == "team":
        from tests.test_agreement import load_team

        load_team(project, tmp_path)
    elif request.param == "gold":
        import_paths(project, [DATA / "sample_gold.jsonl"], reviewer=gold_reviewer(project))
    else:
        import_paths(project, [require_wojood()], annotator="gold", reviewer=gold_reviewer(project))
    yield project
    project.close()


def _cycle(project: Project, fmt: str, layer: str, folder: Path) -> Project:
    """Export ``layer`` of ``project`` in ``fmt`` and import it into a fresh project."""
    folder.mkdir()
    suffix = {"conll": ".conll", "labelstudio": ".json"}.get(fmt, ".jsonl")
    out = folder / f"{layer}{suffix}"
    export_dataset(project, ExportOptions(fmt, out, layer=layer))
    again = open_project(folder / "again.db")
    annotator = layer if fmt == "doccano" else None
    import_paths(again, [out], annotator=annotator, reviewer=gold_reviewer(again))
    return again


@pytest.mark.parametrize("fmt", ["native", "labelstudio"])
def test_exact_round_trip(source: Project, fmt: str, tmp_path: Path) -> None:
    with _cycle(source, fmt, "all", tmp_path / fmt) as again:  # records carry their layer
        for layer in _layers(source):
            assert _spans(again, layer) == _spans(source, layer)


def test_doccano_round_trip_per_layer(source: Project, tmp_path: Path) -> None:
    for layer in _layers(source):
        with _cycle(source, "doccano", layer, tmp_path / layer) as again:
            # doccano's format has no relations
            assert _spans(again, layer) == [(t, s, []) for t, s, _ in _spans(source, layer)]


def test_conll_round_trip(source: Project, tmp_path: Path) -> None:
    with (
        _cycle(source, "conll", "all", tmp_path / "a") as once,
        _cycle(once, "conll", "all", tmp_path / "b") as twice,
    ):
        for layer in _layers(source):
            assert _loose(once, layer) == _loose(source, layer)
            assert _spans(twice, layer) == _spans(once, layer)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(records(), min_size=1, max_size=3, unique_by=lambda r: r["text"]))
def test_tricky_texts_round_trip(tmp_path_factory, recs: list[dict]) -> None:
    """Emoji, flags, tashkeel, bidi controls, CRLF: Label Studio exact, CoNLL stable.

    CoNLL keeps tokens only (no bidi controls, single spaces), so its first
    cycle may change a text; from then on it changes nothing.
    """
    assume(all(tokenize(r["text"]) for r in recs))  # CoNLL cannot hold a text without tokens
    tmp = tmp_path_factory.mktemp("fmt")
    src = write_jsonl(tmp / "in.jsonl", recs)
    with open_project(tmp / "a.db") as source:
        import_paths(source, [src])
        with _cycle(source, "labelstudio", "amal", tmp / "ls") as again:
            assert _spans(again, "amal") == _spans(source, "amal")
        with (
            _cycle(source, "conll", "amal", tmp / "c1") as once,
            _cycle(once, "conll", "amal", tmp / "c2") as twice,
        ):
            assert _spans(twice, "amal") == _spans(once, "amal")
