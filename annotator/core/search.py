"""Finding a query in Arabic text through folding and proclitics.

A query is folded like the text (``core.arabic``), then matched as whole
words: the match may sit behind proclitics (و ف, then ب ك ل, then ال, or
لل), so "الرباط" is found in "بالرباط" and "مارك أسبر" in "ومارك إسبر"; a
first word of one or two letters only behind و or ف ("لا" in "ولا", never
"أن" in "كان").
Matches are found in the normalised text and mapped back to exact
code-point offsets of the original text (tashkeel and tatweel inside a match
are part of it, proclitics before it are not). A text with a superscript
alef is searched in both its readings (ٱلْعَٰلَمِينَ as العالمين, هٰذا as هذا).

``fts_query`` turns a query into an FTS5 expression over the search index
(``index_fields``), which narrows the documents to look in; ``find`` then
locates the exact matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyarabic import araby

from annotator.core.arabic import (
    SUPERSCRIPT_ALEF,
    FoldMap,
    extend_end,
    normalize_text,
    strip_proclitics,
)

#: Proclitics allowed before a match: conjunction, then preposition or article.
PROCLITIC = r"(?:[وف]?(?:[بك]?ال|لل|[بلك])?)"
#: Before a word of fewer than ``MIN_STEM`` letters only a conjunction: "لا" is found
#: in "ولا" and "فلا", never in "بلا" or "كلا", and "أن" never in "كان" or "الان".
SHORT_PROCLITIC = r"[وف]?"
MIN_STEM = 3
_TOKEN = re.compile(r"\w+|[^\w\s]")
_SPACE = re.compile(r"\s")
SNIPPET_CONTEXT = 40


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled query: its folded words and matchers over folded text.

    ``pattern`` is the whole matcher as one regex (group 1 or 2 is the
    match); ``parts`` are the same as (body regex, proclitics allowed before
    it) pairs, which run several times faster: a regex that starts with a
    literal is searched for with a fast scan, one that starts with a
    look-behind is tried at every position. A query written with the
    superscript alef (هٰذا) also matches its other reading (هذا): ``parts``
    hold both, ``other_words`` are the words of the other reading.
    """

    text: str
    words: tuple[str, ...]
    pattern: re.Pattern[str] | None
    parts: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = ()
    taa_marbuta: bool = False
    hamza: bool = False
    other_words: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the query has no word to look for (blank or punctuation only)."""
        return self.pattern is None


def compile_query(query: str, *, taa_marbuta: bool = False, hamza: bool = False) -> Query:
    """Fold ``query`` and build its matcher (``Query.empty`` when nothing to find).

    ``taa_marbuta`` also folds ة to ه; ``hamza`` folds the hamza seats ؤ ئ ء
    into one (مسؤول = مسئول).
    """
    options = {"taa_marbuta": taa_marbuta, "hamza": hamza}
    norm = normalize_text(query, **options).strip()
    words = _words(norm)
    if not words:
        return Query(query, (), None, (), taa_marbuta, hamza)
    parts = _parts(norm)
    other: tuple[str, ...] = ()
    if SUPERSCRIPT_ALEF in query:
        norm_b = normalize_text(query, **options, dagger_alef=False).strip()
        words_b = _words(norm_b)
        if norm_b != norm and len(words_b) == len(words):
            parts += _parts(norm_b)
            other = words_b
    pattern = re.compile(phrase_pattern(norm))
    return Query(query, words, pattern, parts, taa_marbuta, hamza, other)


def _words(norm: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"\w+", norm) if w.replace("_", ""))


def _parts(norm: str) -> tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]:
    """The (body, proclitics allowed before it) matchers of folded phrase ``norm``."""
    body = phrase_body(norm)
    tail = r"(?!\w)" if re.search(r"\w$", norm) else ""
    if not re.match(r"\w", norm):
        return ((re.compile(body + tail), None),)
    if short_first_word(norm):
        return ((re.compile(body + tail), _SHORT_PROCLITIC_RE),)
    parts = ((re.compile(body + tail), _PROCLITIC_RE),)
    if _has_article(norm, body):
        parts += ((re.compile("ل" + body[2:] + tail), _LAM_RE),)
    return parts


_PROCLITIC_RE = re.compile(PROCLITIC)
_SHORT_PROCLITIC_RE = re.compile(SHORT_PROCLITIC)


def short_first_word(norm: str) -> bool:
    """True when folded phrase ``norm`` starts with a word of fewer than ``MIN_STEM`` letters."""
    m = re.match(r"\w+", norm)
    return m is not None and len(m.group()) < MIN_STEM


_LAM_RE = re.compile("[وف]?ل")


def _has_article(norm: str, body: str) -> bool:
    """True when the phrase starts with ال and a word of 2+ more letters."""
    return body.startswith("ال") and len(re.match(r"\w+", norm).group()) > 3


def phrase_body(norm: str) -> str:
    """Regex source of the normalised phrase ``norm``, without boundaries.

    Whitespace in the phrase matches any run of whitespace; punctuation may
    be preceded or followed by spaces the phrase lacks.
    """
    tokens = list(_TOKEN.finditer(norm))
    parts: list[str] = []
    for i, tok in enumerate(tokens):
        if i:
            gap = norm[tokens[i - 1].end() : tok.start()]
            parts.append(r"\s+" if _SPACE.search(gap) else r"\s*")
        parts.append(re.escape(tok.group()))
    return "".join(parts)


def phrase_pattern(norm: str) -> str:
    """Regex source matching the normalised phrase ``norm`` as whole words.

    The phrase is captured as group 1 (group 2 when it follows لل in place
    of ل + ال); a phrase starting with a word may follow proclitics.
    """
    body = phrase_body(norm)
    first_word = bool(re.match(r"\w", norm))
    last_word = bool(re.search(r"\w$", norm))
    clitics = SHORT_PROCLITIC if short_first_word(norm) else PROCLITIC
    head = rf"(?<!\w){clitics}" if first_word else ""
    tail = r"(?!\w)" if last_word else ""
    pattern = f"{head}({body}){tail}"
    if first_word and _has_article(norm, body):
        # ل + ال is written لل: "للرباط" holds "الرباط" without its alef.
        pattern += rf"|(?<!\w)[وف]?ل(ل{body[2:]}){tail}"
    return pattern


def find(
    text: str, query: Query, limit: int | None = None, *, norm: str | None = None
) -> list[tuple[int, int]]:
    """Original (start, end) offsets of the matches of ``query`` in ``text``.

    A match covers the tashkeel and tatweel inside it and right after its
    last letter (as ``core.arabic.original_span`` does). ``norm`` may pass
    the text's default folded form (as the search index holds it) to save
    work; it is ignored when the query folds taa marbuta or hamza seats.
    """
    if query.pattern is None:
        return []
    options = {"taa_marbuta": query.taa_marbuta, "hamza": query.hamza}
    if norm is None or query.taa_marbuta or query.hamza:
        norm = normalize_text(text, **options)
    readings = [(norm, True)]
    if SUPERSCRIPT_ALEF in text:
        readings.append((normalize_text(text, **options, dagger_alef=False), False))
    out: set[tuple[int, int]] = set()
    for folded, dagger in readings:
        found = _matches(folded, query)
        if limit is not None:
            found = found[:limit]
        if found:
            fmap = FoldMap(text, folded, **options, dagger_alef=dagger)
            for a, b in found:
                start, end = fmap.span(a, b)
                out.add((start, extend_end(text, end)))
    hits = sorted(out)
    return hits if limit is None else hits[:limit]


def _matches(norm: str, query: Query) -> list[tuple[int, int]]:
    """Sorted (start, end) of the query's matches in folded text ``norm``."""
    found: list[tuple[int, int]] = []
    for body, prefix in query.parts:
        for m in body.finditer(norm):
            if prefix is not None:
                word_start = m.start()
                while word_start and _is_word_char(norm[word_start - 1]):
                    word_start -= 1
                if not prefix.fullmatch(norm, word_start, m.start()):
                    continue
            found.append(m.span())
    found.sort()
    return found


