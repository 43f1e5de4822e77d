"""Dataset export through the service: every format checked span by span against the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.services.datasets import ExportOptions, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_project
from tests.conftest import require_wojood
from tests.helpers import gold_reviewer, write_jsonl

# Texts with emoji (astral characters) before, inside and after spans, a clitic
# ("بالرباط"), overlapping entities and claims linked to sources.
TEXT_A = (
    "😀 قال وزير الخارجية إن الاتفاق تاريخي. "
    "وأعلنت وزارة الخارجية في المملكة المغربية 🇲🇦 أن التعاون سيستمر!"
)
TEXT_B = "وصل مارك أسبر بالرباط أمس 🙂 ثم غادر."
TEXT_C = "لا شيء هنا سوى نص قصير 👨‍👩‍👧 للتجربة."


def _span(text: str, piece: str, label: str, sid: str, after: int = 0) -> dict:
    start = text.index(piece, after)
    return {"id": sid, "start": start, "end": start + len(piece), "label": label, "text": piece}


def rich_records() -> list[dict]:
    """Native records for gold and two curator layers (written by hand, offsets computed)."""
    a_spans = [
        _span(TEXT_A, "وزير الخارجية", "SOURCE", "s1"),
        _span(TEXT_A, "الاتفاق تاريخي", "CLAIM", "s2"),
        _span(TEXT_A, "وزارة الخارجية في المملكة المغربية", "ORG", "s3"),
        _span(TEXT_A, "المملكة المغربية", "LOC", "s4"),  # inside the ORG: dropped by BIO
        _span(TEXT_A, "التعاون سيستمر", "CLAIM", "s5"),  # no source
        _span(TEXT_A, "وزارة الخارجية", "SOURCE", "s6"),
    ]
    a_rel = [
        {"label": "ATTRIBUTED_TO", "head": "s2", "tail": "s1"},
        {"label": "ATTRIBUTED_TO", "head": "s5", "tail": "s6"},
    ]
    b_start = TEXT_B.index("بالرباط") + 1
    b_spans = [
        _span(TEXT_B, "مارك أسبر", "PER", "s1"),
        {"id": "s2", "start": b_start, "end": b_start + 6, "label": "LOC", "text": "الرباط"},
    ]
    curator = [_span(TEXT_A, "المملكة المغربية", "LOC", "x"), _span(TEXT_B, "مارك", "PER", "y")]
    return [
        {"text": TEXT_A, "layer": "gold", "spans": a_spans, "relations": a_rel,
         "meta": {"title": "أ", "status": "done"}},
        {"text": TEXT_B, "layer": "gold", "spans": b_spans, "relations": [],
         "meta": {"title": "ب", "status": "in_progress"}},
        {"text": TEXT_C, "layer": "gold", "spans": [], "relations": [],
         "meta": {"title": "ج", "status": "done"}},
        {"text": TEXT_A, "layer": "amal", "spans": [curator[0]], "relations": [],
         "meta": {"status": "done"}},
        {"text": TEXT_B, "layer": "amal", "spans": [curator[1]], "relations": []},
        {"text": TEXT_A, "layer": "badr", "spans": [curator[0]], "relations": []},
    ]  # fmt: skip


@pytest.fixture
def rich(project: Project, tmp_path: Path) -> Project:
    """Three documents with gold, amal and badr layers."""
    import_paths(
        project,
        [write_jsonl(tmp_path / "rich.jsonl", rich_records())],
        reviewer=gold_reviewer(project),
    )
    return project


@pytest.fixture
def wojood(project: Project) -> Project:
    """The Wojood sample (real Arabic NER) in the gold layer."""
    import_paths(project, [require_wojood()], annotator="gold", reviewer=gold_reviewer(project))
    return project


def read_jsonl(path: Path) -> list[dict]:
    """Records of a JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def texts_by_id(project: Project) -> dict[str, str]:
    """doc_id -> stored text."""
    return {r["id"]: r["text"] for r in native_records(project, "gold")}


def utf16(text: str, cp: int) -> int:
    """UTF-16 offset of code point ``cp``, computed independently of core.offsets."""
    return len(text[:cp].encode("utf-16-le")) // 2


