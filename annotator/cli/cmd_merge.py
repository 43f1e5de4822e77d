"""``annotator merge``: bring curators' databases together."""

from __future__ import annotations

import argparse

from annotator.cli.common import print_json
from annotator.services.merge import check_sources, merge_databases
from annotator.services.project import open_project


def register(sub: argparse._SubParsersAction) -> None:
    """Add the merge subcommand."""
    p = sub.add_parser(
        "merge",
        help="merge other annotator databases into one",
        description=(
            "Merge SOURCE databases into --into (created if missing): documents by content "
            "hash, spans and relations by id, annotators, progress and decisions. Merging the "
            "same file twice changes nothing; a span edited in two places keeps the newest "
            "version and is listed. A source that is not an annotator database, or is newer "
            "than this app, is refused and nothing is written."
        ),
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE.db")
    p.add_argument("--into", required=True, metavar="DB", help="the team database")
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=_merge)


def _merge(args: argparse.Namespace) -> int:
    check_sources(args.sources, args.into)  # before the target is created or touched
    with open_project(args.into) as project:
        report = merge_databases(project, args.sources)
    if args.json:
        print_json(report.to_json())
    else:
        print(report.summary())
    return 0
