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
    """``n`` fresh ids at once (one clock read, one random read)."""
    stamp = f"{prefix}_{time.time_ns() // 1_000_000:012x}"
    rand = os.urandom(6 * n).hex()
    return [stamp + rand[12 * i : 12 * i + 12] for i in range(n)]
