"""Review mode driven through the real widgets: accept, reject, edit, unanimous."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.core.errors import PermissionDenied
from annotator.core.ids import document_id
from annotator.gui.review import open_agreement_dashboard, open_review_window
from annotator.services import annotate, review, users
from annotator.services.importing import import_paths
from annotator.services.project import Project
from annotator.store import review as review_store
from tests.test_agreement import T1
from tests.test_review_services import gold

pytestmark = pytest.mark.gui
D1 = document_id(T1)


def u16(text: str, cp: int) -> int:
    """UTF-16 position of code point ``cp``, computed independently of the app."""
    return len(text[:cp].encode("utf-16-le")) // 2


def test_reviewer_accepts_rejects_and_edits(team: Project, qtbot, qtmodeltester) -> None:
    window = open_review_window(team, "rana")
    qtbot.addWidget(window)
    qtmodeltester.check(window.conflicts_model)
    qtmodeltester.check(window.docs_model)
    assert window.doc_id == D1
    assert list(window.lanes.lanes) == ["ali", "omar", "sara", "gold"]
    assert window.lanes.lanes["sara"].toPlainText() == T1
    kinds = [c.kind for c in window.conflicts_model.conflicts]
    assert kinds == ["boundary", "relation", "label", "missing"]
    assert window.progress_label.text().startswith("Decided 0 / 4")

    # 1. boundary: accept omar's shorter PER
    assert window.current_conflict().kind == "boundary"
    assert window.side_box.count() == 2
    assert window.side_box.itemText(1) == "Version 2: omar: PER «\u2068مارك\u2069»"
    window.side_box.setCurrentIndex(1)
    window.accept_action.trigger()
    assert gold(team) == [(4, 8, "PER", "adjudicated")]
    assert window.progress_label.text().startswith("Decided 1 / 4")

    # 2. relation: reject the link
    assert window.current_conflict().kind == "relation"
    window.reject_action.trigger()
    assert annotate.layer_relations(team, D1, "gold") == []

    # 3. label: edit to MISC over a selection made in sara's lane
    assert window.current_conflict().kind == "label"
    lane = window.lanes.lanes["sara"]
    cur = QTextCursor(lane.document())
    cur.setPosition(u16(T1, 17))
    cur.setPosition(u16(T1, 22), QTextCursor.MoveMode.KeepAnchor)
    lane.setTextCursor(cur)
    assert window.lanes.selected_range() == (17, 22)
    window.label_box.setCurrentIndex(window.label_box.findData("MISC"))
    window.edit_action.trigger()
    assert (17, 22, "MISC", "adjudicated") in gold(team)

    # 4. missing: accept the LOC ali and sara have
    assert window.current_conflict().kind == "missing"
    window.side_box.setCurrentIndex(0)
    window.accept_action.trigger()

    # and everything unanimous
    window.unanimous_action.trigger()
    assert gold(team) == [
        (4, 8, "PER", "adjudicated"),
        (4, 13, "SOURCE", "adjudicated"),
        (17, 22, "MISC", "adjudicated"),
        (17, 38, "CLAIM", "adjudicated"),
        (26, 32, "LOC", "adjudicated"),
    ]
    rows = review_store.decisions(team.store, D1)
    assert [(d["reviewer"], d["choice"]["action"]) for d in rows] == [
        ("rana", "accept"),
        ("rana", "reject"),
        ("rana", "edit"),
        ("rana", "accept"),
        ("rana", "unanimous"),
    ]
    assert rows[0]["choice"]["layers"] == ["omar"]
    assert window.progress_label.text().startswith("Decided 4 / 4")
    doc_row = window.docs_model.rows[0]
    assert (doc_row.decided, doc_row.conflicts, doc_row.status) == (4, 4, "done")
    # the gold lane shows what gold now holds
    assert sorted(s.key for s in window.lanes.lanes["gold"].spans) == [
        (k[0], k[1], k[2]) for k in gold(team)
    ]
    assert QApplication.activeModalWidget() is None


def test_second_document_edit_without_selection(team: Project, qtbot) -> None:
    window = open_review_window(team, "rana")
    qtbot.addWidget(window)
    window.docs_view.selectRow(1)
    assert window.doc_id != D1
    assert list(window.lanes.lanes) == ["ali", "sara", "gold"]
    (conflict,) = window.conflicts_model.conflicts
    assert conflict.kind == "missing"
    # without a selection, an edit keeps the conflict's words and takes the label chosen
    window.label_box.setCurrentIndex(window.label_box.findData("ORG"))
    window.edit_action.trigger()
    start, end, _label = conflict.keys[0]
    assert [(s.start, s.end, s.label) for s in window.lanes.lanes["gold"].spans] == [
        (start, end, "ORG")
    ]
    # a refused choice (a version the conflict does not have) leaves no command
    window.decide(review.Choice(conflict, "accept", side=5))
    assert "has no side 5" in window.status_label.text()
    assert len(review_store.decisions(team.store)) == 1
    assert window.undo_stack.count() == 1


def test_curator_cannot_open_review_or_write_gold(team: Project, qtbot) -> None:
    with pytest.raises(PermissionDenied, match="ali is a curator: only reviewers"):
        open_review_window(team, "ali")
    assert not [w for w in QApplication.topLevelWidgets() if getattr(w, "reviewer", None) == "ali"]
    # A reviewer demoted while the window is open is refused by the services.
    window = open_review_window(team, "rana")
    qtbot.addWidget(window)
    users.add_user(team, "rana", "curator", by="rana")
    window.accept_action.trigger()
    window.unanimous_action.trigger()
    assert "only reviewers" in window.status_label.text()
    assert gold(team) == []
    assert review_store.decisions(team.store) == []


def test_lanes_draw_spans_at_utf16_positions_after_emoji(
    project: Project, tmp_path: Path, qtbot
) -> None:
    text = "😀 قال 🇲🇦 مارك أسبر 😀 في الرباط"
    mark = text.index("مارك")
    rabat = text.index("الرباط")
    lines = [
        {"text": text, "layer": "ali", "spans": [{"start": mark, "end": mark + 4, "label": "PER"}]},
        {
            "text": text,
            "layer": "sara",
            "spans": [
                {"start": mark, "end": mark + 4, "label": "ORG"},
                {"start": rabat, "end": rabat + 6, "label": "LOC"},
            ],
        },
    ]
    path = tmp_path / "emoji.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    import_paths(project, [path])
    users.add_user(project, "rana", "reviewer")
    window = open_review_window(project, "rana")
    qtbot.addWidget(window)
    lane = window.lanes.lanes["sara"]
    got = sorted(
        (s.cursor.selectionStart(), s.cursor.selectionEnd(), s.cursor.selectedText())
        for s in lane.extraSelections()
    )
    assert (u16(text, mark), u16(text, mark + 4), "مارك") in got
    assert (u16(text, rabat), u16(text, rabat + 6), "الرباط") in got
    assert u16(text, rabat) != rabat  # the emoji really shift Qt's positions
    # a selection made in a lane converts back to code points
    cur = QTextCursor(lane.document())
    cur.setPosition(u16(text, rabat))
    cur.setPosition(u16(text, rabat + 6), QTextCursor.MoveMode.KeepAnchor)
    lane.setTextCursor(cur)
    assert window.lanes.selected_range() == (rabat, rabat + 6)
    assert lane.toPlainText() == text


def test_agreement_dashboard(team: Project, qtbot, qtmodeltester) -> None:
    dash = open_agreement_dashboard(team)
    qtbot.addWidget(dash)
    qtmodeltester.check(dash.pairs_model)
    qtmodeltester.check(dash.labels_model)
    model = dash.pairs_model
    rows = {
        (model.index(r, 0).data(), model.index(r, 1).data()): [
            model.index(r, c).data() for c in range(model.columnCount())
        ]
        for r in range(model.rowCount())
    }
    # ali/sara: F1 12/15, precision 6/8, recall 6/7, matched 6 of 7 and 8 spans
    assert rows["ali", "sara"] == ["ali", "sara", "0.800", "0.750", "0.857", "6", "7", "8"]
    assert rows["ali", "omar"][2] == f"{6 / 9:.3f}"
    labels = dash.labels_model
    per = {labels.index(r, 0).data(): labels.index(r, 2).data() for r in range(labels.rowCount())}
    assert per["LOC"] == "0.500" and per["PER"] == f"{2 / 7:.3f}"
    assert dash.pair_bars.bars == [
        ("ali / omar", 6 / 9),
        ("ali / sara", 12 / 15),
        ("omar / sara", 4 / 9),
    ]
    assert len(dash.label_bars.bars) == 5
    assert "2 document(s)" in dash.summary.text()
    assert f"entity: {dash.agreement.alpha['entity']:.3f}" in dash.alpha_label.text()
    dash.pair_bars.grab()  # paints without error
