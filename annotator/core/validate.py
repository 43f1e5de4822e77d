"""Checks for strings and JSON that come from outside (files, merge sources).

Policy, shared by every importer and by merge:

- **Document text** may hold any Unicode character except lone surrogates
  (U+D800-U+DFFF, which cannot be stored as UTF-8) and control characters.
  The controls allowed are tab, line feed, carriage return and form feed
  (U+0009, U+000A, U+000D, U+000C), as in plain-text files; NUL, the other
  C0 controls, DEL and the C1 controls (U+0080-U+009F) are refused.
- **Titles** are shown in one line: every control character (newlines and
  tabs included) becomes a space; lone surrogates are refused.
- **Layer (annotator) names** are trimmed, at most ``MAX_NAME`` characters,
  hold no control or invisible format characters, and are distinct from
  ``gold`` ignoring case and compatibility forms (``GOLD``, ``ｇｏｌｄ``).
  A name whose letters mix a script of look-alike letters (Cyrillic, Greek,
  Armenian, Cherokee) with another script is refused: Cyrillic ``о`` in
  "gоld" or Greek ``ο`` in "ali-ο" would make a second layer that reads as
  the first. One script (Arabic, Latin, Cyrillic …) is fine, and so is Latin
  with Arabic ("sara-سارة"); digits and punctuation belong to no script.
- **JSON lines**: numbers with more than 4300 digits, ``NaN``/``Infinity``
  and nesting deeper than Python's recursion limit are refused with one line.
"""

from __future__ import annotations

import json
import re
import unicodedata

import regex

from annotator.core.model import GOLD

MAX_NAME = 64

_TEXT_BAD = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TITLE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_NAME_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def describe_char(ch: str) -> str:
    """``NUL``, ``lone surrogate U+D800`` or ``control character U+0007``."""
    code = ord(ch)
    if code == 0:
        return "NUL character"
    if 0xD800 <= code <= 0xDFFF:
        return f"lone surrogate U+{code:04X}"
    return f"control character U+{code:04X}"


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be a document text (see the policy above), or None."""
    bad = _TEXT_BAD.search(text)
    if bad is None:
        return None
    return f"{describe_char(bad.group())} at offset {bad.start()}"


def clean_title(title: str) -> str:
    """A one-line title: control characters become spaces; ValueError for surrogates."""
    bad = _SURROGATE.search(title)
    if bad:
        raise ValueError(describe_char(bad.group()))
    return _TITLE_CONTROL.sub(" ", title).strip()


def layer_name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a curator's layer name, or None.

    ``gold`` itself is not a curator's name either; callers that accept the
    gold layer test for ``name == GOLD`` first.
    """
    if not isinstance(name, str):
        return f"a layer name must be a string, got {type(name).__name__}"
    if name != name.strip():
        return f"layer name {short(name)!r} has surrounding spaces"
    if not name:
        return "the layer name is empty"
    if len(name) > MAX_NAME:
        return f"layer name is {len(name)} characters long (at most {MAX_NAME})"
    for ch in name:
        if unicodedata.category(ch) in _NAME_BAD_CATEGORIES:
            return f"layer name {short(name)!r} holds {describe_char(ch)}"
    if is_gold_like(name):
        return f"{name!r} is reserved (the gold layer is written by reviewers)"
    return mixed_script_problem(name)


#: Scripts whose letters look like Latin ones (UTS #39 keeps them apart from Latin).
LOOKALIKE_SCRIPTS = ("Cyrillic", "Greek", "Armenian", "Cherokee")
_SCRIPT_OF = regex.compile(
    "|".join(rf"(?P<{s}>\p{{Script={s}}})" for s in ("Latin", "Arabic", *LOOKALIKE_SCRIPTS))
    + r"|(?P<another_script>\p{L})"
)


def mixed_script_problem(name: str) -> str | None:
    """Why ``name`` mixes look-alike letters of two scripts (``gоld``, Cyrillic о), or None."""
    first: dict[str, str] = {}  # script -> its first letter in the name
    for m in _SCRIPT_OF.finditer(name):
        first.setdefault(str(m.lastgroup).replace("_", " "), m.group())
    lookalike = [s for s in LOOKALIKE_SCRIPTS if s in first]
    if len(first) < 2 or not lookalike:
        return None
    script = lookalike[0]
    ch = first[script]
    others = " and ".join(s for s in first if s != script)
    return (
        f"layer name {short(name)!r} mixes {script} letters ({ch!r} U+{ord(ch):04X}) with "
        f"{others} ones: look-alike letters from two scripts are refused"
    )


def is_gold_like(name: str) -> bool:
    """True for ``gold`` in any case or compatibility form (``GOLD``, ``ｇｏｌｄ``)."""
    return unicodedata.normalize("NFKC", name).casefold().strip() == GOLD


def check_layer(name: object) -> str | None:
    """Like ``layer_name_problem`` but ``gold`` itself is a valid layer."""
    return None if name == GOLD else layer_name_problem(name)


def short(value: object, limit: int = 40) -> str:
    """``value`` as text, cut to ``limit`` characters (for messages)."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # an int too long to print
        return f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def parse_json(line: str) -> object:
    """``json.loads`` that raises ValueError with a one-line reason for every bad line."""
    try:
        return _DECODER.decode(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        reason = str(exc).split("\n")[0].split(";")[0]
        raise ValueError(f"not valid JSON ({reason})") from None


def find_surrogate(value: object) -> str | None:
    """The first lone surrogate in any string (key or value) of parsed JSON, described."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            bad = _SURROGATE.search(item)
            if bad:
                return describe_char(bad.group())
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def needs_check(line: str) -> bool:
    """False when the strings of a JSON line certainly hold no refused character.

    The file was decoded as strict UTF-8 (no surrogates) and refused if it
    holds raw controls (``core.text.decode``), so a refused character can
    only come from a ``\\u`` escape.
    """
    return "\\u" in line
