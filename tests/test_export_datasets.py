"""Every split of every JSONL format loads in ``datasets`` with the manifest's features."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.formats import FORMATS
from annotator.core.splits import assign_splits, parse_split
from annotator.services.datasets import ExportOptions, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import Project
from tests.helpers import gold_reviewer, write_jsonl
from tests.test_export_service import _span, read_jsonl, rich_records

# Every format that is JSON (lines or an array): all of them load with the json loader.
JSON_FORMATS = tuple(f for f in FORMATS if f not in ("spacy", "conll"))
SPLIT = "train=.34,dev=.33,test=.33"
TEXT_D = "قال الوزير ورئيس الحكومة إن الخطة ناجحة. وأكد مصدر آخر ذلك."
TEXT_E = "نص بلا أي وسم، فقط جملة عادية."
TEXT_F = "خبر قصير آخر بلا وسوم."


def _extra_records() -> list[dict]:
    """A claim with two sources; meta keys that vary in presence and type between documents."""
    spans = [
        _span(TEXT_D, "الوزير", "SOURCE", "a"),
        _span(TEXT_D, "رئيس الحكومة", "SOURCE", "b"),
        _span(TEXT_D, "الخطة ناجحة", "CLAIM", "c"),
        _span(TEXT_D, "رئيس الحكومة", "PER", "p"),
    ]
    rels = [
        {"label": "ATTRIBUTED_TO", "head": "c", "tail": "a"},
        {"label": "ATTRIBUTED_TO", "head": "c", "tail": "b"},
    ]
    return [
        {"text": TEXT_D, "layer": "gold", "spans": spans, "relations": rels,
         "meta": {"url": "https://example.org/a", "views": 12, "extra": {"k": 1}}},
        {"text": TEXT_E, "layer": "gold", "spans": [], "relations": [],
         "meta": {"views": 3.5, "tags": ["x", "y"], "extra": "plain"}},
        {"text": TEXT_F, "layer": "gold", "spans": [], "relations": []},
    ]  # fmt: skip


@pytest.fixture
def varied(project: Project, tmp_path: Path) -> Project:
    records = rich_records() + _extra_records()
    import_paths(
        project,
        [write_jsonl(tmp_path / "varied.jsonl", records)],
        reviewer=gold_reviewer(project),
    )
    return project


def _load(folder: Path, cache: Path):
    """The DatasetDict of an export folder, loaded with its manifest's features."""
    from datasets import Features, load_dataset

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = {split: str(folder / name) for split, name in manifest["files"].items()}
    features = Features.from_dict(manifest["features"])
    return manifest, load_dataset("json", data_files=files, features=features, cache_dir=str(cache))


@pytest.fixture
def offline_hf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pytest.importorskip("datasets")
    import datasets

    datasets.disable_progress_bars()
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    return tmp_path / "hf"


def _seeds_with_empty_train(project: Project, want: int) -> list[int]:
    """Seeds whose train split holds only documents without gold spans (at least one doc)."""
    recs = list(native_records(project, "gold"))
    empty = {r["id"] for r in recs if not r["spans"]}
    pairs = [(r["id"], r["meta"]["cluster"]) for r in recs]
    found = []
    for seed in range(200):
        where = assign_splits(pairs, parse_split(SPLIT), seed)
        train = {d for d, s in where.items() if s == "train"}
        if train and train <= empty and len(set(where.values())) == 3:
            found.append(seed)
        if len(found) == want:
            break
    return found


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_every_split_loads_with_manifest_features(
    varied: Project, tmp_path: Path, offline_hf: Path, fmt: str
) -> None:
    seeds = _seeds_with_empty_train(varied, 2)
    assert len(seeds) == 2, "the data must allow a train split with only empty lists"
    for seed in [*seeds, 1]:
        for layer in ("gold", "all"):
            out = tmp_path / f"{fmt}-{seed}-{layer}"
            export_dataset(varied, ExportOptions(fmt, out, split=SPLIT, seed=seed, layer=layer))
            manifest, ds = _load(out, offline_hf)
            assert sorted(ds) == sorted(manifest["files"])
            for split, name in manifest["files"].items():
                lines = _records(out / name)
                assert len(ds[split]) == len(lines) == manifest["counts"][split]["records"] > 0
                for row, line in zip(ds[split], lines, strict=True):
                    _same(fmt, row, line, ds[split].features)


