"""Decoding and cleaning of plain-text article files, done once at import.

``decode`` turns raw bytes into text or raises ``InputError`` naming the
problem and line; ``clean`` produces the text that is stored: NFC, ``\\n``
line endings, boilerplate lines removed, spaces and tabs at line ends and
blank lines, spaces and tabs around the text removed. Nothing else is
stripped: a no-break space or a bidi mark at a line end stays.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.resources import resource_path

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # C1 too: see core.validate
_VISIBLE = re.compile(r"\S")


def decode(raw: bytes, path: str) -> str:
    """Decode file bytes: UTF-8 (BOM optional) or UTF-16 with a BOM.

    Raises InputError for empty or blank files, invalid UTF-8, NUL bytes or
    other binary control characters.
    """
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-16 ({exc.reason})") from None
    else:
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise InputError(
                path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start})", line
            ) from None
    if not _VISIBLE.search(text):
        raise InputError(path, "the file is empty" if not text else "the file is blank")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        what = (
            "NUL byte" if bad.group() == "\x00" else f"control character U+{ord(bad.group()):04X}"
        )
        raise InputError(path, f"binary content: {what}", line)
    return text


def load_patterns(path: Path | None = None) -> list[re.Pattern[str]]:
    """Compile the boilerplate patterns file (one regex per line)."""
    path = path or resource_path("boilerplate.txt")
    patterns = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            patterns.append(re.compile(line))
        except re.error as exc:
            raise InputError(str(path), f"bad pattern ({exc})", n) from None
    return patterns


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: What ``clean`` strips at line ends and around the text: ASCII spaces and tabs.
_STRIPPED = " \t"


def clean(text: str, patterns: list[re.Pattern[str]]) -> str:
    """The stored form of an article: NFC, LF, no boilerplate lines, trimmed.

    Spaces and tabs at line ends go, and blank lines (spaces and tabs only)
    around the text; runs of blank lines left by removed lines collapse to
    one blank line. Other whitespace (a no-break space U+00A0) is kept.
    """
    text = unicodedata.normalize("NFC", normalize_newlines(text))
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and any(p.fullmatch(stripped) for p in patterns):
            continue
        line = line.rstrip(_STRIPPED)
        if not line and kept and not kept[-1]:
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n" + _STRIPPED)


def title_of(text: str, limit: int = 120) -> str:
    """A document title: its first non-blank line, cut at ``limit`` characters."""
    for line in text.split("\n"):
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""
