"""A reviewer's label edits reach every member; curators cannot write labels.

A reviewer changes a label's colour, names or key; their next sync pushes the
edit and everyone's next sync applies it. Two reviewers' edits settle on the
later one in either order. The server refuses a curator's hand-written
writes to the labels and anyone's change of a label's name or kind; an
older hub upgrades and its members may then push edits. Planted label rows
are skipped with one line each.
"""

from __future__ import annotations

import signal
from pathlib import Path

import psycopg
import pytest

from annotator.core.errors import PermissionDenied
from annotator.services.labels import edit_label
from annotator.services.project import open_project
from annotator.services.sync import sync
from tests.hub.conftest import Hub, OldHub, PgServer, make_old_hub
from tests.hub.team import CURATORS, REVIEWER, Team


@pytest.fixture
def team(hub: Hub, tmp_path: Path):
    """Three curators and a reviewer, all synced once."""
    team = Team(hub, tmp_path)
    for who in (REVIEWER, *CURATORS):
        team.sync(who)
    yield team
    team.close()


def _hub_label(hub: Hub, name: str) -> tuple:
    with psycopg.connect(hub.admin_url) as conn:
        return conn.execute(
            "SELECT name_en, name_ar, color, shortcut, kind FROM hub.labels WHERE name = %s",
            (name,),
        ).fetchone()


def _attrs(project, name: str) -> tuple:
    lab = project.schema.label(name)
    return lab.name_en, lab.name_ar, lab.color, lab.shortcut


def _date_edits(project, at: str) -> None:
    """Give the file's pending label edits the clock time ``at`` (people minutes apart)."""
    project.store.execute("UPDATE sync_log SET at = ? WHERE tbl = 'labels'", (at,))


EDIT = {
    "color": "#112233",
    "name_en": "Person (full name)",
    "name_ar": "شخص باسمه",
    "shortcut": "9",
}


def test_a_reviewers_edit_reaches_every_curator(team: Team) -> None:
    rana = team.dbs[REVIEWER]
    changes = edit_label(rana, "PER", EDIT)
    assert changes.labels == ("PER",)
    assert team.sync(REVIEWER).pushed == {"labels": 1}
    want = ("Person (full name)", "شخص باسمه", "#112233", "9")
    assert _hub_label(team.hub, "PER") == (*want, "entity")
    for who in CURATORS:
        report = team.sync(who)
        assert report.pulled["labels"] == 1, who
        assert _attrs(team.dbs[who], "PER") == want
        fresh = open_project(team.dbs[who].store.path)  # stored, not only in memory
        try:
            assert _attrs(fresh, "PER") == _attrs(team.dbs[who], "PER")
        finally:
            fresh.close()
    for who in (REVIEWER, *CURATORS):  # settled: nothing goes either way any more
        report = team.sync(who)
        assert not report.pushed.get("labels") and not report.pulled["labels"], who


def test_a_new_reviewer_joins_with_the_edited_schema(team: Team, tmp_path: Path) -> None:
    edit_label(team.dbs[REVIEWER], "ATTRIBUTED_TO", {"name_en": "Said by", "shortcut": "A"})
    team.sync(REVIEWER)
    url = team.hub.add("sami", "reviewer")
    with open_project(tmp_path / "sami.db") as sami:
        sync(sami, url)
        rel = sami.schema.relation("ATTRIBUTED_TO")
        assert (rel.name_en, rel.shortcut) == ("Said by", "A")


@pytest.mark.parametrize("first", ["rana", "sami"])
def test_two_reviewers_edits_settle_on_the_later_one(team: Team, tmp_path: Path, first) -> None:
    url = team.hub.add("sami", "reviewer")
    with open_project(tmp_path / "sami.db") as sami:
        from annotator.services import annotate

        annotate.register(sami, "sami", "reviewer")
        sync(sami, url)
        rana = team.dbs[REVIEWER]
        edit_label(rana, "LOC", {"color": "#aa0000"})
        edit_label(sami, "LOC", {"color": "#00bb00"})
        _date_edits(rana, "2030-01-01T10:00:00.000")
        _date_edits(sami, "2030-01-01T10:05:00.000")  # sami's is the later edit
        runs = {"rana": lambda: team.sync(REVIEWER), "sami": lambda: sync(sami, url)}
        second = "sami" if first == "rana" else "rana"
        runs[first]()
        runs[second]()
        runs[first]()
        assert rana.schema.label("LOC").color == "#00bb00"
        assert sami.schema.label("LOC").color == "#00bb00"
    assert _hub_label(team.hub, "LOC")[2] == "#00bb00"
    team.sync("amal")
    assert team.dbs["amal"].schema.label("LOC").color == "#00bb00"


def test_a_curator_cannot_edit_labels_here_or_on_the_hub(team: Team) -> None:
    before = _hub_label(team.hub, "PER")
    with pytest.raises(PermissionDenied, match="only a reviewer"):
        edit_label(team.dbs["amal"], "PER", {"color": "#000000"})
    with psycopg.connect(team.urls["amal"], autocommit=True) as conn:
        assert conn.execute("UPDATE hub.labels SET color = '#000000'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO hub.labels (name, kind, name_en, name_ar, color, shortcut, position,"
                " changed_at, source_db) VALUES ('PER', 'entity', 'x', 'x', '#000000', '', 0,"
                " '2099', 'x') ON CONFLICT (name) DO UPDATE SET color = excluded.color"
            )
    assert _hub_label(team.hub, "PER") == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE hub.labels SET kind = 'claim' WHERE name = 'PER'",
        "UPDATE hub.labels SET name = 'PERSON' WHERE name = 'PER'",
        "UPDATE hub.labels SET tail = 'PER' WHERE name = 'ATTRIBUTED_TO'",
    ],
)
def test_nobody_changes_a_labels_name_or_kind(team: Team, sql: str) -> None:
    with (
        psycopg.connect(team.urls[REVIEWER]) as conn,
        pytest.raises(psycopg.errors.CheckViolation, match="never change"),
    ):
        conn.execute(sql)
    assert _hub_label(team.hub, "PER")[4] == "entity"


