"""Editing a label: names, colour and key change; name and kind never do.

Also how a pulled schema is applied to a local file (no hub needed): a
reviewer's edit made since the last push is kept over the hub's, a curator
takes the hub's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import PermissionDenied, UserError
from annotator.services import annotate
from annotator.services.labels import edit_label
from annotator.services.project import Project, open_project
from annotator.services.sync_labels import apply_labels
from annotator.store import synclog


def test_an_edit_is_stored_journaled_and_reported(project: Project, db_path: Path) -> None:
    changes = edit_label(project, "ORG", {"color": "#010203", "name_ar": "هيئة"})
    assert changes.labels == ("ORG",) and bool(changes)
    lab = project.schema.label("ORG")
    assert (lab.color, lab.name_ar, lab.kind, lab.shortcut) == ("#010203", "هيئة", "entity", "2")
    with open_project(db_path) as again:
        assert again.schema.label("ORG") == lab
    action, before, after = project.store.execute(
        "SELECT action, before, after FROM events ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert action == "edit_label"
    assert json.loads(before) == {"label": "ORG", "color": "#8ecae6", "name_ar": "منظمة"}
    assert json.loads(after) == {"color": "#010203", "name_ar": "هيئة"}
    assert not edit_label(project, "ORG", {"color": "#010203"}), "nothing new: nothing written"


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("NOPE", {"color": "#000000"}, "no label 'NOPE'"),
        ("PER", {"kind": "claim"}, "kind never changes"),
        ("PER", {"name": "PERSON"}, "name never changes"),
        ("PER", {"color": "red"}, "is not #rrggbb"),
        ("PER", {"color": "#000;x:y"}, "is not #rrggbb"),
        ("PER", {"shortcut": "12"}, "must be one key"),
        ("PER", {"shortcut": "2"}, "the key '2' is ORG's already"),
        ("PER", {"shortcut": "r"}, "the key 'r' is ATTRIBUTED_TO's already"),
        ("PER", {"name_en": ""}, "without surrounding spaces"),
        ("PER", {"name_en": "a\nb"}, r"control character U\+000A"),
        ("PER", {"name_ar": "x" * 65}, "at most 64"),
        ("ATTRIBUTED_TO", {"color": "#000000"}, "a relation has no colour"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(project: Project, name, values, message):
    before = (project.schema, project.store.execute("SELECT * FROM labels").fetchall())
    with pytest.raises(UserError, match=message):
        edit_label(project, name, values)
    assert (project.schema, project.store.execute("SELECT * FROM labels").fetchall()) == before


def test_with_reviewers_an_edit_needs_one(project: Project) -> None:
    annotate.register(project, "rana", "reviewer")
    annotate.register(project, "sara", "curator")
    with pytest.raises(PermissionDenied, match="needs --by REVIEWER"):
        edit_label(project, "PER", {"color": "#000000"})
    with pytest.raises(PermissionDenied, match="sara is a curator"):
        edit_label(project, "PER", {"color": "#000000"}, by="sara")
    assert project.schema.label("PER").color == "#f4a261"
    assert edit_label(project, "PER", {"color": "#000000"}, by="rana")


def _hub_row(name="PER", kind="entity", en="Person", ar="شخص", color="#f4a261", key="1"):
    return (name, kind, en, ar, color, key, None, None, 0, "2030-01-01T00:00:00")


def _tracked(project: Project, role: str) -> None:
    with project.store.transaction():
        synclog.start_tracking(project.store)
        synclog.set_state(project.store, user="rana", role=role)


@pytest.mark.parametrize(("role", "kept"), [("reviewer", True), ("curator", False)])
def test_a_local_edit_not_yet_pushed_is_kept_by_a_reviewer(project: Project, role, kept):
    _tracked(project, "reviewer")
    edit_label(project, "PER", {"color": "#111111"}, by="rana")
    synclog.set_state(project.store, role=role)
    pending = synclog.logged_keys(project.store)
    assert ("labels", "PER", "") in pending
    skipped: list[str] = []
    with project.store.transaction():
        changed = apply_labels(project, [_hub_row(color="#222222")], pending, role, skipped)
    project.reload_schema()
    assert skipped == []
    assert changed == (() if kept else ("PER",))
    assert project.schema.label("PER").color == ("#111111" if kept else "#222222")


def test_a_curator_of_a_hub_project_cannot_edit(project: Project) -> None:
    _tracked(project, "curator")
    with pytest.raises(PermissionDenied, match="only a reviewer edits them"):
        edit_label(project, "PER", {"color": "#111111"})
    assert synclog.pending(project.store) == 0


def test_cli_lists_and_edits(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "add", "rana", "--role", "reviewer", "--db", str(db_path)]) == 0
    capsys.readouterr()
    argv = ["labels", "edit", "LOC", "--color", "#2a9d8f", "--name-en", "Location"]
    assert main([*argv, "--by", "rana", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out == "LOC            entity    #2a9d8f  3   Location / مكان\n"
    assert main(["labels", "list", "--json", "--db", str(db_path)]) == 0
    rows = json.loads(capsys.readouterr().out)["labels"]
    assert [r["name"] for r in rows] == [
        "PER",
        "ORG",
        "LOC",
        "MISC",
        "CLAIM",
        "SOURCE",
        "ATTRIBUTED_TO",
    ]
    assert rows[2]["color"] == "#2a9d8f" and rows[6]["head"] == "CLAIM"
    assert (
        main(["labels", "edit", "LOC", "--color", "teal", "--by", "rana", "--db", str(db_path)])
        == 1
    )
    assert capsys.readouterr().err == (
        "annotator: error: label LOC: colour 'teal' is not #rrggbb (or #rgb)\n"
    )
