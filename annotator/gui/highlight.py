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

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.core.model import Span
from annotator.gui.positions import Positions

#: Character format property naming the label drawn there (for tests and tooltips).
LABELS_PROPERTY = 0x100000 + 1


class SpanIndex:
    """The spans of one document, found by text block and by id.

    Spans are filed by block with code-point block starts (converted once from
    the document's Qt block positions); a span's Qt range (``pos16``) is
    converted through the view's ``Positions`` the first time a drawn block
    needs it, so opening a document converts only what is on screen.
    """

    def __init__(
        self, positions: Positions, block_starts: list[int], kinds: dict[str, str]
    ) -> None:
        """``block_starts``: Qt positions of the document's blocks, in order."""
        self.positions = positions
        self.block_starts = block_starts
        to_cp = positions.to_cp
        self.cp_starts = [to_cp(p) for p in block_starts]
        self.kinds = kinds  # label name -> kind
        self.spans: dict[str, Span] = {}
        self._u16: dict[str, tuple[int, int]] = {}
        self.by_block: dict[int, dict[str, Span]] = {}

    def pos16(self, span: Span) -> tuple[int, int]:
        """The span's (start, end) as Qt document positions."""
        got = self._u16.get(span.id)
        if got is None:
            got = self._u16[span.id] = self.positions.range16(span.start, span.end)
        return got

    def _blocks(self, span: Span) -> range:
        starts = self.cp_starts
        first = bisect_right(starts, span.start) - 1
        last = bisect_right(starts, max(span.start, span.end - 1)) - 1
        return range(max(first, 0), last + 1)

    def blocks_of(self, span_id: str) -> range:
        """Block numbers the span covers."""
        return self._blocks(self.spans[span_id])

    def add(self, span: Span) -> range:
        """Index a span; return the blocks to re-draw."""
        self.spans[span.id] = span
        self._u16.pop(span.id, None)
        blocks = self._blocks(span)
        for b in blocks:
            self.by_block.setdefault(b, {})[span.id] = span
        return blocks

    def load(self, spans: Iterable[Span]) -> None:
        """Index many spans at once (opening a document)."""
        starts = self.cp_starts
        n_blocks = len(starts)
        by_block = self.by_block
        all_spans = self.spans
        for span in spans:
            sid, start, end = span.id, span.start, span.end
            all_spans[sid] = span
            first = bisect_right(starts, start) - 1
            if first + 1 < n_blocks and end > starts[first + 1]:  # spans several blocks
                blocks = range(max(first, 0), bisect_right(starts, end - 1))
            else:
                blocks = (max(first, 0),)
            for b in blocks:
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
        self._u16.pop(span_id, None)
        return blocks

    def in_block(self, block: int) -> Iterable[Span]:
        """Spans touching one block."""
        return self.by_block.get(block, {}).values()

    def at(self, cp: int) -> list[Span]:
        """Spans covering code point ``cp``, shortest first."""
        block = max(bisect_right(self.cp_starts, cp) - 1, 0)
        found = [s for s in self.in_block(block) if s.start <= cp < s.end]
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
        self._single: dict[str, QTextCharFormat] = {}

    def set_colors(self, colors: dict[str, str]) -> None:
        """Use new label colours: every block is formatted afresh when next shown."""
        self.colors = colors
        self._formats.clear()
        self._single.clear()
        self.ready = set()

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
        pos16 = self.index.pos16
        # Sweep the block once: (position, 0 = end / 1 = start, span) events in
        # order; between two positions the active spans give the format.
        events: list[tuple[int, int, int]] = []
        covering: list[Span] = []
        for span in spans.values():
            s16, e16 = pos16(span)
            a, b = max(s16 - base, 0), min(e16 - base, length)
            if a < b:
                events.append((a, 1, len(covering)))
                events.append((b, 0, len(covering)))
                covering.append(span)
        if len(covering) == 1:
            a, b = events[0][0], events[1][0]
            self.setFormat(a, b - a, self.format_for(covering))
            return
        events.sort()
        active: dict[int, Span] = {}
        last = 0
        for pos, starts, i in events:
            if pos > last and active:
                self.setFormat(last, pos - last, self.format_for(list(active.values())))
            last = pos
            if starts:
                active[i] = covering[i]
            else:
                del active[i]

    def format_for(self, spans: list[Span]) -> QTextCharFormat:
        """The format of text covered by ``spans``: innermost entity colour, claim underline."""
        if len(spans) == 1:  # the common case: one span, one format per label
            fmt = self._single.get(spans[0].label)
            if fmt is None:
                fmt = self._single[spans[0].label] = self._compose(spans)
            return fmt
        return self._compose(spans)

    def _compose(self, spans: list[Span]) -> QTextCharFormat:
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
            if inner:  # dark text on the light label colour, in light and dark palettes
                fmt.setBackground(QColor(self.colors.get(inner, "#cccccc")))
                fmt.setForeground(QColor("#000000"))
            if claim:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(self.colors.get(claim, "#e63946")))
                fmt.setFontUnderline(True)
            fmt.setProperty(LABELS_PROPERTY, names)
            self._formats[key] = fmt
        return fmt
