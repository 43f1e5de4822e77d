"""The review subcommands: agreement, conflicts, adjudicate, users."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.project import open_project
from tests.test_agreement import load_team


@pytest.fixture
def team_db(db_path: Path, tmp_path: Path) -> Path:
    with open_project(db_path) as project:
        load_team(project, tmp_path)
    return db_path


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_agreement_json_and_table(team_db: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "agreement", "--json", "--db", str(team_db))
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"documents", "pairs", "per_label", "alpha"}
    assert data["documents"] == 2
    assert [(p["a"], p["b"], p["matched"]) for p in data["pairs"]] == [
        ("ali", "omar", 3),
        ("ali", "sara", 6),
        ("omar", "sara", 2),
    ]
    code, out, _ = run(capsys, "agreement", "--db", str(team_db))
    assert code == 0
    assert "ali   sara  0.800  0.750" in out
    assert "PER" in out and "entity" in out


def test_conflicts_json_and_table(team_db: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "conflicts", "--json", "--db", str(team_db))
    assert code == 0
    kinds = [c["kind"] for c in json.loads(out)["conflicts"]]
    assert kinds == ["boundary", "relation", "label", "missing", "missing"]
    code, out, _ = run(capsys, "conflicts", "--db", str(team_db))
    assert "ali,omar: 17-22 ORG | sara: 17-22 LOC" in out
    assert "5 conflict(s)" in out


def test_users_and_auto_adjudication(team_db: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(team_db)
    assert run(capsys, "users", "add", "rana", "--role", "reviewer", "--db", db)[1] == (
        "added rana as reviewer\n"
    )
    code, out, _ = run(capsys, "users", "list", "--json", "--db", db)
    assert {"name": "rana", "role": "reviewer"} in json.loads(out)["users"]
    code, out, _ = run(capsys, "users", "list", "--db", db)
    assert "rana  reviewer" in out and "ali   curator" in out

    code, out, _ = run(capsys, "adjudicate", "--auto", "--reviewer", "rana", "--db", db)
    assert (code, out) == (0, "2 document(s) examined; 4 span(s) and 0 relation(s) added to gold\n")
    code, out, _ = run(capsys, "adjudicate", "--auto", "--reviewer", "rana", "--db", db)
    assert out.startswith("2 document(s) examined; 0 span(s)")

    code, _, err = run(capsys, "adjudicate", "--auto", "--reviewer", "ali", "--db", db)
    assert code == 1
    assert err == "annotator: error: ali is a curator: only reviewers review and decide conflicts\n"
    code, _, err = run(capsys, "users", "add", "gold", "--role", "reviewer", "--db", db)
    assert code == 1 and "cannot be an annotator name" in err
