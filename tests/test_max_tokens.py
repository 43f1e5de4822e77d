"""hf-bio ``--max-tokens``: records cut at sentence ends, never inside a span unless it must."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.formats.chunking import cut_tokens, sentence_starts
from annotator.services.datasets import ExportOptions, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import Project
from tests.helpers import gold_reviewer, write_jsonl
from tests.test_export_service import _span, read_jsonl


@st.composite
def tagged(draw) -> tuple[list[str], list[int]]:
    """A BIO tag sequence (spans of 1-6 tokens) and sorted sentence starts."""
    tags: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        if draw(st.booleans()):
            tags += ["B-X"] + ["I-X"] * draw(st.integers(0, 5))
        else:
            tags.append("O")
    starts = sorted({0, *draw(st.lists(st.integers(0, max(len(tags) - 1, 0)), max_size=8))})
    return tags, starts if tags else []


@settings(max_examples=300, deadline=None)
@given(tagged(), st.integers(1, 8))
def test_cut_properties(data: tuple[list[str], list[int]], limit: int) -> None:
    tags, starts = data
    cut = cut_tokens(tags, starts, limit)
    ranges = cut.ranges
    assert ranges[0][0] == 0 and ranges[-1][1] == len(tags)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert all(0 < hi - lo <= limit for lo, hi in ranges) or tags == []
    inside = [lo for lo, _ in ranges[1:] if tags[lo].startswith("I-")]
    assert cut.reopened == len(inside)
    for lo in inside:  # cut inside a span only when no boundary outside one fits
        prev = next(r for r in ranges if r[1] == lo)
        assert all(tags[c].startswith("I-") for c in range(prev[0] + 1, lo + 1))
        assert cut.tags[lo] == "B-X"
    assert [t for i, t in enumerate(cut.tags) if i not in inside] == [
        t for i, t in enumerate(tags) if i not in inside
    ]
    # a cut that is not a sentence start lies in a sentence longer than the limit
    bounds = [b for b in starts if not tags[b].startswith("I-")]
    for lo, _ in ranges[1:]:
        if lo not in bounds:
            s = max(b for b in [0, *bounds] if b <= lo)
            e = min(b for b in [*bounds, len(tags)] if b > lo)
            assert e - s > limit


def test_nested_columns_are_not_cut_inside_either() -> None:
    outer = ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O"]
    inner = ["O", "O", "B-LOC", "I-LOC", "O", "O"]
    cut = cut_tokens(outer, [0], 3, (inner,))
    # no boundary outside a span fits in 3 tokens: cut at 3, both levels re-opened
    assert cut.ranges == [(0, 3), (3, 6)]
    assert cut.columns[0][3] == "B-ORG" and cut.columns[1][3] == "B-LOC"
    assert cut.reopened == 2 and cut.tags is cut.columns[0]
    assert inner[3] == "I-LOC"  # the caller's lists are left alone
    cut = cut_tokens(["O", "O", "O", "O"], [0], 2, (["O", "B-LOC", "I-LOC", "O"],))
    assert cut.ranges == [(0, 1), (1, 3), (3, 4)] and cut.reopened == 0


def test_sentence_starts_after_marks_and_line_breaks() -> None:
    text = "قال الوزير. ثم غادر؟\nوانتهى"
    tokens = [(0, 3), (4, 10), (10, 11), (12, 14), (15, 19), (19, 20), (21, 27)]
    assert sentence_starts(text, tokens) == [0, 3, 6]


def _wojood_like(project: Project, tmp_path: Path) -> dict:
    sentences = [f"جملة رقم {i} عن مارك أسبر في الرباط." for i in range(12)]
    text = " ".join(sentences)
    spans = []
    at = 0
    for i in range(12):
        s = _span(text, "مارك أسبر", "PER", f"p{i}", at)
        spans.append(s)
        at = s["end"]
    long_name = "منظمة الأمم المتحدة للتربية والعلوم والثقافة في باريس"
    text2 = f"أعلنت {long_name} اليوم."
    spans2 = [_span(text2, long_name, "ORG", "o")]
    recs = [
        {"text": text, "layer": "gold", "spans": spans},
        {"text": text2, "layer": "gold", "spans": spans2},
    ]
    import_paths(
        project, [write_jsonl(tmp_path / "w.jsonl", recs)], reviewer=gold_reviewer(project)
    )
    return {"text": text, "text2": text2}


def test_records_cut_at_sentences_map_back(project: Project, tmp_path: Path) -> None:
    _wojood_like(project, tmp_path)
    whole = tmp_path / "whole.jsonl"
    export_dataset(project, ExportOptions("hf-bio", whole))
    cut = tmp_path / "cut.jsonl"
    report = export_dataset(project, ExportOptions("hf-bio", cut, max_tokens=20))
    texts = {r["id"]: r["text"] for r in native_records(project, "gold")}
    by_doc: dict[str, list[dict]] = {}
    for rec in read_jsonl(cut):
        assert len(rec["tokens"]) <= 20
        text = texts[rec["doc_id"]]
        assert rec["tokens"] == [text[s:e] for s, e in rec["token_offsets"]]
        assert rec["start"] == rec["token_offsets"][0][0]
        assert rec["end"] == rec["token_offsets"][-1][1]
        assert rec["id"] == f"{rec['doc_id']}/{len(by_doc.get(rec['doc_id'], []))}"
        by_doc.setdefault(rec["doc_id"], []).append(rec)
    for rec in read_jsonl(whole):
        pieces = by_doc[rec["id"]]
        assert [t for p in pieces for t in p["tokens"]] == rec["tokens"]
        assert [o for p in pieces for o in p["token_offsets"]] == rec["token_offsets"]
        tags = [t for p in pieces for t in p["ner_tags"]]
        if len(rec["tokens"]) > 20 and "ORG" not in "".join(rec["ner_tags"]):
            assert tags == rec["ner_tags"]  # 9-token sentences: cut between them only
            for p in pieces:
                assert texts[rec["id"]][p["end"] - 1] == "."
    assert report.reopened == 0  # the 10-token ORG fits in 20


def test_long_span_reopened_and_said_so(project: Project, tmp_path: Path, capsys) -> None:
    _wojood_like(project, tmp_path)
    db = str(project.store.path)
    out = tmp_path / "cut.jsonl"
    report = export_dataset(project, ExportOptions("hf-bio", out, max_tokens=4))
    # the 8-token ORG starts a record (the cut moves before it) and runs into the next
    assert report.reopened == 1
    org = [r for r in read_jsonl(out) if any(t.endswith("ORG") for t in r["ner_tags"])]
    assert [r["ner_tags"] for r in org] == [["B-ORG"] + ["I-ORG"] * 3] * 2
    manifest = json.loads((tmp_path / "cut.manifest.json").read_text())
    assert manifest["max_tokens"] == 4 and manifest["reopened_spans"] == report.reopened
    argv = ["export", "--format", "hf-bio", "--max-tokens", "4", "--db", db]
    assert main([*argv, "--out", str(tmp_path / "cli.jsonl")]) == 0
    assert f"{report.reopened} span(s) longer than --max-tokens" in capsys.readouterr().err


def test_max_tokens_refused_for_other_formats(project: Project, tmp_path: Path, capsys) -> None:
    db = project.store.path
    argv = ["export", "--format", "native", "--max-tokens", "5", "--db", str(db)]
    assert main([*argv, "--out", str(tmp_path / "x.jsonl")]) == 1
    assert "--max-tokens applies to hf-bio and conll" in capsys.readouterr().err
    argv = ["export", "--format", "hf-bio", "--max-tokens", "0", "--db", str(db)]
    assert main([*argv, "--out", str(tmp_path / "x.jsonl")]) == 1
    assert "positive integer" in capsys.readouterr().err
