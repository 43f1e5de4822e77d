"""The document list model, search, import from the GUI, settings, language, render."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from annotator.cli import main as cli_main
from annotator.gui import settings
from annotator.gui.commands import SetStatus
from annotator.gui.document_list import DocumentListModel
from annotator.gui.import_dialog import run_import
from annotator.services import browse
from annotator.services.project import open_project
from tests.gui_helpers import make_window

pytestmark = pytest.mark.gui

TEXTS = ["مقال أول عن الرباط.", "مقال ثان عن تونس 😀.", "مقال ثالث عن الجزائر."]


@pytest.fixture
def win(tmp_path, qtbot):
    window, ids = make_window(tmp_path, qtbot, TEXTS)
    return window, ids, tmp_path / "gui.db"


def test_document_list_model_passes_qtmodeltester(win, qtmodeltester) -> None:
    window, _ids, _db = win
    model = DocumentListModel(window.project, "sara")
    qtmodeltester.check(model)
    model.fetchMore()
    assert model.rowCount() == 3


def test_document_list_pages_lazily(tmp_path, qtmodeltester, monkeypatch) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(7):
        (folder / f"{i}.txt").write_text(f"خبر رقم {i}", encoding="utf-8")
    monkeypatch.setattr(browse, "PAGE_SIZE", 3)
    with open_project(tmp_path / "many.db") as project:
        from annotator.services.importing import import_paths

        import_paths(project, [folder])
        model = DocumentListModel(project, "sara")
        assert model.canFetchMore()
        model.fetchMore()
        assert model.rowCount() == 3
        while model.canFetchMore():
            model.fetchMore()
        assert [model.index(r, 0).data() for r in range(7)] == [f"خبر رقم {i}" for i in range(7)]
        qtmodeltester.check(model)


def test_status_filter_and_search(win, qtbot) -> None:
    window, ids, _db = win
    window.perform(SetStatus(window.project, "sara", "sara", ids[1], "done"))
    panel = window.doc_panel
    panel.status.setCurrentIndex(panel.status.findData("done"))
    assert [r.id for r in window.doc_model.rows] == [ids[1]]
    panel.status.setCurrentIndex(0)
    panel.search.setText("الجزائر")
    panel.apply_filter()
    assert [r.id for r in window.doc_model.rows] == [ids[2]]


def test_refused_import_shows_the_message_and_changes_nothing(win, tmp_path) -> None:
    window, _ids, db = win
    good = tmp_path / "good.txt"
    good.write_text("خبر جديد تماما", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "نص"}\n{"text": 5}\n', encoding="utf-8")
    with open_project(db) as project:
        count = browse.progress(project, "sara")[1]
    assert run_import(window, [str(good), str(bad)]) is None
    message = window.import_box.text()
    assert "bad.jsonl:2" in message
    assert "\n" not in message
    with open_project(db) as project:
        assert browse.progress(project, "sara")[1] == count


def test_import_adds_documents_to_the_list(win, tmp_path) -> None:
    window, _ids, _db = win
    good = tmp_path / "good.txt"
    good.write_text("خبر جديد تماما", encoding="utf-8")
    report = run_import(window, [str(good)])
    assert report is not None and report.documents_added == 1
    assert window.doc_model.rowCount() == 4
    assert window.progress_label.text() == "0 / 4 done"


def test_settings_live_in_the_test_config_dir(win, tmp_path) -> None:
    window, _ids, _db = win
    assert str(settings.settings_path()).startswith(str(tmp_path))
    size = window.font_size
    window.zoom(1)
    assert settings.font_size() == size + 1
    assert window.view.font().pointSize() == size + 1


def test_language_switch_mirrors_the_window(win) -> None:
    window, _ids, _db = win
    window.apply_language("ar")
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.menus.menus["&Workspace"].title() == "&مساحة العمل"
    assert window.progress_label.text() == "0 / 3 تم"
    assert settings.language_choice() == "ar"
    window.apply_language("en")
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.view.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_render_cli_writes_a_png(win, tmp_path, capsys) -> None:
    window, ids, db = win
    start = TEXTS[1].index("تونس")
    window.open_document(ids[1])
    window.view.select(start, start + 4)
    window.tag(start, start + 4, "LOC")
    out = tmp_path / "view.png"
    code = cli_main(
        ["render", "--doc", ids[1], "--out", str(out), "--layer", "sara", "--db", str(db)]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {
        "doc": ids[1],
        "layer": "sara",
        "spans": 1,
        "out": str(out),
    }
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_cli_unknown_document_is_one_line_error(db_path, tmp_path, capsys) -> None:
    open_project(db_path).close()
    code = cli_main(
        ["render", "--doc", "d_missing", "--out", str(tmp_path / "x.png"), "--db", str(db_path)]
    )
    assert code == 1
    assert capsys.readouterr().err.strip() == "annotator: error: no document d_missing"
