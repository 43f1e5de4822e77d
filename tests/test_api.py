"""The Python API: no Qt, lazy pandas/datasets, and the docs/api.md example runs as shown."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import UserError
from tests.conftest import REPO

SAMPLE = REPO / "tests" / "data" / "sample_gold.jsonl"


def _blocks(markdown: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", markdown, flags=re.S)


@pytest.fixture
def news_db(tmp_path: Path) -> Path:
    shutil.copy(SAMPLE, tmp_path / "gold.jsonl")
    db = tmp_path / "news.db"
    assert main(["--db", str(db), "users", "add", "lead", "--role", "reviewer"]) == 0
    argv = ["--db", str(db), "import", str(tmp_path / "gold.jsonl"), "--annotator", "gold"]
    assert main([*argv, "--reviewer", "lead"]) == 0
    return db


def test_docs_example_runs_and_prints_what_docs_show(news_db: Path) -> None:
    pytest.importorskip("datasets")
    pytest.importorskip("pandas")
    doc = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    (code,) = _blocks(doc, "python")
    shown = _blocks(doc, "text")[0]
    env = {"HF_DATASETS_OFFLINE": "1", "HF_HOME": str(news_db.parent / "hf")}
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=news_db.parent,
        capture_output=True,
        text=True,
        env={**_base_env(), **env},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == shown


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",)}


def test_no_qt_and_lazy_optional_imports(news_db: Path) -> None:
    pytest.importorskip("datasets")
    script = f"""
import sys
from annotator import Project
p = Project.open({str(news_db)!r})
assert not any(m.startswith("PySide6") for m in sys.modules), "Qt imported"
assert "datasets" not in sys.modules and "pandas" not in sys.modules
docs = p.documents(); recs = p.records("gold", format="attribution")
assert "datasets" not in sys.modules and "pandas" not in sys.modules
df = p.to_pandas("gold")
ds = p.to_hf(format="native", layer="gold")
assert not any(m.startswith("PySide6") for m in sys.modules), "Qt imported"
print(len(docs), len(recs), len(df), sorted(ds), len(ds["train"]))
"""
    env = {**_base_env(), "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(news_db.parent / "hf")}
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["2", "14", "103", "['train']", "2"]


def test_records_and_spans_agree(news_db: Path) -> None:
    from annotator import Project

    with Project.open(news_db) as project:
        native = project.records("gold")
        spans = list(project.iter_spans("gold"))
        assert len(spans) == sum(len(r["spans"]) for r in native) == 103
        texts = {d["id"]: d["text"] for d in project.documents()}
        assert all(texts[s["doc_id"]][s["start"] : s["end"]] == s["text"] for s in spans)
        bio = project.records("gold", format="hf-bio", max_tokens=50)
        assert all(len(r["tokens"]) <= 50 for r in bio) and len(bio) > 2


def test_open_refuses_missing_file(tmp_path: Path) -> None:
    from annotator import Project

    with pytest.raises(FileNotFoundError):
        Project.open(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_api_warnings(tmp_path: Path) -> None:
    from annotator import Project

    db = tmp_path / "e.db"
    (tmp_path / "e.jsonl").write_text(json.dumps({"text": "خبر.", "layer": "gold"}) + "\n")
    assert main(["--db", str(db), "users", "add", "lead", "--role", "reviewer"]) == 0
    assert main(["--db", str(db), "import", str(tmp_path / "e.jsonl"), "--reviewer", "lead"]) == 0
    with Project.open(db) as project, pytest.warns(UserWarning, match="layer gold has no"):
        project.records("gold")


def test_to_hf_every_json_format(news_db: Path, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("datasets")
    import datasets

    from annotator import Project

    datasets.disable_progress_bars()
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with Project.open(news_db) as project:
        for fmt in ("native", "doccano", "hf-bio", "attribution"):
            ds = project.to_hf(format=fmt, split="a=.5,b=.5", seed=3)
            recs = project.records("gold", format=fmt)
            assert sum(len(part) for part in ds.values()) == len(recs) > 0
            ids = sorted(row["id"] for part in ds.values() for row in part)
            assert ids == sorted(r["id"] for r in recs)
        with pytest.raises(UserError):
            project.to_hf(format="spacy")
