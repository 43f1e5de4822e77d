"""Applying the label schema pulled from the hub: new labels added, edits taken.

The hub's label rows are untrusted like every pulled row: a label needs a
known kind, names without control characters, a ``#rrggbb`` colour and at
most a one-key shortcut; a relation must join two span labels. A label
known here takes the hub's names, colour and shortcut (the hub holds the
newest edit), unless the local file (a reviewer's) edited it since its last
push: that edit is newer and goes to the hub next time. A label's kind and
a relation's ends never change: a hub row that says otherwise is skipped,
as is an edit that would give a key two labels. Each skipped row is one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from annotator.core.model import Label, RelationType
from annotator.services.labels import value_problem
from annotator.services.project import Project
from annotator.store import meta

KINDS = ("entity", "claim", "source", "relation")


def apply_labels(
    project: Project, rows: Sequence[tuple], pending: set, role: str, skipped: list[str]
) -> tuple[str, ...]:
    """Add new labels and take the hub's edits (inside the caller's transaction);
    return the names of labels added or changed here."""
    schema = project.schema
    have: dict[str, Label | RelationType] = {
        lab.name: lab for lab in (*schema.labels, *schema.relations)
    }
    keys = {name: lab.shortcut for name, lab in have.items()}
    new: list[Label | RelationType] = []
    edits: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    for row in rows:
        name, kind, en, ar, color, key, head, tail = tuple(row)[:8]
        if not isinstance(name, str) or name in seen:
            continue
        seen.add(name)
        where = f"label {name!r}"
        local = have.get(name)
        if local is None:
            problem = _problem(name, kind, en, ar, color, key)
            if problem is None and kind == "relation":
                problem = _ends_problem(head, tail, keys, have, new)
            if problem:
                skipped.append(f"{where}: {problem}")
            elif kind == "relation":
                new.append(RelationType(name, head, tail, en, ar, key))
            else:
                new.append(Label(name, kind, en, ar, color, key))
            continue
        if role == "reviewer" and ("labels", name, "") in pending:
            continue  # edited here since the last push: the local edit is newer
        diff = _diff(local, kind, head, tail, en, ar, color, key)
        if isinstance(diff, str):
            skipped.append(f"{where}: {diff}")
        elif diff:
            edits[name] = diff
    _drop_key_clashes(keys, new, edits, skipped)
    if new:
        meta.insert_labels(
            project.store,
            [lab for lab in new if isinstance(lab, Label)],
            [lab for lab in new if isinstance(lab, RelationType)],
        )
    for name, values in edits.items():
        meta.update_label(project.store, name, values)
    return (*(lab.name for lab in new), *edits)


def _problem(name, kind, en, ar, color, key) -> str | None:
    if kind not in KINDS:
        return f"unknown kind {kind!r}"
    problem = value_problem("name", name)
    for column, value in (("name_en", en), ("name_ar", ar), ("shortcut", key)):
        problem = problem or value_problem(column, value)
    if kind != "relation":
        problem = problem or value_problem("color", color)
    return problem


def _ends_problem(head, tail, keys, have, new) -> str | None:
    spans = {n for n, lab in have.items() if isinstance(lab, Label)}
    spans |= {lab.name for lab in new if isinstance(lab, Label)}
    if head not in spans or tail not in spans:
        return f"a relation between unknown labels {head!r} and {tail!r}"
    return None


def _diff(local, kind, head, tail, en, ar, color, key) -> dict[str, str] | str:
    """The hub's changes to ``local``, or why the row cannot be one."""
    relation = isinstance(local, RelationType)
    local_kind = "relation" if relation else local.kind
    if kind != local_kind:
        return f"its kind is {local_kind} here, {kind!r} on the hub (a kind never changes)"
    if relation and (head, tail) != (local.head, local.tail):
        return "a relation's ends never change"
    values = {"name_en": en, "name_ar": ar, "shortcut": key}
    if not relation:
        values["color"] = color
    diff = {c: v for c, v in values.items() if getattr(local, c) != v}
    for column, value in diff.items():
        problem = value_problem(column, value, relation=relation)
        if problem:
            return problem
    return diff


def _drop_key_clashes(
    keys: dict[str, str],
    new: list[Label | RelationType],
    edits: dict[str, dict[str, str]],
    skipped: list[str],
) -> None:
    """Leave out edits, and the keys of new labels, that would give a key two labels."""
    final = dict(keys)
    final.update({lab.name: lab.shortcut for lab in new})
    final.update({n: v["shortcut"] for n, v in edits.items() if "shortcut" in v})
    owners: dict[str, list[str]] = {}
    for name, key in final.items():
        if key:
            owners.setdefault(key.lower(), []).append(name)
    for key, names in owners.items():
        if len(names) < 2:
            continue
        for name in names:
            if "shortcut" in edits.get(name, {}):
                del edits[name]
                skipped.append(
                    f"label {name!r}: the key {key!r} would also be {_others(names, name)}'s"
                )
        for i, lab in enumerate(new):
            if lab.name in names and names != [lab.name]:
                new[i] = replace(lab, shortcut="")
                skipped.append(
                    f"label {lab.name!r}: added without its key {key!r}, which is"
                    f" {_others(names, lab.name)}'s"
                )


def _others(names: list[str], name: str) -> str:
    return ", ".join(n for n in names if n != name)
