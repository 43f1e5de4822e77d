"""Crash safety and two writers with the real workspace window.

A child process drives the real main window (select text, press a label key,
undo, redo) and prints each edit once it is stored; the test kills it with
``SIGKILL`` and checks that the database passes ``PRAGMA integrity_check``
and holds exactly what was acknowledged. A second test edits in the window
while another process imports into the same database (the importer waits on
a gate file after its first file, so the overlap is certain): nothing is
lost, the curator is shown no error, and the refreshed list shows the new
documents. The lock tests hold the write lock from another connection
(``BEGIN IMMEDIATE``) in the test itself: edits and undos wait visibly, the
undo stack holds only what is stored, and a lock never released is
reported plainly.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.tokens import tokenize
from annotator.gui.actions import Act
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from tests.gui_helpers import make_window, select_text
from tests.test_reliability import LONG, REPO, _integrity, _make_files

pytestmark = pytest.mark.gui

#: Tags words of every listed document through the window; prints
#: "ack ID" once a span is stored and "undone ID" once an undo removed it.
GUI_CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtTest import QTest
    from annotator.core.tokens import tokenize
    from annotator.gui import open_window
    from annotator.gui.actions import Act
    from annotator.services import annotate
    from tests.gui_helpers import select_text

    db, mode = sys.argv[1], sys.argv[2]
    window = open_window(db, annotator="amal")
    view = window.view
    undo, redo = window.actions_[Act.UNDO], window.actions_[Act.REDO]

    def stored(doc_id):
        return {s.id for s in annotate.layer_spans(window.project, doc_id, "amal")}

    n = 0
    for key in "1234":
        for doc_id in [row.id for row in window.doc_model.rows]:
            window.open_document(doc_id)
            for start, end in tokenize(view.text):
                if end - start < 3:
                    continue
                before = stored(doc_id)
                select_text(view, start, end)
                QTest.keyClick(view, key)
                added = sorted(stored(doc_id) - before)
                for span_id in added:
                    print("ack", span_id, flush=True)
                n += 1
                if mode == "undo" and added and n % 3 == 0:
                    undo.trigger()
                    if added[0] not in stored(doc_id):
                        print("undone", added[0], flush=True)
                    if n % 2 == 0:
                        redo.trigger()
                        if added[0] in stored(doc_id):
                            print("ack", added[0], flush=True)
    print("finished", flush=True)
    """
)


def _gui_child(db: Path, mode: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-c", GUI_CHILD, str(db), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _spans_in(db: Path, layer: str) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM spans WHERE layer = ?", (layer,))}
    finally:
        conn.close()


KILL_AFTER = [7, 40] + ([1, 2, 15, 90, 250, 400] if LONG else [])


@pytest.mark.parametrize("mode", ["tag", "undo"])
@pytest.mark.parametrize("kill_after", KILL_AFTER)
def test_kill_during_gui_edits_keeps_what_was_acknowledged(
    tmp_path: Path, mode: str, kill_after: int
) -> None:
    db = tmp_path / "p.db"
    with open_project(db) as project:
        _make_files(tmp_path / "in", 1, 30)
        import_paths(project, [tmp_path / "in"])
    proc = _gui_child(db, mode)
    last: dict[str, str] = {}  # span id -> "ack" or "undone", the last word said
    acks = 0
    try:
        for line in proc.stdout:
            word, _, span_id = line.strip().partition(" ")
            if word in ("ack", "undone"):
                last[span_id] = word
                acks += word == "ack"
                if acks == kill_after:
                    proc.send_signal(signal.SIGKILL)
                    break
    finally:
        proc.kill()
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, err
    assert _integrity(db) == "ok"
    stored = _spans_in(db, "amal")
    acked = {sid for sid, word in last.items() if word == "ack"}
    undone = {sid for sid, word in last.items() if word == "undone"}
    assert acks == kill_after
    assert acked <= stored
    assert not undone & stored
    if mode == "undo" and kill_after >= 40:
        assert undone  # the undo path was exercised before the kill
    # the database opens and takes edits again
    with open_project(db) as project:
        assert project.store.execute("SELECT count(*) FROM documents").fetchone()[0] == 30


