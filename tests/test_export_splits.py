"""Split exports from a real database: coverage, determinism, clusters, manifest."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.resources import sample_corpus_dir
from annotator.services.datasets import ExportOptions, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import Project
from tests.conftest import require_wojood
from tests.helpers import gold_reviewer
from tests.test_export_service import read_jsonl

SPEC = "train=.6,dev=.2,test=.2"


def _with_copies(project: Project, tmp_path: Path) -> dict[str, str]:
    """Import Wojood plus the sample articles and a lightly edited copy of each.

    Returns doc_id -> cluster.
    """
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, path in enumerate(sorted(sample_corpus_dir().glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
        (folder / f"{i}-copy.txt").write_text(text.replace("في", "فى", 3), encoding="utf-8")
    import_paths(project, [require_wojood()], annotator="gold", reviewer=gold_reviewer(project))
    import_paths(project, [folder])
    recs = list(native_records(project, "gold"))
    by_source = {r["meta"]["source"]: r["meta"]["cluster"] for r in recs}
    for i in range(2):  # each article and its copy form one cluster
        assert by_source[f"{i}.txt"] == by_source[f"{i}-copy.txt"]
    return {r["id"]: r["meta"]["cluster"] for r in recs}


def test_split_folder_covers_every_document_once(project: Project, tmp_path: Path) -> None:
    clusters = _with_copies(project, tmp_path)
    out = tmp_path / "ds"
    report = export_dataset(project, ExportOptions("native", out, split=SPEC, seed=5))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["README.md", "dev.jsonl", "manifest.json", "test.jsonl", "train.jsonl"]
    where: dict[str, str] = {}
    for split in ("train", "dev", "test"):
        for rec in read_jsonl(out / f"{split}.jsonl"):
            assert rec["id"] not in where
            where[rec["id"]] = split
    assert set(where) == set(clusters) and report.documents == len(clusters)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["split"]["seed"] == 5
    assert manifest["split"]["ratios"] == {"train": 0.6, "dev": 0.2, "test": 0.2}
    for split in ("train", "dev", "test"):
        recs = read_jsonl(out / f"{split}.jsonl")
        counts = manifest["counts"][split]
        assert counts["documents"] == counts["records"] == len(recs)
        labels: dict[str, int] = {}
        for rec in recs:
            for s in rec["spans"]:
                labels[s["label"]] = labels.get(s["label"], 0) + 1
        assert counts["labels"] == labels
    assert len(manifest["database"]["content_sha256"]) == 64
    assert manifest["tool"]["name"] == "annotator"


def test_copies_land_in_one_split_for_every_seed(project: Project, tmp_path: Path) -> None:
    clusters = _with_copies(project, tmp_path)
    seen = set()
    for seed in range(8):
        out = tmp_path / f"s{seed}"
        export_dataset(project, ExportOptions("doccano", out, split="a=.5,b=.5", seed=seed))
        where = {r["id"]: n for n in "ab" for r in read_jsonl(out / f"{n}.jsonl")}
        by_cluster: dict[str, set[str]] = {}
        for doc_id, cluster in clusters.items():
            by_cluster.setdefault(cluster, set()).add(where[doc_id])
        assert all(len(v) == 1 for v in by_cluster.values())
        seen.add(tuple(sorted(where.items())))
    assert len(seen) > 1  # the seed matters


def test_database_hash_follows_content(project: Project, tmp_path: Path) -> None:
    import_paths(project, [require_wojood()], annotator="gold", reviewer=gold_reviewer(project))
    export_dataset(project, ExportOptions("native", tmp_path / "a.jsonl"))
    project.store.execute("DELETE FROM spans WHERE id = (SELECT min(id) FROM spans)")
    export_dataset(project, ExportOptions("native", tmp_path / "b.jsonl"))
    first = json.loads((tmp_path / "a.manifest.json").read_text())["database"]
    second = json.loads((tmp_path / "b.manifest.json").read_text())["database"]
    assert first != second
