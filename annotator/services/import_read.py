"""Reading input files as a stream of checked record batches.

``read_batches`` turns a file into batches of ``core.records.Record`` of at
most ``BATCH`` records. JSONL (the format of big corpora) streams: it is
read a batch of lines at a time, so a file of any size is read in bounded
memory; every other format (``import_formats``: .txt, HTML, CoNLL, Label
Studio) is read whole by its reader and handed on in batches. Every record
goes through core's readers and validators: a refused line raises
``InputError`` naming the file, its line in the whole file, and the problem.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.labels import Schema
from annotator.core.records import OffsetUnit, Record, read_jsonl
from annotator.core.span_edges import widen_records
from annotator.services.import_formats import _is_labelstudio_jsonl, format_of, read_file

#: Records per batch: memory and the length of each write transaction follow it
#: (2,000 records of 10 spans are written in about a third of a second on a busy
#: two-core machine, so an edit from another process waits that long at most).
BATCH = 2_000
#: Bytes of input per batch at most (long records make smaller batches).
BATCH_BYTES = 8 << 20


@dataclass
class Batch:
    """Checked records of one stretch of a file; ``done`` bytes of it are read so far."""

    records: list[Record]
    done: int
    cleaned: bool = False  # .txt: texts were cleaned (and carry no spans)
    first_line: int = 1  # the file's line of the batch's first line (records count from it)


@dataclass
class ReadContext:
    """What readers need, and what they report besides records."""

    schema: Schema
    layer: str | None = None
    offsets: OffsetUnit | None = None
    fmt: str | None = None  # --format, else by suffix
    label_map: dict[str, str] | None = None
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    #: span edges moved out of a grapheme cluster, and where the first was (file:line)
    widened: int = 0
    widened_at: str | None = None

    def warn(self, text: str) -> None:
        """Add a warning once."""
        if text not in self.warnings:
            self.warnings.append(text)


def read_batches(path: Path, ctx: ReadContext) -> Iterator[Batch]:
    """Checked records of ``path`` in batches (JSONL streams; other formats are read whole).

    Span edges that fall inside a grapheme cluster are moved out to its edges
    (``core.span_edges``) and counted in ``ctx``.
    """
    for batch in _read_batches(path, ctx):
        records, moved, line = widen_records(batch.records)
        if moved:
            batch.records = records
            ctx.widened += moved
            if ctx.widened_at is None:
                ctx.widened_at = f"{path}:{line + batch.first_line - 1}"
        yield batch


def _read_batches(path: Path, ctx: ReadContext) -> Iterator[Batch]:
    kind = format_of(path, ctx.fmt)
    if kind == "jsonl" and not ctx.label_map and not (ctx.fmt is None and _labelstudio(path)):
        yield from read_jsonl_batches(path, ctx)
        return
    raw = read_bytes(path)
    result, cleaned = read_file(
        path, raw, ctx.schema, ctx.fmt, layer=ctx.layer, offsets=ctx.offsets,
        label_map=ctx.label_map,
    )  # fmt: skip
    ctx.skipped += result.skipped
    for w in result.warnings:
        ctx.warn(w)
    for i in range(0, max(1, len(result.records)), BATCH):
        yield Batch(result.records[i : i + BATCH], len(raw), cleaned)


def _labelstudio(path: Path) -> bool:
    """True for a JSONL file of Label Studio tasks (read whole by its own reader)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from None
    return _is_labelstudio_jsonl(head)


def read_jsonl_batches(path: Path, ctx: ReadContext) -> Iterator[Batch]:
    """A JSONL file in batches of lines, each checked by ``core.records.read_jsonl``.

    UTF-8 files stream; a UTF-16 file (rare, BOM required) is decoded whole.
    """
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror})") from None
    with fh:
        head = fh.read(2)
        fh.seek(0)
        if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            yield from _whole_utf16(fh.read(), name, ctx)
            return
        first_line, lines, size, done, seen = 1, [], 0, 0, False
        skipped_before = ctx.skipped
        for n, line in enumerate(fh, 1):
            if n == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            lines.append(line)
            size += len(line)
            done += len(line)
            if len(lines) >= BATCH or size >= BATCH_BYTES:
                batch = _check(b"".join(lines), first_line, name, ctx)
                if batch is not None:
                    seen = True
                    yield Batch(batch, done, first_line=first_line)
                first_line, lines, size = n + 1, [], 0
        tail = b"".join(lines)
        nothing = not seen and ctx.skipped == skipped_before
        batch = _check(tail, first_line, name, ctx, last=nothing)
        if batch is not None:
            seen = True
            yield Batch(batch, done, first_line=first_line)
        if not seen and ctx.skipped == skipped_before:
            raise InputError(name, "the file holds no records")


def _whole_utf16(raw: bytes, name: str, ctx: ReadContext) -> Iterator[Batch]:
    result = read_jsonl(raw, name, ctx.schema, layer=ctx.layer, offsets=ctx.offsets)
    ctx.skipped += result.skipped
    for w in result.warnings:
        ctx.warn(w)
    for i in range(0, len(result.records), BATCH):
        yield Batch(result.records[i : i + BATCH], len(raw))


def _check(
    chunk: bytes, first_line: int, name: str, ctx: ReadContext, *, last: bool = False
) -> list[Record] | None:
    """Records of the lines in ``chunk`` (None for blank lines only, unless ``last``).

    Lines are numbered in the whole file: an error's line is shifted by the
    lines before this chunk.
    """
    if not chunk.strip() and not last:
        return None
    try:
        result = read_jsonl(chunk, name, ctx.schema, layer=ctx.layer, offsets=ctx.offsets)
    except InputError as exc:
        if exc.line is None or first_line == 1:
            raise
        raise InputError(exc.path, exc.problem, exc.line + first_line - 1) from None
    ctx.skipped += result.skipped
    for w in result.warnings:
        ctx.warn(w)
    return result.records if result.records else None


def read_bytes(path: Path) -> bytes:
    """The file's bytes; InputError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from None


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of the file's bytes, read in blocks."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from None
    return h.hexdigest()
