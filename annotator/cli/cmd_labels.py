"""``annotator labels``: the project's label schema, and editing a label."""

from __future__ import annotations

import argparse

from annotator.cli import add_output_options
from annotator.cli.common import print_json, project_from_args
from annotator.core.model import RelationType
from annotator.services import labels


def register(sub: argparse._SubParsersAction) -> None:
    """Add the labels subcommand (list, edit)."""
    p = sub.add_parser("labels", help="the label schema: list labels, edit a label")
    lsub = p.add_subparsers(dest="labels_command", metavar="ACTION", required=True)
    ls = lsub.add_parser("list", help="labels and relation types, in shortcut order")
    add_output_options(ls)
    ls.set_defaults(func=_list)
    ed = lsub.add_parser(
        "edit",
        help="change a label's colour, English or Arabic name, or shortcut",
        description=(
            "Change a label's colour, names or key (its name and kind never change: a new "
            "name is a new label). With a team hub, only a reviewer edits labels and the "
            "edit reaches everyone on their next sync."
        ),
    )
    ed.add_argument("name", help="the label (e.g. PER)")
    ed.add_argument("--color", metavar="#RRGGBB", help="its colour")
    ed.add_argument("--name-en", metavar="TEXT", help="its English name")
    ed.add_argument("--name-ar", metavar="TEXT", help="its Arabic name")
    ed.add_argument("--shortcut", metavar="KEY", help="its key (one character; '' for none)")
    ed.add_argument("--by", metavar="REVIEWER", help="the reviewer editing (once there is one)")
    add_output_options(ed)
    ed.set_defaults(func=_edit)


def _row(lab) -> dict:
    if isinstance(lab, RelationType):
        return {
            "name": lab.name,
            "kind": "relation",
            "name_en": lab.name_en,
            "name_ar": lab.name_ar,
            "color": None,
            "shortcut": lab.shortcut,
            "head": lab.head,
            "tail": lab.tail,
        }
    return {
        "name": lab.name,
        "kind": lab.kind,
        "name_en": lab.name_en,
        "name_ar": lab.name_ar,
        "color": lab.color,
        "shortcut": lab.shortcut,
    }


def _print(rows: list[dict]) -> None:
    for r in rows:
        ends = f"  {r['head']} -> {r['tail']}" if r["kind"] == "relation" else ""
        print(
            f"{r['name']:<14} {r['kind']:<9} {r['color'] or '-':<8} {r['shortcut'] or '-':<3}"
            f" {r['name_en']} / {r['name_ar']}{ends}"
        )


def _list(args: argparse.Namespace) -> int:
    with project_from_args(args) as project:
        rows = [_row(lab) for lab in labels.all_labels(project)]
    if args.json:
        print_json({"labels": rows})
    else:
        _print(rows)
    return 0


def _edit(args: argparse.Namespace) -> int:
    values = {
        column: value
        for column, value in (
            ("color", args.color),
            ("name_en", args.name_en),
            ("name_ar", args.name_ar),
            ("shortcut", args.shortcut),
        )
        if value is not None
    }
    if not values:
        print("annotator labels edit: give --color, --name-en, --name-ar or --shortcut")
        return 2
    with project_from_args(args) as project:
        changes = labels.edit_label(project, args.name, values, by=args.by)
        row = next(_row(lab) for lab in labels.all_labels(project) if lab.name == args.name)
    if args.json:
        print_json({"changed": bool(changes), "label": row})
    else:
        if not changes:
            print(f"{args.name} already has these values")
        _print([row])
    return 0
