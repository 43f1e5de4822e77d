"""``annotator import`` and ``annotator stats``."""

from __future__ import annotations

import argparse
import sys

from annotator.cli import add_db_option, add_output_options
from annotator.cli.common import print_json, project_from_args
from annotator.cli.progress import ProgressBar
from annotator.services.import_formats import IMPORT_FORMATS, parse_label_map
from annotator.services.importing import import_paths
from annotator.services.stats import corpus_stats


def register(sub: argparse._SubParsersAction) -> None:
    """Add the import and stats subcommands."""
    p = sub.add_parser(
        "import",
        help="import articles (.txt, saved .html pages), folders or annotated files",
        description=(
            "Import plain-text articles (.txt), saved news pages (.html/.htm), folders searched "
            "recursively, or annotated files: JSONL (native, doccano, Prodigy), CoNLL/IOB "
            "(.conll/.iob/.bio) and Label Studio JSON (.json). Every file is checked before "
            "anything is written: a refused file names its line and problem and nothing is "
            "imported."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--annotator", help="layer for the spans imported (default: the file's own layer)"
    )
    p.add_argument(
        "--offsets",
        choices=["codepoint", "utf16"],
        help="unit of doccano and Label Studio offsets (default codepoint; doccano's UI "
        "exports utf16; Label Studio's are checked against their text)",
    )
    p.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        help="read every file in this format (default: by suffix), e.g. conll for a .txt",
    )
    p.add_argument(
        "--map",
        metavar="OLD=NEW,…",
        help="rename CoNLL and Label Studio labels to the project's (OLD= drops them), "
        "e.g. PERS=PER,GPE=LOC,DATE=",
    )
    p.add_argument(
        "--reviewer",
        metavar="NAME",
        help="a reviewer of the database: needed to import records of the gold layer",
    )
    add_db_option(p)
    p.set_defaults(func=_import)

    s = sub.add_parser("stats", help="documents, spans per layer and label, progress")
    add_output_options(s)
    s.set_defaults(func=_stats)


def _import(args: argparse.Namespace) -> int:
    label_map = parse_label_map(args.map) if args.map else None
    bar = ProgressBar()
    with project_from_args(args, create=True) as project:
        try:
            report = import_paths(
                project,
                args.paths,
                annotator=args.annotator,
                offsets=args.offsets,
                progress=bar.update,
                reviewer=args.reviewer,
                fmt=args.format,
                label_map=label_map,
            )
        finally:
            bar.close()
    for warning in report.warnings:
        print(f"annotator: warning: {warning}", file=sys.stderr)
    print(report.summary())
    return 0


def _stats(args: argparse.Namespace) -> int:
    with project_from_args(args, read_only=True) as project:
        data = corpus_stats(project)
    if args.json:
        print_json(data)
        return 0
    print(f"documents: {data['documents']} in {data['clusters']} cluster(s)")
    for name, role in data["annotators"].items():
        print(f"annotator: {name} ({role})")
    for layer, entry in data["layers"].items():
        labels = ", ".join(f"{k} {v}" for k, v in sorted(entry["labels"].items())) or "-"
        status = ", ".join(f"{k} {v}" for k, v in entry["status"].items() if v)
        print(
            f"layer {layer}: {entry['spans']} spans ({labels}), "
            f"{entry['relations']} relations; {status}"
        )
    return 0
