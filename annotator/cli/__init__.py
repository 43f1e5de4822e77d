"""The ``annotator`` command: a thin layer of argparse over the services.

Each subcommand lives in a module ``annotator/cli/cmd_*.py`` that defines
``register(subparsers) -> None``; the parser sets ``func(args) -> int`` on
its namespace. Exit status: 0 success, 1 user error (one line on stderr, no
traceback), 2 bad usage. ``annotator`` with no subcommand opens the GUI.

Start-up stays short by importing only the module of the command given:
``COMMANDS`` names each command's module and one-line help, which is all
``annotator --help`` needs. A ``cmd_*`` module not listed there is still
found and loaded (it only costs start-up time).
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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command``, only that command's module is imported."""
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
    listed = {module for module, _ in COMMANDS.values()}
    if command is None:  # every module: the full parser (tests, documentation)
        modules = sorted(listed | _unlisted_modules())
    elif command in COMMANDS:
        modules = [COMMANDS[command][0]]
    else:  # a command we do not know (a typo, or a module not yet listed)
        modules = sorted(_unlisted_modules())
    for module in modules:
        importlib.import_module(f"annotator.cli.{module}").register(sub)
    for name, (_, help_text) in COMMANDS.items():  # the others: listed in --help only
        if name not in sub.choices:
            sub.add_parser(name, help=help_text, add_help=False)
    return parser


#: command -> (module under annotator/cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "adjudicate": ("cmd_review", "put what all curators agree on into the gold layer"),
    "agreement": (
        "cmd_review",
        "inter-annotator agreement: pairwise span F1, per label, token alpha",
    ),
    "backup": (
        "cmd_backup",
        "copy the database with SQLite's online backup (safe while the app runs)",
    ),
    "conflicts": ("cmd_review", "disagreements between curator layers, per document"),
    "export": (
        "cmd_export",
        "write a dataset: native, doccano, hf-bio, attribution, conll, labelstudio or spacy",
    ),
    "hub": (
        "cmd_hub",
        "the team hub on PostgreSQL: init, add-user, remove-user, users, assign, status",
    ),
    "import": (
        "cmd_import",
        "import articles (.txt, saved .html pages), folders or annotated files",
    ),
    "labels": ("cmd_labels", "the label schema: list labels, edit a label"),
    "merge": ("cmd_merge", "merge other annotator databases into one"),
    "render": ("cmd_render", "draw a document's annotated view to a PNG (headless)"),
    "search": ("cmd_search", "normalised search across the corpus"),
    "stats": ("cmd_import", "documents, spans per layer and label, progress"),
    "suggest": (
        "cmd_search",
        "suggested spans for a layer (propagation, attribution cues, plug-ins)",
    ),
    "sync": ("cmd_sync", "push your changes to the team hub and pull what you may see"),
    "users": ("cmd_review", "annotators and their roles (who may write what)"),
}


def _unlisted_modules() -> set[str]:
    """``cmd_*`` modules that ``COMMANDS`` does not name."""
    listed = {module for module, _ in COMMANDS.values()}
    package = importlib.import_module("annotator.cli")
    found = {m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("cmd_")}
    return found - listed


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv`` (the first word that is not an option), if any."""
    words = list(argv)
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("--db", "--annotator", "--lang"):
            i += 2
            continue
        if word.startswith("-"):
            i += 1
            continue
        return word
    return None


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Give a subcommand its own ``--db`` (also accepted before the subcommand)."""
    parser.add_argument("--db", default=argparse.SUPPRESS, help="database file")


def add_output_options(parser: argparse.ArgumentParser, json_help: str = "") -> None:
    """``--json`` (machine-readable output) and ``--db`` for a subcommand."""
    parser.add_argument("--json", action="store_true", help=json_help or "machine-readable output")
    add_db_option(parser)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv) or "")
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
