"""A throwaway PostgreSQL cluster for the hub tests, and hubs in it.

The session starts one server (``bench/pg.py``, shared with the hub benchmark):
``initdb`` in a temporary directory, a Unix socket in that directory, no TCP
port, and stops it by its pid at the end.
Running as root, the server runs as the ``postgres`` OS user (it refuses
root). Every test gets a fresh database in it, initialised as a hub.
Passwords are real (scram-sha-256) and reach libpq through a ``PGPASSFILE``.

Without PostgreSQL installed the hub tests are skipped, except under CI
(``CI=true``), where a missing server is a failure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from bench import pg
from bench.pg import Cluster as PgServer

__all__ = ["Hub", "PgServer"]


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    """Start a PostgreSQL cluster for the whole session; stop it at the end."""
    try:
        cluster = pg.start()
    except pg.Unavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{exc} (required under CI)", pytrace=False)
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def hub_db(pg_server: PgServer) -> str:
    """Name of a fresh, empty database (not yet a hub)."""
    return pg_server.create_database()


@dataclass
class Hub:
    """A hub database in the throwaway cluster, and how each person reaches it."""

    server: PgServer
    dbname: str

    @property
    def admin_url(self) -> str:
        """The owner's URL."""
        return self.server.url(self.dbname)

    def url(self, name: str) -> str:
        """``name``'s URL (their password is in the passfile)."""
        return self.server.url(self.dbname, name)

    def add(self, name: str, role: str) -> str:
        """Make ``name`` a member with ``role``; return their URL."""
        from annotator.services.hub_admin import add_member

        password = f"pw-{name}"
        add_member(self.admin_url, name, role, password)
        self.server.add_password(name, password)
        return self.url(name)


@pytest.fixture
def hub(pg_server: PgServer, hub_db: str) -> Hub:
    """A fresh hub (schema created, nobody added yet)."""
    from annotator.services.hub_admin import init_hub

    init_hub(pg_server.url(hub_db))
    return Hub(pg_server, hub_db)


class OldHub(Hub):
    """A hub left at an older schema version, its members added as that version's
    app did (this app's ``hub add-user`` asks for an upgrade first)."""

    def add(self, name: str, role: str) -> str:
        """Make ``name`` a member with ``role`` at the hub's own version."""
        import psycopg

        from annotator.store.hub_people import add_user

        password = f"pw-{name}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            add_user(conn, name, role, password)
        self.server.add_password(name, password)
        return self.url(name)


def make_old_hub(admin_url: str, version: int) -> None:
    """Turn an empty database into a hub at schema ``version`` (as an older app
    made it: its migrations only)."""
    import psycopg

    from annotator.store.hub import MIGRATIONS

    with psycopg.connect(admin_url, autocommit=True) as conn, conn.transaction():
        for step in MIGRATIONS[:version]:
            conn.execute(step)
        conn.execute(
            "INSERT INTO hub.meta VALUES ('hub_id', 'an-old-hub'), ('schema_version', %s)",
            (str(version),),
        )
