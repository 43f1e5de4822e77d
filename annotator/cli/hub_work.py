"""``annotator hub assign`` and ``annotator hub status``."""

from __future__ import annotations

import argparse


def register_work(hs: argparse._SubParsersAction) -> None:
    """Add assign and status (filled in by the assignment service)."""
