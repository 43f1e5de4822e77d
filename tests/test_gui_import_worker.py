"""The GUI import runs in a worker thread: the window stays usable, cancel works."""

from __future__ import annotations

import threading

import pytest

from annotator.gui.import_dialog import start_import
from annotator.services import import_read, importing
from tests.gui_helpers import make_window
from tests.helpers import write_jsonl

pytestmark = pytest.mark.gui

TEXTS = ["مقال أول عن الرباط.", "مقال ثان عن تونس.", "مقال ثالث عن الجزائر."]


@pytest.fixture
def win(tmp_path, qtbot):
    window, ids = make_window(tmp_path, qtbot, TEXTS)
    return window, ids


def _records(n: int) -> list[dict]:
    return [{"text": f"خبر رقم {i} عن زيارة الوزير إلى المدينة {i * 7}"} for i in range(n)]


def test_the_import_runs_off_the_gui_thread_while_the_window_works(
    win, tmp_path, qtbot, monkeypatch
) -> None:
    window, ids = win
    real = importing.import_paths
    started, release, threads = threading.Event(), threading.Event(), []

    def held(*args, **kwargs):
        threads.append(threading.get_ident())
        started.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "import_paths", held)
    job = start_import(window, [str(write_jsonl(tmp_path / "new.jsonl", _records(4)))])
    qtbot.waitUntil(started.is_set)
    window.open_document(ids[2])  # the GUI thread is free while the import runs
    assert window.current.id == ids[2]
    with qtbot.waitSignal(job.done, timeout=30_000) as signal:
        release.set()
    assert threads and threads[0] != threading.get_ident()
    report, added = signal.args
    assert report.documents_added == 4
    assert len(added) == 4 and not set(added) & set(ids)
    assert window.doc_model.rowCount() == 7
    assert window.import_box.text().startswith("imported 1 file(s), 4 new document(s)")


def test_progress_comes_by_signal_and_cancel_removes_the_file(
    win, tmp_path, qtbot, monkeypatch
) -> None:
    window, _ids = win
    monkeypatch.setattr(import_read, "BATCH", 2)
    src = write_jsonl(tmp_path / "big.jsonl", _records(9))
    job = start_import(window, [str(src)])
    steps: list[int] = []
    job.worker.progressed.connect(lambda value, what: steps.append(value))
    job.cancel()  # before the first batch: the whole file goes
    with qtbot.waitSignal(job.done, timeout=30_000) as signal:
        pass
    report, added = signal.args
    assert report.cancelled and added == ()
    assert window.doc_model.rowCount() == 3
    assert "cancelled" in window.import_box.text()
    again = start_import(window, [str(src)])
    again.worker.progressed.connect(lambda value, what: steps.append(value))
    with qtbot.waitSignal(again.done, timeout=30_000) as signal:
        pass
    assert signal.args[0].documents_added == 9
    assert steps and steps == sorted(steps) and steps[-1] == 1000


def test_a_refused_file_reports_its_line_and_adds_nothing(win, tmp_path, qtbot) -> None:
    window, _ids = win
    bad = write_jsonl(tmp_path / "bad.jsonl", [*_records(2), '{"text": 5}'])
    job = start_import(window, [str(bad)])
    with qtbot.waitSignal(job.done, timeout=30_000) as signal:
        pass
    assert signal.args == [None, ()]
    assert "bad.jsonl:3" in window.import_box.text()
    assert window.doc_model.rowCount() == 3