def _visible_message_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


#: Imports the first file, says "first-stored", waits for the gate file, then
#: imports the rest: the GUI's first edit falls inside the import for sure.
GATED_IMPORT_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    db, folder, gate = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    files = sorted(folder.glob("*.jsonl"))
    with open_project(db) as project:
        import_paths(project, files[:1])
        print("first-stored", flush=True)
        while not gate.exists():
            time.sleep(0.01)
        import_paths(project, files[1:])
    print("finished", flush=True)
    """
)


def test_gui_edits_beside_an_import_lose_nothing(tmp_path: Path, qtbot) -> None:
    texts = [
        f"قال مارك أسبر في الرباط إن الاتفاق {i} مهم جدا للبلدين وأضاف أن الزيارة ناجحة"
        for i in range(12)
    ]
    window, ids = make_window(tmp_path, qtbot, texts, annotator="sara")
    db = tmp_path / "gui.db"
    errors: list[str] = []
    window.workspace.error.connect(errors.append)
    window.workspace.failed.connect(errors.append)
    owned = _make_files(tmp_path / "in", 12, 1000 if LONG else 300)
    gate = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    importer = subprocess.Popen(
        [sys.executable, "-c", GATED_IMPORT_CHILD, str(db), str(tmp_path / "in"), str(gate)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert importer.stdout.readline().strip() == "first-stored"
        view, tagged, done, passes = window.view, set(), [], 0
        overlapped = None
        while len(tagged) < 12 or (importer.poll() is None and passes < 4):
            doc_id, key = window.current.id, "1234"[passes]
            words = [(s, e) for s, e in tokenize(view.text) if e - s > 2]
            for start, end in words[:4]:
                select_text(view, start, end)
                qtbot.keyClick(view, key)
                tagged.add((doc_id, start, end, key))
                if overlapped is None:  # the first edit, made while the importer waits
                    overlapped = importer.poll() is None and window.workspace.stack.count() == 1
                    gate.touch()
            done.append(doc_id)
            window.actions_[Act.MARK_DONE].trigger()
            if window.current.id == doc_id:  # the last document: start again
                window.open_document(ids[0])
                passes += 1
        qtbot.waitUntil(lambda: not window.workspace.is_waiting, timeout=60_000)
        out, err = importer.communicate(timeout=120)
    finally:
        gate.touch()
        importer.kill()
    assert importer.returncode == 0, err
    assert "finished" in out and "locked" not in err
    assert overlapped
    assert errors == [] and "locked" not in window.last_message
    assert _visible_message_boxes() == []
    labels = {"1": "PER", "2": "ORG", "3": "LOC", "4": "MISC"}
    conn = sqlite3.connect(db)
    try:
        present = {r[0] for r in conn.execute("SELECT id FROM documents")}
        spans = set(
            conn.execute("SELECT doc_id, start, \"end\", label FROM spans WHERE layer = 'sara'")
        )
        statuses = dict(conn.execute("SELECT doc_id, status FROM progress WHERE layer = 'sara'"))
    finally:
        conn.close()
    assert spans == {(d, s, e, labels[k]) for d, s, e, k in tagged}
    assert all(statuses[doc_id] == "done" for doc_id in done)
    assert all(got <= present for got in owned.values())
    # the undo stack holds exactly the stored edits: undoing them all empties the layer
    stack = window.workspace.stack
    assert stack.count() == len(tagged) + len(set(done))
    # the list shows the imported documents once refreshed
    before = len(window.doc_model.rows)
    window.actions_[Act.REFRESH].trigger()
    model = window.doc_model
    while model.canFetchMore():
        model.fetchMore()
    assert before == len(texts)
    assert {row.id for row in model.rows} == present
    assert model.rowCount() == len(present) == len(texts) + sum(map(len, owned.values()))


class _Lock:
    """Another connection holding the database's write lock (BEGIN IMMEDIATE) until released."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


def _stored(db: Path, layer: str = "sara") -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute('SELECT start, "end", label FROM spans WHERE layer = ?', (layer,))
        return rows.fetchall()
    finally:
        conn.close()


