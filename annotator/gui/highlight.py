"""Span drawing: a per-block index of spans and the character formats they give.

Spans live in a ``SpanIndex`` keyed by text block, so adding or removing a
span re-formats only the blocks it covers, whatever the number of spans in
the document. Formats go over the unchanged text (never a character added):
entities as coloured backgrounds, claims as a coloured underline; sources
get a frame drawn by the view (``ArticleView.paintEvent``) from the same
index.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import pairwise

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.core.model import Span
from annotator.core.offsets import OffsetIndex

#: Character format property naming the label drawn there (for tests and tooltips).
LABELS_PROPERTY = 0x100000 + 1


class SpanIndex:
    """The spans of one document, found by text block and by id.

    Positions kept here are UTF-16 document positions, converted once from
    code points with the document's ``OffsetIndex``.
    """

    def __init__(self, text: str, block_starts: list[int], kinds: dict[str, str]) -> None:
        self.offsets = OffsetIndex(text)
        self.block_starts = block_starts
        self.kinds = kinds  # label name -> kind
        self.spans: dict[str, Span] = {}
        self.u16: dict[str, tuple[int, int]] = {}
        self.by_block: dict[int, dict[str, Span]] = {}

    def blocks_of(self, span_id: str) -> range:
        """Block numbers the span covers."""
        s16, e16 = self.u16[span_id]
        first = bisect_right(self.block_starts, s16) - 1
        last = bisect_right(self.block_starts, max(s16, e16 - 1)) - 1
        return range(max(first, 0), last + 1)

    def add(self, span: Span) -> range:
        """Index a span; return the blocks to re-draw."""
        self.spans[span.id] = span
        self.u16[span.id] = (self.offsets.to_utf16(span.start), self.offsets.to_utf16(span.end))
        blocks = self.blocks_of(span.id)
        for b in blocks:
            self.by_block.setdefault(b, {})[span.id] = span
        return blocks

    def load(self, spans: Iterable[Span]) -> None:
        """Index many spans at once (opening a document)."""
        to16 = self.offsets.to_utf16
        starts = self.block_starts
        by_block = self.by_block
        for span in spans:
            sid = span.id
            s16, e16 = to16(span.start), to16(span.end)
            self.spans[sid] = span
            self.u16[sid] = (s16, e16)
            first = bisect_right(starts, s16) - 1
            last = bisect_right(starts, e16 - 1) - 1
            for b in range(max(first, 0), last + 1):
                block = by_block.get(b)
                if block is None:
                    by_block[b] = {sid: span}
                else:
                    block[sid] = span

    def remove(self, span_id: str) -> range:
        """Forget a span; return the blocks to re-draw."""
        if span_id not in self.spans:
            return range(0)
        blocks = self.blocks_of(span_id)
        for b in blocks:
            self.by_block.get(b, {}).pop(span_id, None)
        del self.spans[span_id]
        del self.u16[span_id]
        return blocks

    def in_block(self, block: int) -> Iterable[Span]:
        """Spans touching one block."""
        return self.by_block.get(block, {}).values()

    def at(self, cp: int) -> list[Span]:
        """Spans covering code point ``cp``, shortest first."""
        u16 = self.offsets.to_utf16(cp)
        block = max(bisect_right(self.block_starts, u16) - 1, 0)
        found = [s for s in self.in_block(block) if self.u16[s.id][0] <= u16 < self.u16[s.id][1]]
        return sorted(found, key=lambda s: (s.end - s.start, s.start))


class SpanHighlighter(QSyntaxHighlighter):
    """Formats each block from the spans the index holds for it.

    Only blocks in ``ready`` (those the view has shown) are formatted, so
    opening an article costs the visible blocks, not all of its spans.
    """

    def __init__(self, document: QTextDocument | None, colors: dict[str, str]) -> None:
        super().__init__(document)
        self.index: SpanIndex | None = None
        self.colors = colors
        self.ready: set[int] = set()
        self._formats: dict[tuple, QTextCharFormat] = {}

    def highlightBlock(self, text: str) -> None:
        """Qt calls this per block: apply the formats of the spans in it."""
        if self.index is None:
            return
        block = self.currentBlock()
        number = block.blockNumber()
        if number not in self.ready:
            return
        spans = self.index.by_block.get(number)
        if not spans:
            return
        base, length = block.position(), block.length()
        u16 = self.index.u16
        ranges = []
        cuts = {0, length}
        for span in spans.values():
            s16, e16 = u16[span.id]
            a, b = max(s16 - base, 0), min(e16 - base, length)
            if a < b:
                ranges.append((a, b, span))
                cuts.update((a, b))
        edges = sorted(cuts)
        for a, b in pairwise(edges):
            covering = [s for (x, y, s) in ranges if x <= a and b <= y]
            if covering:
                self.setFormat(a, b - a, self.format_for(covering))

    def format_for(self, spans: list[Span]) -> QTextCharFormat:
        """The format of text covered by ``spans``: innermost entity colour, claim underline."""
        kinds = self.index.kinds
        entities = [s for s in spans if kinds.get(s.label) == "entity"]
        claims = [s for s in spans if kinds.get(s.label) == "claim"]
        inner = min(entities, key=lambda s: s.end - s.start).label if entities else None
        claim = claims[0].label if claims else None
        names = ",".join(sorted({s.label for s in spans}))
        key = (inner, claim, names)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            if inner:
                fmt.setBackground(QColor(self.colors.get(inner, "#cccccc")))
            if claim:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(self.colors.get(claim, "#e63946")))
                fmt.setFontUnderline(True)
            fmt.setProperty(LABELS_PROPERTY, names)
            self._formats[key] = fmt
        return fmt
