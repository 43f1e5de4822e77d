"""Pushed rows travel as COPY CSV text that SQLite writes: every value must
come back exactly, whatever characters it holds."""

from __future__ import annotations

import json
import sqlite3

import psycopg
import pytest

from annotator.core.model import Note
from annotator.services import annotate, notes
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from annotator.store.sync_push import COPY_OPTIONS, CopyText
from tests.hub.conftest import Hub, PgServer

#: Text that a naive CSV, COPY text format or NULL marker would mangle.
AWKWARD = [
    "it's",
    "a,b",
    "two\nlines",
    "crlf\r\nline",
    "lone\rcr",
    "back\\slash",
    "\\.",
    "end\n\\.\nmore",
    "tab\there",
    "NULL",
    "\\N",
    "",
    " padded ",
    '"double" quotes',
    "قال: «نعم»، وغادر 😀",
]


def test_sqlite_lines_come_back_exactly(pg_server: PgServer) -> None:
    db = pg_server.create_database()
    local = sqlite3.connect(":memory:")  # the same SQL function push_rows uses
    local.execute("CREATE TABLE t (a TEXT, b INTEGER, c INTEGER)")
    rows = [(text, i, i % 2) for i, text in enumerate(AWKWARD)] + [(None, None, None)]
    local.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    lines = [r[0] for r in local.execute("SELECT format('%Q,%Q,%Q', a, b, c) FROM t")]
    local.close()
    for copy_text in (CopyText.of_lines(lines), CopyText.of_tuples(rows)):
        assert copy_text.count == len(rows)
        with psycopg.connect(pg_server.url(db), autocommit=True) as conn:
            conn.execute("CREATE TEMP TABLE back (a text, b integer, c boolean)")
            with conn.cursor().copy(f"COPY back FROM STDIN {COPY_OPTIONS}") as copy:
                copy.write(copy_text.text)
            got = conn.execute("SELECT a, b, c FROM back").fetchall()
        expected = [(a, b, None if c is None else bool(c)) for a, b, c in rows]
        assert sorted(got, key=repr) == sorted(expected, key=repr)


@pytest.mark.parametrize("text", ['it\'s, "quoted"\n\\.\nNULL\r\nend', "NULL"])
def test_awkward_documents_and_notes_reach_the_reviewer_unchanged(
    hub: Hub, tmp_path, text: str
) -> None:
    urls = {"amal": hub.add("amal", "curator"), "rana": hub.add("rana", "reviewer")}
    src = tmp_path / "in.jsonl"
    body = f"{text} قال الوزير في الرباط"
    src.write_text(json.dumps({"text": body, "title": "NULL"}) + "\n", encoding="utf-8")
    amal, rana = open_project(tmp_path / "amal.db"), open_project(tmp_path / "rana.db")
    try:
        import_paths(amal, [src])
        annotate.register(amal, "amal", "curator")
        annotate.register(rana, "rana", "reviewer")
        doc = amal.store.execute("SELECT id FROM documents").fetchone()[0]
        start = body.index("الرباط")
        span = annotate.add_span(amal, "amal", doc, start, start + 6, "LOC").span
        notes.set_note(amal, "amal", Note(doc, "amal", span.id, "\n".join(AWKWARD)))
        from annotator.services.sync import sync

        sync(amal, urls["amal"])
        sync(rana, urls["rana"])
        got = rana.store.execute("SELECT id, title, text FROM documents").fetchall()
        assert got == amal.store.execute("SELECT id, title, text FROM documents").fetchall()
        assert got[0][2] == body
        assert notes.note_of(rana, doc, "amal", span.id).text == "\n".join(AWKWARD)
    finally:
        amal.close()
        rana.close()
