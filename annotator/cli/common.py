"""Helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.services.project import Project, open_project


def project_from_args(args: argparse.Namespace) -> Project:
    """Open the project named by ``--db`` / ``$ANNOTATOR_DB`` / the default path."""
    return open_project(getattr(args, "db", None))


def print_json(data: object) -> None:
    """Write ``data`` as UTF-8 JSON (Arabic unescaped) on stdout."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
