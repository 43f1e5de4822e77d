"""Near-duplicate sketches: the vectorised code against a plain reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import neardup
from annotator.core.arabic import normalize_many, normalize_text
from annotator.core.resources import sample_corpus_dir

WORDS = st.sampled_from(["مارك", "أسبر", "الرباط", "في", "😀", "x_y", "١٩", "ـ", ",", "ab"])
TEXTS = st.lists(WORDS, max_size=12).map(" ".join)


def _reference(text: str) -> np.ndarray:
    """MinHash of one text, computed the slow obvious way."""
    words = neardup.word_hashes(text)
    if not len(words):
        return np.full(neardup.NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    if len(words) < neardup.SHINGLE:
        shingles = words * neardup._MIX[0]
    else:
        n = len(words) - neardup.SHINGLE + 1
        shingles = np.zeros(n, dtype=np.uint64)
        for k in range(neardup.SHINGLE):
            shingles ^= words[k : k + n] * neardup._MIX[k]
    hashed = (shingles[:, None] * neardup._A + neardup._B) >> np.uint64(32)
    return hashed.min(axis=0).astype(np.uint32)


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXTS, max_size=8))
def test_signatures_match_the_reference(texts: list[str]) -> None:
    sigs = neardup.signatures(texts)
    assert sigs.shape == (len(texts), neardup.NUM_PERM)
    for sig, text in zip(sigs, texts, strict=True):
        assert (sig == _reference(text)).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=6))
def test_batch_normalisation_equals_one_by_one(texts: list[str]) -> None:
    assert normalize_many(texts) == [normalize_text(t) for t in texts]


def test_edited_copy_is_similar_and_other_story_is_not() -> None:
    a, b = sorted(sample_corpus_dir().glob("*.txt"))
    text_a, text_b = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    words = text_a.split(" ")
    copy = " ".join(w if i % 12 else "تعديل" for i, w in enumerate(words))  # ~8% words changed
    sigs = neardup.signatures(normalize_many([text_a, copy, text_b]))
    assert neardup.similarity(sigs[0], sigs[1]) >= neardup.THRESHOLD
    assert neardup.similarity(sigs[0], sigs[2]) < 0.2
    clusters = neardup.assign_clusters(
        np.zeros((0, neardup.NUM_PERM), np.uint32), [], sigs, ["a", "b", "c"]
    )
    assert clusters == ["a", "a", "c"]
