"""Leakage-safe dataset splits: by document, near-duplicates kept together.

``parse_split`` reads ``train=.8,dev=.1,test=.1``. ``assign_splits`` puts
each group of documents (a near-duplicate cluster, or a document on its own)
into one split: groups are ordered by a SHA-256 of the seed and the group
key, so the result depends only on the seed and the set of documents, never
on Python's hash seed or the import order; then each group goes to the split
whose share of the running document count its midpoint falls into.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable

from annotator.core.errors import UserError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
_RESERVED = {"manifest"}


def parse_split(spec: str) -> list[tuple[str, float]]:
    """``name=ratio,…`` -> [(name, ratio)]; raises UserError for a bad spec.

    Names are letters, digits, ``_`` or ``-`` and unique; ratios are
    non-negative numbers summing to 1 (within 1e-6).
    """
    parts: list[tuple[str, float]] = []
    for item in spec.split(","):
        name, sep, value = item.strip().partition("=")
        name = name.strip()
        if not sep or not name:
            raise UserError(f"--split: {item.strip()!r} is not NAME=RATIO")
        if not _NAME.match(name) or name.lower() in _RESERVED:
            raise UserError(f"--split: {name!r} cannot be a split name (letters, digits, _ or -)")
        try:
            ratio = float(value)
        except ValueError:
            raise UserError(f"--split: ratio {value.strip()!r} of {name} is not a number") from None
        if not math.isfinite(ratio) or ratio < 0:
            raise UserError(f"--split: ratio of {name} must be a number >= 0, got {value.strip()}")
        if any(name == n for n, _ in parts):
            raise UserError(f"--split: {name} is given twice")
        parts.append((name, ratio))
    total = sum(r for _, r in parts)
    if abs(total - 1.0) > 1e-6:
        raise UserError(f"--split: ratios must sum to 1, they sum to {total:g}")
    return parts


def _order_key(seed: int, group: str) -> bytes:
    return hashlib.sha256(f"{seed}\x00{group}".encode()).digest()


def assign_splits(
    docs: Iterable[tuple[str, str]], splits: list[tuple[str, float]], seed: int
) -> dict[str, str]:
    """Map document id -> split name for (doc_id, cluster) pairs.

    Documents sharing a non-empty cluster always land in the same split.
    """
    groups: dict[str, list[str]] = {}
    for doc_id, cluster in docs:
        groups.setdefault(cluster or f"doc:{doc_id}", []).append(doc_id)
    total = sum(len(members) for members in groups.values())
    bounds: list[tuple[float, str]] = []
    acc = 0.0
    for name, ratio in splits:
        acc += ratio
        bounds.append((acc, name))
    last = next(n for n, r in reversed(splits) if r > 0)
    out: dict[str, str] = {}
    done = 0
    for key in sorted(groups, key=lambda g: _order_key(seed, g)):
        members = groups[key]
        middle = (done + len(members) / 2) / total
        name = next((n for b, n in bounds if middle < b), last)
        done += len(members)
        for doc_id in members:
            out[doc_id] = name
    return out
