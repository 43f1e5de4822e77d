"""Setting up a team hub: its schema, and one PostgreSQL role per person.

Run by the hub's owner (a PostgreSQL role that may create roles, e.g. the
one that created the database). Passwords are hashed on this machine
(SCRAM-SHA-256) before they reach the server and are never stored in a
project file.
"""

from __future__ import annotations

from annotator.core.model import GOLD
from annotator.core.validate import layer_name_problem
from annotator.store import hub, hub_people

ROLES = hub.ROLES


def init_hub(url: str) -> tuple[int, int]:
    """Create or upgrade the hub schema at ``url``; (version before, version now)."""
    with hub.connect(url) as conn:
        return hub.init(conn)


def add_member(url: str, name: str, role: str, password: str | None) -> str | None:
    """Create or update ``name``'s role on the hub; return their previous hub role."""
    name = name.strip()
    if name == GOLD:
        raise hub.HubError("'gold' is the reviewers' layer, not a person")
    if problem := layer_name_problem(name):
        raise hub.HubError(f"cannot be a member's name: {problem}")
    with hub.connect(url) as conn:
        hub.hub_id(conn)
        return hub_people.add_user(conn, name, role, password)


def remove_member(url: str, name: str) -> str:
    """Take ``name`` off the hub; return the role they had."""
    with hub.connect(url) as conn:
        hub.hub_id(conn)
        before = hub_people.remove_user(conn, name.strip())
    if before is None:
        raise hub.HubError(f"{name} is not a member of this hub")
    return before


def members(url: str) -> list[tuple[str, str]]:
    """(name, role) of everyone on the hub."""
    with hub.connect(url) as conn:
        hub.hub_id(conn)
        return hub_people.people(conn)
