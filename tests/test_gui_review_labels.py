"""The review window, the agreement dashboard and the gold conflict dock follow label
edits made in the main window (and their undo) at once, without reopening."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from annotator.gui import open_window
from annotator.gui.actions import Act
from annotator.services import labels
from annotator.services.project import Project
from tests.test_gui_review_flow import D1

pytestmark = pytest.mark.gui

OLD, NEW = "#95d5b2", "#aa0000"  # LOC's colour before and after the edit


def _lane_colors(lane) -> set[str]:
    """Background colours the lane draws its spans with."""
    return {
        sel.format.background().color().name()
        for sel in lane.extraSelections()
        if sel.format.background().style() != Qt.BrushStyle.NoBrush
    }


def _lane_tips(lane) -> list[str]:
    return [sel.format.toolTip() for sel in lane.extraSelections()]


def _box_text(panel, name: str) -> str:
    return panel.label_box.itemText(panel.label_box.findData(name))


def _edit_loc(window) -> None:
    window.findChild(QAction, "action_edit_labels").trigger()
    dialog = window.label_editing.dialog
    dialog.choice.setCurrentIndex(dialog.choice.findData("LOC"))
    dialog.color.setText(NEW)
    dialog.name_en.setText("Place name")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible(), dialog.problem.text()


def _loc_row(dash) -> int:
    model = dash.labels_model
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "LOC")


def test_the_open_review_window_and_dashboard_follow_an_edit_and_its_undo(
    team: Project, qtbot
) -> None:
    window = open_window(team.store.path, annotator="rana")
    qtbot.addWidget(window)
    window.actions_[Act.REVIEW].trigger()
    review = window.menus.review
    window.actions_[Act.AGREEMENT].trigger()
    dash = window.menus.dashboard
    assert review.doc_id == D1
    lane = review.lanes.lanes["sara"]  # LOC on الرباط (and on الجيش)
    assert OLD in _lane_colors(lane) and NEW not in _lane_colors(lane)
    review.panel.label_box.setCurrentIndex(review.panel.label_box.findData("MISC"))
    assert _box_text(review.panel, "LOC") == "Place (LOC)"
    assert any("Place (LOC)" in tip for tip in _lane_tips(lane))
    assert ("Place", 0.5) in dash.label_bars.bars

    _edit_loc(window)
    assert NEW in _lane_colors(lane) and OLD not in _lane_colors(lane)
    assert any("Place name (LOC)" in tip for tip in _lane_tips(lane))
    assert _box_text(review.panel, "LOC") == "Place name (LOC)"
    assert review.panel.label_box.currentData() == "MISC"  # the reviewer's choice stays
    assert ("Place name", 0.5) in dash.label_bars.bars
    tip = dash.labels_model.index(_loc_row(dash), 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Place name" in tip
    assert dash.labels_model.index(_loc_row(dash), 1).data() == "entity"

    window.undo()
    assert OLD in _lane_colors(lane) and NEW not in _lane_colors(lane)
    assert _box_text(review.panel, "LOC") == "Place (LOC)"
    assert ("Place", 0.5) in dash.label_bars.bars


def test_a_closed_review_window_does_not_stop_label_edits(team: Project, qtbot) -> None:
    window = open_window(team.store.path, annotator="rana")
    qtbot.addWidget(window)
    window.actions_[Act.REVIEW].trigger()
    review = window.menus.review
    review.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    with qtbot.waitSignal(review.destroyed):
        review.close()
    _edit_loc(window)  # the window's subscriber went with it: nothing raises
    assert window.project.schema.label("LOC").color == NEW


def test_the_gold_conflict_dock_follows_label_changes(team: Project, qtbot) -> None:
    from tests.gui_helpers import select_text

    window = open_window(team.store.path, annotator="rana")
    qtbot.addWidget(window)
    assert window.set_layer("gold")
    window.open_document(D1)
    select_text(window.view, 27, 27)  # inside الرباط: LOC in ali's and sara's layers
    panel = window.gold_dock.dock.panel
    assert panel.conflict is not None
    lane = panel.lanes.lanes["sara"]
    assert OLD in _lane_colors(lane)
    # a change that reaches the window the way a sync's does: announced, not performed
    window.workspace.call(
        lambda: labels.edit_label(window.project, "LOC", {"color": NEW}, by="rana")
    )
    assert NEW in _lane_colors(lane) and OLD not in _lane_colors(lane)
    assert panel.labels["LOC"] == ("entity", NEW)
