"""Helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.services.project import Project, open_chosen


def project_from_args(
    args: argparse.Namespace, *, create: bool = False, read_only: bool = False
) -> Project:
    """Open the project named by ``--db`` / ``$ANNOTATOR_DB``, else the default one.

    The default database gets the bundled sample corpus when it is created,
    whichever command creates it first. A named database that does not exist
    is created only with ``create`` (commands that write: import, users add);
    for the others a mistyped path is refused and nothing is created.
    Commands that only read pass ``read_only``: a database file this process
    may not write is then read (SQLite ``mode=ro``) instead of refused.
    """
    return open_chosen(getattr(args, "db", None), create=create, read_only=read_only)


def print_json(data: object) -> None:
    """Write ``data`` as UTF-8 JSON (Arabic unescaped) on stdout."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
