"""Crash safety and two writers with the real workspace window.

A child process drives the real main window (select text, press a label key,
undo, redo) and prints each edit once it is stored; the test kills it with
``SIGKILL`` and checks that the database passes ``PRAGMA integrity_check``
and holds exactly what was acknowledged. A second test edits in the window
while another process imports into the same database: nothing is lost, the
curator is shown no error, and the refreshed list shows the new documents.
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
from tests.test_reliability import IMPORT_CHILD, LONG, REPO, _integrity, _make_files

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


def test_gui_edits_beside_an_import_lose_nothing(tmp_path: Path, qtbot) -> None:
    texts = [
        f"قال مارك أسبر في الرباط إن الاتفاق {i} مهم جدا للبلدين وأضاف أن الزيارة ناجحة"
        for i in range(12)
    ]
    window, ids = make_window(tmp_path, qtbot, texts, annotator="sara")
    db = tmp_path / "gui.db"
    errors: list[str] = []
    window.workspace.error.connect(errors.append)
    owned = _make_files(tmp_path / "in", 12, 1000 if LONG else 300)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORT_CHILD, str(db), str(tmp_path / "in")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        for line in importer.stdout:  # start editing once the import writes
            if line.startswith("writing"):
                break
        view, tagged, done, passes = window.view, set(), [], 0
        overlapped = None
        while len(tagged) < 12 or (importer.poll() is None and passes < 4):
            doc_id, key = window.current.id, "1234"[passes]
            words = [(s, e) for s, e in tokenize(view.text) if e - s > 2]
            for start, end in words[:4]:
                select_text(view, start, end)
                qtbot.keyClick(view, key)
                tagged.add((doc_id, start, end, key))
                if overlapped is None:  # the first edit is stored: is the import still going?
                    overlapped = importer.poll() is None
            done.append(doc_id)
            window.actions_[Act.MARK_DONE].trigger()
            if window.current.id == doc_id:  # the last document: start again
                window.open_document(ids[0])
                passes += 1
        out, err = importer.communicate(timeout=120)
    finally:
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
    # the list shows the imported documents once refreshed
    before = len(window.doc_model.rows)
    window.actions_[Act.REFRESH].trigger()
    model = window.doc_model
    while model.canFetchMore():
        model.fetchMore()
    assert before == len(texts)
    assert {row.id for row in model.rows} == present
    assert model.rowCount() == len(present) == len(texts) + sum(map(len, owned.values()))


LOCK_HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
    print("released", flush=True)
    """
)


def test_an_edit_waits_for_another_writer_instead_of_failing(tmp_path: Path, qtbot) -> None:
    text = "قال وزير الدفاع مارك أسبر في الرباط إن الاتفاق مهم"
    window, ids = make_window(tmp_path, qtbot, [text], annotator="sara")
    db = tmp_path / "gui.db"
    errors: list[str] = []
    window.workspace.error.connect(errors.append)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db), "1.0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        start = text.index("مارك أسبر")
        select_text(window.view, start, start + len("مارك أسبر"))
        qtbot.keyClick(window.view, "1")  # waits for the other writer's lock
        window.actions_[Act.MARK_DONE].trigger()
        out, _ = holder.communicate(timeout=30)
    finally:
        holder.kill()
    assert "released" in out
    assert errors == [] and window.last_message == ""
    assert _visible_message_boxes() == []
    conn = sqlite3.connect(db)
    try:
        got = conn.execute('SELECT start, "end", label FROM spans WHERE layer = ?', ("sara",))
        assert got.fetchall() == [(start, start + 9, "PER")]
        status = conn.execute("SELECT status FROM progress WHERE doc_id = ?", (ids[0],))
        assert status.fetchone() == ("done",)
    finally:
        conn.close()
