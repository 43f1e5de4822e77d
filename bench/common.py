"""What every benchmark returns: a figure, its baseline in the same run, a goal.

Timed figures come from ``interleave``: baseline and project runs take turns
(A B A B …), so a load from other processes falls on both alike, and each
pair gives one ratio; the figure is the median ratio, printed with its
minimum and maximum.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measured figure against its baseline.

    ``ratio`` is value / baseline (the median of ``ratios`` when the runs
    were paired); ``goal`` is the largest (or, when ``higher_is_better``,
    the smallest) acceptable ratio.
    """

    name: str
    value: float
    baseline: float
    unit: str
    goal: float
    higher_is_better: bool = False
    note: str = ""
    ratios: tuple[float, ...] = ()

    @property
    def ratio(self) -> float:
        if self.ratios:
            return statistics.median(self.ratios)
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio >= self.goal if self.higher_is_better else self.ratio <= self.goal


@dataclass(frozen=True)
class Paired:
    """Times of interleaved runs: ``base[i]`` ran just before ``ours[i]``."""

    base: list[float]
    ours: list[float]

    def ratios(self, *, speedup: bool = False) -> tuple[float, ...]:
        """ours / base for each pair (base / ours when ``speedup``)."""
        pairs = zip(self.base, self.ours, strict=True)
        return tuple(b / o if speedup else o / b for b, o in pairs)

    def result(self, name: str, goal: float, *, unit: str = "s", speedup: bool = False,
               note: str = "") -> Result:  # fmt: skip
        """A Result of the medians and the per-pair ratios."""
        base, ours = statistics.median(self.base), statistics.median(self.ours)
        if speedup:
            return Result(name, base, ours, unit, goal, True, note, self.ratios(speedup=True))
        return Result(name, ours, base, unit, goal, False, note, self.ratios())


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def interleave(base: Callable[[int], float], ours: Callable[[int], float], runs: int) -> Paired:
    """Run ``base(i)`` then ``ours(i)`` for i in range(runs); each returns its seconds."""
    b: list[float] = []
    o: list[float] = []
    for i in range(runs):
        b.append(base(i))
        o.append(ours(i))
    return Paired(b, o)
