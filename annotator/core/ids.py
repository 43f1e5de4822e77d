"""Identifiers: content hashes for documents, sortable random ids for the rest."""

from __future__ import annotations

import hashlib
import os
import time


def document_id(text: str) -> str:
    """``d_`` + 16 hex digits of the SHA-256 of the stored text."""
    return "d_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def new_id(prefix: str) -> str:
    """``prefix_`` + 12 hex digits of milliseconds + 12 random hex digits.

    Ids sort by creation time and are unique across machines, so merging
    databases never confuses two spans.
    """
    return f"{prefix}_{time.time_ns() // 1_000_000:012x}{os.urandom(6).hex()}"


def new_ids(prefix: str, n: int) -> list[str]:
    """``n`` fresh ids that sort in the order given (for a batch insert).

    ``prefix_`` + 12 hex digits of milliseconds + 10 random hex digits for
    the batch + a 6-digit hex counter: consecutive ids append to the end of
    the table's B-tree instead of landing at random pages.
    """
    head = f"{prefix}_{time.time_ns() // 1_000_000:012x}{os.urandom(5).hex()}"
    if n > 0xFFFFFF:
        return new_ids(prefix, 0xFFFFFF) + new_ids(prefix, n - 0xFFFFFF)
    return [f"{head}{i:06x}" for i in range(n)]
