"""Who may write what: annotators and their roles (curator or reviewer)."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.errors import UserError
from annotator.core.model import GOLD
from annotator.services.project import Project
from annotator.store import meta

ROLES = ("curator", "reviewer")


@dataclass(frozen=True, slots=True)
class User:
    """A registered annotator."""

    name: str
    role: str


def add_user(project: Project, name: str, role: str) -> tuple[User, str | None]:
    """Register ``name`` with ``role`` (or change their role).

    Returns the user and their previous role (None if new). Raises UserError
    for an unknown role, an empty or too long name, or the reserved ``gold``.
    """
    name = name.strip()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (use {' or '.join(ROLES)})")
    if not name or name == GOLD or len(name) > 64:
        raise UserError(f"{name!r} cannot be an annotator name")
    store = project.store
    with store.transaction():
        before = meta.annotators(store).get(name)
        if before != role:
            meta.set_annotator(store, name, role)
            meta.log_event(store, name, "set_role", None, before, role)
    return User(name, role), before


def list_users(project: Project) -> list[User]:
    """Every registered annotator, by name."""
    return [User(n, r) for n, r in meta.annotators(project.store).items()]
