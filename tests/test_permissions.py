"""Roles that hold: who may add reviewers, which names a layer may take."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import PermissionDenied, UserError
from annotator.services import annotate
from annotator.services.project import Project
from annotator.services.users import add_user, list_users


def _roles(project: Project) -> dict[str, str]:
    return {u.name: u.role for u in list_users(project)}


def test_the_first_reviewer_needs_no_one(project: Project) -> None:
    add_user(project, "ali", "curator")
    assert add_user(project, "rana", "reviewer")[1] is None
    assert _roles(project) == {"ali": "curator", "rana": "reviewer"}


def test_once_there_is_a_reviewer_only_a_reviewer_changes_who_reviews(project: Project) -> None:
    add_user(project, "rana", "reviewer")
    add_user(project, "ali", "curator")  # curators may still be added by anyone
    with pytest.raises(PermissionDenied, match="needs --by REVIEWER"):
        add_user(project, "ali", "reviewer")
    with pytest.raises(PermissionDenied, match="ali is a curator"):
        add_user(project, "ali", "reviewer", by="ali")
    with pytest.raises(PermissionDenied, match="nobody is not a registered annotator"):
        add_user(project, "omar", "reviewer", by="nobody")
    with pytest.raises(PermissionDenied, match="needs --by REVIEWER"):
        add_user(project, "rana", "curator")  # demoting a reviewer too
    assert _roles(project) == {"ali": "curator", "rana": "reviewer"}
    add_user(project, "ali", "reviewer", by="rana")
    add_user(project, "rana", "curator", by="ali")
    assert _roles(project) == {"ali": "reviewer", "rana": "curator"}
    who = project.store.execute(
        "SELECT who FROM events WHERE action = 'set_role' ORDER BY id DESC LIMIT 2"
    ).fetchall()
    assert who == [("ali",), ("rana",)]  # the journal names who changed the role


def test_users_add_on_the_command_line(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "p.db")
    assert main(["users", "add", "rana", "--role", "reviewer", "--db", db]) == 0
    assert main(["users", "add", "omar", "--role", "reviewer", "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.endswith(
        "annotator: error: this database has reviewers: making omar a reviewer needs --by "
        "REVIEWER\n"
    )
    assert main(["users", "add", "omar", "--role", "reviewer", "--by", "rana", "--db", db]) == 0
    assert "added omar as reviewer" in capsys.readouterr().out


@pytest.mark.parametrize(
    "name", ["gold", "GOLD", "Gold", "ｇｏｌｄ", "x" * 65, "ali\u200b", "a\x07", "\u2028"]
)
def test_look_alike_and_hostile_names_are_refused(project: Project, name: str) -> None:
    with pytest.raises(UserError, match="cannot be an annotator name"):
        add_user(project, name, "curator")
    with pytest.raises(UserError, match="cannot be an annotator name"):
        annotate.register(project, name)
    assert _roles(project) == {}


def test_names_are_trimmed_and_markup_is_only_text(project: Project) -> None:
    assert add_user(project, "  سارة ", "curator")[0].name == "سارة"
    assert annotate.register(project, "<b>x</b>") == "curator"
    assert _roles(project) == {"<b>x</b>": "curator", "سارة": "curator"}
