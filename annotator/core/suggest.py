"""Suggested spans, and propagation: labeled strings found again elsewhere.

A ``Suggestion`` is a span that is not stored yet, with the reason it was
suggested. Propagation takes every string already labeled in a layer and
finds it again in a document through normalisation (tashkeel, tatweel, hamza
forms, alef maksura) and behind proclitics (و ف ب ك ل ال), so a tag on
"مارك أسبر" suggests "ومارك إسبر" elsewhere, with the span on the name only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.arabic import normalize, normalize_text, original_span
from annotator.core.search import PROCLITIC, SHORT_PROCLITIC, phrase_body, short_first_word

#: Labeled strings shorter than this (normalised) are not propagated.
MIN_PROPAGATED_LENGTH = 2


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A span proposed for a layer, with why.

    ``link`` is the (start, end) of the other end of an ATTRIBUTED_TO link in
    the same document (the SOURCE of a suggested CLAIM, or the CLAIM of a
    suggested SOURCE); accepting links the two once both exist. ``score`` is
    a plug-in's confidence (higher is surer), None when it gave none.
    """

    doc_id: str
    start: int
    end: int
    label: str
    reason: str
    text: str = ""
    layer: str = ""
    link: tuple[int, int] | None = None
    score: float | None = None

    @property
    def key(self) -> tuple[str, int, int, str]:
        """(doc id, start, end, label): what identifies a suggested place."""
        return (self.doc_id, self.start, self.end, self.label)

    def as_json(self) -> dict:
        """The JSON shape of ``annotator suggest --json``."""
        return {
            "doc_id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "reason": self.reason,
            "text": self.text,
            "link": list(self.link) if self.link else None,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class Propagator:
    """Compiled matchers of a layer's labeled strings, one regex per label."""

    matchers: tuple[tuple[str, re.Pattern[str], dict[str, str]], ...]

    @property
    def empty(self) -> bool:
        """True when nothing is labeled (nothing to propagate)."""
        return not self.matchers


def _key(norm: str) -> str:
    return " ".join(norm.split())


def build_propagator(labeled: Iterable[tuple[str, str]]) -> Propagator:
    """Matchers for (label, covered text) pairs; strings not bounded by letters are skipped."""
    by_label: dict[str, dict[str, str]] = {}
    for label, surface in labeled:
        norm = _key(normalize_text(surface))
        words = re.findall(r"\w+", norm)
        if len(norm) < MIN_PROPAGATED_LENGTH or not words:
            continue
        if not (re.match(r"\w", norm) and re.search(r"\w$", norm)):
            continue
        by_label.setdefault(label, {}).setdefault(norm, surface.strip())
    matchers = []
    for label, strings in sorted(by_label.items()):
        # Longest first, so "مارك أسبر" wins over "مارك" at the same place. A string
        # whose first word is short follows only و or ف, as in search ("قم" in "وقم",
        # never in "بقم").
        ordered = sorted(strings, key=lambda s: (-len(s), s))
        for clitics, group in (
            (PROCLITIC, [s for s in ordered if not short_first_word(s)]),
            (SHORT_PROCLITIC, [s for s in ordered if short_first_word(s)]),
        ):
            if group:
                bodies = "|".join(phrase_body(s) for s in group)
                pattern = re.compile(rf"(?<!\w){clitics}({bodies})(?!\w)")
                matchers.append((label, pattern, strings))
    return Propagator(tuple(matchers))


def propagate(doc_id: str, text: str, propagator: Propagator) -> list[Suggestion]:
    """Suggestions for the labeled strings found in ``text`` (whole words, maybe behind clitics)."""
    if propagator.empty:
        return []
    norm, offset_map = normalize(text)
    out: list[Suggestion] = []
    for label, pattern, strings in propagator.matchers:
        for m in pattern.finditer(norm):
            start, end = original_span(text, offset_map, m.start(1), m.end(1))
            example = strings.get(_key(m.group(1)), text[start:end])
            out.append(
                Suggestion(
                    doc_id,
                    start,
                    end,
                    label,
                    f"propagation: «{example}» is labeled {label} in this layer",
                    text[start:end],
                )
            )
    return out
