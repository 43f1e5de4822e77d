"""Near-duplicate detection: MinHash over word shingles, banded for lookup.

A wire story and its lightly edited copy share most word 3-shingles of
their normalised text. Each document gets a 64-value MinHash signature
(computed for a whole import in a few vectorised numpy passes), stored with
the document. Band keys (16 bands of 4 values) are derived from signatures
in memory when clustering: two documents are candidates when they share a
band key, and near-duplicates when their signatures agree on at least
``THRESHOLD`` of the 64 values (the MinHash estimate of Jaccard similarity).

THRESHOLD = 0.5: a copy with about one word in ten changed still scores
~0.55, while two different articles on the same event (the bundled sample)
score near 0. With 16 bands of 4 rows, a pair at Jaccard 0.5 becomes a
candidate with probability 0.64, at 0.7 with 0.98, at 0.8 with 0.9999.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 3
THRESHOLD = 0.5

_rng = np.random.default_rng(20201002)  # fixed: signatures are stored, so never change it
_A = _rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_BAND_MIX = _rng.integers(1, 2**63, ROWS, dtype=np.uint64) | np.uint64(1)
_WORD = re.compile(r"\w+")
_MASK63 = np.uint64(2**63 - 1)


def _word_hashes(norm: str, cache: dict[str, int]) -> list[int]:
    out = []
    for word in _WORD.findall(norm):
        h = cache.get(word)
        if h is None:
            h = cache[word] = zlib.crc32(word.encode("utf-8"))
        out.append(h)
    return out


def _shingles(words: np.ndarray) -> np.ndarray:
    if len(words) < SHINGLE:
        return words * _MIX[0]
    acc = np.zeros(len(words) - SHINGLE + 1, dtype=np.uint64)
    for k in range(SHINGLE):
        acc ^= words[k : len(words) - SHINGLE + 1 + k] * _MIX[k]
    return acc


def signatures(texts: Sequence[str]) -> np.ndarray:
    """MinHash signatures of *normalised* texts (``arabic.normalize_text``).

    Returns shape (len(texts), NUM_PERM), dtype uint32. A text with no words
    gets all-ones (it matches nothing).
    """
    cache: dict[str, int] = {}
    out = np.full((len(texts), NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    chunk: list[np.ndarray] = []
    owners: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if not chunk:
            return
        allsh = np.concatenate(chunk)
        lengths = np.array([len(c) for c in chunk])
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        hashed = (allsh[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
        mins = np.minimum.reduceat(hashed, starts, axis=0).astype(np.uint32)
        out[owners] = mins
        chunk.clear()
        owners.clear()
        size = 0

    for i, text in enumerate(texts):
        words = np.array(_word_hashes(text, cache), dtype=np.uint64)
        if not len(words):
            continue
        sh = np.unique(_shingles(words))
        chunk.append(sh)
        owners.append(i)
        size += len(sh)
        if size > 40_000:
            flush()
    flush()
    return out


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """Band keys, shape (n, BANDS), non-negative int64 (distinct per band)."""
    bands = sigs.astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    mixed = (bands * _BAND_MIX).sum(axis=2, dtype=np.uint64)
    mixed = mixed * np.uint64(BANDS) + np.arange(BANDS, dtype=np.uint64)
    return (mixed & _MASK63).astype(np.int64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def is_empty(sig: np.ndarray) -> bool:
    """True for the signature of a text without words."""
    return bool((sig == 0xFFFFFFFF).all())


def assign_clusters(
    stored: np.ndarray, stored_clusters: Sequence[str], new: np.ndarray, new_ids: Sequence[str]
) -> list[str]:
    """Cluster of each new document, in order.

    A new document joins the cluster of its most similar earlier document
    (stored, or earlier in ``new``) when that similarity reaches THRESHOLD;
    otherwise it starts a cluster named by its own id.
    """
    table = np.vstack([stored, new]) if len(stored) else new
    offset = len(stored)
    keys = band_keys(table)
    empty = (table == 0xFFFFFFFF).all(axis=1)
    earlier: list[set[int]] = [set() for _ in range(len(new))]
    for band in range(BANDS):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        sorted_keys = column[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], len(order)]
        for a, b in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = sorted(int(m) for m in order[a:b] if not empty[m])
            for pos, m in enumerate(members):
                if m >= offset:
                    earlier[m - offset].update(members[:pos])
    clusters = list(stored_clusters)
    for i, doc_id in enumerate(new_ids):
        cluster = doc_id
        if earlier[i]:
            rows = np.fromiter(earlier[i], dtype=np.int64, count=len(earlier[i]))
            sims = (table[rows] == table[offset + i]).sum(axis=1)
            best = int(np.argmax(sims))
            if sims[best] >= THRESHOLD * NUM_PERM:
                cluster = clusters[rows[best]]
        clusters.append(cluster)
    return clusters[offset:]
