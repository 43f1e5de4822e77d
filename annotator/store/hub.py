"""The team hub on PostgreSQL: connection, schema, migrations, people and roles.

A hub is a PostgreSQL database with a schema ``hub``. Each person connects
as their own PostgreSQL role (the role name is their annotator name), and
row-level security, enforced by the server, decides what they see and write:

- a curator reads and writes only rows of their own layer;
- a reviewer reads every layer and alone writes ``gold``, decisions,
  assignments and the label schema (new labels, and edits of a label's
  names, colour and shortcut);
- nobody deletes a row: a deletion is a tombstone (``deleted = true``);
- every row carries the transaction id (``xid``) that last wrote it, which
  is the cursor ``sync`` pulls by (see ``store/hub_sync.py``).

``hub.meta`` holds the schema version and the hub's random id;
``MIGRATIONS[n]`` takes a hub from version n to n + 1.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from annotator.core.errors import UserError
from annotator.store.hub_layers import V3_SPANS_BY_LAYER, policies

ROLES = ("curator", "reviewer")

#: Who is asking: a member of the hub, a reviewer among them.
_MEMBER = "EXISTS (SELECT 1 FROM hub.people p WHERE p.name = current_user)"
_REVIEWER = (
    "EXISTS (SELECT 1 FROM hub.people p WHERE p.name = current_user AND p.role = 'reviewer')"
)
#: A layer the current user may write: their own, or gold for a reviewer.
_WRITES = (
    f"((layer = current_user AND layer <> 'gold' AND {_MEMBER})"
    f" OR (layer = 'gold' AND {_REVIEWER}))"
)
_READS = f"(layer = current_user OR {_REVIEWER})"

_LAYERED = ("spans", "relations", "progress", "rejected")

_V1 = """
CREATE SCHEMA hub;
CREATE TABLE hub.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE hub.people (
    name text PRIMARY KEY CHECK (name <> 'gold' AND length(name) BETWEEN 1 AND 63),
    role text NOT NULL CHECK (role IN ('curator', 'reviewer')),
    added_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION hub.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid := pg_current_xact_id();
    RETURN NEW;
END $$;
CREATE TABLE hub.documents (
    id text PRIMARY KEY,
    title text NOT NULL,
    text text NOT NULL,
    raw_sha256 text NOT NULL,
    source text NOT NULL,
    meta text NOT NULL,
    cluster text NOT NULL,
    imported_at text NOT NULL,
    added_by text NOT NULL DEFAULT current_user,
    source_db text NOT NULL,
    seq bigserial,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE hub.labels (
    name text PRIMARY KEY,
    kind text NOT NULL,
    name_en text NOT NULL,
    name_ar text NOT NULL,
    color text NOT NULL,
    shortcut text NOT NULL,
    head text,
    tail text,
    position integer NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE hub.spans (
    id text PRIMARY KEY,
    doc_id text NOT NULL,
    layer text NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    label text NOT NULL,
    origin text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    changed_at text NOT NULL,
    source_db text NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE hub.relations (
    id text PRIMARY KEY,
    doc_id text NOT NULL,
    layer text NOT NULL,
    label text NOT NULL,
    head text NOT NULL,
    tail text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    changed_at text NOT NULL,
    source_db text NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE hub.progress (
    doc_id text NOT NULL,
    layer text NOT NULL,
    status text NOT NULL,
    updated_at text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    changed_at text NOT NULL,
    source_db text NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (doc_id, layer)
);
CREATE TABLE hub.decisions (
    id text PRIMARY KEY,
    reviewer text NOT NULL,
    doc_id text NOT NULL REFERENCES hub.documents(id),
    conflict text NOT NULL,
    choice text NOT NULL,
    decided_at text NOT NULL,
    source_db text NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE hub.rejected (
    doc_id text NOT NULL,
    layer text NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    label text NOT NULL,
    who text NOT NULL,
    at text NOT NULL,
    source_db text NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (doc_id, layer, start, "end", label)
);
CREATE TABLE hub.assignments (
    doc_id text NOT NULL REFERENCES hub.documents(id),
    curator text NOT NULL,
    assigned_by text NOT NULL DEFAULT current_user,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    deleted boolean NOT NULL DEFAULT false,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (doc_id, curator)
);
"""
_TABLES = ("documents", "labels", *_LAYERED, "decisions", "assignments")
for _t in _TABLES:
    _V1 += f"""
CREATE TRIGGER stamp BEFORE UPDATE ON hub.{_t} FOR EACH ROW EXECUTE FUNCTION hub.stamp();
CREATE INDEX {_t}_xid ON hub.{_t} (xid);
ALTER TABLE hub.{_t} ENABLE ROW LEVEL SECURITY;
ALTER TABLE hub.{_t} FORCE ROW LEVEL SECURITY;
"""
_V1 += f"""
CREATE POLICY see ON hub.documents FOR SELECT USING ({_MEMBER});
CREATE POLICY add ON hub.documents FOR INSERT WITH CHECK ({_MEMBER});
CREATE POLICY see ON hub.labels FOR SELECT USING ({_MEMBER});
CREATE POLICY add ON hub.labels FOR INSERT WITH CHECK ({_REVIEWER});
CREATE POLICY see ON hub.decisions FOR SELECT USING ({_REVIEWER});
CREATE POLICY add ON hub.decisions FOR INSERT WITH CHECK ({_REVIEWER} AND reviewer = current_user);
CREATE POLICY see ON hub.assignments FOR SELECT USING (curator = current_user OR {_REVIEWER});
CREATE POLICY add ON hub.assignments FOR INSERT WITH CHECK ({_REVIEWER});
CREATE POLICY edit ON hub.assignments FOR UPDATE USING ({_REVIEWER}) WITH CHECK ({_REVIEWER});
"""
for _t in _LAYERED:
    _V1 += f"""
CREATE POLICY see ON hub.{_t} FOR SELECT USING {_READS};
CREATE POLICY add ON hub.{_t} FOR INSERT WITH CHECK {_WRITES};
CREATE POLICY edit ON hub.{_t} FOR UPDATE USING {_WRITES} WITH CHECK {_WRITES};
"""

# Notes and "unsure" flags, per layer like spans (target: a span id, or ''
# for the document's own note); same policies as every layered table.
_V2_NOTES = f"""
CREATE TABLE hub.notes (
    doc_id text NOT NULL,
    layer text NOT NULL,
    target text NOT NULL,
    note text NOT NULL,
    unsure boolean NOT NULL,
    updated_at text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    changed_at text NOT NULL,
    source_db text NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (doc_id, layer, target)
);
CREATE TRIGGER stamp BEFORE UPDATE ON hub.notes FOR EACH ROW EXECUTE FUNCTION hub.stamp();
CREATE INDEX notes_xid ON hub.notes (xid);
ALTER TABLE hub.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE hub.notes FORCE ROW LEVEL SECURITY;
CREATE POLICY see ON hub.notes FOR SELECT USING {_READS};
CREATE POLICY add ON hub.notes FOR INSERT WITH CHECK {_WRITES};
CREATE POLICY edit ON hub.notes FOR UPDATE USING {_WRITES} WITH CHECK {_WRITES};
"""

# Label edits: a reviewer changes a label's names, colour or shortcut, and
# the newest change wins (``changed_at``, then ``source_db``, as for spans).
# A label's name, kind, position and a relation's ends never change
# (renaming is a new label): the server refuses an update that tries.
_V4_LABEL_EDITS = f"""
ALTER TABLE hub.labels ADD COLUMN changed_at text NOT NULL DEFAULT '';
ALTER TABLE hub.labels ADD COLUMN source_db text NOT NULL DEFAULT '';
CREATE FUNCTION hub.label_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.name, NEW.kind, NEW.position) IS DISTINCT FROM (OLD.name, OLD.kind, OLD.position)
       OR (NEW.head, NEW.tail) IS DISTINCT FROM (OLD.head, OLD.tail) THEN
        RAISE EXCEPTION 'a label''s name, kind and ends never change (rename: a new label)'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER fixed BEFORE UPDATE ON hub.labels FOR EACH ROW EXECUTE FUNCTION hub.label_fixed();
CREATE POLICY edit ON hub.labels FOR UPDATE USING ({_REVIEWER}) WITH CHECK ({_REVIEWER});
"""

#: MIGRATIONS[n] upgrades a hub from version n to n + 1.
MIGRATIONS: list[str] = [
    _V1,
    _V2_NOTES,
    V3_SPANS_BY_LAYER + policies(_READS, _WRITES),
    _V4_LABEL_EDITS,
]
SCHEMA_VERSION = len(MIGRATIONS)

#: What a person may do to each table (row-level security narrows it).
GRANTS = {
    "meta": "SELECT",
    "people": "SELECT",
    "documents": "SELECT, INSERT",
    "labels": "SELECT, INSERT, UPDATE",
    "spans": "SELECT, INSERT, UPDATE",
    "relations": "SELECT, INSERT, UPDATE",
    "progress": "SELECT, INSERT, UPDATE",
    "decisions": "SELECT, INSERT",
    "rejected": "SELECT, INSERT",
    "assignments": "SELECT, INSERT, UPDATE",
    "notes": "SELECT, INSERT, UPDATE",
}


class HubError(UserError):
    """The hub cannot be reached or used (one line for the user)."""


def load_psycopg():
    """psycopg, or HubError naming how to install it."""
    try:
        import psycopg
    except ImportError:
        raise HubError(
            "the hub needs psycopg: pip install 'annotator[hub]' (or psycopg[binary])"
        ) from None
    return psycopg


def one_line(exc: Exception) -> str:
    """A PostgreSQL or libpq error as one line."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


@contextmanager
def connect(url: str, *, timeout: int = 10) -> Iterator:
    """A psycopg connection to the hub at ``url`` (a libpq URL or ``service=NAME``).

    Passwords come from libpq's own places (``~/.pgpass`` or ``PGPASSFILE``,
    ``~/.pg_service.conf`` or ``PGSERVICEFILE``), never from the project.
    Raises HubError with one line when the server cannot be reached.
    """
    psycopg = load_psycopg()
    try:
        conn = psycopg.connect(
            url, autocommit=True, connect_timeout=timeout, application_name="annotator"
        )
    except psycopg.Error as exc:
        raise HubError(f"cannot reach the hub: {one_line(exc)}") from None
    try:
        yield conn
    finally:
        conn.close()


def has_password(url: str) -> bool:
    """True when ``url`` itself holds a password (it must not be remembered)."""
    psycopg = load_psycopg()
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise HubError(f"not a hub URL: {one_line(exc)}") from None
    return bool(parts.get("password"))


def version(conn) -> int:
    """Schema version of the hub (0: not a hub yet)."""
    exists = conn.execute("SELECT to_regclass('hub.meta') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = conn.execute("SELECT value FROM hub.meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def init(conn) -> tuple[int, int]:
    """Create or upgrade the hub schema; return (version before, version now).

    Run by the hub's owner (who then adds people). Raises HubError for a hub
    newer than this app.
    """
    psycopg = load_psycopg()
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('annotator hub init'))")
            before = version(conn)
            if before > SCHEMA_VERSION:
                raise HubError(
                    f"the hub's schema version {before} is newer than this app's "
                    f"({SCHEMA_VERSION}); update the app"
                )
            for step in MIGRATIONS[before:]:
                conn.execute(step)
            if before == 0:
                conn.execute("INSERT INTO hub.meta VALUES ('hub_id', %s)", (uuid.uuid4().hex,))
            conn.execute(
                "INSERT INTO hub.meta VALUES ('schema_version', %s) ON CONFLICT (key)"
                " DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )
            if before:
                from annotator.store.hub_people import grant, people

                for name, _ in people(conn):
                    grant(conn, name)
    except psycopg.Error as exc:
        raise HubError(f"cannot set up the hub: {one_line(exc)}") from None
    return before, SCHEMA_VERSION


def hub_id(conn) -> str:
    """The hub's random id (a local project forgets its cursor when it changes)."""
    psycopg = load_psycopg()
    try:
        v = version(conn)
    except psycopg.errors.InsufficientPrivilege:
        name = conn.execute("SELECT current_user").fetchone()[0]
        raise HubError(
            f"{name} is not a member of this hub (ask its owner: hub add-user)"
        ) from None
    except psycopg.Error as exc:
        raise HubError(f"cannot read the hub: {one_line(exc)}") from None
    if v == 0:
        raise HubError("this database is not a hub yet: run `annotator hub init URL` first")
    if v > SCHEMA_VERSION:
        raise HubError(
            f"the hub's schema version {v} is newer than this app's ({SCHEMA_VERSION}); "
            "update the app"
        )
    if v < SCHEMA_VERSION:
        raise HubError(
            f"the hub's schema version {v} is older than this app's ({SCHEMA_VERSION}):"
            " its owner upgrades it with `annotator hub init URL`"
        )
    return conn.execute("SELECT value FROM hub.meta WHERE key = 'hub_id'").fetchone()[0]


def whoami(conn) -> tuple[str, str]:
    """(name, role) of the connected person; HubError when they are not a member."""
    name = conn.execute("SELECT current_user").fetchone()[0]
    row = conn.execute("SELECT role FROM hub.people WHERE name = current_user").fetchone()
    if row is None:
        raise HubError(f"{name} is not a member of this hub (ask its owner: hub add-user)")
    return name, row[0]
