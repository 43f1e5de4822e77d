"""Tagging through the real article view where Arabic text is hard: CRLF, clusters, bidi marks.

Qt positions are computed here independently of the app (UTF-16 units, with
``\\r\\n`` as one position), and selections are made with real Qt cursors.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.gui import open_window
from annotator.gui.highlight import LABELS_PROPERTY
from annotator.gui.review.lanes import Lanes
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from tests.gui_helpers import stored

pytestmark = pytest.mark.gui

CRLF = "خبر عاجل\r\nوصل مارك أسبر\r\nإلى الرباط اليوم\r\n"
CLUSTERS = "عائلة 👨‍👩‍👧 في 🇲🇦 الرباط 👍🏽 فلسطين"
BIDI = "قال \u200fمارك أسبر\u200f اليوم \u2067فلسطين\u2069 نعم"


def qt_pos(text: str, cp: int) -> int:
    """Qt document position of code point ``cp``, independently of ``core.offsets``."""
    return len(text[:cp].replace("\r\n", "\n").encode("utf-16-le")) // 2


def make_jsonl_window(tmp_path, qtbot, records: list[dict]):
    """A shown main window over JSONL records (texts stored verbatim), layer ``sara``."""
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    db = tmp_path / "gui.db"
    with open_project(db) as project:
        import_paths(project, [path], annotator="sara")
    window = open_window(db, annotator="sara")
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window, [row.id for row in window.doc_model.rows], db


def select_qt(view, text: str, start: int, end: int) -> None:
    """Select code points [start, end) with a Qt cursor at independently computed positions."""
    cur = QTextCursor(view.document())
    cur.setPosition(qt_pos(text, start))
    cur.setPosition(qt_pos(text, end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cur)
    view.setFocus()


def drawn_labels(view, text: str, start: int, end: int) -> set[str]:
    """Labels the highlighter drew over every position of code points [start, end)."""
    doc = view.document()
    seen: list[set[str]] = []
    for pos in range(qt_pos(text, start), qt_pos(text, end)):
        block = doc.findBlock(pos)
        rel = pos - block.position()
        here: set[str] = set()
        for fr in block.layout().formats():
            if fr.start <= rel < fr.start + fr.length:
                here |= set(str(fr.format.property(LABELS_PROPERTY) or "").split(",")) - {""}
        seen.append(here)
    return set.intersection(*seen) if seen else set()


@pytest.fixture
def crlf(tmp_path, qtbot):
    start = CRLF.index("مارك")
    records = [{"text": CRLF, "label": [[start, start + 9, "PER"]]}]
    return make_jsonl_window(tmp_path, qtbot, records)


def test_tag_after_crlf_stores_the_visible_word(crlf, qtbot) -> None:
    window, ids, db = crlf
    start = CRLF.index("الرباط")
    select_qt(window.view, CRLF, start, start + 6)
    assert window.view.selection() == (start, start + 6)
    qtbot.keyClick(window.view, "3")
    assert (start, start + 6, "LOC", "الرباط") in stored(db, ids[0])


def test_alt_tag_after_crlf_stores_the_exact_characters(crlf, qtbot) -> None:
    window, ids, db = crlf
    start = CRLF.index("الرباط")
    select_qt(window.view, CRLF, start, start + 6)
    qtbot.keyClick(window.view, "3", Qt.KeyboardModifier.AltModifier)
    assert (start, start + 6, "LOC", "الرباط") in stored(db, ids[0])


def test_imported_span_after_crlf_is_drawn_over_its_characters(crlf, qtbot) -> None:
    window, _ids, _db = crlf
    view = window.view
    start = CRLF.index("مارك")
    assert view.cursor_for(start, start + 9).selectedText() == "مارك أسبر"
    qtbot.waitUntil(lambda: drawn_labels(view, CRLF, start, start + 9) == {"PER"})
    assert drawn_labels(view, CRLF, start - 1, start) == set()
    assert drawn_labels(view, CRLF, start + 9, start + 10) == set()


def test_every_crlf_position_maps_back_to_code_points(crlf) -> None:
    window, _ids, _db = crlf
    view = window.view
    end = QTextCursor(view.document())
    end.movePosition(QTextCursor.MoveOperation.End)
    assert end.position() == qt_pos(CRLF, len(CRLF))
    for cp in range(len(CRLF) + 1):
        if cp and CRLF[cp - 1 : cp + 1] == "\r\n":
            continue  # between \r and \n: not a place a cursor can be
        select_qt(view, CRLF, cp, cp)
        assert view.selection() == (cp, cp)


@pytest.fixture
def clusters(tmp_path, qtbot):
    return make_jsonl_window(tmp_path, qtbot, [{"text": CLUSTERS}, {"text": BIDI}])


def test_tag_after_flag_and_family_emoji(clusters, qtbot) -> None:
    window, ids, db = clusters
    start = CLUSTERS.index("الرباط")
    select_qt(window.view, CLUSTERS, start, start + 6)
    qtbot.keyClick(window.view, "3")
    assert stored(db, ids[0]) == [(start, start + 6, "LOC", "الرباط")]


def test_emoji_selected_in_part_is_tagged_whole(clusters, qtbot) -> None:
    window, ids, db = clusters
    family = CLUSTERS.index("👨")
    flag = CLUSTERS.index("🇲🇦")
    # From the second person of the family to the first regional indicator of the flag.
    select_qt(window.view, CLUSTERS, family + 2, flag + 1)
    qtbot.keyClick(window.view, "4", Qt.KeyboardModifier.AltModifier)
    assert stored(db, ids[0]) == [(family, flag + 2, "MISC", CLUSTERS[family : flag + 2])]
    assert CLUSTERS[family : flag + 2] == "👨‍👩‍👧 في 🇲🇦"


def test_sloppy_selection_inside_filastin_takes_the_word(clusters, qtbot) -> None:
    window, ids, db = clusters
    start = CLUSTERS.index("فلسطين")
    select_qt(window.view, CLUSTERS, start + 2, start + 5)  # "سطي"
    qtbot.keyClick(window.view, "3")
    assert stored(db, ids[0]) == [(start, start + 6, "LOC", "فلسطين")]


def test_selection_starting_on_a_bidi_mark_leaves_it_out(clusters, qtbot) -> None:
    window, ids, db = clusters
    window.open_document(ids[1])
    rlm = BIDI.index("\u200f")
    select_qt(window.view, BIDI, rlm, rlm + 1 + len("مارك أسبر") + 1)  # RLM … RLM
    qtbot.keyClick(window.view, "1")
    isolate = BIDI.index("\u2067")
    select_qt(window.view, BIDI, isolate, isolate + 3)  # isolate + "فل"
    qtbot.keyClick(window.view, "3", Qt.KeyboardModifier.AltModifier)
    assert stored(db, ids[1]) == [
        (rlm + 1, rlm + 10, "PER", "مارك أسبر"),
        (isolate + 1, isolate + 3, "LOC", "فل"),
    ]


def test_review_lane_maps_crlf_text(qtbot) -> None:
    lanes = Lanes()
    qtbot.addWidget(lanes)
    lanes.show_layers(CRLF, ["sara"])
    lane = lanes.lanes["sara"]
    start = CRLF.index("الرباط")
    lane.select_range(start, start + 6)
    assert lane.textCursor().selectedText() == "الرباط"
    cur = QTextCursor(lane.document())
    cur.setPosition(qt_pos(CRLF, start))
    cur.setPosition(qt_pos(CRLF, start + 6), QTextCursor.MoveMode.KeepAnchor)
    lane.setTextCursor(cur)
    assert lane.selected_range() == (start, start + 6)
