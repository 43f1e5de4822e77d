"""Attribution records for fact-checking: article, entity types, cues, speech, ids, negatives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.formats.attribution import claim_id, sentences
from annotator.services.datasets import ExportOptions, export_dataset
from annotator.services.importing import import_paths
from annotator.services.project import Project
from tests.helpers import gold_reviewer, write_jsonl
from tests.test_export_service import _span, read_jsonl, utf16

TEXT = (
    "😀 وقال وزير الخارجية إن الاتفاق تاريخي. "
    "وأعلنت الشركة أن “ الأرباح تضاعفت ”. "
    "الطقس جميل اليوم. "
    "ارتفعت الأسعار، وفقاً لما ذكرته سكاي نيوز."
)
META = {"url": "https://example.org/n/1", "date": "2024-05-01", "sitename": "مثال نيوز"}


@pytest.fixture
def news(project: Project, tmp_path: Path) -> Project:
    spans = [
        _span(TEXT, "وزير الخارجية", "SOURCE", "s1"),
        _span(TEXT, "الخارجية", "ORG", "e1"),  # inside it, the only entity there
        _span(TEXT, "الاتفاق تاريخي", "CLAIM", "c1"),
        _span(TEXT, "الشركة", "SOURCE", "s2"),
        _span(TEXT, "الشركة", "ORG", "e2"),
        _span(TEXT, "الأرباح تضاعفت", "CLAIM", "c2"),
        _span(TEXT, "سكاي نيوز", "SOURCE", "s3"),
        _span(TEXT, "سكاي", "MISC", "e3a"),
        _span(TEXT, "سكاي نيوز", "ORG", "e3"),
        _span(TEXT, "ارتفعت الأسعار", "CLAIM", "c3"),
    ]
    rels = [{"label": "ATTRIBUTED_TO", "head": c, "tail": s}
            for c, s in (("c1", "s1"), ("c2", "s2"), ("c3", "s3"))]  # fmt: skip
    rec = {"text": TEXT, "layer": "gold", "spans": spans, "relations": rels,
           "meta": {"title": "خبر", **META}}  # fmt: skip
    import_paths(
        project, [write_jsonl(tmp_path / "news.jsonl", [rec])], reviewer=gold_reviewer(project)
    )
    return project


def _by_claim(recs: list[dict]) -> dict[str, dict]:
    return {r["claim"]["text"]: r for r in recs if r["claim"]}


def test_fact_checking_fields(news: Project, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    export_dataset(news, ExportOptions("attribution", out))
    recs = read_jsonl(out)
    assert len(recs) == 3 and all(r["has_claim"] for r in recs)
    got = _by_claim(recs)
    first, second, third = got["الاتفاق تاريخي"], got["الأرباح تضاعفت"], got["ارتفعت الأسعار"]
    for rec in recs:
        assert rec["article"] == {"title": "خبر", "url": META["url"], "date": META["date"],
                                  "outlet": META["sitename"]}  # fmt: skip
        assert rec["check_worthiness"] is None and rec["verdict"] is None
        sent = rec["sentence"]
        for key in ("claim", "source", "cue"):
            piece = rec[key]
            assert TEXT[piece["start"] : piece["end"]] == piece["text"]
            rel = sent["text"][piece["sentence_start"] : piece["sentence_end"]]
            assert rel == piece["text"]
    assert first["cue"]["text"] == "وقال" and first["speech"] == "indirect"
    assert first["claim"]["origin"] == first["source"]["origin"] == "imported"
    assert first["source"]["entity_type"] == "ORG"  # the only entity overlapping it
    assert second["speech"] == "direct"
    assert second["cue"]["text"] == "وأعلنت"
    assert second["source"]["entity_type"] == "ORG"
    assert third["cue"]["text"] == "وفقاً لما ذكرته"
    assert third["source"]["entity_type"] == "ORG"  # the ORG covers it more than the MISC
    assert third["speech"] == "indirect"
    start = TEXT.index("الاتفاق تاريخي")
    assert first["claim_id"] == claim_id(first["doc_id"], start, start + len("الاتفاق تاريخي"))


def test_claim_id_is_stable_across_layers_and_exports(news: Project, tmp_path: Path) -> None:
    out1, out2 = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    export_dataset(news, ExportOptions("attribution", out1))
    # the same claims in a curator layer, imported separately: other span ids, same claim ids
    again = read_jsonl(out1)
    curator = [
        {"text": TEXT, "layer": "amal", "spans": [
            _span(TEXT, r["claim"]["text"], "CLAIM", f"x{i}") for i, r in enumerate(again)]}
    ]  # fmt: skip
    import_paths(news, [write_jsonl(tmp_path / "amal.jsonl", curator)])
    export_dataset(news, ExportOptions("attribution", out2, layer="amal"))
    ids1 = sorted(r["claim_id"] for r in again)
    ids2 = sorted(r["claim_id"] for r in read_jsonl(out2))
    assert ids1 == ids2 and len(set(ids1)) == 3
    assert {r["id"] for r in again}.isdisjoint({r["id"] for r in read_jsonl(out2)})


def test_negatives_and_utf16(news: Project, tmp_path: Path) -> None:
    out = tmp_path / "neg.jsonl"
    export_dataset(news, ExportOptions("attribution", out, negatives=True, offsets="utf16"))
    recs = read_jsonl(out)
    negatives = [r for r in recs if not r["has_claim"]]
    assert [r["sentence"]["text"] for r in negatives] == ["الطقس جميل اليوم."]
    neg = negatives[0]
    assert neg["claim"] is None and neg["source"] is None and neg["speech"] is None
    assert neg["sentence"]["start"] == utf16(TEXT, TEXT.index("الطقس"))
    assert [r["sentence"]["start"] for r in recs] == sorted(r["sentence"]["start"] for r in recs)
    claim = _by_claim(recs)["الاتفاق تاريخي"]
    assert claim["claim"]["start"] == utf16(TEXT, TEXT.index("الاتفاق تاريخي"))
    assert claim["claim"]["sentence_start"] == utf16(TEXT, TEXT.index("الاتفاق")) - utf16(
        TEXT, TEXT.index("😀")
    )
    manifest = json.loads((tmp_path / "neg.manifest.json").read_text())
    assert manifest["negatives"] is True


def test_sentences_cover_the_text() -> None:
    got = [TEXT[a:b] for a, b in sentences(TEXT)]
    assert got[2] == "الطقس جميل اليوم." and len(got) == 4
    assert sentences(" \n ") == []


def test_entity_type_prefers_the_head() -> None:
    from annotator.core.formats.attribution import _entity_type
    from annotator.core.model import Span

    text = "وزارة الخارجية في المملكة المغربية"
    src = Span("s", "d", "gold", 0, len(text), "SOURCE")
    org = Span("o", "d", "gold", 0, len("وزارة الخارجية"), "ORG")
    loc_start = text.index("المملكة")
    loc = Span("l", "d", "gold", loc_start, len(text), "LOC")  # overlaps more than the ORG
    assert loc.end - loc.start > org.end - org.start
    assert _entity_type(src, [loc, org]) == "ORG"
    assert _entity_type(src, [loc]) == "LOC"
    assert _entity_type(src, []) is None
