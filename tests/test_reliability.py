"""Crash safety and two writers, with real processes on a real database file.

``kill -9`` during an import (at several moments) and during edits must leave
a database that passes ``PRAGMA integrity_check``, with every acknowledged
edit present and every file imported all or nothing. Two processes writing
one database both finish, and nobody sees "database is locked".
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotator.core.ids import document_id
from annotator.services.importing import import_paths
from annotator.services.project import open_project

LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"
REPO = Path(__file__).resolve().parents[1]

IMPORT_CHILD = textwrap.dedent(
    """
    import sys
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    def progress(done, total, what):
        print(what, flush=True)
        return True

    with open_project(sys.argv[1]) as project:
        import_paths(project, [sys.argv[2]], progress=progress)
    print("finished", flush=True)
    """
)

EDIT_CHILD = textwrap.dedent(
    """
    import sys
    from annotator.services import annotate
    from annotator.services.project import open_project

    with open_project(sys.argv[1]) as project:
        annotate.register(project, sys.argv[2])
        doc_ids = [r[0] for r in project.store.execute("SELECT id FROM documents ORDER BY seq")]
        n = int(sys.argv[3])
        for i in range(n):
            doc = doc_ids[i % len(doc_ids)]
            changes = annotate.add_span(project, sys.argv[2], doc, i % 50, i % 50 + 3, "PER")
            if changes:
                print("ack", changes.span.id, flush=True)
    print("finished", flush=True)
    """
)


def _child(script: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _make_files(folder: Path, n_files: int, docs_per_file: int) -> dict[str, set[str]]:
    """JSONL files of distinct documents; returns file name -> its document ids."""
    folder.mkdir()
    owned: dict[str, set[str]] = {}
    for f in range(n_files):
        recs = []
        for d in range(docs_per_file):
            text = f"الملف {f} الخبر {d}: قال مارك أسبر في الرباط إن الاتفاق مهم جدا {f * 7919 + d}"
            spans = [{"start": 17, "end": 26, "label": "PER"}] if d % 2 else []
            recs.append({"text": text, "layer": "amal", "spans": spans})
        path = folder / f"batch{f:02d}.jsonl"
        path.write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8"
        )
        owned[path.name] = {document_id(r["text"]) for r in recs}
    return owned


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("kill_after", [1, 4, 9] + ([2, 3, 5, 6, 7, 8, 10, 11] if LONG else []))
def test_kill_during_import_leaves_whole_files(tmp_path: Path, kill_after: int) -> None:
    db = tmp_path / "p.db"
    open_project(db).close()
    owned = _make_files(tmp_path / "in", 12, 150)
    proc = _child(IMPORT_CHILD, str(db), str(tmp_path / "in"))
    writes = 0
    for line in proc.stdout:
        if line.startswith("writing"):
            writes += 1
            if writes == kill_after:
                time.sleep(0.002 * kill_after)  # land inside the file's transaction
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert _integrity(db) == "ok"
    conn = sqlite3.connect(db)
    present = {r[0] for r in conn.execute("SELECT id FROM documents")}
    span_docs = {r[0] for r in conn.execute("SELECT DISTINCT doc_id FROM spans")}
    conn.close()
    complete = 0
    for name, ids in owned.items():
        got = ids & present
        assert got in (set(), ids), f"{name} imported partially: {len(got)} of {len(ids)}"
        complete += bool(got)
    assert complete < len(owned)  # the kill happened before the end
    assert span_docs <= present
    # the interrupted import can simply be run again
    with open_project(db) as project:
        import_paths(project, [tmp_path / "in"])
        assert project.store.execute("SELECT count(*) FROM documents").fetchone()[0] == 1800


def test_kill_during_edits_keeps_every_acknowledged_edit(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with open_project(db) as project:
        _make_files(tmp_path / "in", 1, 20)
        import_paths(project, [tmp_path / "in"])
    proc = _child(EDIT_CHILD, str(db), "amal", "100000")
    acked = []
    for line in proc.stdout:
        if line.startswith("ack"):
            acked.append(line.split()[1])
            if len(acked) == (400 if LONG else 60):
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert _integrity(db) == "ok"
    conn = sqlite3.connect(db)
    stored = {r[0] for r in conn.execute("SELECT id FROM spans WHERE layer = 'amal'")}
    conn.close()
    assert set(acked) <= stored


def test_two_writers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with open_project(db) as project:
        _make_files(tmp_path / "seed", 1, 50)
        import_paths(project, [tmp_path / "seed"])
    owned = _make_files(tmp_path / "in", 6, 300)
    n_edits = 600 if LONG else 150
    importer = _child(IMPORT_CHILD, str(db), str(tmp_path / "in"))
    editor = _child(EDIT_CHILD, str(db), "badr", str(n_edits))
    _, err_i = importer.communicate(timeout=120)
    out_e, err_e = editor.communicate(timeout=120)
    assert importer.returncode == 0, err_i
    assert editor.returncode == 0, err_e
    assert "locked" not in err_i + err_e
    acked = [line.split()[1] for line in out_e.splitlines() if line.startswith("ack")]
    conn = sqlite3.connect(db)
    present = {r[0] for r in conn.execute("SELECT id FROM documents")}
    stored = {r[0] for r in conn.execute("SELECT id FROM spans WHERE layer = 'badr'")}
    conn.close()
    assert all(ids <= present for ids in owned.values())
    assert len(set(acked)) == len(stored) and set(acked) == stored
    assert _integrity(db) == "ok"
