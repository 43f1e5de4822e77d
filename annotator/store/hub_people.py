"""Hub members: one PostgreSQL role per person, their hub role and their grants."""

from __future__ import annotations

from annotator.store.hub import GRANTS, ROLES, HubError, load_psycopg, one_line
from annotator.store.hub_layers import grant_partitions


def people(conn) -> list[tuple[str, str]]:
    """(name, role) of every member, by name."""
    return [tuple(r) for r in conn.execute("SELECT name, role FROM hub.people ORDER BY name")]


def add_user(conn, name: str, role: str, password: str | None) -> str | None:
    """Create (or update) the role ``name``, grant it the hub, record its role.

    ``password`` is sent already hashed (SCRAM); None keeps a role's existing
    password (or none, for peer/certificate authentication). Returns the
    previous hub role, or None for a new member.
    """
    psycopg = load_psycopg()
    from psycopg import sql

    if role not in ROLES:
        raise HubError(f"unknown role {role!r} (use {' or '.join(ROLES)})")
    if not name or name == "gold" or len(name) > 63 or name.startswith("pg_"):
        raise HubError(f"{name!r} cannot be a hub member's name")
    ident = sql.Identifier(name)
    try:
        with conn.transaction():
            exists = conn.execute(
                "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", (name,)
            ).fetchone()
            if exists and exists[0]:
                raise HubError(
                    f"the role {name} is a superuser or bypasses row-level security:"
                    " it cannot be a hub member (the hub's rules would not hold for it)"
                )
            if not exists:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
            if password is not None:
                hashed = conn.pgconn.encrypt_password(
                    password.encode(), name.encode(), b"scram-sha-256"
                )
                conn.execute(
                    sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                        ident, sql.Literal(hashed.decode())
                    )
                )
            before = conn.execute("SELECT role FROM hub.people WHERE name = %s", (name,)).fetchone()
            conn.execute(
                "INSERT INTO hub.people (name, role) VALUES (%s, %s)"
                " ON CONFLICT (name) DO UPDATE SET role = excluded.role",
                (name, role),
            )
            grant(conn, name)
    except psycopg.Error as exc:
        raise HubError(f"cannot add {name}: {one_line(exc)}") from None
    return before[0] if before else None


def remove_user(conn, name: str) -> str | None:
    """Take ``name`` off the hub (their rows stay; their role stays on the server
    but loses every grant on the hub). Returns their hub role, or None if they
    were not a member."""
    psycopg = load_psycopg()
    from psycopg import sql

    ident = sql.Identifier(name)
    try:
        with conn.transaction():
            row = conn.execute(
                "DELETE FROM hub.people WHERE name = %s RETURNING role", (name,)
            ).fetchone()
            if row is None:
                return None
            db = conn.execute("SELECT current_database()").fetchone()[0]
            conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA hub FROM {}").format(ident))
            conn.execute(sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA hub FROM {}").format(ident))
            conn.execute(sql.SQL("REVOKE USAGE ON SCHEMA hub FROM {}").format(ident))
            conn.execute(
                sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM {}").format(
                    sql.Identifier(db), ident
                )
            )
    except psycopg.Error as exc:
        raise HubError(f"cannot remove {name}: {one_line(exc)}") from None
    return row[0]


def grant(conn, name: str) -> None:
    """Grant ``name`` what a member may do on the hub (row-level security narrows it)."""
    from psycopg import sql

    ident = sql.Identifier(name)
    db = conn.execute("SELECT current_database()").fetchone()[0]
    conn.execute(
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(db), ident)
    )
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA hub TO {}").format(ident))
    for table, privileges in GRANTS.items():
        # Writes name their columns: nobody sets the xid a pull's cursor relies on.
        cols = _columns(conn, table)
        collist = sql.SQL(", ").join(sql.Identifier(c) for c in cols)
        for privilege in (p.strip() for p in privileges.split(",")):
            target = sql.Identifier("hub", table)
            if privilege == "SELECT":
                stmt = sql.SQL("GRANT SELECT ON {} TO {}").format(target, ident)
            else:
                stmt = sql.SQL(f"GRANT {privilege} ({{}}) ON {{}} TO {{}}").format(
                    collist, target, ident
                )
            conn.execute(stmt)
    conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE hub.documents_seq_seq TO {}").format(ident))
    role = conn.execute("SELECT role FROM hub.people WHERE name = %s", (name,)).fetchone()[0]
    grant_partitions(conn, name, role, _columns(conn, "spans"))


def _columns(conn, table: str) -> list[str]:
    """Columns of ``hub.table`` a member may write (all but ``xid``)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'hub'"
            " AND table_name = %s AND column_name <> 'xid' ORDER BY ordinal_position",
            (table,),
        )
    ]
