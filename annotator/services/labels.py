"""The label schema after set-up: listing labels, editing their names, colour and key.

A label's name and kind never change (spans, exports and other files name
it; renaming is a new label); its English and Arabic names, its colour and
its shortcut may. In a project that syncs with a team hub only a reviewer
edits labels and the edit reaches every member on their next sync (newest
edit wins); a curator's labels come from the hub. Outside a hub, once the
file has a reviewer, an edit needs one (``by``), as changing roles does.
"""

from __future__ import annotations

import re
import unicodedata

from annotator.core.changes import Changes
from annotator.core.errors import PermissionDenied, UserError
from annotator.core.model import Label, RelationType
from annotator.services.project import Project
from annotator.store import meta, synclog

EDITABLE = meta.LABEL_EDITABLE
MAX_LABEL_NAME = 64
_COLOR = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}")
_BAD_CATEGORIES = {"Cc", "Cs", "Co", "Cn", "Zl", "Zp"}


def all_labels(project: Project) -> list[Label | RelationType]:
    """Span labels in shortcut order, then relation types."""
    return [*project.schema.labels, *project.schema.relations]


def reload_changed(project: Project) -> tuple[str, ...]:
    """Read the schema again; the names of labels added or changed since it was read."""
    before = {lab.name: lab for lab in all_labels(project)}
    project.reload_schema()
    return tuple(lab.name for lab in all_labels(project) if before.get(lab.name) != lab)


def value_problem(column: str, value: object, *, relation: bool = False) -> str | None:
    """Why ``value`` cannot be a label's ``column`` (one of ``EDITABLE``), or None."""
    if not isinstance(value, str):
        return f"{column} must be text"
    if column == "color":
        if relation:
            return "a relation has no colour"
        return None if _COLOR.fullmatch(value) else f"colour {value!r} is not #rrggbb (or #rgb)"
    if column == "shortcut":
        if len(value) > 1 or (value and (value.isspace() or not value.isprintable())):
            return f"shortcut {value!r} must be one key (or empty)"
        return None
    if not value.strip() or value != value.strip():
        return f"{column} must be a name without surrounding spaces"
    if len(value) > MAX_LABEL_NAME:
        return f"{column} is {len(value)} characters long (at most {MAX_LABEL_NAME})"
    for ch in value:
        if unicodedata.category(ch) in _BAD_CATEGORIES:
            return f"{column} holds the control character U+{ord(ch):04X}"
    return None


def shortcut_owner(project: Project, key: str, name: str) -> str | None:
    """The other label (or relation) that already uses shortcut ``key``, if any."""
    if not key:
        return None
    return next(
        (
            lab.name
            for lab in all_labels(project)
            if lab.name != name and lab.shortcut.lower() == key.lower()
        ),
        None,
    )


def check_edit(project: Project, name: str, values: dict[str, str]) -> Label | RelationType:
    """The label ``name`` if ``values`` may become its attributes; else UserError (one line)."""
    label = next((lab for lab in all_labels(project) if lab.name == name), None)
    if label is None:
        known = ", ".join(lab.name for lab in all_labels(project))
        raise UserError(f"no label {name!r} in this project (labels: {known})")
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise UserError(f"a label's {', '.join(unknown)} never changes (editable: {EDITABLE})")
    relation = isinstance(label, RelationType)
    for column, value in values.items():
        problem = value_problem(column, value, relation=relation)
        if problem:
            raise UserError(f"label {name}: {problem}")
    other = shortcut_owner(project, values.get("shortcut", ""), name)
    if other:
        raise UserError(f"label {name}: the key {values['shortcut']!r} is {other}'s already")
    return label


def may_edit(project: Project, by: str | None) -> str | None:
    """Why ``by`` may not edit labels in this project, or None."""
    try:
        _editor(project, by)
    except PermissionDenied as exc:
        return str(exc)
    return None


def edit_label(
    project: Project, name: str, values: dict[str, str], *, by: str | None = None
) -> Changes:
    """Change some of a label's ``EDITABLE`` attributes; ``Changes(labels=(name,))``.

    Nothing is written (empty ``Changes``) when nothing differs. Raises
    UserError for an unknown label, an unknown attribute or a bad value, and
    PermissionDenied when ``by`` may not edit labels here.
    """
    label = check_edit(project, name, values)
    before = {c: getattr(label, c) for c in values if hasattr(label, c)}
    after = {c: v for c, v in values.items() if before.get(c) != v}
    if not after:
        return Changes()
    store = project.store
    with store.transaction():
        who = _editor(project, by)
        meta.update_label(store, name, after)
        synclog.log_label(store, name)
        meta.log_event(store, who, "edit_label", None, {"label": name, **before}, after)
    project.reload_schema()
    return Changes(labels=(name,))


def _editor(project: Project, by: str | None) -> str:
    """Who edits (``by``, else the reviewer this file syncs as); PermissionDenied
    when they may not."""
    state = synclog.state(project.store)
    if "tracking" in state:
        if state.get("role") != "reviewer":
            raise PermissionDenied(
                "this project takes its labels from the team hub, where only a reviewer"
                f" edits them (you sync as {state.get('user')}, a curator)"
            )
        by = by or state.get("user")
    people = meta.annotators(project.store)
    if "reviewer" not in people.values():
        return by or ""
    if by is None:
        raise PermissionDenied("this database has reviewers: editing a label needs --by REVIEWER")
    if people.get(by) != "reviewer":
        what = "not a registered annotator" if by not in people else f"a {people[by]}"
        raise PermissionDenied(f"{by} is {what}: only a reviewer edits labels")
    return by
