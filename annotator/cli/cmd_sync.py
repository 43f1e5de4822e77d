"""``annotator sync``: exchange changes with the team hub."""

from __future__ import annotations

import argparse

from annotator.cli import add_output_options
from annotator.cli.common import print_json, project_from_args
from annotator.cli.progress import ProgressBar
from annotator.services.sync import BATCH, sync


def register(sub: argparse._SubParsersAction) -> None:
    """Add the sync subcommand."""
    p = sub.add_parser(
        "sync",
        help="push your changes to the team hub and pull what you may see",
        description=(
            "Push this database's changes by the hub user (their layer; a reviewer also gold, "
            "decisions and labels; deletions as tombstones) and pull new documents, labels, "
            "people, assignments and the layers the hub lets you see. The URL is remembered; "
            "the password comes from ~/.pgpass, $PGPASSFILE or a ~/.pg_service.conf entry "
            "(service=NAME), never from the URL. Safe to interrupt: the next sync finishes."
        ),
    )
    p.add_argument("--hub", metavar="URL", help="postgresql://NAME@HOST/DB or service=NAME")
    p.add_argument(
        "--batch", type=int, default=BATCH, help=f"rows per hub transaction (default {BATCH})"
    )
    add_output_options(p)
    p.set_defaults(func=_sync)


def _sync(args: argparse.Namespace) -> int:
    bar = ProgressBar()
    try:
        with project_from_args(args, create=True) as project:  # joining starts a file
            report = sync(project, args.hub, batch=max(1, args.batch), progress=bar.update)
    finally:
        bar.close()
    if args.json:
        print_json(report.to_json())
    else:
        print(report.summary())
    return 0
