"""The workspace's Review… and Agreement… menu entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.gui.actions import Act
from annotator.services.users import add_user
from tests.gui_helpers import make_window

pytestmark = pytest.mark.gui


def test_a_curator_is_told_why_review_is_closed(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, ["نص قصير للتجربة"])
    window.actions_[Act.REVIEW].trigger()  # returns: the notice does not block
    box = window.menus.refusal
    assert box.isVisible() and not box.isModal()
    box.close()
    assert "reviewer" in box.text() and "reviewer" in window.last_message
    assert window.menus.review is None


def test_a_reviewer_gets_the_review_window_and_anyone_the_dashboard(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, ["نص قصير للتجربة"], annotator="rana")
    add_user(window.project, "rana", "reviewer")  # promote the curator the window made
    window.actions_[Act.REVIEW].trigger()
    assert window.menus.review is not None and window.menus.review.isVisible()
    window.actions_[Act.AGREEMENT].trigger()
    assert window.menus.dashboard is not None and window.menus.dashboard.isVisible()