def test_planted_label_rows_are_skipped_with_one_line_each(team: Team) -> None:
    with psycopg.connect(team.hub.admin_url, autocommit=True) as conn:
        for sql in (
            "UPDATE hub.labels SET color = 'red;background:url(x)', changed_at = '2099'"
            " WHERE name = 'ORG'",
            "UPDATE hub.labels SET name_en = E'Place\\u0007', changed_at = '2099'"
            " WHERE name = 'LOC'",
            "UPDATE hub.labels SET shortcut = '1', changed_at = '2099' WHERE name = 'MISC'",
            "UPDATE hub.labels SET name_ar = 'ادعاء موثق', changed_at = '2099'"
            " WHERE name = 'CLAIM'",
            "INSERT INTO hub.labels (name, kind, name_en, name_ar, color, shortcut, position,"
            " head, tail) VALUES ('EVIL', 'macro', 'x', 'x', '#000000', '', 20, NULL, NULL),"
            " ('LINK', 'relation', 'x', 'x', '#000000', '', 21, 'NOPE', 'PER'),"
            " ('EVT', 'entity', 'Event', 'حدث', '#123456', '', 22, NULL, NULL)",
        ):
            conn.execute(sql)
    report = team.sync("amal")
    problems = "\n".join(report.skipped)
    for expected in (
        "label 'ORG': colour 'red;background:url(x)' is not #rrggbb",
        "label 'LOC': name_en holds the control character U+0007",
        "label 'MISC': the key '1' would also be PER's",
        "label 'EVIL': unknown kind 'macro'",
        "label 'LINK': a relation between unknown labels 'NOPE' and 'PER'",
    ):
        assert expected in problems, (expected, problems)
    assert len(report.skipped) == 5, problems
    amal = team.dbs["amal"]
    assert report.pulled["labels"] == 2  # CLAIM's new name, and EVT
    assert amal.schema.label("CLAIM").name_ar == "ادعاء موثق"
    assert amal.schema.label("EVT") is not None
    assert amal.schema.label("ORG").color == "#8ecae6"
    assert amal.schema.label("MISC").shortcut == "4"
    assert amal.schema.label("EVIL") is None and amal.schema.relation("LINK") is None


def test_an_older_hub_upgrades_and_its_reviewer_pushes_edits(
    pg_server: PgServer, hub_db: str, tmp_path: Path
) -> None:
    from annotator.core.errors import UserError
    from annotator.services.hub_admin import init_hub

    hub = OldHub(pg_server, hub_db)
    make_old_hub(hub.admin_url, 3)  # as the app before label edits made it
    team = Team(hub, tmp_path)  # members added while the hub is old
    try:
        with psycopg.connect(hub.admin_url) as conn:  # a label a reviewer pushed back then
            conn.execute(
                "INSERT INTO hub.labels (name, kind, name_en, name_ar, color, shortcut, position)"
                " VALUES ('SOURCE', 'source', 'Source', 'مصدر', '#1d3557', '6', 5)"
            )
        with pytest.raises(UserError, match=r"older than this app's .*annotator hub init"):
            team.sync(REVIEWER)
        assert init_hub(hub.admin_url) == (3, 4)
        team.sync(REVIEWER)
        edit_label(team.dbs[REVIEWER], "SOURCE", {"name_en": "Quoted source"})
        assert team.sync(REVIEWER).pushed["labels"] == 1  # members were granted the update
        assert _hub_label(hub, "SOURCE")[0] == "Quoted source"
        assert team.sync("bilal").pulled["labels"] == 1
        assert team.dbs["bilal"].schema.label("SOURCE").name_en == "Quoted source"
    finally:
        team.close()


@pytest.mark.parametrize("kill", ["push:1", "pull"])
def test_kill_9_during_a_reviewers_sync_loses_no_label_edit(team: Team, kill: str) -> None:
    from annotator.core.model import GOLD
    from annotator.services.sync import status
    from tests.hub.test_hub_crash import child_sync
    from tests.hub.test_hub_sync import tag

    rana = team.dbs[REVIEWER]
    edit_label(rana, "LOC", {"color": "#0a0b0c", "name_ar": "موضع"})
    tag(team, REVIEWER, 0, "الرباط", "LOC", GOLD)  # a push batch after the labels
    assert child_sync(team, REVIEWER, kill) == -signal.SIGKILL
    assert child_sync(team, REVIEWER, None) == 0
    assert _hub_label(team.hub, "LOC")[1:3] == ("موضع", "#0a0b0c")
    assert status(rana).pending == 0
    rana.reload_schema()
    assert rana.schema.label("LOC").color == "#0a0b0c"
    team.sync("amal")
    assert team.dbs["amal"].schema.label("LOC").color == "#0a0b0c"


def test_kill_9_during_a_curators_pull_then_the_next_sync_applies_the_edit(team: Team) -> None:
    from tests.hub.test_hub_crash import child_sync

    edit_label(team.dbs[REVIEWER], "MISC", {"color": "#a1b2c3"})
    team.sync(REVIEWER)
    amal = team.dbs["amal"]
    assert child_sync(team, "amal", "pull") == -signal.SIGKILL
    amal.reload_schema()
    assert amal.schema.label("MISC").color == "#d4a5e8", "the killed pull left nothing"
    assert child_sync(team, "amal", None) == 0
    amal.reload_schema()
    assert amal.schema.label("MISC").color == "#a1b2c3"
