"""Layer and annotator names that mix look-alike letters of two scripts are refused.

"gоld" with a Cyrillic о, or "ali" with a Greek ο, would be a second layer
that reads exactly like the first. Every place a name comes from outside
(import, a record's layer, users add, a merge source) refuses it in one line;
names in one script, and Latin with Arabic, stay fine.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.validate import layer_name_problem, mixed_script_problem
from annotator.services.merge import merge_databases
from annotator.services.project import open_project
from tests.helpers import db_dump, write_jsonl
from tests.test_merge import curator_db

CYRILLIC_O = "\u043e"
GREEK_OMICRON = "\u03bf"
CYRILLIC_A = "\u0430"


@pytest.mark.parametrize(
    "name", ["ali", "علي", "محمد٣", "sara@example.org", "ls-user-3", "sara-سارة", "иван",
             "Νίκος", "ali_2"]
)  # fmt: skip
def test_names_in_one_script_or_latin_with_arabic_are_fine(name: str) -> None:
    assert layer_name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "script", "other"),
    [
        (f"g{CYRILLIC_O}ld", "Cyrillic", "Latin"),
        (f"ali-{GREEK_OMICRON}", "Greek", "Latin"),
        (f"{CYRILLIC_A}li", "Cyrillic", "Latin"),
        (f"علي-{CYRILLIC_O}", "Cyrillic", "Arabic"),
        ("\u13aali", "Cherokee", "Latin"),
    ],
)
def test_mixed_look_alike_scripts_are_refused(name: str, script: str, other: str) -> None:
    problem = layer_name_problem(name)
    assert problem == mixed_script_problem(name)
    assert problem is not None and "\n" not in problem
    assert f"mixes {script} letters" in problem and f"with {other} ones" in problem


def test_import_refuses_a_look_alike_annotator_and_record_layer(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    good = write_jsonl(tmp_path / "good.jsonl", [{"text": "قال مارك", "spans": []}])
    assert main(["import", str(good), "--annotator", "ali", "--db", str(db)]) == 0
    before = db_dump(db)
    capsys.readouterr()
    name = f"{CYRILLIC_A}li"
    assert main(["import", str(good), "--annotator", name, "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "mixes Cyrillic letters ('а' U+0430) with Latin" in err
    record = {"text": "قال مارك أسبر", "layer": name,
              "spans": [{"start": 4, "end": 13, "label": "PER"}]}  # fmt: skip
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": "نص", "spans": []}, record])
    assert main(["import", str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"annotator: error: {bad}:2:") and "mixes Cyrillic" in err
    assert db_dump(db) == before


def test_users_add_refuses_a_look_alike_name(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "p.db")
    assert main(["users", "add", "rana", "--role", "reviewer", "--db", db]) == 0
    capsys.readouterr()
    assert main(["users", "add", f"ran{CYRILLIC_A}", "--role", "curator", "--db", db]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "look-alike letters" in err
    assert main(["users", "add", "رنا", "--role", "curator", "--db", db]) == 0


def test_merge_drops_a_look_alike_layer(tmp_path: Path) -> None:
    ali = curator_db(tmp_path, "a", "ali")
    forged = tmp_path / "forged.db"
    shutil.copy(ali, forged)
    conn = sqlite3.connect(forged)
    with conn:
        fake = f"{CYRILLIC_A}li"
        conn.execute("UPDATE annotators SET name = ? WHERE name = 'ali'", (fake,))
        conn.execute("UPDATE spans SET layer = ? WHERE layer = 'ali'", (fake,))
        conn.execute("UPDATE relations SET layer = ? WHERE layer = 'ali'", (fake,))
        conn.execute("UPDATE progress SET layer = ? WHERE layer = 'ali'", (fake,))
        n_spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    conn.close()
    with open_project(tmp_path / "team.db") as team:
        report = merge_databases(team, [forged])
        dropped = {(t, r): n for (_, t, r), n in report.dropped.items()}
        assert dropped[("spans", "bad layer name")] == n_spans
        assert dropped[("annotators", "bad annotator name")] == 1
        assert report.spans == 0
