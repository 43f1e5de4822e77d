"""The window's Sync: runs in the background, shows its state, lists the assignment."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.gui.actions import Act
from annotator.gui.document_list import ASSIGNED
from annotator.services import annotate
from annotator.services.assign import assign
from annotator.services.project import open_project
from annotator.services.sync import sync
from tests.gui_helpers import formats_at, make_window
from tests.hub.conftest import Hub
from tests.hub.team import TEXTS, hub_snapshot

pytestmark = pytest.mark.gui


@pytest.fixture
def window(hub: Hub, tmp_path: Path, qtbot):
    """amal's window on a file that has synced once (the hub URL is remembered)."""
    url = hub.add("amal", "curator")
    hub.add("rana", "reviewer")
    window, ids = make_window(tmp_path, qtbot, list(TEXTS), annotator="amal")
    sync(window.project, url)
    window.sync.update_label()
    return window, ids


def test_sync_action_pushes_in_the_background(window, hub: Hub, qtbot) -> None:
    win, ids = window
    win.open_document(ids[0])
    start = TEXTS[0].index("مارك أسبر")
    win.tag(start, start + len("مارك أسبر"), "PER", exact=True)
    qtbot.waitUntil(lambda: "2 pending" in win.sync.label.text())  # the span and its status
    with qtbot.waitSignal(win.sync.finished, timeout=30_000) as done:
        win.actions_[Act.SYNC].trigger()
        assert win.sync.running, "the sync runs off the GUI thread"
    assert done.args == [True]
    assert [s[1:5] for s in hub_snapshot(hub)["spans"]] == [
        ("amal", start, start + len("مارك أسبر"), "PER")
    ]
    assert "0 pending" in win.sync.label.text()


def test_unreachable_hub_shows_offline_and_tagging_goes_on(window, tmp_path, qtbot) -> None:
    win, ids = window
    from annotator.services.sync import remembered_url

    url = remembered_url(win.project)
    with open_project(win.project.store.path) as other:  # the hub moves away
        other.store.execute(
            "UPDATE hub_state SET value = ? WHERE key = 'url'",
            (url.split("?")[0] + f"?host={tmp_path / 'nowhere'}",),
        )
    with qtbot.waitSignal(win.sync.finished, timeout=30_000) as done:
        win.actions_[Act.SYNC].trigger()
    assert done.args == [False]
    assert "Offline" in win.sync.label.text()
    win.open_document(ids[1])
    start = TEXTS[1].index("طنجة")
    win.tag(start, start + len("طنجة"), "LOC", exact=True)
    assert [s.label for s in annotate.layer_spans(win.project, ids[1], "amal")] == ["LOC"]


def test_assigned_documents_show_after_sync(window, hub: Hub, tmp_path: Path, qtbot) -> None:
    win, ids = window
    with open_project(tmp_path / "rana.db") as rana:
        sync(rana, hub.url("rana"))
        assign(rana, hub.url("rana"), curators=["amal"], query="طنجة")
    with qtbot.waitSignal(win.sync.finished, timeout=30_000):
        win.actions_[Act.SYNC].trigger()
    box = win.doc_panel.status
    assert box.currentData() == ASSIGNED, "new work is shown at once"
    assert [row.id for row in win.doc_model.rows] == [ids[1]]
    box.setCurrentIndex(0)
    assert len(win.doc_model.rows) == len(ids)


def test_team_progress_dialog_reads_the_hub(
    window, hub: Hub, tmp_path: Path, qtbot, qtmodeltester
) -> None:
    win, ids = window
    with open_project(tmp_path / "rana.db") as rana:
        sync(rana, hub.url("rana"))
        assign(rana, hub.url("rana"), curators=["amal"])
    win.actions_[Act.HUB_STATUS].trigger()
    dialog = win.sync.status_dialog
    qtbot.addWidget(dialog)
    if not dialog.model.rows:
        with qtbot.waitSignal(dialog.finished_reading, timeout=30_000) as got:
            pass
        assert got.args == [True]
    model = dialog.model
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells == ["amal", str(len(ids)), "0", "0", "0", "0", "-"]
    qtmodeltester.check(model)


def test_tagging_under_another_name_is_told(hub: Hub, tmp_path: Path, qtbot) -> None:
    url = hub.add("amal", "curator")
    win, ids = make_window(tmp_path, qtbot, list(TEXTS), annotator="sara")
    sync(win.project, url)  # sara's window, amal's hub account
    win.open_document(ids[0])
    start = TEXTS[0].index("الرباط")
    win.tag(start, start + len("الرباط"), "LOC", exact=True)
    with qtbot.waitSignal(win.sync.finished, timeout=30_000):
        win.actions_[Act.SYNC].trigger()
    assert "not pushed: 1 change(s) in the layer 'sara'" in win.last_message


def test_a_note_pulled_from_the_hub_shows_in_the_open_document(
    window, hub: Hub, tmp_path: Path, qtbot
) -> None:
    from annotator.core.model import Note
    from annotator.services import notes

    win, ids = window
    win.open_document(ids[0])
    assert win.notes.doc_box.text() == ""
    with open_project(tmp_path / "laptop2.db") as other:  # amal on a second machine
        annotate.register(other, "amal", "curator")
        sync(other, hub.url("amal"))
        notes.set_note(other, "amal", Note(ids[0], "amal", "", "from the laptop"))
        sync(other, hub.url("amal"))
    with qtbot.waitSignal(win.sync.finished, timeout=30_000):
        win.actions_[Act.SYNC].trigger()
    assert win.notes.doc_box.text() == "from the laptop"


