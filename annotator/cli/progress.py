"""A small progress bar on stderr for long CLI work (silent when not a TTY)."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """Call ``update(done, total, label)``; ``close()`` ends the line."""

    def __init__(self, stream=None, min_interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0
        self._shown = False
        self.min_interval = min_interval

    def update(self, done: int, total: int, label: str = "") -> bool:
        """Redraw if enough time has passed; returns True (never cancels)."""
        if not self.enabled:
            return True
        t = time.monotonic()
        if done < total and t - self._last < self.min_interval:
            return True
        self._last = t
        width = 30
        frac = done / total if total else 1.0
        bar = "#" * int(frac * width)
        self.stream.write(f"\r[{bar:<{width}}] {done}/{total} {label[-40:]:<40}")
        self.stream.flush()
        self._shown = True
        return True

    def close(self) -> None:
        """Finish the bar's line."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
