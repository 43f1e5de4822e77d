"""Attribution cues: SOURCE and CLAIM suggestions from editable patterns.

The cue file (``resources/cues.txt``) holds one ``kind pattern`` per line;
see the comments at its top. Everything runs on the normalised text and is
mapped back to original offsets, so cues match with or without tashkeel and
hamza. ``load_cues`` refuses a malformed file with its path, line and problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.arabic import normalize, normalize_text, original_span
from annotator.core.errors import InputError
from annotator.core.resources import resource_path
from annotator.core.suggest import Suggestion

KINDS = ("source", "speech", "that", "stop")
MAX_SOURCE_WORDS = 6
MAX_SPEECH_WORDS = 12  # words between the verb and the reported speech
MIN_QUOTE_WORDS = 3  # a shorter quotation is a name ("تويتر"), not speech

_WORD = re.compile(r"\w+")
_BLANK = re.compile(r"[ \t\u00a0]*")
_SENTENCE_END = re.compile(r"[.!?؟](?=\s|$)|\n|$")
_COMMA = ",،;؛:"
_QUOTES = {"“": "”", "«": "»", '"': '"', "„": "“"}


@dataclass(frozen=True, slots=True)
class Cue:
    """One source or speech cue: its compiled pattern and where it was written."""

    kind: str
    pattern: re.Pattern[str]
    source: str
    line: int


@dataclass(frozen=True, slots=True)
class CueSet:
    """A loaded cue file."""

    sources: tuple[Cue, ...]
    speech: tuple[Cue, ...]
    that: re.Pattern[str]
    stop: re.Pattern[str]


def _normalise_pattern(pattern: str) -> str:
    """Normalise the Arabic of a regex, leaving its ASCII syntax (``\\S``, ``\\W``) alone.

    A space matches any run of spaces (news text is full of no-break spaces).
    """
    pattern = re.sub(r"[^\x00-\x7f]+", lambda m: normalize_text(m.group()), pattern)
    return re.sub(r" +", r"[ \\t\\u00a0]+", pattern)


def load_cues(path: Path | None = None) -> CueSet:
    """Read and compile a cue file (default: the bundled one).

    Raises InputError naming the file, the line and the problem for an
    unknown kind, a missing or invalid pattern, or one that matches nothing.
    """
    path = path or resource_path("cues.txt")
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read cue file ({exc})") from None
    found: dict[str, list[tuple[str, int]]] = {k: [] for k in KINDS}
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, pattern = [*line.split(maxsplit=1), ""][:2]
        pattern = pattern.strip()
        if kind not in KINDS:
            raise InputError(str(path), f"unknown cue kind {kind!r} (use {', '.join(KINDS)})", n)
        if not pattern:
            raise InputError(str(path), f"{kind} cue without a pattern", n)
        norm = _normalise_pattern(pattern)
        try:
            compiled = re.compile(norm)
        except re.error as exc:
            raise InputError(str(path), f"bad pattern ({exc})", n) from None
        if compiled.fullmatch(""):
            raise InputError(str(path), "pattern matches empty text", n)
        found[kind].append((norm, n))
    for kind in ("that", "stop"):
        if not found[kind]:
            found[kind].append((r"(?!x)x", 0))  # matches nothing
    return CueSet(
        sources=tuple(
            Cue("source", re.compile(rf"(?<!\w)[وف]?(?:{p})"), p, n) for p, n in found["source"]
        ),
        speech=tuple(
            Cue("speech", re.compile(rf"(?<!\w)[وف]?(?:{p})(?!\w)"), p, n)
            for p, n in found["speech"]
        ),
        that=re.compile("|".join(f"(?:{p})" for p, _ in found["that"])),
        stop=re.compile("(?:" + "|".join(f"(?:{p})" for p, _ in found["stop"]) + r")(?!\w)"),
    )


def cue_suggestions(doc_id: str, text: str, cues: CueSet) -> list[Suggestion]:
    """SOURCE and CLAIM suggestions (with their links) from the cues found in ``text``."""
    norm, offset_map = normalize(text)
    found: list[tuple[tuple[int, int], tuple[int, int] | None, str]] = []
    claims: list[tuple[int, int]] = []
    for verb in _matches(norm, cues.speech):
        if any(s <= verb.start() < e for s, e in claims):
            continue  # a verb inside reported speech reports nothing new
        src_claim = _reported_speech(norm, verb.end(), cues)
        if src_claim:
            claims.append(src_claim[1])
            verb_text = _original(text, offset_map, verb.start(), verb.end())
            found.append((src_claim[0], src_claim[1], f"reported speech «{verb_text}»"))
    for cue_match in _matches(norm, cues.sources):
        end = cue_match.end()
        if end < len(norm) and _inside_word(norm, end) and norm[end - 1] not in "لبك":
            continue
        src = _source_phrase(norm, end, cues)
        if src:
            claim = _claim_after(norm, cue_match.start(), src[1], cues) or _claim_before(
                norm, cue_match.start(), src[1], cues
            )
            cue_end = _WORD.match(norm, src[0]).end() if _inside_word(norm, end) else end
            cue_text = _original(text, offset_map, cue_match.start(), cue_end)
            found.append((src, claim, f"cue «{cue_text.strip()}»"))
    return _to_suggestions(doc_id, text, offset_map, found)


def _original(text: str, offset_map: list[int], start: int, end: int) -> str:
    """The original text of the normalised slice [start, end)."""
    a, b = original_span(text, offset_map, start, end)
    return text[a:b]


def _matches(norm: str, cues: tuple[Cue, ...]) -> list[re.Match[str]]:
    """Cue matches in file order; a match overlapping an earlier one is dropped."""
    taken: list[tuple[int, int]] = []
    out = []
    for cue in cues:
        for m in cue.pattern.finditer(norm):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            out.append(m)
    return out


def _inside_word(norm: str, pos: int) -> bool:
    return pos > 0 and norm[pos - 1].isalnum() and norm[pos].isalnum()


def _source_phrase(norm: str, pos: int, cues: CueSet) -> tuple[int, int] | None:
    """(start, end) of the name after a cue: words up to punctuation, a stop word or the limit."""
    words: list[tuple[int, int]] = []
    i = _BLANK.match(norm, pos).end()
    while len(words) < MAX_SOURCE_WORDS:
        m = _WORD.match(norm, i)
        if not m or cues.stop.match(norm, m.start()) or cues.that.fullmatch(m.group()):
            break
        words.append(m.span())
        i = _BLANK.match(norm, m.end()).end()
        if i == m.end():
            break  # punctuation or a line end right after the word
    return (words[0][0], words[-1][1]) if words else None


def _reported_speech(
    norm: str, pos: int, cues: CueSet
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(source, claim) after a reporting verb ending at ``pos``, or None."""
    sentence_end = _SENTENCE_END.search(norm, pos).start()
    source: list[tuple[int, int]] = []
    collecting = True
    i = pos
    for _ in range(3 * MAX_SPEECH_WORDS):
        i = _BLANK.match(norm, i).end()
        if i >= sentence_end:
            return None
        ch = norm[i]
        if ch in _QUOTES:
            close = norm.find(_QUOTES[ch], i + 1)
            if close < 0 or "\n" in norm[i:close]:
                return None
            if len(_WORD.findall(norm, i + 1, close)) >= MIN_QUOTE_WORDS:
                return (_span_of(source), (i + 1, close)) if source else None
            if collecting and source:
                source.append((i, close + 1))  # a short quotation inside a name
            i = close + 1
            continue
        m = _WORD.match(norm, i)
        if not m:
            collecting = collecting and ch not in _COMMA
            i += 1
            continue
        if cues.that.fullmatch(m.group()):
            if not source:
                return None
            return _span_of(source), (m.start(), _claim_end(norm, m.start(), cues))
        if collecting and cues.stop.match(norm, m.start()):
            collecting = False
        if collecting:
            if len(source) >= MAX_SPEECH_WORDS:
                return None
            source.append(m.span())
        i = m.end()
    return None


