"""The hub and sync commands: real output, one-line refusals, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.hub import SCHEMA_VERSION
from tests.hub.conftest import Hub, PgServer
from tests.hub.team import write_corpus


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_add_user_sync_assign_status(
    pg_server: PgServer, hub_db: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    admin = pg_server.url(hub_db)
    assert run(capsys, "hub", "init", admin)[1].startswith(
        f"hub created (schema version {SCHEMA_VERSION})"
    )
    assert (
        run(capsys, "hub", "init", admin)[1]
        == f"hub schema is up to date (version {SCHEMA_VERSION})\n"
    )
    for name, role in (("amal", "curator"), ("rana", "reviewer")):
        monkeypatch.setenv("ANNOTATOR_HUB_PASSWORD", f"pw-{name}")
        code, out, _ = run(capsys, "hub", "add-user", name, "--role", role, "--hub", admin)
        assert (code, out) == (0, f"added {name} to the hub as {role}\n")
        pg_server.add_password(name, f"pw-{name}")
    argv = ("hub", "add-user", "amal", "--role", "curator", "--hub", admin, "--no-password")
    code, out, _ = run(capsys, *argv)
    assert out == "amal is a curator on the hub (unchanged)\n"
    assert run(capsys, "hub", "users", "--hub", admin)[1] == "amal\tcurator\nrana\treviewer\n"
    rana, amal = str(tmp_path / "rana.db"), str(tmp_path / "amal.db")
    run(capsys, "import", str(write_corpus(tmp_path / "c")), "--db", rana)
    code, out, _ = run(capsys, "sync", "--hub", pg_server.url(hub_db, "rana"), "--db", rana)
    assert code == 0 and out.startswith("synced rana (reviewer) with postgresql://rana@/")
    assert "pushed 7 label(s), 3 document(s); pulled nothing" in out
    code, out, _ = run(capsys, "hub", "assign", "--count", "2", "--db", rana)
    assert out == "assigned 2 document(s): amal 2\n"
    code, out, err = run(capsys, "sync", "--hub", pg_server.url(hub_db, "amal"), "--db", amal)
    assert code == 0, err
    assert "pulled 3 document(s), 2 assignment(s)" in out
    code, out, _ = run(capsys, "sync", "--db", amal, "--json")
    report = json.loads(out)
    assert report["user"] == "amal" and not any(report["pushed"].values())
    code, out, _ = run(capsys, "hub", "status", "--db", rana, "--json")
    assert json.loads(out) == [
        {
            "name": "amal",
            "assigned": 2,
            "done": 0,
            "in_progress": 0,
            "skipped": 0,
            "spans": 0,
            "f1": None,
        }
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sync"], "give the hub's URL"),
        (["sync", "--hub", "postgresql://amal:secret@localhost/x"], "holds a password"),
        (["hub", "users"], "no such database"),
    ],
)
def test_refusals_are_one_line(capsys, tmp_path: Path, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv, "--db", str(tmp_path / "x.db"))
    assert code == 1 and out == ""
    assert err.startswith("annotator: error: ") and message in err
    assert err.count("\n") == 1


def test_unreachable_hub_is_one_line(capsys, tmp_path: Path, hub: Hub) -> None:
    url = hub.url("nobody").replace(str(hub.server.socket_dir), str(tmp_path / "gone"))
    code, _out, err = run(capsys, "sync", "--hub", url, "--db", str(tmp_path / "x.db"))
    assert code == 1 and err.startswith("annotator: error: cannot reach the hub: ")
    assert err.count("\n") == 1


def test_not_a_hub_yet(capsys, tmp_path: Path, pg_server: PgServer, hub_db: str) -> None:
    code, _out, err = run(
        capsys, "sync", "--hub", pg_server.url(hub_db), "--db", str(tmp_path / "x.db")
    )
    assert code == 1 and "not a hub yet: run `annotator hub init URL` first" in err


def test_a_superuser_cannot_be_a_member(capsys, hub: Hub, monkeypatch) -> None:
    monkeypatch.setenv("ANNOTATOR_HUB_PASSWORD", "x")
    argv = ("hub", "add-user", "hubadmin", "--role", "curator", "--hub", hub.admin_url)
    code, _out, err = run(capsys, *argv)
    assert code == 1 and "bypasses row-level security" in err


def test_changes_under_another_name_are_named(capsys, hub: Hub, tmp_path: Path) -> None:
    from annotator.services import annotate
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    url = hub.add("amal", "curator")
    db = tmp_path / "amal.db"
    with open_project(db) as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        annotate.register(project, "sara")
        doc = project.store.execute("SELECT id FROM documents LIMIT 1").fetchone()[0]
        annotate.add_span(project, "sara", doc, 0, 3, "PER")
    code, out, _ = run(capsys, "sync", "--hub", url, "--db", str(db))
    assert code == 0
    assert "not pushed: 1 change(s) in the layer 'sara'; only your own layer (amal)" in out


def test_a_removed_member_can_no_longer_sync(capsys, hub: Hub, tmp_path: Path) -> None:
    url = hub.add("amal", "curator")
    db = str(tmp_path / "amal.db")
    assert run(capsys, "sync", "--hub", url, "--db", db)[0] == 0
    code, out, _ = run(capsys, "hub", "remove-user", "amal", "--hub", hub.admin_url)
    assert (code, out) == (0, "removed amal (curator) from the hub; their work stays on it\n")
    code, _out, err = run(capsys, "sync", "--db", db)
    assert code == 1 and "amal is not a member of this hub" in err
    code, _out, err = run(capsys, "hub", "remove-user", "amal", "--hub", hub.admin_url)
    assert code == 1 and "amal is not a member of this hub" in err


def test_sync_reports_progress_per_batch(hub: Hub, tmp_path: Path) -> None:
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project
    from annotator.services.sync import sync

    url = hub.add("amal", "curator")
    seen: list[tuple[int, int]] = []
    with open_project(tmp_path / "amal.db") as project:
        import_paths(project, [write_corpus(tmp_path / "c")])
        sync(project, url, batch=2, progress=lambda done, total, _l: seen.append((done, total)))
    assert seen == [(2, 3), (3, 3)], "three documents, two per batch"
