"""Saved news pages (``.html``/``.htm``): the article's main text and metadata, offline.

``trafilatura.bare_extraction`` finds the main text (navigation, comments,
related links, sidebars and footers left out) and the page's metadata
(``<meta>``, Open Graph, JSON-LD). Nothing is ever fetched: the page's bytes
go in, no URL is given, and only the parsed tree is read. Settings favour
precision and determinism: ``favor_precision``, ``fast`` (no fallback
extractors, which would take a menu for the article when there is none),
no comments, images, links or deduplication, and dates from the page's markup only (no guessing from
the running text; the "today" limit fixed, so the same file always gives
the same record).

The stored text is NFC with one blank line between paragraphs and single
spaces (trafilatura already reads ``&nbsp;`` as a space); the headline
is its first paragraph (added when the extracted body lacks it), as in the
``.txt`` articles. ``meta`` gets ``title``, ``source`` (the file name) and,
when the page has them, ``url``, ``author``, ``date`` (YYYY-MM-DD), ``site``
(the site's name), ``hostname``, ``description``, ``categories`` and
``tags``. A page saved by a browser that names its address only in a
``saved from url=`` or SingleFile comment gets that ``url``.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from annotator.core.errors import InputError
from annotator.core.records import ReadResult, Record
from annotator.core.text import normalize_newlines

# Runs of ASCII spaces and tabs become one space; control characters (which
# core.validate refuses in a text) are dropped from what the page's markup gave.
_SPACES = re.compile(r"[ \t\f\v]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": "2100-12-31"}
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_SINGLEFILE = re.compile(rb"<!--[^>]*?Page saved with SingleFile\s+url:\s*(\S+)", re.DOTALL)
_FIELDS = (
    ("url", "url"),
    ("author", "author"),
    ("date", "date"),
    ("sitename", "site"),
    ("hostname", "hostname"),
    ("description", "description"),
    ("categories", "categories"),
    ("tags", "tags"),
)


def _quiet() -> None:
    """trafilatura and htmldate log through ``logging``; keep their notes off stderr."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


def _clean(value: object) -> object:
    if isinstance(value, str):
        return " ".join(_CONTROLS.sub("", unicodedata.normalize("NFC", value)).split())
    if isinstance(value, list):
        return [v for v in (_clean(x) for x in value) if v]
    return value


def _comment_url(raw: bytes) -> str | None:
    head = raw[:4096]
    m = _SAVED_FROM.search(head) or _SINGLEFILE.search(head)
    if m is None:
        return None
    url = m.group(1).decode("utf-8", "replace")
    return url if url.startswith(("http://", "https://")) else None


def read_html(raw: bytes, path: str) -> ReadResult:
    """The article of one saved page as a record without spans; InputError if none is found."""
    from trafilatura import bare_extraction  # imported here: it takes a while to load

    _quiet()
    if not raw.strip():
        raise InputError(path, "the file is empty")
    try:
        doc = bare_extraction(
            raw,
            url=None,
            with_metadata=True,
            include_comments=False,
            favor_precision=True,
            fast=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as exc:  # a parser failure on hostile input is a refused file
        raise InputError(path, f"cannot read the page ({type(exc).__name__})") from None
    body = normalize_newlines(getattr(doc, "text", None) or "")
    body = _CONTROLS.sub("", unicodedata.normalize("NFC", body))
    paragraphs = [_SPACES.sub(" ", p).strip(" ") for p in body.split("\n") if p.strip()]
    if not paragraphs:
        raise InputError(path, "no article text found in the page")
    title = _clean(doc.title or "")
    if title and paragraphs[0] != title:
        paragraphs.insert(0, title)
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    meta: dict = {"title": title or paragraphs[0][:120], "source": name}
    for attr, key in _FIELDS:
        value = _clean(getattr(doc, attr, None))
        if value:
            meta[key] = value
    if "url" not in meta:
        url = _comment_url(raw)
        if url:
            meta["url"] = url
    return ReadResult([Record(1, "\n\n".join(paragraphs), None, (), (), meta)])
