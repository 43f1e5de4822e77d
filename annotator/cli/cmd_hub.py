"""``annotator hub``: set up a team hub, add people, assign documents, see progress."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from annotator.cli import add_output_options
from annotator.cli.common import print_json
from annotator.cli.hub_work import hub_url, register_work
from annotator.core.errors import UserError
from annotator.services import hub_admin
from annotator.services.sync import check_url

PASSWORD_ENV = "ANNOTATOR_HUB_PASSWORD"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the hub subcommand and its own subcommands."""
    p = sub.add_parser(
        "hub",
        help="the team hub on PostgreSQL: init, add-user, remove-user, users, assign, status",
        description="Set up and run a team hub (a PostgreSQL database) that `sync` talks to.",
    )
    hs = p.add_subparsers(dest="hub_command", metavar="HUBCOMMAND", required=True)

    q = hs.add_parser("init", help="create or upgrade the hub schema in a PostgreSQL database")
    q.add_argument("url", metavar="URL", help="postgresql://OWNER@HOST/DB or service=NAME")
    q.set_defaults(func=_init)

    q = hs.add_parser(
        "add-user",
        help="create a person's PostgreSQL role and grant it the hub",
        description=(
            f"Run by the hub's owner. The password is read from ${PASSWORD_ENV} or asked "
            "for (twice); it is hashed here and never stored in a project."
        ),
    )
    q.add_argument("name")
    q.add_argument("--role", choices=hub_admin.ROLES, required=True)
    q.add_argument("--hub", metavar="URL", help="the owner's hub URL (default: remembered)")
    q.add_argument("--no-password", action="store_true", help="keep the role's password (or none)")
    q.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    q.set_defaults(func=_add_user)

    q = hs.add_parser(
        "remove-user",
        help="take a person off the hub (their work stays; they can no longer sync)",
    )
    q.add_argument("name")
    q.add_argument("--hub", metavar="URL", help="the owner's hub URL (default: remembered)")
    q.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    q.set_defaults(func=_remove_user)

    q = hs.add_parser("users", help="who is on the hub, with their roles")
    q.add_argument("--hub", metavar="URL", help="hub URL (default: remembered)")
    add_output_options(q)
    q.set_defaults(func=_users)

    register_work(hs)


def _init(args: argparse.Namespace) -> int:
    before, now = hub_admin.init_hub(check_url(args.url))
    if before == now:
        print(f"hub schema is up to date (version {now})")
    elif before == 0:
        print(f"hub created (schema version {now}); next: annotator hub add-user NAME --role …")
    else:
        print(f"hub schema upgraded from version {before} to {now}")
    return 0


def _password(name: str, skip: bool) -> str | None:
    if skip:
        return None
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise UserError(f"no password: set ${PASSWORD_ENV} or run in a terminal")
    first = getpass.getpass(f"password for {name}: ")
    if first != getpass.getpass("again: "):
        raise UserError("the two passwords differ")
    if not first:
        raise UserError("empty password (use --no-password for peer or certificate login)")
    return first


def _add_user(args: argparse.Namespace) -> int:
    url = hub_url(args)
    before = hub_admin.add_member(url, args.name, args.role, _password(args.name, args.no_password))
    if before is None:
        print(f"added {args.name} to the hub as {args.role}")
    elif before != args.role:
        print(f"{args.name} is now a {args.role} on the hub (was {before})")
    else:
        print(f"{args.name} is a {args.role} on the hub (unchanged)")
    return 0


def _remove_user(args: argparse.Namespace) -> int:
    before = hub_admin.remove_member(hub_url(args), args.name)
    print(f"removed {args.name} ({before}) from the hub; their work stays on it")
    return 0


def _users(args: argparse.Namespace) -> int:
    people = hub_admin.members(hub_url(args))
    if args.json:
        print_json([{"name": n, "role": r} for n, r in people])
    else:
        for name, role in people:
            print(f"{name}\t{role}")
    return 0
