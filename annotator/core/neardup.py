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
_MASK63 = np.uint64(2**63 - 1)
# Word hash: sum of code_i * P**i over the word's characters, mod 2**64.
_P = 0x100000001B3
_P_INV = pow(_P, -1, 2**64)
_CHUNK_CHARS = 1 << 20
_CHUNK_SHINGLES = 1 << 15
_is_word_lut: np.ndarray | None = None


def _word_lut() -> np.ndarray:
    """True for BMP code points that Python's regex ``\\w`` matches."""
    global _is_word_lut
    if _is_word_lut is None:
        _is_word_lut = np.array([chr(c).isalnum() or c == 0x5F for c in range(0x10000)], dtype=bool)
    return _is_word_lut


_power_cache: dict[int, np.ndarray] = {}


def _powers(base: int, n: int) -> np.ndarray:
    """base**0 .. base**(n-1) mod 2**64 (a view of a table kept per base, grown as needed)."""
    table = _power_cache.get(base)
    if table is None or len(table) < n:
        size = max(n, _CHUNK_CHARS + (1 << 16))
        out = np.full(size, base, dtype=np.uint64)
        out[0] = 1
        table = _power_cache[base] = np.cumprod(out, dtype=np.uint64)
    return table[:n]


def word_hashes(text: str) -> np.ndarray:
    """Hashes of the ``\\w+`` words of ``text`` (the reference for ``signatures``)."""
    out = []
    for word in re.findall(r"\w+", text):
        h = 0
        for k, ch in enumerate(word):
            h = (h + ord(ch) * pow(_P, k, 2**64)) % 2**64
        out.append(h)
    return np.array(out, dtype=np.uint64)


def _chunk_shingles(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(shingle hashes, index of the text each belongs to) for a few texts."""
    joined = "\n".join(texts)  # a non-word separator: no word spans two texts
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    isword = np.zeros(len(codes), dtype=bool)
    bmp = codes < 0x10000
    isword[bmp] = _word_lut()[codes[bmp]]
    edges = np.diff(np.concatenate(([False], isword, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if not len(starts):
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    weighted = codes.astype(np.uint64) * _powers(_P, len(codes))
    prefix = np.concatenate((np.zeros(1, np.uint64), np.cumsum(weighted, dtype=np.uint64)))
    words = (prefix[ends] - prefix[starts]) * _powers(_P_INV, len(codes))[starts]
    text_starts = np.concatenate(([0], np.cumsum([len(t) + 1 for t in texts[:-1]])))
    owner = np.searchsorted(text_starts, starts, side="right") - 1
    counts = np.bincount(owner, minlength=len(texts))
    short = counts[owner] < SHINGLE
    sh = [words[short] * _MIX[0]]
    own = [owner[short]]
    if len(words) >= SHINGLE:
        n = len(words) - SHINGLE + 1
        same = owner[:n] == owner[SHINGLE - 1 :]
        acc = np.zeros(n, dtype=np.uint64)
        for k in range(SHINGLE):
            acc ^= words[k : k + n] * _MIX[k]
        sh.append(acc[same])
        own.append(owner[:n][same])
    shingles, owners = np.concatenate(sh), np.concatenate(own)
    order = np.argsort(owners, kind="stable")
    return shingles[order], owners[order]


def signatures(texts: Sequence[str]) -> np.ndarray:
    """MinHash signatures of *normalised* texts (``arabic.normalize_text``).

    Returns shape (len(texts), NUM_PERM), dtype uint32. A text with no words
    gets all-ones (it matches nothing). Works on chunks of about a million
    characters, so memory stays bounded for any batch size.
    """
    out = np.full((len(texts), NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    first = 0
    while first < len(texts):
        last, size = first, 0
        while last < len(texts) and (size < _CHUNK_CHARS or last == first):
            size += len(texts[last]) + 1
            last += 1
        shingles, owners = _chunk_shingles(texts[first:last])
        for a in range(0, len(shingles), _CHUNK_SHINGLES):
            part, who = shingles[a : a + _CHUNK_SHINGLES], owners[a : a + _CHUNK_SHINGLES]
            # One row per permutation, so each minimum runs along contiguous memory
            # (a reduceat down the columns of the transposed array is several times
            # slower); the hashes fit 32 bits once shifted.
            hashed = _A[:, None] * part[None, :]
            hashed += _B[:, None]
            hashed >>= np.uint64(32)
            seg = np.flatnonzero(np.concatenate(([True], who[1:] != who[:-1])))
            mins = np.minimum.reduceat(hashed.astype(np.uint32), seg, axis=1).T
            np.minimum.at(out, first + who[seg], mins)
        first = last
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


#: Within one run of equal band keys, a document is compared with at most this
#: many earlier documents (bounds the work on boilerplate-heavy corpora).
MAX_NEIGHBOURS = 16


def candidate_pairs(table: np.ndarray, first_new: int) -> tuple[np.ndarray, np.ndarray]:
    """(earlier, later) row pairs that share a band key, ``later >= first_new``."""
    keys = band_keys(table)
    empty = (table == 0xFFFFFFFF).all(axis=1)
    rows = np.arange(len(table))
    earlier: list[np.ndarray] = []
    later: list[np.ndarray] = []
    for band in range(BANDS):
        order = np.lexsort((rows, keys[:, band]))  # by key, then by row
        sorted_keys = keys[order, band]
        for d in range(1, MAX_NEIGHBOURS + 1):
            same = np.flatnonzero(sorted_keys[d:] == sorted_keys[:-d])
            if not len(same):
                break
            earlier.append(order[same])
            later.append(order[same + d])
    if not earlier:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    a, b = np.concatenate(earlier), np.concatenate(later)
    keep = (b >= first_new) & ~empty[a] & ~empty[b]
    n = np.int64(len(table))
    pairs = np.unique(b[keep].astype(np.int64) * n + a[keep])  # sorted by later, earlier
    return pairs % n, pairs // n


def assign_clusters(
    stored: np.ndarray, stored_clusters: Sequence[str], new: np.ndarray, new_ids: Sequence[str]
) -> list[str]:
    """Cluster of each new document, in order.

    A new document joins the cluster of its most similar earlier document
    (stored, or earlier in ``new``) when that similarity reaches THRESHOLD
    (ties: the earliest); otherwise it starts a cluster named by its own id.
    """
    table = np.vstack([stored, new]) if len(stored) else new
    offset = len(stored)
    earlier, later = candidate_pairs(table, offset)
    sims = (table[earlier] == table[later]).sum(axis=1)
    good = sims >= THRESHOLD * NUM_PERM
    earlier, later, sims = earlier[good], later[good], sims[good]
    # Best match per later row: highest similarity, then lowest earlier row.
    order = np.lexsort((earlier, -sims, later))
    later, earlier = later[order], earlier[order]
    first = np.r_[True, later[1:] != later[:-1]] if len(later) else np.zeros(0, bool)
    best = dict(zip(later[first].tolist(), earlier[first].tolist(), strict=True))
    clusters = list(stored_clusters)
    for i, doc_id in enumerate(new_ids):
        match = best.get(offset + i)
        clusters.append(doc_id if match is None else clusters[match])
    return clusters[offset:]
