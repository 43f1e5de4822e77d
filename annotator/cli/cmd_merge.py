"""``annotator merge``: bring curators' databases together."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli.common import print_json
from annotator.core.errors import UserError
from annotator.services.merge import check_sources, merge_databases
from annotator.services.project import open_project


def register(sub: argparse._SubParsersAction) -> None:
    """Add the merge subcommand."""
    p = sub.add_parser(
        "merge",
        help="merge other annotator databases into one",
        description=(
            "Merge SOURCE databases into --into (created if missing): documents by content "
            "hash, spans and relations by id, annotators (new names as curators; roles in the "
            "target never change), progress, and with --reviewer the gold layer and decisions. "
            "Every row is checked as an import checks it; refused rows are listed by reason. "
            "Merging the same file twice changes nothing; a span edited in two places keeps "
            "the newest version and is listed. A source that is not an annotator database, is "
            "newer than this app or carries triggers or views is refused and nothing is written."
        ),
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE.db")
    p.add_argument("--into", required=True, metavar="DB", help="the team database")
    p.add_argument(
        "--reviewer",
        metavar="NAME",
        help="a reviewer of the target: needed to bring the gold layer and review decisions",
    )
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=_merge)


def _merge(args: argparse.Namespace) -> int:
    check_sources(args.sources, args.into)  # before the target is created or touched
    if args.reviewer and not Path(args.into).exists():
        raise UserError(f"{args.into}: does not exist yet, so {args.reviewer} is not its reviewer")
    with open_project(args.into) as project:
        report = merge_databases(project, args.sources, reviewer=args.reviewer)
    if args.json:
        print_json(report.to_json())
    else:
        print(report.summary())
    return 0
