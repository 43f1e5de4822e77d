"""``annotator hub assign``, ``unassign`` and ``status``, and the hub URL they use."""

from __future__ import annotations

import argparse

from annotator.cli import add_output_options
from annotator.cli.common import print_json, project_from_args
from annotator.core.errors import UserError
from annotator.services.sync import check_url, remembered_url


def hub_url(args: argparse.Namespace) -> str:
    """``--hub``, else the URL the project remembers."""
    if args.hub:
        return check_url(args.hub)
    with project_from_args(args) as project:
        url = remembered_url(project)
    if not url:
        raise UserError("no hub yet: give --hub URL")
    return url


def register_work(hs: argparse._SubParsersAction) -> None:
    """Add assign and status to ``annotator hub``."""
    q = hs.add_parser(
        "assign",
        help="hand documents to curators (reviewers only)",
        description=(
            "Assign documents on the hub so that each gets --per-doc curators, the least "
            "loaded first; near-duplicate clusters stay with the same curators. Curators "
            "see their documents after their next sync."
        ),
    )
    q.add_argument("--to", metavar="A,B,…", help="these curators (default: every curator)")
    q.add_argument("--per-doc", type=int, default=1, metavar="K", help="curators per document")
    q.add_argument("--count", type=int, metavar="N", help="at most N documents")
    q.add_argument("--query", metavar="TEXT", help="only documents the corpus search finds")
    q.add_argument("--hub", metavar="URL", help="hub URL (default: remembered)")
    add_output_options(q)
    q.set_defaults(func=_assign)

    q = hs.add_parser(
        "unassign",
        help="take documents back from a curator (reviewers only; their work stays)",
    )
    q.add_argument("--from", dest="curator", required=True, metavar="NAME")
    q.add_argument("--query", metavar="TEXT", help="only documents the corpus search finds")
    q.add_argument("--hub", metavar="URL", help="hub URL (default: remembered)")
    q.add_argument("--db", default=argparse.SUPPRESS, help="database file")
    q.set_defaults(func=_unassign)

    q = hs.add_parser("status", help="per-curator progress and agreement, from the hub")
    q.add_argument("--hub", metavar="URL", help="hub URL (default: remembered)")
    add_output_options(q)
    q.set_defaults(func=_status)


def _assign(args: argparse.Namespace) -> int:
    from annotator.services.assign import assign

    url = hub_url(args)
    curators = [c.strip() for c in args.to.split(",") if c.strip()] if args.to else None
    with project_from_args(args) as project:
        done = assign(
            project,
            url,
            curators=curators,
            per_document=args.per_doc,
            count=args.count,
            query=args.query,
        )
    if args.json:
        print_json(
            {
                "assigned": [{"doc_id": d, "curator": c} for d, c in done.pairs],
                "per_curator": done.per_curator(),
            }
        )
    else:
        print(done.summary())
    return 0


def _unassign(args: argparse.Namespace) -> int:
    from annotator.services.assign import unassign

    url = hub_url(args)
    with project_from_args(args) as project:
        n = unassign(project, url, args.curator, query=args.query)
    print(f"took {n} document(s) back from {args.curator}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from annotator.services.assign import hub_status

    rows = hub_status(hub_url(args))
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    print(
        f"{'curator':<16}{'assigned':>9}{'done':>6}{'in progress':>12}{'skipped':>8}"
        f"{'spans':>7}{'F1':>7}"
    )
    for r in rows:
        f1 = "-" if r.f1 is None else f"{r.f1:.2f}"
        print(
            f"{r.name:<16}{r.assigned:>9}{r.done:>6}{r.in_progress:>12}{r.skipped:>8}"
            f"{r.spans:>7}{f1:>7}"
        )
    return 0
