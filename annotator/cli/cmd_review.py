"""``annotator agreement``, ``conflicts``, ``adjudicate`` and ``users``."""

from __future__ import annotations

import argparse

from annotator.cli import add_db_option, add_output_options
from annotator.cli.common import print_json, project_from_args
from annotator.services import review, users


def register(sub: argparse._SubParsersAction) -> None:
    """Add the review subcommands."""
    a = sub.add_parser(
        "agreement",
        help="inter-annotator agreement: pairwise span F1, per label, token alpha",
        description=(
            "Exact-match span F1 for every pair of curator layers over the documents both "
            "annotated (precision and recall of the second against the first), F1 per label, "
            "and token-level Krippendorff's alpha (nominal) per label kind."
        ),
    )
    add_output_options(a)
    a.set_defaults(func=_agreement)

    c = sub.add_parser("conflicts", help="disagreements between curator layers, per document")
    add_output_options(c)
    c.set_defaults(func=_conflicts)

    j = sub.add_parser(
        "adjudicate",
        help="put what all curators agree on into the gold layer",
        description=(
            "With --auto, every span and relation on which all curator layers of a document "
            "agree goes into gold (origin 'adjudicated'), once; each addition is recorded as a "
            "decision of the reviewer."
        ),
    )
    j.add_argument("--auto", action="store_true", required=True, help="unanimous spans only")
    j.add_argument("--reviewer", required=True, help="the reviewer deciding (role reviewer)")
    add_db_option(j)
    j.set_defaults(func=_adjudicate)

    u = sub.add_parser("users", help="annotators and their roles (who may write what)")
    usub = u.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    ua = usub.add_parser("add", help="register an annotator or change their role")
    ua.add_argument("name")
    ua.add_argument("--role", choices=users.ROLES, required=True)
    ua.add_argument(
        "--by",
        metavar="REVIEWER",
        help="a reviewer of the database: needed to add or change a reviewer once there is one",
    )
    add_db_option(ua)
    ua.set_defaults(func=_users_add)
    ul = usub.add_parser("list", help="list annotators")
    add_output_options(ul)
    ul.set_defaults(func=_users_list)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _agreement(args: argparse.Namespace) -> int:
    with project_from_args(args, read_only=True) as project:
        result = review.agreement(project).to_json()
    if args.json:
        print_json(result)
        return 0
    print(f"documents annotated by two or more layers: {result['documents']}")
    if not result["pairs"]:
        print("no pair of layers shares a document")
        return 0
    print()
    rows = [
        [
            p["a"],
            p["b"],
            _fmt(p["f1"]),
            _fmt(p["precision"]),
            _fmt(p["recall"]),
            str(p["matched"]),
            str(p["a_spans"]),
            str(p["b_spans"]),
        ]
        for p in result["pairs"]
    ]
    print(_table(["a", "b", "F1", "precision", "recall", "matched", "a spans", "b spans"], rows))
    print()
    rows = [[lab, _fmt(v["f1"])] for lab, v in result["per_label"].items()]
    print(_table(["label", "F1"], rows))
    print()
    rows = [[kind, _fmt(v)] for kind, v in result["alpha"].items()]
    print(_table(["kind", "alpha"], rows))
    return 0


def _conflicts(args: argparse.Namespace) -> int:
    with project_from_args(args, read_only=True) as project:
        result = review.conflicts_json(project, review.all_conflicts(project))
    if args.json:
        print_json(result)
        return 0
    if not result["conflicts"]:
        print("no conflicts")
        return 0
    rows = []
    for c in result["conflicts"]:
        sides = " | ".join(
            ",".join(s["layers"])
            + ": "
            + (
                " ".join(f"{k['start']}-{k['end']} {k['label']}" for k in s["spans"])
                or " ".join(
                    f"{r['head']['label']}@{r['head']['start']}->{r['tail']['label']}"
                    f"@{r['tail']['start']}"
                    for r in s["relations"]
                )
                or "nothing"
            )
            for s in c["sides"]
        )
        rows.append([c["doc_id"], c["kind"], "yes" if c["decided"] else "no", sides])
    print(_table(["document", "kind", "decided", "sides (layers: version)"], rows))
    print(f"\n{len(rows)} conflict(s)")
    return 0


def _adjudicate(args: argparse.Namespace) -> int:
    with project_from_args(args) as project:
        examined = len(review.reviewable_documents(project))
        added = review.added_counts(review.adjudicate_auto(project, args.reviewer))
    print(
        f"{examined} document(s) examined; {added['spans']} span(s) and "
        f"{added['relations']} relation(s) added to gold"
    )
    return 0


def _users_add(args: argparse.Namespace) -> int:
    with project_from_args(args, create=True) as project:
        user, before = users.add_user(project, args.name, args.role, by=args.by)
    if before is None:
        print(f"added {user.name} as {user.role}")
    elif before == user.role:
        print(f"{user.name} is already a {user.role}")
    else:
        print(f"{user.name}: {before} -> {user.role}")
    return 0


def _users_list(args: argparse.Namespace) -> int:
    with project_from_args(args, read_only=True) as project:
        people = users.list_users(project)
    if args.json:
        print_json({"users": [{"name": u.name, "role": u.role} for u in people]})
        return 0
    if not people:
        print("no annotators yet")
        return 0
    print(_table(["name", "role"], [[u.name, u.role] for u in people]))
    return 0
