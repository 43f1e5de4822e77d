"""The server, not the app, keeps curators to their own layer.

A curator connected with their own role tries hand-written SQL against the
hub: writing gold, writing another curator's layer, reading it, deciding,
assigning, deleting, turning row-level security off. Each is refused or
sees nothing, and the hub is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from annotator.services.sync import sync
from tests.hub.conftest import Hub, PgServer
from tests.hub.team import Team, hub_snapshot


@pytest.fixture(scope="module")
def synced(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Team:
    """The team's files with a span in each layer, all synced (one hub per module:
    every test compares the hub before and after its own attempt)."""
    from annotator.services.hub_admin import init_hub
    from tests.hub.test_hub_sync import tag

    hub = Hub(pg_server, pg_server.create_database())
    init_hub(hub.admin_url)
    team = Team(hub, tmp_path_factory.mktemp("rls"))
    tag(team, "amal", 0, "مارك أسبر", "PER")
    tag(team, "bilal", 0, "الرباط", "LOC")
    tag(team, "rana", 0, "مارك أسبر", "PER", "gold")
    for who in ("amal", "bilal", "rana"):
        team.sync(who)
    yield team
    team.close()


def _span_row(doc_id: str, layer: str, sid: str = "s_forged") -> tuple:
    return (sid, doc_id, layer, 0, 3, "PER", "manual", "t", "t", "t", "x")


_INSERT_SPAN = (
    'INSERT INTO hub.spans (id, doc_id, layer, start, "end", label, origin, created_at,'
    " updated_at, changed_at, source_db) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


@pytest.mark.parametrize("layer", ["gold", "bilal"])
def test_curator_cannot_insert_into_gold_or_another_layer(synced: Team, layer: str) -> None:
    before = hub_snapshot(synced.hub)
    with (
        psycopg.connect(synced.urls["amal"]) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        conn.execute(_INSERT_SPAN, _span_row(synced.doc_ids[0], layer))
    assert hub_snapshot(synced.hub) == before


def test_curator_may_insert_into_their_own_layer(synced: Team) -> None:
    with psycopg.connect(synced.urls["amal"]) as conn:
        conn.execute(_INSERT_SPAN, _span_row(synced.doc_ids[0], "amal"))
    assert ("amal", 0, 3) in {(s[1], s[2], s[3]) for s in hub_snapshot(synced.hub)["spans"]}


def test_curator_cannot_see_or_change_other_layers(synced: Team) -> None:
    before = hub_snapshot(synced.hub)
    with psycopg.connect(synced.urls["amal"], autocommit=True) as conn:
        layers = {r[0] for r in conn.execute("SELECT DISTINCT layer FROM hub.spans")}
        assert layers == {"amal"}
        for sql in (
            "UPDATE hub.spans SET label = 'ORG' WHERE layer <> 'amal'",
            "UPDATE hub.spans SET deleted = true WHERE layer = 'gold'",
            "UPDATE hub.progress SET status = 'done' WHERE layer <> 'amal'",
        ):
            assert conn.execute(sql).rowcount == 0, sql
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("UPDATE hub.spans SET layer = 'gold' WHERE layer = 'amal'")
        assert conn.execute("SELECT count(*) FROM hub.decisions").fetchone()[0] == 0
    assert hub_snapshot(synced.hub) == before


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM hub.spans",
        "ALTER TABLE hub.spans DISABLE ROW LEVEL SECURITY",
        "DROP POLICY see ON hub.spans",
        "INSERT INTO hub.people (name, role) VALUES ('amal2', 'reviewer')",
        "UPDATE hub.people SET role = 'reviewer' WHERE name = 'amal'",
        "SET ROLE rana",
        "UPDATE hub.spans SET xid = '1' WHERE layer = 'amal'",
        "INSERT INTO hub.decisions (id, reviewer, doc_id, conflict, choice, decided_at, source_db)"
        " SELECT 'x', 'amal', id, 'c', '{}', 't', 'x' FROM hub.documents LIMIT 1",
        "INSERT INTO hub.assignments (doc_id, curator) SELECT id, 'amal' FROM hub.documents",
        "INSERT INTO hub.labels (name, kind, name_en, name_ar, color, shortcut, position)"
        " VALUES ('X', 'entity', 'X', 'X', '#000', '', 9)",
    ],
)
def test_curator_is_refused(synced: Team, sql: str) -> None:
    before = hub_snapshot(synced.hub)
    with (
        psycopg.connect(synced.urls["amal"]) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(sql)
    assert hub_snapshot(synced.hub) == before


def test_reviewer_writes_gold_and_sees_every_layer(synced: Team) -> None:
    with psycopg.connect(synced.urls["rana"]) as conn:
        layers = {r[0] for r in conn.execute("SELECT DISTINCT layer FROM hub.spans")}
        assert layers == {"amal", "bilal", "gold"}
        conn.execute(_INSERT_SPAN, _span_row(synced.doc_ids[0], "gold", "s_gold2"))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(_INSERT_SPAN, _span_row(synced.doc_ids[0], "amal", "s_x"))


def test_someone_not_on_the_hub_is_told_so(synced: Team, tmp_path: Path) -> None:
    from annotator.core.errors import UserError
    from annotator.services.project import open_project

    hub = synced.hub
    # a PostgreSQL role on the server, but never added to this hub
    with psycopg.connect(hub.admin_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS stranger")
        conn.execute("CREATE ROLE stranger LOGIN PASSWORD 'pw-stranger'")
    hub.server.add_password("stranger", "pw-stranger")
    with (
        open_project(tmp_path / "s.db") as project,
        pytest.raises(UserError, match="not a member of this hub"),
    ):
        sync(project, hub.url("stranger"))


def test_a_span_reusing_another_layers_id_leaves_that_span_alone(synced: Team) -> None:
    """On the hub a span is keyed by (layer, id), so amal's span under bilal's id
    (forged in her file by hand) is hers alone: bilal's span stays as it was, and
    a reviewer who has bilal's span skips amal's, and its tombstone, with a line."""
    (bilal_span,) = synced.sql("bilal", "SELECT id, doc_id FROM spans WHERE layer = 'bilal'")
    before = hub_snapshot(synced.hub)["spans"]
    amal = synced.dbs["amal"].store
    amal.execute(
        'INSERT INTO spans (id, doc_id, layer, start, "end", label, origin, created_at,'
        " updated_at) VALUES (?, ?, 'amal', 1, 4, 'PER', 'manual', 't', 't')",
        bilal_span,
    )
    assert synced.sync("amal").pushed.get("spans") == 1
    with psycopg.connect(synced.hub.admin_url) as conn:
        layers = conn.execute("SELECT layer FROM hub.spans WHERE id = %s", (bilal_span[0],))
        assert sorted(layers.fetchall()) == [("amal",), ("bilal",)]
    assert [s for s in hub_snapshot(synced.hub)["spans"] if s[1] == "bilal"] == [
        s for s in before if s[1] == "bilal"
    ]
    kept = synced.sql("rana", "SELECT layer, start FROM spans WHERE id = ?", (bilal_span[0],))
    report = synced.sync("rana")
    assert any("its id is another span's here" in line for line in report.skipped)
    amal.execute("DELETE FROM spans WHERE id = ?", (bilal_span[0],))
    synced.sync("amal")  # a tombstone for amal's (layer, id) only
    report = synced.sync("rana")
    assert any("its id is another span's here" in line for line in report.skipped)
    assert (
        synced.sql("rana", "SELECT layer, start FROM spans WHERE id = ?", (bilal_span[0],)) == kept
    )


def _copy_span(url: str, table: str, row: tuple) -> None:
    cols = 'id, doc_id, layer, start, "end", label, origin, created_at, updated_at, changed_at'
    with (
        psycopg.connect(url) as conn,
        conn.cursor().copy(f"COPY hub.{table} ({cols}, source_db) FROM STDIN") as copy,
    ):
        copy.write_row(row)


@pytest.mark.parametrize("layer", ["gold", "bilal"])
def test_curator_cannot_copy_into_another_layers_partition(synced: Team, layer: str) -> None:
    from annotator.store.hub_layers import partition

    before = hub_snapshot(synced.hub)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _copy_span(synced.urls["amal"], partition(layer), _span_row(synced.doc_ids[0], layer))
    with pytest.raises(psycopg.errors.CheckViolation, match="partition constraint"):
        _copy_span(synced.urls["amal"], partition("amal"), _span_row(synced.doc_ids[0], layer))
    assert hub_snapshot(synced.hub) == before


@pytest.mark.parametrize("layer", ["amal", "bilal", "gold"])
def test_nobody_reads_a_partition_directly(synced: Team, layer: str) -> None:
    from annotator.store.hub_layers import partition

    for who in ("amal", "rana"):
        with (
            psycopg.connect(synced.urls[who]) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute(f"SELECT * FROM hub.{partition(layer)}")


def test_a_reviewer_copies_into_gold_until_made_a_curator(synced: Team) -> None:
    from annotator.services.hub_admin import add_member
    from annotator.store.hub_layers import partition

    hub = synced.hub
    hub.add("rafi", "reviewer")
    _copy_span(hub.url("rafi"), partition("gold"), _span_row(synced.doc_ids[0], "gold", "s_rafi"))
    add_member(hub.admin_url, "rafi", "curator", None)
    before = hub_snapshot(hub)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _copy_span(
            hub.url("rafi"), partition("gold"), _span_row(synced.doc_ids[0], "gold", "s_rafi2")
        )
    _copy_span(hub.url("rafi"), partition("rafi"), _span_row(synced.doc_ids[0], "rafi", "s_own"))
    assert len(hub_snapshot(hub)["spans"]) == len(before["spans"]) + 1
