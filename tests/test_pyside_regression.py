"""PySide6 must not drop references to None (6.12.0 does: DESIGN §7).

A method that returns nothing, called 100,000 times, must leave
``sys.getrefcount(None)`` where it was; 6.12.0 loses one reference per call
and the process later dies with "Fatal Python error: none_dealloc".
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject

CALLS = 100_000
TOLERANCE = 100  # unrelated interpreter activity may move the count a little


def test_void_calls_keep_none_alive() -> None:
    obj = QObject()
    obj.setObjectName("warm-up")
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        obj.setObjectName("x")
    after = sys.getrefcount(None)
    assert before - after <= TOLERANCE, f"None lost {before - after} references"