def _records(path: Path) -> list[dict]:
    """The records of a data file: JSON lines, or one JSON array (``.json``)."""
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return read_jsonl(path)


def _same(fmt: str, row: dict, line: dict, features) -> None:
    """The loaded row holds what the file line holds (tags decoded, absent meta keys None)."""
    if fmt == "hf-bio":
        names = features["ner_tags"].feature.names
        assert [names[t] for t in row["ner_tags"]] == line["ner_tags"]
        row = {**row, "ner_tags": line["ner_tags"]}
    if fmt in ("native", "doccano"):  # meta keys vary by document
        assert {k: v for k, v in row["meta"].items() if k in line["meta"]} == line["meta"]
        assert all(row["meta"][k] is None for k in row["meta"] if k not in line["meta"])
        row = {**row, "meta": line["meta"]}
    if fmt == "attribution":
        for key in ("source", "cue"):
            if line[key] is None:
                assert row[key] is None
    if fmt == "labelstudio":  # span and relation results share one struct
        row, line = _no_nulls(row), _no_nulls(line)
    assert row == line


def _no_nulls(value: object) -> object:
    """``value`` without null dict entries, at every depth."""
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_nulls(v) for v in value]
    return value


@pytest.mark.parametrize("fmt", JSON_FORMATS)
def test_export_folder_loads_by_its_card_alone(
    varied: Project, tmp_path: Path, offline_hf: Path, fmt: str
) -> None:
    from datasets import load_dataset

    (seed,) = _seeds_with_empty_train(varied, 1)
    out = tmp_path / fmt
    export_dataset(varied, ExportOptions(fmt, out, split=SPLIT, seed=seed, layer="all"))
    _, want = _load(out, offline_hf)
    got = load_dataset(str(out), cache_dir=str(offline_hf / "card"))  # README.md front matter
    assert sorted(got) == sorted(want)
    for split in want:
        assert got[split].features == want[split].features
        assert got[split].to_list() == want[split].to_list()


def test_first_split_with_only_empty_lists_is_typed_by_the_manifest(
    varied: Project, tmp_path: Path, offline_hf: Path
) -> None:
    (seed,) = _seeds_with_empty_train(varied, 1)
    out = tmp_path / "native"
    export_dataset(varied, ExportOptions("native", out, split=SPLIT, seed=seed))
    train = read_jsonl(out / "train.jsonl")
    assert all(r["spans"] == [] and r["relations"] == [] for r in train)
    _, ds = _load(out, offline_hf)
    span = ds["train"].features["spans"].feature
    assert span["start"].dtype == "int64" and span["label"].dtype == "string"
    assert ds["train"].features == ds["test"].features


def test_meta_types_merge(varied: Project, tmp_path: Path) -> None:
    out = tmp_path / "n.jsonl"
    export_dataset(varied, ExportOptions("native", out))
    meta = json.loads((tmp_path / "n.manifest.json").read_text())["features"]["meta"]
    assert meta["views"] == {"dtype": "float64", "_type": "Value"}  # 12 and 3.5
    assert meta["tags"] == [{"dtype": "string", "_type": "Value"}]
    assert meta["url"] == {"dtype": "string", "_type": "Value"}
    assert meta["extra"] == {"_type": "Json"}  # an object here, a string there


def test_empty_split_skipped_with_warning(project: Project, tmp_path: Path) -> None:
    text = "قال الوزير إن الخطة ناجحة."
    rec = {"text": text, "layer": "gold", "spans": [_span(text, "الوزير", "PER", "a")]}
    import_paths(
        project, [write_jsonl(tmp_path / "one.jsonl", [rec])], reviewer=gold_reviewer(project)
    )
    out = tmp_path / "ds"
    report = export_dataset(project, ExportOptions("native", out, split=SPLIT))
    written = [p.name for p in out.iterdir() if p.suffix == ".jsonl"]
    assert len(written) == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(manifest["empty_splits"]) == sorted({"train", "dev", "test"} - {written[0][:-6]})
    assert len(report.warnings) == 2 and all("not written" in w for w in report.warnings)
    assert list(manifest["files"].values()) == written