def test_labels_pulled_by_a_sync_show_in_the_open_window(
    window, hub: Hub, tmp_path: Path, qtbot
) -> None:
    from annotator.core.model import Label
    from annotator.services.labels import edit_label
    from annotator.store import meta
    from tests.gui_helpers import select_text

    win, ids = window
    win.open_document(ids[0])
    start = TEXTS[0].index("مارك أسبر")
    win.tag(start, start + len("مارك أسبر"), "PER", exact=True)
    old = QColor(win.project.schema.label("PER").color)
    assert formats_at(win.view, start + 1)[0].background().color() == old
    with open_project(tmp_path / "rana.db") as rana:  # a reviewer edits the schema
        annotate.register(rana, "rana", "reviewer")
        sync(rana, hub.url("rana"))
        edit_label(rana, "PER", {"color": "#112233", "name_en": "Person's name", "shortcut": "9"})
        with rana.store.transaction():
            meta.insert_labels(
                rana.store, [Label("EVT", "entity", "Event", "حدث", "#445566", "7")], []
            )
        rana.reload_schema()
        sync(rana, hub.url("rana"))
    with qtbot.waitSignal(win.sync.finished, timeout=30_000) as done:
        win.actions_[Act.SYNC].trigger()
    assert done.args == [True]
    # at once, in the open window: the article, the palette, the span table, the menu
    new = QColor("#112233")
    assert formats_at(win.view, start + 1)[0].background().color() == new
    assert "#112233" in win.palette.buttons["PER"].styleSheet()
    assert win.palette.buttons["PER"].text() == "Person's name  [9]"
    assert win.palette.buttons["EVT"].text() == "Event  [7]"
    assert win.span_panel.spans.index(0, 0).data(Qt.ItemDataRole.DecorationRole) == new
    assert win.span_panel.spans.index(0, 0).data() == "Person's name"
    menu = win.menus.menus["&Labels"]
    assert [a.objectName() for a in menu.actions()][-1] == "action_label_EVT"
    assert win.label_actions["PER"].text() == "Add Person's name\t9"
    # and the new keys tag
    loc = TEXTS[0].index("الرباط")
    select_text(win.view, loc, loc + len("الرباط"))
    qtbot.keyClick(win.view, "7")
    tunis = TEXTS[0].index("الاتفاق")
    select_text(win.view, tunis, tunis + len("الاتفاق"))
    qtbot.keyClick(win.view, "9")
    got = {(s.start, s.label) for s in annotate.layer_spans(win.project, ids[0], "amal")}
    assert got == {(start, "PER"), (loc, "EVT"), (tunis, "PER")}
    assert formats_at(win.view, loc + 1)[0].background().color() == QColor("#445566")


def _answer_url_prompt(qtbot, text: str, seen: list[str]) -> None:
    """When the hub-URL prompt opens, note its question, type ``text`` and press OK."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    def fill() -> None:
        dialog = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QInputDialog) and w.isVisible()
            ),
            None,
        )
        if dialog is None:  # not open yet: look again once events were processed
            QTimer.singleShot(0, fill)
            return
        seen.append(dialog.labelText())
        dialog.setTextValue(text)
        dialog.accept()

    QTimer.singleShot(0, fill)


def test_the_first_sync_asks_for_the_url_and_remembers_it(hub: Hub, tmp_path: Path, qtbot) -> None:
    from annotator.services.sync import remembered_url

    url = hub.add("amal", "curator")
    win, ids = make_window(tmp_path, qtbot, list(TEXTS), annotator="amal")
    assert remembered_url(win.project) is None
    assert win.sync.label.text() == "Not synced yet"
    seen: list[str] = []
    _answer_url_prompt(qtbot, f"  {url}  ", seen)
    with qtbot.waitSignal(win.sync.finished, timeout=30_000) as done:
        win.actions_[Act.SYNC].trigger()
    assert done.args == [True]
    assert seen == ["Hub URL (postgresql://NAME@HOST/DB or service=NAME):"]
    assert remembered_url(win.project) == url
    assert hub_snapshot(hub)["documents"] == sorted(ids)
    assert win.sync.label.text().startswith("Synced ")


def test_a_url_with_a_password_is_refused_and_nothing_stored(
    hub: Hub, tmp_path: Path, qtbot
) -> None:
    from annotator.services.sync import remembered_url
    from annotator.store import synclog

    url = hub.add("amal", "curator")
    win, _ids = make_window(tmp_path, qtbot, list(TEXTS), annotator="amal")
    with_password = url.replace("amal@", "amal:pw-amal@")
    seen: list[str] = []
    _answer_url_prompt(qtbot, with_password, seen)
    with qtbot.waitSignal(win.sync.finished, timeout=30_000) as done:
        win.actions_[Act.SYNC].trigger()
    assert done.args == [False] and len(seen) == 1
    assert win.last_message == (
        "Sync failed: the hub URL holds a password: put it in ~/.pgpass (or $PGPASSFILE) or a"
        " ~/.pg_service.conf entry instead, so it is never stored in the project"
    )
    assert remembered_url(win.project) is None
    assert synclog.state(win.project.store) == {}
    db = Path(win.project.store.path)
    for part in (db, db.with_name(db.name + "-wal")):  # the file and its write-ahead log
        assert not part.exists() or b"pw-amal" not in part.read_bytes(), part
    assert hub_snapshot(hub)["documents"] == []
    assert win.sync.label.text() == "Not synced yet"