def _is_word_char(ch: str) -> bool:
    """What ``\\w`` matches in a ``str`` regex."""
    return ch.isalnum() or ch == "_"


#: Hamza seats a folded ء of a ``hamza`` query may stand for in the index.
_SEATS = ("ء", "و", "ي")
_MAX_SEAT_VARIANTS = 81


def fts_terms(
    word: str, *, taa_marbuta: bool = False, hamza: bool = False, first: bool = True
) -> list[str]:
    """Index tokens under which a document holding ``word`` (maybe behind clitics) is found.

    A word ``c + word`` in the text (``c`` proclitics) is indexed whole and
    with proclitics stripped; stripping it leaves ``word`` or one of the
    stages of stripping ``word`` itself. The index holds the default folding,
    so a word folded with ``taa_marbuta`` or ``hamza`` is looked up in every
    default form it may have. A short word (fewer than ``MIN_STEM`` letters)
    is never stripped in the index: as the ``first`` word of a query it is
    also looked up as written behind و and ف ("ولا", "فلا" for "لا").
    """
    forms = {word}
    if taa_marbuta and word[-1:] in (araby.TEH_MARBUTA, araby.HEH):
        forms |= {word[:-1] + araby.TEH_MARBUTA, word[:-1] + araby.HEH}
    if hamza:
        forms = {v for form in forms for v in _seat_variants(form)}
    terms: set[str] = set()
    for form in forms:
        terms.add(form)
        if first and 0 < len(form) < MIN_STEM:
            terms.update(("و" + form, "ف" + form))
        terms.add(strip_proclitics(form))
        for stage in _strip_stages(form):
            terms.add(stage)
    return sorted(t for t in terms if t)


def _seat_variants(word: str) -> list[str]:
    """``word`` with each ء read as each default-folded seat (ء و ي), a bounded number."""
    variants = [""]
    for ch in word:
        options = _SEATS if ch == "ء" and len(variants) * 3 <= _MAX_SEAT_VARIANTS else (ch,)
        variants = [v + o for v in variants for o in options]
    return variants


def _strip_stages(word: str) -> list[str]:
    """Each intermediate result of stripping proclitics stage by stage."""
    out = []
    w = word
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
        out.append(w)
    if len(w) > 3 and w[0] in "بكل":
        w = w[1:]
        out.append(w)
    return out


def fts_query(query: Query) -> str | None:
    """An FTS5 MATCH expression for the documents that may hold ``query`` (None if empty)."""
    if not query.words:
        return None
    groups = []
    options = {"taa_marbuta": query.taa_marbuta, "hamza": query.hamza}
    for i, word in enumerate(query.words):
        terms = set(fts_terms(word, **options, first=i == 0))
        if query.other_words:
            terms.update(fts_terms(query.other_words[i], **options, first=i == 0))
        groups.append("(" + " OR ".join(_quote(t) for t in sorted(terms)) + ")")
    return " AND ".join(groups)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> str:
    """The hit with up to ``context`` characters either side, on one line."""
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    piece = text[lo:hi]
    piece = " ".join(piece.split())
    return ("…" if lo > 0 else "") + piece + ("…" if hi < len(text) else "")
