"""``annotator search`` and ``annotator suggest``."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli import add_db_option, add_output_options
from annotator.cli.common import print_json, project_from_args
from annotator.core.errors import UserError
from annotator.core.model import GOLD
from annotator.services.search import DEFAULT_LIMIT, search
from annotator.services.suggest import accept_suggestions, suggest


def register(sub: argparse._SubParsersAction) -> None:
    """Add the search and suggest subcommands."""
    p = sub.add_parser(
        "search",
        help="normalised search across the corpus",
        description=(
            "Find QUERY in every document, ignoring tashkeel, tatweel, hamza forms of alef and "
            "alef maksura; a match may follow the proclitics و ف ب ك ل ال. Offsets are code "
            "points of the stored text, end exclusive."
        ),
    )
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="most hits to list")
    p.add_argument(
        "--taa-marbuta", action="store_true", help="also treat taa marbuta (ة) and heh (ه) as one"
    )
    p.add_argument(
        "--hamza",
        action="store_true",
        help="also treat the hamza seats ؤ ئ ء as one (مسؤول = مسئول)",
    )
    add_db_option(p)
    p.set_defaults(func=_search)

    s = sub.add_parser(
        "suggest",
        help="suggested spans for a layer (propagation, attribution cues, plug-ins)",
        description=(
            "List suggested spans for LAYER, each with its reason: strings already labeled in "
            "the layer found again elsewhere, sources and claims after attribution cues "
            "(resources/cues.txt), and spans from installed plug-ins. Rejected suggestions and "
            "spans the layer already has are left out. --plugin runs one plug-in only (its "
            "name, or module:attribute); --accept stores the suggestions as spans of origin "
            "'suggested' in LAYER (see docs/plugins.md)."
        ),
    )
    s.add_argument("--layer", required=True, help="the layer to suggest spans for")
    s.add_argument("--doc", action="append", metavar="ID", help="only this document (repeatable)")
    s.add_argument("--cues", type=Path, help="attribution cue file (default: the bundled one)")
    s.add_argument("--plugin", metavar="NAME", help="only this plug-in (name or module:attribute)")
    s.add_argument("--min-score", metavar="S", help="only suggestions scored at least S")
    s.add_argument("--accept", action="store_true", help="store the suggestions in LAYER")
    s.add_argument(
        "--annotator",
        default=argparse.SUPPRESS,
        help="who accepts (default: the layer's curator; a reviewer for gold)",
    )
    add_output_options(s)
    s.set_defaults(func=_suggest)


def _search(args: argparse.Namespace) -> int:
    with project_from_args(args, read_only=True) as project:
        hits = search(
            project,
            args.query,
            limit=args.limit,
            taa_marbuta=args.taa_marbuta,
            hamza=args.hamza,
        )
    if args.json:
        print_json(
            {
                "hits": [
                    {"doc_id": h.doc_id, "start": h.start, "end": h.end, "snippet": h.snippet}
                    for h in hits
                ]
            }
        )
    else:
        for h in hits:
            print(f"{h.doc_id}\t{h.start}\t{h.end}\t{h.snippet}")
    return 0


def _suggest(args: argparse.Namespace) -> int:
    min_score = None
    if args.min_score is not None:
        try:
            min_score = float(args.min_score)
        except ValueError:
            raise UserError(f"--min-score must be a number, got {args.min_score!r}") from None
    actor = getattr(args, "annotator", None) or args.layer
    if args.accept and actor == GOLD:
        raise UserError("--accept into the gold layer needs --annotator REVIEWER")
    with project_from_args(args, read_only=not args.accept) as project:
        items = suggest(
            project,
            args.layer,
            args.doc,
            cues_file=args.cues,
            plugin=args.plugin,
            min_score=min_score,
        )
        accepted = None
        if args.accept:
            accepted = accept_suggestions(project, actor, items, layer=args.layer)
    if args.json:
        out: dict = {"suggestions": [s.as_json() for s in items]}
        if accepted is not None:
            out["accepted"] = accepted
        print_json(out)
        return 0
    for s in items:
        score = "" if s.score is None else f"\t{s.score:.3f}"
        print(f"{s.doc_id}\t{s.start}\t{s.end}\t{s.label}\t{s.text}\t{s.reason}{score}")
    if accepted is not None:
        print(f"accepted {accepted} suggestion(s) into layer {args.layer} (origin suggested)")
    return 0
