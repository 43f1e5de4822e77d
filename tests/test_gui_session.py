"""Undo across restarts, the last document reopened, layers, Arabic Qt dialogs, small things."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from annotator.gui import i18n, open_window, settings, theme
from annotator.gui.actions import Act
from annotator.gui.settings import SettingsDialog
from annotator.services import annotate
from annotator.services.users import add_user
from tests.gui_helpers import make_window, select_text, stored

pytestmark = pytest.mark.gui

A = "قال وزير الدفاع مارك أسبر في الرباط إن الاتفاق مهم."
B = "أعلنت وزارة الخارجية التونسية عن زيارة جديدة إلى الرباط."


def _tag(qtbot, window, text: str, word: str, key: str) -> tuple[int, int]:
    start = text.index(word)
    select_text(window.view, start, start + len(word))
    qtbot.keyClick(window.view, key)
    return start, start + len(word)


def test_undo_history_and_document_survive_a_restart(tmp_path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, [A, B])
    db = tmp_path / "gui.db"
    per = _tag(qtbot, window, A, "مارك أسبر", "1")
    window.open_document(ids[1])
    loc = _tag(qtbot, window, B, "الرباط", "3")
    select_text(window.view, loc[0] + 1, loc[0] + 1)
    qtbot.keyClick(window.view, "2")  # relabel in place
    window.close()
    again = open_window(db, annotator="sara")
    qtbot.addWidget(again)
    assert again.current.id == ids[1]  # the document the curator was on
    assert again.actions_[Act.UNDO].isEnabled()
    again.undo()  # the relabel, from the journal
    assert stored(db, ids[1]) == [(*loc, "LOC", "الرباط")]
    again.undo()
    assert stored(db, ids[1]) == []
    again.undo()  # an edit of the other document: it is shown, then undone
    assert again.current.id == ids[0] and stored(db, ids[0]) == []
    again.redo()
    assert stored(db, ids[0]) == [(*per, "PER", "مارك أسبر")]


def test_a_curator_asking_for_gold_is_refused_without_a_dialog(tmp_path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, [A])
    assert window.set_layer("gold") is False
    assert window.layer == "sara" and "gold" in window.last_message
    assert QApplication.activeModalWidget() is None
    assert not [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    _tag(qtbot, window, A, "الرباط", "3")
    assert stored(tmp_path / "gui.db", ids[0], "sara")


def test_a_reviewer_curates_gold_with_every_tool_and_undo(tmp_path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, [A], annotator="rana")
    add_user(window.project, "rana", "reviewer")
    window.role = "reviewer"
    db = tmp_path / "gui.db"
    assert window.set_layer("gold")
    assert "gold" in window.status.user.text()
    start, end = _tag(qtbot, window, A, "مارك أسبر", "1")
    select_text(window.view, start + 1, start + 1)
    qtbot.keyClick(window.view, "2")
    window.actions_[Act.GROW_END].trigger()
    assert stored(db, ids[0], "gold") == [(start, A.index(" الرباط"), "ORG", "مارك أسبر في")]
    assert stored(db, ids[0], "rana") == []
    window.undo()
    window.undo()
    assert stored(db, ids[0], "gold") == [(start, end, "PER", "مارك أسبر")]
    assert window.set_layer("rana") and window.view.index.spans == {}


def test_qt_dialogs_speak_arabic_and_languages_are_named_in_themselves(tmp_path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, [A])
    window.apply_language("ar")
    try:
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        qtbot.addWidget(box)
        cancel = box.button(QDialogButtonBox.StandardButton.Cancel).text()
        assert cancel != "Cancel" and any("\u0600" <= ch <= "\u06ff" for ch in cancel)
        dialog = SettingsDialog("ar", window.font_family, 14, window)
        qtbot.addWidget(dialog)
        names = [dialog.language.itemText(i) for i in range(dialog.language.count())]
        assert names == ["العربية", "English"]
        assert window.status.user.text() == "المحرر: \u2068sara\u2069"
    finally:
        window.apply_language("en")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    assert i18n.language() == "en"


def test_status_bar_export_default_and_dark_palette(tmp_path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, [A], annotator="sara")
    assert window.status.user.text() == "Curator: \u2068sara\u2069"
    _tag(qtbot, window, A, "الرباط", "3")
    annotate.register(window.project, "badr")
    annotate.add_span(window.project, "badr", ids[0], 0, 3, "PER")
    from annotator.gui.export_dialog import ExportDialog

    dialog = ExportDialog(window.project, window, layer=window.layer)
    qtbot.addWidget(dialog)
    assert dialog.layerBox.currentData() == "sara"
    settings.put("ui/theme", "dark")
    try:
        assert theme.apply_theme() is True
        color = QApplication.instance().palette().color(QPalette.ColorRole.Window)
        assert color.lightness() < 80
    finally:
        settings.put("ui/theme", "light")
        assert theme.apply_theme() is False
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() > 150


def test_the_history_rebuilt_on_start_is_bounded(tmp_path, qtbot, monkeypatch) -> None:
    from annotator.gui import session

    window, ids = make_window(tmp_path, qtbot, [A])
    for word, key in (("مارك أسبر", "1"), ("الرباط", "3"), ("الاتفاق", "4")):
        _tag(qtbot, window, A, word, key)
    window.close()
    again = open_window(tmp_path / "gui.db", annotator="sara")
    qtbot.addWidget(again)
    assert again.workspace.stack.count() == 3
    monkeypatch.setattr(session, "HISTORY_LIMIT", 2)
    third = open_window(tmp_path / "gui.db", annotator="sara")
    qtbot.addWidget(third)
    assert third.workspace.stack.count() == 2
    third.undo()
    third.undo()
    assert [s[3] for s in stored(tmp_path / "gui.db", ids[0])] == ["مارك أسبر"]


def test_links_notes_and_deletions_are_undone_after_a_restart(tmp_path, qtbot) -> None:
    from tests.gui_helpers import stored_relations

    text = "قال وزير الدفاع إن الاتفاق مهم بحسب مصدر مغربي."
    window, ids = make_window(tmp_path, qtbot, [text])
    db = tmp_path / "gui.db"
    _tag(qtbot, window, text, "إن الاتفاق مهم", "5")
    source = _tag(qtbot, window, text, "مصدر مغربي", "6")
    spans = {s.label: s for s in window.view.index.spans.values()}
    window.editor.link(spans["CLAIM"], spans["SOURCE"])
    window.editor.set_note(spans["SOURCE"].id, text="مجهول", unsure=True)
    window.editor.delete(spans["SOURCE"])
    assert stored_relations(db, ids[0]) == []
    window.close()
    again = open_window(db, annotator="sara")
    qtbot.addWidget(again)
    again.undo()  # the deletion: the source comes back with its link
    assert stored_relations(db, ids[0]) == [("CLAIM", "SOURCE")]
    assert (*source, "SOURCE", "مصدر مغربي") in stored(db, ids[0])
    again.undo()  # the note
    again.undo()  # the link
    assert stored_relations(db, ids[0]) == []
    again.redo()
    assert stored_relations(db, ids[0]) == [("CLAIM", "SOURCE")]


def test_every_kind_of_journal_entry_becomes_an_undoable_edit(tmp_path, qtbot) -> None:
    from annotator.core.model import Note
    from annotator.gui import session
    from annotator.services import notes

    window, ids = make_window(tmp_path, qtbot, [A])
    p, doc = window.project, ids[0]
    claim = annotate.add_span(p, "sara", doc, 0, 10, "CLAIM").span
    source = annotate.add_span(p, "sara", doc, 11, 15, "SOURCE").span
    rel = annotate.add_relation(p, "sara", claim.id, source.id).relation
    annotate.update_span(p, "sara", claim.id, end=9)
    annotate.delete_relation(p, "sara", rel.id)
    annotate.restore_relation(p, "sara", rel)
    gone = annotate.delete_span(p, "sara", source.id)
    annotate.restore_span(p, "sara", source, gone.relations_removed)
    annotate.set_status(p, "sara", doc, "done")
    notes.set_note(p, "sara", Note(doc, "sara", "", "x"))
    entries = annotate.recent_edits(p, "sara", 100)
    actions = {e[1] for e in entries}
    assert actions == {
        "add_span",
        "add_relation",
        "update_span",
        "delete_relation",
        "restore_relation",
        "delete_span",
        "restore_span",
        "set_status",
        "set_note",
    }
    edits = [session.edit_from_event(p, "sara", *e[1:]) for e in entries]
    assert all(edit is not None for edit in edits)
    assert session.restore_history(window) == len(entries)
    for _ in entries:
        window.undo()
    assert stored(tmp_path / "gui.db", doc) == []
    assert annotate.status_of(p, doc, "sara") == "in_progress"


def test_a_reviewer_on_gold_sees_and_decides_the_conflict_under_the_caret(team, qtbot) -> None:
    from tests.test_gui_review_flow import D1

    window = open_window(team.store.path, annotator="rana")
    qtbot.addWidget(window)
    assert window.set_layer("gold")
    dock = window.gold_dock.dock
    assert dock is not None and dock.isVisible()
    window.open_document(D1)
    select_text(window.view, 5, 5)  # inside مارك أسبر: the curators disagree on its edges
    conflict = dock.panel.conflict
    assert conflict is not None and conflict.doc_id == D1
    before = window.workspace.stack.count()
    dock.panel.accept_version(2)  # through the window's own undo stack
    assert window.workspace.stack.count() == before + 1
    assert [(s.start, s.end) for s in window.view.index.spans.values()] == [(4, 8)]
    window.undo()
    assert window.view.index.spans == {}
    assert window.set_layer("rana") and not dock.isVisible()