TEXT = "قال وزير الدفاع مارك أسبر في الرباط إن الاتفاق مهم"


def test_an_edit_under_a_held_lock_waits_visibly_and_is_stored_after(tmp_path: Path, qtbot) -> None:
    window, ids = make_window(tmp_path, qtbot, [TEXT], annotator="sara")
    db = tmp_path / "gui.db"
    errors: list[str] = []
    window.workspace.error.connect(errors.append)
    window.workspace.timer.setInterval(20)
    lock = _Lock(db)
    start = TEXT.index("مارك أسبر")
    select_text(window.view, start, start + 9)
    qtbot.keyClick(window.view, "1")  # returns although the lock is held in this very thread
    window.actions_[Act.MARK_DONE].trigger()
    ws = window.workspace
    assert ws.is_waiting and window.wait_label.isVisible()
    assert "Waiting for another writer" in window.wait_label.text()
    assert ws.stack.count() == 0  # nothing on the stack that the database does not hold
    assert not window.actions_[Act.UNDO].isEnabled()
    assert _stored(db) == [] and window.view.index.spans == {}
    lock.release()
    qtbot.waitUntil(lambda: not ws.is_waiting, timeout=10_000)
    assert not window.wait_label.isVisible() and errors == []
    assert _stored(db) == [(start, start + 9, "PER")]
    assert ws.stack.count() == 2
    conn = sqlite3.connect(db)
    status = conn.execute("SELECT status FROM progress WHERE doc_id = ?", (ids[0],)).fetchone()
    conn.close()
    assert status == ("done",)
    window.undo()
    window.undo()
    assert _stored(db) == [] and ws.stack.index() == 0


def test_an_undo_under_a_held_lock_keeps_the_stack_true(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, [TEXT], annotator="sara")
    db = tmp_path / "gui.db"
    start = TEXT.index("الرباط")
    window.tag(start, start + 6, "LOC")
    ws = window.workspace
    ws.timer.setInterval(20)
    assert ws.stack.index() == 1
    lock = _Lock(db)
    window.undo()
    assert ws.is_waiting and ws.stack.index() == 1  # not undone: the stack says so too
    assert _stored(db) == [(start, start + 6, "LOC")]
    assert len(window.view.index.spans) == 1
    lock.release()
    qtbot.waitUntil(lambda: not ws.is_waiting, timeout=10_000)
    assert ws.stack.index() == 0 and _stored(db) == [] and window.view.index.spans == {}
    window.redo()
    assert ws.stack.index() == 1 and _stored(db) == [(start, start + 6, "LOC")]


def test_an_edit_that_cannot_be_saved_is_reported_plainly(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, [TEXT], annotator="sara")
    db = tmp_path / "gui.db"
    ws = window.workspace
    ws.max_attempts = 2
    ws.timer.setInterval(10)
    lost: list[str] = []
    ws.failed.connect(lost.append)
    lock = _Lock(db)
    try:
        start = TEXT.index("مارك أسبر")
        select_text(window.view, start, start + 9)
        qtbot.keyClick(window.view, "1")
        qtbot.waitUntil(lambda: bool(lost), timeout=10_000)
    finally:
        lock.release()
    assert not ws.is_waiting and ws.stack.count() == 0
    assert "could not be saved" in window.last_message
    (box,) = _visible_message_boxes()
    assert "could not be saved" in box.text() and not box.isModal()
    box.close()
    window.undo()  # nothing to undo, and no error
    assert _stored(db) == []
    qtbot.keyClick(window.view, "1")  # the database is free again: the edit is stored
    assert _stored(db) == [(start, start + 9, "PER")] and ws.stack.count() == 1


def test_closing_the_window_stores_the_edits_still_waiting(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, [TEXT], annotator="sara")
    db = tmp_path / "gui.db"
    lock = _Lock(db)
    start = TEXT.index("الرباط")
    select_text(window.view, start, start + 6)
    qtbot.keyClick(window.view, "3")
    assert window.workspace.is_waiting and _stored(db) == []
    lock.release()
    window.close()  # before the retry timer could run: closing stores it
    assert _stored(db) == [(start, start + 6, "LOC")]
