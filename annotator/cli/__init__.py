"""The ``annotator`` command: a thin layer of argparse over the services.

Each subcommand lives in a module ``annotator/cli/cmd_*.py`` that defines
``register(subparsers) -> None``; the parser sets ``func(args) -> int`` on
its namespace. Exit status: 0 success, 1 user error (one line on stderr, no
traceback), 2 bad usage. ``annotator`` with no subcommand opens the GUI.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.core.errors import UserError
from annotator.services.project import DATABASE_ERRORS, database_error_message

EPILOG = """\
Offsets everywhere are Unicode code points of the stored text, start
inclusive, end exclusive, in logical (reading) order.
The database is --db, else $ANNOTATOR_DB, else annotator.db in the user
data directory (created with the bundled sample corpus on first run)."""


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every ``cmd_*`` module's subcommands."""
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate Arabic news: entities, claims, sources and their links.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("--db", help="database file (default: $ANNOTATOR_DB or the user one)")
    parser.add_argument("--annotator", help="curator name for the GUI (asked on first start)")
    parser.add_argument(
        "--lang", choices=["ar", "en"], help="interface language (default: system locale)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = importlib.import_module("annotator.cli")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"annotator.cli.{info.name}").register(sub)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Give a subcommand its own ``--db`` (also accepted before the subcommand)."""
    parser.add_argument("--db", default=argparse.SUPPRESS, help="database file")


def add_output_options(parser: argparse.ArgumentParser, json_help: str = "") -> None:
    """``--json`` (machine-readable output) and ``--db`` for a subcommand."""
    parser.add_argument("--json", action="store_true", help=json_help or "machine-readable output")
    add_db_option(parser)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _open_gui(args)
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 1
    except DATABASE_ERRORS as exc:  # busy, disk full, read-only: one line, no traceback
        message = database_error_message(exc, _database_of(args))
        print(f"annotator: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file the command had to read or write
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"annotator: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


def _database_of(args: argparse.Namespace) -> str | None:
    """The database file a command works on, when the command line names it."""
    return (
        getattr(args, "into", None) or getattr(args, "db", None) or os.environ.get("ANNOTATOR_DB")
    )


def _open_gui(args: argparse.Namespace) -> int:
    try:
        from annotator.gui import run
    except ImportError as exc:  # the GUI needs Qt's system libraries
        raise UserError(f"the GUI cannot start: {exc}") from None
    return run(db_path=args.db, annotator=args.annotator, lang=args.lang)