def test_no_record_refused_and_empty_layer_warns(project: Project, tmp_path: Path) -> None:
    text = "خبر بلا وسوم."
    records = [{"text": text, "layer": "gold"}]
    import_paths(
        project, [write_jsonl(tmp_path / "e.jsonl", records)], reviewer=gold_reviewer(project)
    )
    with pytest.raises(UserError, match="nothing to export"):
        export_dataset(project, ExportOptions("attribution", tmp_path / "a.jsonl"))
    assert not list(tmp_path.glob("a*"))
    with pytest.raises(UserError, match="nothing to export"):
        export_dataset(project, ExportOptions("native", tmp_path / "d.jsonl", status="done"))
    report = export_dataset(project, ExportOptions("native", tmp_path / "g.jsonl"))
    assert report.records == 1
    assert any("layer gold has no" in w for w in report.warnings)


def test_dataset_card_beside_the_splits(varied: Project, tmp_path: Path) -> None:
    out = tmp_path / "ds"
    options = ExportOptions("hf-bio", out, split=SPLIT, seed=1, license="CC-BY-4.0")
    report = export_dataset(varied, options)
    card = (out / "README.md").read_text(encoding="utf-8")
    assert card.startswith('---\nlicense: "CC-BY-4.0"\n')
    assert "--split train=.34,dev=.33,test=.33 --seed 1" in card
    for split, counts in report.counts.items():
        row = f"| {split} | {counts['documents']} | {counts['records']} |"
        assert row in card
    assert "PER, ORG, LOC, MISC" in card
    assert "Curator layers: amal, badr." in card
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["license"] == "CC-BY-4.0"


def test_card_features_match_the_hub_yaml_shape(offline_hf: Path) -> None:
    yaml = pytest.importorskip("yaml")
    from datasets import Features

    from annotator.core.formats import features as f
    from annotator.core.formats.card import _yaml_lines, yaml_features

    examples = [
        f.native_features({"x": f.JSON, "tags": [f.STRING], "o": {"a": f.INT}}, flags=True),
        f.doccano_features(),
        f.hfbio_features(["O", "B-yes", "I-yes"], with_layer=True),
        f.attribution_features(with_layer=False),
    ]
    for feats in examples:
        got = yaml.safe_load("\n".join(_yaml_lines({"f": yaml_features(feats)})))["f"]
        assert got == Features.from_dict(feats)._to_yaml_list()


def test_meta_keys_that_look_like_feature_types() -> None:
    from datasets import Features

    from annotator.core.formats.features import MetaTypes, native_features

    types = MetaTypes(("title",))
    types.observe({"big": 10**30, "small": 5})
    assert types.features() == {
        "big": {"_type": "Json"},
        "small": {"dtype": "int64", "_type": "Value"},
    }
    for meta in ({"_type": "Value", "dtype": "x"}, {"deep": {"_type": "ClassLabel"}}):
        types = MetaTypes(("title", "source", "cluster", "status"))
        types.observe({"title": "t", **meta})
        feats = native_features(types.features())
        Features.from_dict(feats)  # reads back without taking data for a type
        assert "Json" in str(feats["meta"])


def test_spacy_format_without_spacy_is_one_line(
    varied: Project, tmp_path: Path, monkeypatch, capsys
) -> None:
    from annotator.cli import main

    monkeypatch.setitem(__import__("sys").modules, "spacy", None)  # import spacy fails
    argv = ["export", "--format", "spacy", "--db", str(varied.store.path)]
    assert main([*argv, "--out", str(tmp_path / "x.spacy")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'annotator[spacy]'" in err
    assert not list(tmp_path.glob("x*"))
