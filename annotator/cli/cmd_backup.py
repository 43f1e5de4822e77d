"""``annotator backup``: a consistent copy of the database, safe while the app runs."""

from __future__ import annotations

import argparse

from annotator.cli import add_db_option
from annotator.cli.common import project_from_args
from annotator.services.maintenance import backup_database


def register(sub: argparse._SubParsersAction) -> None:
    """Add the backup subcommand."""
    p = sub.add_parser(
        "backup",
        help="copy the database with SQLite's online backup (safe while the app runs)",
    )
    p.add_argument("--out", required=True, help="file to write (replaced atomically)")
    add_db_option(p)
    p.set_defaults(func=_backup)


def _backup(args: argparse.Namespace) -> int:
    with project_from_args(args, read_only=True) as project:
        out = backup_database(project, args.out)
    print(f"backed up to {out}")
    return 0