def _span_of(parts: list[tuple[int, int]]) -> tuple[int, int]:
    return parts[0][0], parts[-1][1]


def _claim_end(norm: str, start: int, cues: CueSet) -> int:
    """End of reported speech starting at ``start``: the sentence end, or a source cue."""
    end = _SENTENCE_END.search(norm, start).start()
    for cue in cues.sources:
        m = cue.pattern.search(norm, start, end)
        if m:
            end = min(end, m.start())
    return _trim_end(norm, start, end)


def _trim_end(norm: str, start: int, end: int) -> int:
    while end > start and (norm[end - 1].isspace() or norm[end - 1] in _COMMA):
        end -= 1
    return end


def _sentence_start(norm: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (after blanks and a lone و)."""
    start = max(norm.rfind(ch, 0, pos) for ch in ".!?؟\n") + 1
    start = _BLANK.match(norm, start).end()
    while norm.startswith("و ", start):  # a lone conjunction opens the sentence
        start = _BLANK.match(norm, start + 2).end()
    return start


def _claim_after(
    norm: str, cue_start: int, source_end: int, cues: CueSet
) -> tuple[int, int] | None:
    """The claim after a source: "… أن …", or the rest of a sentence opened by the cue."""
    i = _BLANK.match(norm, source_end).end()
    comma = i < len(norm) and norm[i] in _COMMA
    if comma:
        i = _BLANK.match(norm, i + 1).end()
    m = _WORD.match(norm, i)
    if m and cues.that.fullmatch(m.group()):
        return (m.start(), _claim_end(norm, m.start(), cues))
    if comma and m and _sentence_start(norm, cue_start) == cue_start:
        end = _claim_end(norm, m.start(), cues)
        return (m.start(), end) if end > m.start() else None
    return None


def _claim_before(
    norm: str, cue_start: int, source_end: int, cues: CueSet
) -> tuple[int, int] | None:
    """The claim a sentence-final cue attributes: from the sentence start to the comma."""
    before = _trim_end(norm, 0, cue_start)
    if before == cue_start or norm[before:cue_start].strip() not in _COMMA:
        return None
    rest = _BLANK.match(norm, source_end).end()
    if rest < len(norm) and norm[rest] not in ".!?؟\n":
        return None
    start = _sentence_start(norm, before)
    for k, m in enumerate(_WORD.finditer(norm, start, before)):
        if k >= 4:
            break
        if cues.that.fullmatch(m.group()):
            start = m.start()
            break
    return (start, before) if start < before else None


def _to_suggestions(
    doc_id: str,
    text: str,
    offset_map: list[int],
    found: list[tuple[tuple[int, int], tuple[int, int] | None, str]],
) -> list[Suggestion]:
    """Map (source, claim, reason) triples to suggestions; overlaps of one kind keep the first."""
    out: list[Suggestion] = []
    taken: dict[str, list[tuple[int, int]]] = {"SOURCE": [], "CLAIM": []}

    def free(label: str, span: tuple[int, int]) -> bool:
        return not any(span[0] < e and s < span[1] for s, e in taken[label])

    for src_n, claim_n, reason in found:
        src = original_span(text, offset_map, *src_n)
        if not free("SOURCE", src):
            continue
        claim = original_span(text, offset_map, *claim_n) if claim_n else None
        if claim and not free("CLAIM", claim):
            claim = None
        taken["SOURCE"].append(src)
        out.append(Suggestion(doc_id, *src, "SOURCE", reason, text[src[0] : src[1]], link=claim))
        if claim:
            taken["CLAIM"].append(claim)
            out.append(
                Suggestion(doc_id, *claim, "CLAIM", reason, text[claim[0] : claim[1]], link=src)
            )
    return out
