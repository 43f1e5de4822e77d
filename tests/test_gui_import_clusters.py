"""The GUI's import report says when span edges were widened to whole characters."""

from __future__ import annotations

import pytest

from annotator.gui.import_dialog import start_import
from tests.gui_helpers import make_window
from tests.helpers import write_jsonl

pytestmark = pytest.mark.gui

HARAKAT = "قال مُحَمَّدٌ اليوم"


def test_the_import_box_names_the_widened_edges(tmp_path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, ["مقال عن الرباط."])
    start = HARAKAT.index("مُحَمَّدٌ")
    end = start + len("مُحَمَّدٌ") - 1  # between the dal and its tanween
    path = write_jsonl(
        tmp_path / "cut.jsonl",
        [
            {
                "text": HARAKAT,
                "layer": "ali",
                "spans": [{"start": start, "end": end, "label": "PER"}],
            }
        ],
    )
    job = start_import(window, [str(path)])
    with qtbot.waitSignal(job.done, timeout=30_000) as signal:
        pass
    report, added = signal.args
    assert report.edges_widened == 1 and len(added) == 1
    lines = window.import_box.text().splitlines()
    assert lines[1].startswith("1 span edge(s) fell inside a character")
    assert lines[1].endswith(f"first at {path}:1")
