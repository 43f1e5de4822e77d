"""The throwaway cluster works: real server, real password authentication."""

from __future__ import annotations

import psycopg
import pytest

from tests.hub.conftest import PgServer


def test_server_answers_as_admin(pg_server: PgServer, hub_db: str) -> None:
    with psycopg.connect(pg_server.url(hub_db)) as conn:
        assert conn.execute("SELECT current_database()").fetchone()[0] == hub_db


def test_wrong_password_is_refused(pg_server: PgServer, hub_db: str) -> None:
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(pg_server.url(hub_db) + "&password=wrong").close()
