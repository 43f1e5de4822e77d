"""Label edits and a hub: an undo goes up with the next sync; a pulled edit shows in the
open review window."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from PySide6.QtGui import QAction

from annotator.gui.actions import Act
from annotator.services.project import open_project
from annotator.services.sync import sync
from tests.gui_helpers import make_window
from tests.hub.conftest import Hub
from tests.hub.team import TEXTS

pytestmark = pytest.mark.gui


def _hub_color(hub: Hub, name: str) -> str:
    with psycopg.connect(hub.admin_url) as conn:
        return conn.execute("SELECT color FROM hub.labels WHERE name = %s", (name,)).fetchone()[0]


def _sync(win, qtbot) -> None:
    with qtbot.waitSignal(win.sync.finished, timeout=30_000) as done:
        win.actions_[Act.SYNC].trigger()
    assert done.args == [True]


def test_an_undone_label_edit_reaches_the_hub_and_the_curators(
    hub: Hub, tmp_path: Path, qtbot
) -> None:
    url = hub.add("rana", "reviewer")
    amal_url = hub.add("amal", "curator")
    win, _ids = make_window(tmp_path, qtbot, list(TEXTS), annotator="rana")
    sync(win.project, url)
    old = win.project.schema.label("LOC").color
    win.findChild(QAction, "action_edit_labels").trigger()
    dialog = win.label_editing.dialog
    dialog.choice.setCurrentIndex(dialog.choice.findData("LOC"))
    dialog.color.setText("#aa0000")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    _sync(win, qtbot)
    assert _hub_color(hub, "LOC") == "#aa0000"
    with open_project(tmp_path / "amal.db") as amal:
        sync(amal, amal_url)
        assert amal.schema.label("LOC").color == "#aa0000"

    win.undo()
    assert win.project.schema.label("LOC").color == old
    qtbot.waitUntil(lambda: "1 pending" in win.sync.label.text())  # the label, logged again
    _sync(win, qtbot)
    assert _hub_color(hub, "LOC") == old
    with open_project(tmp_path / "amal.db") as amal:
        sync(amal, amal_url)
        assert amal.schema.label("LOC").color == old


def test_a_label_edit_pulled_by_a_sync_shows_in_the_open_review_window(
    hub: Hub, tmp_path: Path, qtbot
) -> None:
    from annotator.services import annotate
    from annotator.services.labels import edit_label

    url = hub.add("rana", "reviewer")
    sami_url = hub.add("sami", "reviewer")
    win, _ids = make_window(tmp_path, qtbot, list(TEXTS), annotator="rana")
    sync(win.project, url)
    win.actions_[Act.REVIEW].trigger()
    panel = win.menus.review.panel
    box = panel.label_box
    assert box.itemText(box.findData("LOC")) == "Place (LOC)"
    with open_project(tmp_path / "sami.db") as sami:  # another reviewer edits the label
        annotate.register(sami, "sami", "reviewer")
        sync(sami, sami_url)
        edit_label(sami, "LOC", {"color": "#00bb00", "name_en": "Town or country"})
        sync(sami, sami_url)
    _sync(win, qtbot)
    assert box.itemText(box.findData("LOC")) == "Town or country (LOC)"
    assert panel.labels["LOC"] == ("entity", "#00bb00")
