"""``annotator export``: datasets for machine learning (see docs/export.md)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from annotator.cli import add_output_options
from annotator.cli.common import print_json, project_from_args
from annotator.cli.progress import ProgressBar
from annotator.core.errors import UserError
from annotator.core.formats import FORMATS
from annotator.services.datasets import ExportOptions, export_dataset


def register(sub: argparse._SubParsersAction) -> None:
    """Add the export subcommand."""
    p = sub.add_parser(
        "export",
        help="write a dataset: native, doccano, hf-bio, attribution, conll, labelstudio or spacy",
        description=(
            "Write one layer (or all) as a dataset. With --split, --out is a folder receiving "
            "<split>.jsonl (.conll, .json, .spacy) per split, manifest.json and a README.md "
            "dataset card; without it, --out is one file with <name>.manifest.json and "
            "<name>.README.md beside it. Files appear only when complete; a split with no "
            "record is not written."
        ),
    )
    p.add_argument("--format", required=True, help=f"one of: {', '.join(FORMATS)}")
    p.add_argument("--layer", default="gold", help="gold (default), an annotator's name, or all")
    p.add_argument("--status", help="only documents with this status in the layer (e.g. done)")
    p.add_argument("--labels", help="comma-separated labels (hf-bio default: entity labels)")
    p.add_argument("--split", help="split by document, e.g. train=.8,dev=.1,test=.1")
    p.add_argument("--seed", default="0", help="seed of the split (default 0)")
    p.add_argument(
        "--offsets",
        default="codepoint",
        help="codepoint (default) or utf16 (for loading into doccano); doccano, attribution, "
        "labelstudio",
    )
    p.add_argument(
        "--max-tokens", help="hf-bio, conll: cut records at sentence ends to at most N tokens"
    )
    p.add_argument(
        "--negatives", action="store_true", help="attribution: claim-free sentences as records"
    )
    p.add_argument("--license", help="licence of the data, for the manifest and dataset card")
    p.add_argument("--out", required=True, help="output file, or folder with --split")
    add_output_options(p, "print what was written as JSON")
    p.set_defaults(func=_export)


def _options(args: argparse.Namespace) -> ExportOptions:
    """ExportOptions from the command line; UserError for a bad value."""
    try:
        seed = int(args.seed)
    except ValueError:
        raise UserError(f"--seed must be an integer, got {args.seed!r}") from None
    max_tokens = None
    if args.max_tokens is not None:
        try:
            max_tokens = int(args.max_tokens)
        except ValueError:
            raise UserError(f"--max-tokens must be an integer, got {args.max_tokens!r}") from None
    labels = None
    if args.labels is not None:
        labels = tuple(lab.strip() for lab in args.labels.split(",") if lab.strip())
    return ExportOptions(
        format=args.format,
        out=Path(args.out),
        layer=args.layer,
        status=args.status,
        labels=labels,
        split=args.split,
        seed=seed,
        offsets=args.offsets,
        max_tokens=max_tokens,
        negatives=args.negatives,
        license=args.license,
    )


def _export(args: argparse.Namespace) -> int:
    options = _options(args)
    db = getattr(args, "db", None) or os.environ.get("ANNOTATOR_DB")
    if db and not Path(db).is_file():
        raise UserError(f"{db}: no such database")
    bar = ProgressBar()
    with project_from_args(args, read_only=True) as project:
        try:
            report = export_dataset(project, options, progress=bar.update)
        finally:
            bar.close()
    if report.dropped and options.format == "conll":
        print(
            f"annotator: warning: {report.dropped} relation(s) or space-only span(s) not "
            "written (CoNLL holds tokens and tags only)",
            file=sys.stderr,
        )
    elif report.dropped:
        print(
            f"annotator: warning: {report.dropped} overlapping or empty span(s) dropped "
            "(BIO keeps the longest of overlapping spans)",
            file=sys.stderr,
        )
    if report.reopened:
        print(
            f"annotator: warning: {report.reopened} span(s) longer than --max-tokens cut "
            "between records (re-opened with B- in the next record)",
            file=sys.stderr,
        )
    for warning in report.warnings:
        print(f"annotator: warning: {warning}", file=sys.stderr)
    if args.json:
        print_json(report.to_json())
    else:
        print(
            f"exported {report.records} record(s) from {report.documents} document(s) "
            f"to {', '.join(report.files)}; manifest {report.manifest}"
        )
    return 0