def test_native_spans_match_text_and_db(rich: Project, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    report = export_dataset(rich, ExportOptions("native", out))
    recs = read_jsonl(out)
    assert report.records == len(recs) == 3
    assert [list(r) for r in recs] == [["id", "text", "layer", "spans", "relations", "meta"]] * 3
    by_text = {r["text"]: r for r in recs}
    for source in rich_records()[:3]:
        rec = by_text[source["text"]]
        got = [(s["start"], s["end"], s["label"], s["text"]) for s in rec["spans"]]
        want = sorted((s["start"], s["end"], s["label"], s["text"]) for s in source["spans"])
        assert got == want
        for s in rec["spans"]:
            assert list(s) == ["id", "start", "end", "label", "text", "origin"]
            assert rec["text"][s["start"] : s["end"]] == s["text"]
        ids = {s["id"] for s in rec["spans"]}
        assert all(r["head"] in ids and r["tail"] in ids for r in rec["relations"])
        assert rec["meta"]["status"] == source["meta"]["status"]
        assert list(rec["meta"])[:4] == ["title", "source", "cluster", "status"]
    assert "\\u" not in out.read_text(encoding="utf-8")  # ensure_ascii=False


def test_native_round_trips_through_import(wojood: Project, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    export_dataset(wojood, ExportOptions("native", out))
    with open_project(tmp_path / "again.db") as again:
        import_paths(again, [out], reviewer=gold_reviewer(again))
        out2 = tmp_path / "gold2.jsonl"
        export_dataset(again, ExportOptions("native", out2))

    def key(rec: dict) -> tuple:
        spans = [(s["start"], s["end"], s["label"], s["text"]) for s in rec["spans"]]
        return rec["id"], rec["text"], rec["layer"], spans, rec["meta"]

    first, second = read_jsonl(out), read_jsonl(out2)
    assert sum(len(r["spans"]) for r in first) > 600
    assert [key(r) for r in first] == [key(r) for r in second]


def test_round_trip_keeps_relations(rich: Project, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    export_dataset(rich, ExportOptions("native", out))
    with open_project(tmp_path / "again.db") as again:
        import_paths(again, [out], reviewer=gold_reviewer(again))
        second = list(native_records(again, "gold"))

    def links(rec: dict) -> list:
        key = {s["id"]: (s["start"], s["end"], s["label"]) for s in rec["spans"]}
        return sorted((r["label"], key[r["head"]], key[r["tail"]]) for r in rec["relations"])

    assert [links(r) for r in read_jsonl(out)] == [links(r) for r in second]
    assert sum(len(links(r)) for r in second) == 2


@pytest.mark.parametrize("unit", ["codepoint", "utf16"])
def test_doccano_offsets_in_either_unit(rich: Project, tmp_path: Path, unit: str) -> None:
    out = tmp_path / "doccano.jsonl"
    export_dataset(rich, ExportOptions("doccano", out, offsets=unit))
    recs = read_jsonl(out)
    native = {r["id"]: r for r in native_records(rich, "gold")}
    shifted = 0
    for rec in recs:
        assert list(rec) == ["id", "text", "label", "meta"]
        spans = native[rec["id"]]["spans"]
        assert len(rec["label"]) == len(spans)
        for (start, end, label), span in zip(rec["label"], spans, strict=True):
            text = rec["text"]
            if unit == "utf16":
                units = text.encode("utf-16-le")
                piece = units[2 * start : 2 * end].decode("utf-16-le")
                shifted += start != span["start"]
            else:
                piece = text[start:end]
            assert (piece, label) == (span["text"], span["label"])
            assert start == (utf16(text, span["start"]) if unit == "utf16" else span["start"])
    assert (shifted > 0) == (unit == "utf16")
    assert json.loads((tmp_path / "doccano.manifest.json").read_text())["offsets"] == unit


def test_hf_bio_loads_with_datasets(wojood: Project, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    from datasets import load_dataset

    out = tmp_path / "bio.jsonl"
    export_dataset(wojood, ExportOptions("hf-bio", out))
    ds = load_dataset("json", data_files=str(out), split="train", cache_dir=str(tmp_path / "hf"))
    native = {r["id"]: r for r in native_records(wojood, "gold")}
    assert ds.column_names == [
        "id",
        "doc_id",
        "start",
        "end",
        "tokens",
        "ner_tags",
        "token_offsets",
    ]
    assert len(ds) == len(native)
    b_tags = 0
    for row in ds:
        spans = native[row["id"]]["spans"]
        text = native[row["id"]]["text"]
        assert len(row["tokens"]) == len(row["ner_tags"])
        assert "".join(row["tokens"]) == "".join(text.split())  # every non-space covered
        found = _bio_spans(row["tokens"], row["ner_tags"])
        b_tags += len(found)
        assert found == [("".join(s["text"].split()), s["label"]) for s in spans]
    assert b_tags == sum(len(r["spans"]) for r in native.values()) > 600


def _bio_spans(tokens: list[str], tags: list[str]) -> list[tuple[str, str]]:
    """(joined tokens, label) of each B- run; I- must continue a run of its label."""
    out: list[tuple[str, str]] = []
    for token, tag in zip(tokens, tags, strict=True):
        if tag.startswith("B-"):
            out.append((token, tag[2:]))
        elif tag.startswith("I-"):
            assert out and out[-1][1] == tag[2:], "I- tag without its B-"
            out[-1] = (out[-1][0] + token, out[-1][1])
        else:
            assert tag == "O"
    return out


def test_hf_bio_splits_clitics_and_drops_overlaps(rich: Project, tmp_path: Path) -> None:
    out = tmp_path / "bio.jsonl"
    report = export_dataset(rich, ExportOptions("hf-bio", out))
    recs = {r["id"]: r for r in read_jsonl(out)}
    native = {r["text"]: r["id"] for r in native_records(rich, "gold")}
    for text, doc_id in native.items():  # every non-space character is in a token
        assert "".join(recs[doc_id]["tokens"]) == "".join(text.split())
    b = recs[native[TEXT_B]]
    i = b["tokens"].index("الرباط")
    assert b["tokens"][i - 1] == "ب" and b["ner_tags"][i - 1 : i + 1] == ["O", "B-LOC"]
    a = recs[native[TEXT_A]]
    assert [t for t in a["ner_tags"] if t.startswith("B-")] == ["B-ORG"]  # LOC inside it dropped
    assert report.dropped == 1
    manifest = json.loads((tmp_path / "bio.manifest.json").read_text())
    assert manifest["dropped_overlapping"] == 1
    assert manifest["counts"]["all"]["labels"] == {"PER": 1, "ORG": 1, "LOC": 1}
    # --labels picks other labels: claims as BIO
    out2 = tmp_path / "claims.jsonl"
    export_dataset(rich, ExportOptions("hf-bio", out2, labels=("CLAIM",)))
    tags = {t for r in read_jsonl(out2) for t in r["ner_tags"]}
    assert tags == {"O", "B-CLAIM", "I-CLAIM"}


def test_attribution_records(rich: Project, tmp_path: Path) -> None:
    out = tmp_path / "attr.jsonl"
    export_dataset(rich, ExportOptions("attribution", out))
    recs = read_jsonl(out)
    assert len(recs) == 2
    by_claim = {r["claim"]["text"]: r for r in recs}
    first, second = by_claim["الاتفاق تاريخي"], by_claim["التعاون سيستمر"]
    assert first["source"]["text"] == "وزير الخارجية"
    assert second["source"]["text"] == "وزارة الخارجية"
    assert first["sentence"]["text"] == "😀 قال وزير الخارجية إن الاتفاق تاريخي."
    assert second["sentence"]["text"].endswith("التعاون سيستمر!")
    for rec in recs:
        for part in ("claim", "source", "sentence"):
            piece = rec[part]
            assert TEXT_A[piece["start"] : piece["end"]] == piece["text"]
        s, c = rec["sentence"], rec["claim"]
        assert s["start"] <= c["start"] and c["end"] <= s["end"]
    # utf16: offsets shift by the emoji at the start
    out16 = tmp_path / "attr16.jsonl"
    export_dataset(rich, ExportOptions("attribution", out16, offsets="utf16"))
    for rec, rec16 in zip(recs, read_jsonl(out16), strict=True):
        assert rec16["claim"]["start"] == utf16(TEXT_A, rec["claim"]["start"])
        assert rec16["claim"]["start"] > rec["claim"]["start"]


def test_unlinked_claim_has_null_source(project: Project, tmp_path: Path) -> None:
    text = "قيل إن المطر سيهطل غدا"
    rec = {"text": text, "layer": "gold", "spans": [_span(text, "المطر سيهطل", "CLAIM", "c")]}
    import_paths(
        project, [write_jsonl(tmp_path / "c.jsonl", [rec])], reviewer=gold_reviewer(project)
    )
    out = tmp_path / "attr.jsonl"
    export_dataset(project, ExportOptions("attribution", out))
    (got,) = read_jsonl(out)
    assert got["source"] is None and got["sentence"]["text"] == text


def test_status_filter_and_layer_all(rich: Project, tmp_path: Path) -> None:
    out = tmp_path / "done.jsonl"
    export_dataset(rich, ExportOptions("native", out, status="done"))
    assert sorted(r["text"] for r in read_jsonl(out)) == sorted([TEXT_A, TEXT_C])
    out = tmp_path / "all.jsonl"
    export_dataset(rich, ExportOptions("native", out, layer="all"))
    pairs = sorted((r["text"], r["layer"]) for r in read_jsonl(out))
    want = sorted((r["text"], r["layer"]) for r in rich_records())
    assert pairs == want
    out = tmp_path / "all-done.jsonl"
    export_dataset(rich, ExportOptions("hf-bio", out, layer="all", status="done"))
    recs = read_jsonl(out)
    assert sorted(r["layer"] for r in recs) == ["amal", "gold", "gold"]
    manifest = json.loads((tmp_path / "all-done.manifest.json").read_text())
    assert manifest["agreement"]["layers"] == ["amal", "badr"]
    assert manifest["agreement"]["pairs"][0]["matched"] == 1


def test_labels_filter_native(rich: Project, tmp_path: Path) -> None:
    out = tmp_path / "per.jsonl"
    export_dataset(rich, ExportOptions("native", out, labels=("CLAIM", "SOURCE")))
    recs = read_jsonl(out)
    assert {s["label"] for r in recs for s in r["spans"]} == {"CLAIM", "SOURCE"}
    assert sum(len(r["relations"]) for r in recs) == 2


def test_same_database_same_bytes(rich: Project, tmp_path: Path) -> None:
    for fmt in ("native", "doccano", "hf-bio", "attribution"):
        opts = {"split": "train=.5,test=.5", "seed": 7, "layer": "all"}
        export_dataset(rich, ExportOptions(fmt, tmp_path / "one", **opts))
        export_dataset(rich, ExportOptions(fmt, tmp_path / "two", **opts))
        for name in ("train.jsonl", "test.jsonl", "manifest.json"):
            first = (tmp_path / "one" / name).read_bytes()
            assert first == (tmp_path / "two" / name).read_bytes(), (fmt, name)


def test_cancel_leaves_nothing(wojood: Project, tmp_path: Path) -> None:
    calls = []

    def progress(done: int, total: int, what: str) -> bool:
        calls.append(done)
        return False

    out = tmp_path / "split"
    report = export_dataset(wojood, ExportOptions("native", out, split="a=1"), progress)
    assert report.cancelled and calls
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.db", "project.db-shm",
                                                          "project.db-wal"]  # fmt: skip


def test_span_outside_text_is_refused(rich: Project, tmp_path: Path) -> None:
    rich.store.execute(
        'UPDATE spans SET "end" = 500 WHERE label = ? AND layer = ?', ("PER", "gold")
    )
    out = tmp_path / "bad.jsonl"
    with pytest.raises(UserError, match="outside the text"):
        export_dataset(rich, ExportOptions("native", out))
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))
