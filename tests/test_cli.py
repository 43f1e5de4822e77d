"""The command line: import, stats, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.resources import sample_corpus_dir


def test_import_then_stats_json(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(sample_corpus_dir()), "--db", str(db_path)]) == 0
    assert "2 new document(s)" in capsys.readouterr().out
    assert main(["stats", "--json", "--db", str(db_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 2
    assert data["clusters"] == 2


def test_db_from_environment(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANNOTATOR_DB", str(db_path))
    assert main(["import", str(sample_corpus_dir())]) == 0
    assert db_path.exists()


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["import"])
    assert info.value.code == 2


def test_native_round_trip_through_the_cli(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "😀 قال مارك أسبر"
    src = tmp_path / "in.jsonl"
    rec = {"text": text, "spans": [{"start": 6, "end": 15, "label": "PER", "text": "مارك أسبر"}]}
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["import", str(src), "--annotator", "amal", "--db", str(db_path)]) == 0
    out = tmp_path / "out.jsonl"
    args = ["export", "--format", "native", "--layer", "amal", "--out", str(out)]
    assert main([*args, "--db", str(db_path)]) == 0
    (back,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert back["text"] == text
    assert [(s["start"], s["end"], s["label"]) for s in back["spans"]] == [(6, 15, "PER")]


def test_first_command_on_the_default_database_loads_the_sample(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # conftest points XDG_DATA_HOME at a temporary folder and unsets ANNOTATOR_DB
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 2
