"""Who may write what: annotators and their roles (curator or reviewer)."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.errors import PermissionDenied, UserError
from annotator.core.validate import layer_name_problem
from annotator.services.project import Project
from annotator.store import meta

ROLES = ("curator", "reviewer")


@dataclass(frozen=True, slots=True)
class User:
    """A registered annotator."""

    name: str
    role: str


def add_user(
    project: Project, name: str, role: str, *, by: str | None = None
) -> tuple[User, str | None]:
    """Register ``name`` with ``role`` (or change their role).

    Once the database has a reviewer, making someone a reviewer or changing
    a reviewer's role needs ``by``, one of its reviewers: this guards a
    shared file against mistakes and careless merges (it is not
    authentication; anyone with the file can edit it). Returns the user and
    their previous role (None if new). Raises UserError for an unknown role
    or a bad name, PermissionDenied without a reviewer's ``by``.
    """
    name = name.strip()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (use {' or '.join(ROLES)})")
    problem = layer_name_problem(name)
    if problem:
        raise UserError(f"cannot be an annotator name: {problem}")
    store = project.store
    with store.transaction():
        people = meta.annotators(store)
        before = people.get(name)
        if before != role:
            if "reviewer" in (role, before) and "reviewer" in people.values():
                _require_reviewer(people, by, name, role)
            meta.set_annotator(store, name, role)
            meta.log_event(store, by or name, "set_role", None, before, role)
    return User(name, role), before


def _require_reviewer(people: dict[str, str], by: str | None, name: str, role: str) -> None:
    if by is None:
        raise PermissionDenied(
            f"this database has reviewers: making {name} a {role} needs --by REVIEWER"
        )
    if people.get(by) != "reviewer":
        what = "not a registered annotator" if by not in people else f"a {people[by]}"
        raise PermissionDenied(f"{by} is {what}: only a reviewer changes who reviews")


def list_users(project: Project) -> list[User]:
    """Every registered annotator, by name."""
    return [User(n, r) for n, r in meta.annotators(project.store).items()]
