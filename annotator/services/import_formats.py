"""Which reader takes an input file: by ``--format``, else by suffix (and a look inside).

``read_file`` turns one file's bytes into checked records (``ReadResult``)
with the reader of its format; ``collect_files`` finds the files a folder
holds for a format. A ``.txt`` file shaped like CoNLL (``token TAG`` lines)
is refused with a hint, since importing it as an article would store the
tags as text; ``--format conll`` reads it as CoNLL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.labels import Schema
from annotator.core.readers import LabelMap, parse_label_map
from annotator.core.readers.conll import looks_like_conll, read_conll
from annotator.core.readers.html import read_html
from annotator.core.readers.labelstudio import read_labelstudio
from annotator.core.records import OffsetUnit, ReadResult, Record, read_jsonl
from annotator.core.text import clean, decode, load_patterns, title_of

__all__ = ["IMPORT_FORMATS", "collect_files", "parse_label_map", "read_file"]

IMPORT_FORMATS: tuple[str, ...] = ("txt", "jsonl", "html", "conll", "labelstudio")
SUFFIXES: dict[str, frozenset[str]] = {
    "txt": frozenset({".txt"}),
    "jsonl": frozenset({".jsonl", ".ndjson"}),
    "html": frozenset({".html", ".htm"}),
    "conll": frozenset({".conll", ".iob", ".bio"}),
    "labelstudio": frozenset({".json"}),
}
#: suffixes a folder is searched for without --format (.json is left out: exports put a
#: manifest.json beside their files; name a Label Studio .json file, or give --format)
FOLDER_SUFFIXES = SUFFIXES["txt"] | SUFFIXES["jsonl"] | SUFFIXES["html"] | SUFFIXES["conll"]


def format_of(path: Path, fmt: str | None) -> str:
    """The format of ``path``: ``fmt`` if given, else by suffix; InputError for an unknown one."""
    if fmt is not None:
        return fmt
    suffix = path.suffix.lower()
    for name, suffixes in SUFFIXES.items():
        if suffix in suffixes:
            return name
    known = " ".join(sorted(s for v in SUFFIXES.values() for s in v))
    raise InputError(str(path), f"unknown file type (expected one of {known}, or give --format)")


def collect_files(paths: Iterable[str | Path], fmt: str | None = None) -> list[Path]:
    """Files as given, folders searched recursively for the files of ``fmt`` (or any known)."""
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise InputError(fmt, f"unknown format (use {', '.join(IMPORT_FORMATS)})")
    wanted = (
        FOLDER_SUFFIXES if fmt is None else SUFFIXES[fmt] | ({".txt"} if fmt == "conll" else set())
    )
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = (f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in wanted)
            out.extend(sorted(f for f in found if not _page_asset(f, p)))
        elif p.is_file():
            format_of(p, fmt)
            out.append(p)
        else:
            raise InputError(str(p), "no such file or folder")
    return out


def _page_asset(path: Path, root: Path) -> bool:
    """True inside the ``NAME_files`` folder a browser saves beside ``NAME.html``.

    "Save page, complete" puts the page's frames (ads, share widgets) there as
    ``.html`` files of their own; they are not articles.
    """
    for folder in path.relative_to(root).parents:
        name = folder.name
        if name.endswith("_files"):
            stem = name[: -len("_files")]
            parent = root / folder.parent
            if any((parent / f"{stem}{suffix}").is_file() for suffix in (".html", ".htm")):
                return True
    return False


class _Patterns:
    """The boilerplate patterns, read on first use."""

    value: list | None = None

    @classmethod
    def get(cls) -> list:
        if cls.value is None:
            cls.value = load_patterns()
        return cls.value


def _is_labelstudio_jsonl(raw: bytes) -> bool:
    for line in raw.split(b"\n", 50)[:50]:
        if line.strip():
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):
                return False
            return isinstance(obj, dict) and isinstance(obj.get("data"), dict)
    return False


def read_file(
    path: Path,
    raw: bytes,
    schema: Schema,
    fmt: str | None,
    *,
    layer: str | None,
    offsets: OffsetUnit | None,
    on_progress: Callable[[float], object] | None = None,
    label_map: LabelMap | None = None,
) -> tuple[ReadResult, bool]:
    """Checked records of one file and whether its text was cleaned (plain-text articles).

    ``label_map`` renames CoNLL and Label Studio labels (UserError for other formats).
    """
    name = str(path)
    kind = format_of(path, fmt)
    if kind == "jsonl" and fmt is None and _is_labelstudio_jsonl(raw):
        kind = "labelstudio"
    if kind == "txt":
        text = decode(raw, name)
        if looks_like_conll(text):
            raise InputError(
                name,
                "looks like a CoNLL/IOB file (token TAG per line); import it with --format conll, "
                "or name it .conll",
            )
        text = clean(text, _Patterns.get())
        if not text:
            raise InputError(name, "no text left after removing site boilerplate")
        rec = Record(1, text, None, (), (), {"title": title_of(text), "source": path.name})
        return ReadResult([rec]), True
    if kind == "html":
        return read_html(raw, name), True
    if kind == "conll":
        return read_conll(raw, name, schema, layer=layer, label_map=label_map), False
    if kind == "labelstudio":
        result = read_labelstudio(
            raw, name, schema, layer=layer, offsets=offsets, label_map=label_map
        )
        return result, False
    if label_map:
        raise InputError(name, "--map applies to CoNLL and Label Studio files")
    result = read_jsonl(raw, name, schema, layer=layer, offsets=offsets, on_progress=on_progress)
    return result, False
