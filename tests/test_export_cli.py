"""``annotator export`` on the command line: success, and bad arguments refused cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from tests.conftest import require_wojood
from tests.helpers import gold_reviewer


@pytest.fixture
def wojood_db(tmp_path: Path) -> Path:
    """A database file holding Wojood in the gold layer."""
    path = tmp_path / "w.db"
    with open_project(path) as project:
        import_paths(project, [require_wojood()], annotator="gold", reviewer=gold_reviewer(project))
    return path


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*")}


def test_export_split_prints_json(wojood_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "ds"
    argv = ["export", "--format", "hf-bio", "--split", "train=.8,dev=.1,test=.1", "--seed", "3"]
    code = main([*argv, "--out", str(out), "--db", str(wojood_db), "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 496
    assert sorted(report["counts"]) == ["dev", "test", "train"]
    assert sum(c["documents"] for c in report["counts"].values()) == 496
    assert sorted(p.name for p in out.iterdir()) == [
        "README.md", "dev.jsonl", "manifest.json", "test.jsonl", "train.jsonl"
    ]  # fmt: skip


def test_export_single_file(wojood_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "gold.jsonl"
    argv = ["export", "--format", "doccano", "--offsets", "utf16", "--labels", "PER,LOC"]
    assert main([*argv, "--out", str(out), "--db", str(wojood_db)]) == 0
    assert "exported 496 record(s)" in capsys.readouterr().out
    labels = {lab for line in out.open(encoding="utf-8") for *_, lab in json.loads(line)["label"]}
    assert labels == {"PER", "LOC"}
    manifest = json.loads((tmp_path / "gold.manifest.json").read_text())
    assert manifest["offsets"] == "utf16" and manifest["labels"] == ["PER", "LOC"]


BAD = [
    (["--format", "brat"], "unknown format"),
    (["--format", "native", "--layer", "nobody"], "unknown layer"),
    (["--format", "hf-bio", "--labels", "PER,PERSON"], "unknown label 'PERSON'"),
    (["--format", "native", "--status", "finished"], "unknown status"),
    (["--format", "native", "--split", "train=.9,test=.2"], "sum to 1"),
    (["--format", "native", "--split", "train=1.2,test=-.2"], ">= 0"),
    (["--format", "native", "--split", "train=.5,dev=.5", "--seed", "x"], "--seed"),
    (["--format", "native", "--offsets", "bytes"], "unknown offsets unit"),
    (["--format", "hf-bio", "--offsets", "utf16"], "applies to doccano"),
    (["--format", "attribution", "--labels", "PER"], "does not apply"),
    (["--format", "native", "--out-at", "missing/x.jsonl"], "cannot write"),
    (["--format", "native", "--out-at", "is-a-file/x.jsonl"], "cannot write"),
    (["--format", "native", "--out-at", "."], "is a folder"),
    (["--format", "native", "--split", "a=1", "--out-at", "is-a-file"], "not a folder"),
]


@pytest.mark.parametrize(("args", "problem"), BAD, ids=[p for _, p in BAD])
def test_bad_arguments(wojood_db: Path, tmp_path: Path, capsys, args, problem) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "is-a-file").write_text("keep me", encoding="utf-8")
    out = work / "out.jsonl"
    if "--out-at" in args:
        i = args.index("--out-at")
        out = work / args[i + 1]
        args = args[:i] + args[i + 2 :]
    before = _files(work)
    code = main(["export", *args, "--out", str(out), "--db", str(wojood_db)])
    err = capsys.readouterr().err
    assert code == 1
    assert problem in err and err.count("\n") == 1 and "Traceback" not in err
    assert _files(work) == before
    assert (work / "is-a-file").read_text(encoding="utf-8") == "keep me"


def test_missing_database(tmp_path: Path, capsys) -> None:
    db = tmp_path / "none.db"
    code = main(["export", "--format", "native", "--out", str(tmp_path / "x"), "--db", str(db)])
    assert code == 1 and "no such database" in capsys.readouterr().err
    assert not db.exists()
