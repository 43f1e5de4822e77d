"""``annotator render --doc ID --out FILE.png [--layer NAME]``: the annotated view as an image."""

from __future__ import annotations

import argparse

from annotator.cli import add_db_option
from annotator.cli.common import print_json, project_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``render`` subcommand."""
    p = subparsers.add_parser(
        "render",
        help="draw a document's annotated view to a PNG (headless)",
        description="Draw the article view of one document, with the spans of one layer, "
        "into a PNG file. Needs no display.",
    )
    p.add_argument("--doc", required=True, help="document id (d_…)")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument(
        "--layer", help="layer to draw (default: gold if it has spans, else the first layer)"
    )
    p.add_argument("--width", type=int, default=900, help="image width in pixels")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Render; print {"doc", "layer", "spans", "out"} as JSON."""
    from annotator.gui.render import render_png
    from annotator.services import annotate, browse

    with project_from_args(args, read_only=True) as project:
        browse.get_document(project, args.doc)
        layer = args.layer or browse.default_layer(project, args.doc)
        out = render_png(project, args.doc, layer, args.out, width=args.width)
        count = len(annotate.layer_spans(project, args.doc, layer))
    print_json({"doc": args.doc, "layer": layer, "spans": count, "out": str(out)})
    return 0
