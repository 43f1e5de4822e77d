"""The workspace's Review… and Agreement… menu entries."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt

from annotator.gui.actions import Act
from annotator.gui.i18n import tr
from annotator.services.users import add_user
from tests.gui_helpers import make_window

pytestmark = pytest.mark.gui


def test_a_curator_is_told_why_review_is_closed(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, ["نص قصير للتجربة"], annotator="<b>sara")
    window.actions_[Act.REVIEW].trigger()  # returns: the notice does not block
    box = window.menus.review_refused
    assert box.isVisible() and not box.isModal()
    assert "reviewer" in box.text() and "<b>sara" in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText  # the name is data, not markup
    assert "reviewer" in window.last_message
    assert window.menus.review is None
    box.close()


def test_a_reviewer_gets_the_review_window_and_anyone_the_dashboard(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, ["نص قصير للتجربة"], annotator="rana")
    add_user(window.project, "rana", "reviewer")  # promote the curator the window made
    window.actions_[Act.REVIEW].trigger()
    assert window.menus.review is not None and window.menus.review.isVisible()
    window.actions_[Act.AGREEMENT].trigger()
    assert window.menus.dashboard is not None and window.menus.dashboard.isVisible()


def test_a_language_change_retranslates_the_open_review_window(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, ["نص قصير للتجربة"], annotator="rana")
    add_user(window.project, "rana", "reviewer")
    window.actions_[Act.REVIEW].trigger()
    review = window.menus.review
    english = review.conflicts_title.text()
    try:
        window.apply_language("ar")  # what the settings dialog does on OK
        assert review.conflicts_title.text() != english
        assert review.conflicts_title.text() == tr("Conflicts")
        assert review.layoutDirection() == Qt.LayoutDirection.RightToLeft
    finally:
        window.apply_language("en")
    assert review.conflicts_title.text() == english


def test_a_closed_review_window_does_not_stop_a_language_change(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, ["نص قصير للتجربة"], annotator="rana")
    add_user(window.project, "rana", "reviewer")
    window.actions_[Act.REVIEW].trigger()
    window.menus.review.close()
    window.menus.review.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window.menus.review))
    try:
        window.apply_language("ar")
        assert window.menus.menus["&Workspace"].title() == tr("&Workspace")
    finally:
        window.apply_language("en")
