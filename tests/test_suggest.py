"""Suggestions on the sample articles: propagation, cues, accept, reject, plug-ins, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import InputError, PermissionDenied, UserError
from annotator.core.suggest import Suggestion
from annotator.services import annotate
from annotator.services import suggest as sg
from annotator.services.project import Project, open_project
from annotator.store import documents, spans


@pytest.fixture
def curated(sample_project: Project) -> Project:
    """The sample articles with one spelling of a name tagged by curator amal."""
    annotate.register(sample_project, "amal")
    first = _doc_with(sample_project, "مارك أسبر")
    start = first.text.index("مارك أسبر")
    annotate.add_span(sample_project, "amal", first.id, start, start + 9, "PER")
    return sample_project


def _doc_with(project: Project, needle: str):
    return next(d for d in documents.iter_documents(project.store) if needle in d.text)


def _by_text(items: list[Suggestion], label: str) -> dict[str, list[Suggestion]]:
    out: dict[str, list[Suggestion]] = {}
    for s in items:
        if s.label == label:
            out.setdefault(s.text, []).append(s)
    return out


def test_other_spelling_in_the_other_article_is_suggested(curated: Project) -> None:
    items = sg.suggest(curated, "amal")
    other = _doc_with(curated, "مارك إسبر")
    per = [s for s in items if s.label == "PER" and s.doc_id == other.id]
    assert [other.text[s.start : s.end] for s in per] == ["مارك إسبر"]
    assert per[0].reason.startswith("propagation")
    assert per[0].layer == "amal"
    # the tagged place itself is not suggested again; its other occurrences are
    tagged = spans.for_document(curated.store, _doc_with(curated, "مارك أسبر").id, "amal")[0]
    first_per = [s for s in items if s.label == "PER" and s.doc_id == tagged.doc_id]
    assert (tagged.start, tagged.end) not in {(s.start, s.end) for s in first_per}
    assert len(first_per) == 2


def test_named_sources_are_suggested(curated: Project) -> None:
    sources = _by_text(sg.suggest(curated, "amal"), "SOURCE")
    assert "سكاي نيوز" in sources
    assert "مصدر دبلوماسي مغربي" in sources
    assert sources["سكاي نيوز"][0].reason == "cue «وفقاً لما ذكرته»"
    assert sources["مصدر دبلوماسي مغربي"][0].reason == "cue «بحسب»"


def test_accept_stores_a_suggested_span_and_links_claim_to_source(curated: Project) -> None:
    items = sg.suggest(curated, "amal")
    source = _by_text(items, "SOURCE")["سكاي نيوز"][0]
    claim = next(s for s in items if s.label == "CLAIM" and s.link == (source.start, source.end))
    span = sg.accept(curated, "amal", claim).span
    assert (span.origin, span.layer, span.label) == ("suggested", "amal", "CLAIM")
    assert spans.relations_for(curated.store, claim.doc_id, "amal") == []  # no source yet
    src_span = sg.accept(curated, "amal", source).span
    rels = spans.relations_for(curated.store, claim.doc_id, "amal")
    assert [(r.label, r.head, r.tail) for r in rels] == [("ATTRIBUTED_TO", span.id, src_span.id)]
    again = sg.suggest(curated, "amal")
    assert claim.key not in {s.key for s in again}
    assert source.key not in {s.key for s in again}


def test_accept_all_links_pairs_in_any_order(curated: Project) -> None:
    items = [s for s in sg.suggest(curated, "amal") if s.label in ("SOURCE", "CLAIM")]
    sg.accept_all(curated, "amal", items)
    linked = sum(
        len(spans.relations_for(curated.store, d.id, "amal"))
        for d in documents.iter_documents(curated.store)
    )
    assert linked == sum(1 for s in items if s.label == "CLAIM")


def test_rejected_suggestions_never_come_back(curated: Project, db_path: Path) -> None:
    items = sg.suggest(curated, "amal")
    target = _by_text(items, "PER")["مارك إسبر"][0]
    sg.reject(curated, "amal", target)
    assert target.key not in {s.key for s in sg.suggest(curated, "amal")}
    curated.close()
    with open_project(db_path) as reopened:
        assert target.key not in {s.key for s in sg.suggest(reopened, "amal")}
        assert len(sg.suggest(reopened, "amal")) == len(items) - 1


def test_reject_needs_write_permission(curated: Project) -> None:
    annotate.register(curated, "omar")
    target = sg.suggest(curated, "amal")[0]
    with pytest.raises(PermissionDenied):
        sg.reject(curated, "omar", target)
    with pytest.raises(PermissionDenied):
        sg.accept(curated, "omar", target)


def test_layers_are_independent(curated: Project) -> None:
    annotate.register(curated, "omar")
    source = _by_text(sg.suggest(curated, "amal"), "SOURCE")["سكاي نيوز"][0]
    sg.reject(curated, "amal", source)
    omar = sg.suggest(curated, "omar")
    assert not any(s.reason.startswith("propagation") for s in omar)  # omar labeled nothing
    assert (source.doc_id, source.start, source.end) in {(s.doc_id, s.start, s.end) for s in omar}


def test_plugin_suggester_in_process(curated: Project) -> None:
    def capitals(text: str, doc_id: str):
        for name in ("الرباط", "تونس"):
            start = text.find(name)
            if start >= 0:
                yield (start, start + len(name), "LOC", f"capital {name}")

    items = sg.suggest(curated, "amal", extra_suggesters={"capitals": capitals})
    locs = [s for s in items if s.label == "LOC"]
    assert {s.text for s in locs} == {"الرباط", "تونس"}
    assert all(s.reason.startswith("capital ") for s in locs)


def test_plugins_come_from_entry_points(curated: Project, monkeypatch) -> None:
    class FakeEntryPoint:
        name = "dates"

        def load(self):
            return lambda text, doc_id: [{"start": 0, "end": 4, "label": "MISC"}]

    def fake_entry_points(group: str):
        return [FakeEntryPoint()] if group == sg.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(sg, "entry_points", fake_entry_points)
    assert set(sg.plugin_suggesters()) == {"dates"}
    misc = [s for s in sg.suggest(curated, "amal") if s.label == "MISC"]
    assert len(misc) == 2
    assert all(s.start == 0 and s.reason == "plug-in dates" for s in misc)
    assert not any(s.label == "MISC" for s in sg.suggest(curated, "amal", plugins=False))


def test_bad_plugin_output_is_a_user_error(curated: Project) -> None:
    with pytest.raises(UserError, match=r"suggester 'bad'.*unknown label 'NOPE'"):
        sg.suggest(curated, "amal", extra_suggesters={"bad": lambda t, d: [(0, 1, "NOPE")]})
    with pytest.raises(UserError, match="outside the text"):
        sg.suggest(curated, "amal", extra_suggesters={"bad": lambda t, d: [(0, 10**6, "PER")]})


def test_malformed_cue_file_is_refused(curated: Project, tmp_path: Path) -> None:
    bad = tmp_path / "cues.txt"
    bad.write_text("source بحسب\nsource [\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"cues.txt:2: bad pattern"):
        sg.suggest(curated, "amal", cues_file=bad)


def test_unknown_document(curated: Project) -> None:
    with pytest.raises(UserError, match="no document d_nope"):
        sg.suggest(curated, "amal", ["d_nope"])


def test_cli_suggest_json(curated: Project, capsys, tmp_path: Path) -> None:
    db = str(curated.store.path)
    assert main(["suggest", "--layer", "amal", "--json", "--db", db]) == 0
    out = json.loads(capsys.readouterr().out)["suggestions"]
    assert out
    assert {"doc_id", "start", "end", "label", "reason"} <= set(out[0])
    texts = {documents.get(curated.store, s["doc_id"]).text[s["start"] : s["end"]] for s in out}
    assert {"مارك إسبر", "سكاي نيوز"} <= texts
    bad = tmp_path / "cues.txt"
    bad.write_text("nonsense x\n", encoding="utf-8")
    assert main(["suggest", "--layer", "amal", "--cues", str(bad), "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{bad}:1: unknown cue kind" in err
