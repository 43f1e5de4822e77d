"""What every benchmark returns: a figure, its baseline in the same run, a goal."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measured figure against its baseline.

    ``ratio`` is value / baseline; ``goal`` is the largest (or, when
    ``higher_is_better``, the smallest) acceptable ratio.
    """

    name: str
    value: float
    baseline: float
    unit: str
    goal: float
    higher_is_better: bool = False
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio >= self.goal if self.higher_is_better else self.ratio <= self.goal
