"""Merging curators' databases: idempotent, order-independent, safe on bad input."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import UserError
from annotator.core.ids import document_id
from annotator.services.importing import import_paths
from annotator.services.merge import merge_databases
from annotator.services.project import open_project
from annotator.store import spans as span_store
from tests.helpers import drop_streaming_import_schema
from tests.test_agreement import LAYERS, LINKS, T1, T2, team_jsonl

SHARED_TEXT = "نشرت الصحيفة تقريرا عن الاقتصاد في المغرب"


def write_layer(path: Path, layer: str) -> Path:
    """Native JSONL holding only ``layer``'s records of the test team."""
    lines = []
    for (name, text), keys in LAYERS.items():
        if name != layer:
            continue
        spans = [
            {"id": f"s{i}", "start": s, "end": e, "label": lab}
            for i, (s, e, lab) in enumerate(keys)
        ]
        rels = (
            [{"label": "ATTRIBUTED_TO", "head": "s4", "tail": "s1"}]
            if (name, text) in LINKS
            else []
        )
        lines.append(json.dumps({"text": text, "layer": layer, "spans": spans, "relations": rels}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def curator_db(tmp_path: Path, name: str, *layers: str) -> Path:
    """A curator's own database: a shared article plus their layers."""
    db = tmp_path / f"{name}.db"
    shared = tmp_path / f"{name}_shared.txt"
    shared.write_text(SHARED_TEXT + "\n", encoding="utf-8")
    with open_project(db) as project:
        import_paths(project, [shared])
        for layer in layers:
            import_paths(project, [write_layer(tmp_path / f"{name}_{layer}.jsonl", layer)])
    return db


def snapshot(db: Path) -> dict:
    """Everything a merge may change, keyed so that import order does not matter."""
    conn = sqlite3.connect(db)
    try:
        q = lambda sql: sorted(conn.execute(sql).fetchall())  # noqa: E731
        return {
            "documents": q(
                "SELECT id, title, text, raw_sha256, source, meta, cluster, minhash, imported_at"
                " FROM documents"
            ),
            "spans": q("SELECT * FROM spans"),
            "relations": q("SELECT * FROM relations"),
            "annotators": q("SELECT name, role, created_at FROM annotators"),
            "progress": q("SELECT * FROM progress"),
            "decisions": q("SELECT * FROM decisions"),
            "labels": q("SELECT * FROM labels"),
            "events": conn.execute("SELECT count(*) FROM events").fetchone()[0],
            "seqs": q("SELECT seq FROM documents"),
        }
    finally:
        conn.close()


def merge(target: Path, *sources: Path):
    with open_project(target) as project:
        return merge_databases(project, list(sources))


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path, Path]:
    return (
        curator_db(tmp_path, "a", "ali"),
        curator_db(tmp_path, "b", "sara"),
        curator_db(tmp_path, "c", "omar"),
    )


def test_merge_brings_everything_and_search_finds_it(team, tmp_path: Path) -> None:
    target = tmp_path / "team.db"
    report = merge(target, *team)
    # T1, T2, T3 and the shared article (imported by all three: one document).
    assert report.documents == 4
    snap = snapshot(target)
    assert [d[0] for d in snap["documents"]] == sorted(
        document_id(t) for t in (T1, T2, SHARED_TEXT, LAYERS_T3)
    )
    assert snap["seqs"] == [(1,), (2,), (3,), (4,)]
    assert len(snap["spans"]) == sum(len(k) for k in LAYERS.values())
    assert len(snap["relations"]) == 2
    assert {a[0] for a in snap["annotators"]} == {"ali", "sara", "omar"}
    with open_project(target) as project:
        hits = project.store.execute(
            "SELECT d.id FROM search JOIN documents d ON d.seq = search.rowid WHERE search MATCH ?",
            ("الرباط",),
        ).fetchall()
    assert hits == [(document_id(T1),)]


LAYERS_T3 = next(text for (_, text) in LAYERS if text not in (T1, T2))


def test_merging_twice_changes_nothing(team, tmp_path: Path) -> None:
    target = tmp_path / "team.db"
    merge(target, *team)
    before = snapshot(target)
    again = merge(target, *team)
    assert again.to_json() | {"sources": []} == {
        "sources": [],
        "documents": 0,
        "spans": 0,
        "relations": 0,
        "annotators": 0,
        "progress": 0,
        "decisions": 0,
        "edited_twice": [],
        "dropped": [],
        "edges_widened": 0,
        "first_widened": None,
    }
    assert snapshot(target) == before


def test_merge_order_does_not_matter(team, tmp_path: Path) -> None:
    a, b, c = team
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    merge(one, a)
    merge(one, b, c)
    merge(two, c, b)
    merge(two, a)
    s1, s2 = snapshot(one), snapshot(two)
    for table in ("documents", "spans", "relations", "annotators", "progress"):
        assert s1[table] == s2[table], table
    for word in ("الرباط", "الوزير", "الحكومة", "الاقتصاد"):
        assert search(one, word) == search(two, word) != []


def search(db: Path, word: str) -> list[str]:
    """Ids of the documents the search index finds ``word`` in."""
    with open_project(db) as project:
        rows = project.store.execute(
            "SELECT d.id FROM search JOIN documents d ON d.seq = search.rowid"
            " WHERE search MATCH ? ORDER BY d.id",
            (word,),
        ).fetchall()
    return [r[0] for r in rows]


def test_same_spans_under_other_ids_merge_to_one(tmp_path: Path) -> None:
    # Two machines imported the very same annotated file: equal spans, other ids.
    src = team_jsonl(tmp_path / "team.jsonl")
    x, y = tmp_path / "x.db", tmp_path / "y.db"
    for db in (x, y):
        with open_project(db) as project:
            import_paths(project, [src])
    ids_x = {r[0] for r in snapshot(x)["spans"]}
    ids_y = {r[0] for r in snapshot(y)["spans"]}
    assert ids_x.isdisjoint(ids_y)
    xy, yx = tmp_path / "xy.db", tmp_path / "yx.db"
    merge(xy, x, y)
    merge(yx, y, x)
    sx, sy = snapshot(xy), snapshot(yx)
    assert sx["spans"] == sy["spans"]
    assert sx["relations"] == sy["relations"]
    assert len(sx["spans"]) == len(ids_x)
    # of each pair of equal spans the smaller id is kept; links point at kept spans
    key = lambda r: r[1:6]  # noqa: E731  (doc, layer, start, end, label)
    by_key_y = {key(r): r[0] for r in snapshot(y)["spans"]}
    smaller = {min(r[0], by_key_y[key(r)]) for r in snapshot(x)["spans"]}
    kept = {r[0] for r in sx["spans"]}
    assert kept == smaller
    assert all(r[4] in kept and r[5] in kept for r in sx["relations"])
    assert len(sx["relations"]) == 2


def test_span_edited_in_two_places_keeps_newest(team, tmp_path: Path) -> None:
    a = team[0]
    a2 = tmp_path / "a2.db"
    shutil.copy(a, a2)
    doc = document_id(T2)
    with open_project(a) as project:
        span = span_store.for_document(project.store, doc, "ali")[0]
        with project.store.transaction():
            span_store.update_label(project.store, span.id, "MISC", "2030-01-01T00:00:00+00:00")
    with open_project(a2) as project, project.store.transaction():
        span_store.update_label(project.store, span.id, "PER", "2031-01-01T00:00:00+00:00")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    merge(one, a)
    report = merge(one, a2)
    assert report.edited_twice == [
        (span.id, str(a2), "2030-01-01T00:00:00+00:00", "2031-01-01T00:00:00+00:00")
    ]
    assert "kept" in report.summary() and span.id in report.summary()
    merge(two, a2)
    report = merge(two, a)
    assert report.edited_twice == [
        (span.id, "target", "2031-01-01T00:00:00+00:00", "2030-01-01T00:00:00+00:00")
    ]
    for db in (one, two):
        with open_project(db) as project:
            assert span_store.get(project.store, span.id).label == "PER"
    assert snapshot(one)["spans"] == snapshot(two)["spans"]


def test_bad_sources_are_refused_and_target_unchanged(team, tmp_path: Path) -> None:
    target = tmp_path / "team.db"
    merge(target, team[0])
    before = snapshot(target)
    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n" * 100, encoding="utf-8")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    newer = tmp_path / "newer.db"
    shutil.copy(team[1], newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    cases = [
        (text, "not an annotator database"),
        (other, "not an annotator database"),
        (newer, "schema version 99 is newer"),
        (tmp_path / "missing.db", "no such database"),
        (target, "is the target itself"),
    ]
    for bad, message in cases:
        # the good source first: nothing of it may land either
        with pytest.raises(UserError, match=message):
            merge(target, team[1], bad)
        assert snapshot(target) == before


def test_cli_merge(team, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "team.db"
    code = main(["merge", *map(str, team), "--into", str(target), "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["documents"] == 4
    code = main(["merge", str(team[0]), "--into", str(target)])
    out, _ = capsys.readouterr()
    assert out.startswith("merged 1 database(s): 0 document(s), 0 span(s)")
    bad = tmp_path / "bad.db"
    bad.write_text("nope", encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    code = main(["merge", str(bad), "--into", str(fresh)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith(f"annotator: error: {bad}: not an annotator database")
    assert not fresh.exists()


def test_older_source_is_merged_from_an_upgraded_copy_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    source = curator_db(tmp_path, "old", "ali")
    conn = sqlite3.connect(source)  # make it look like a file from schema version 1
    conn.execute("DROP TABLE rejected_suggestions")
    drop_streaming_import_schema(conn)
    triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (name,) in triggers:  # the hub's change log (schema version 4)
        conn.execute(f"DROP TRIGGER {name}")
    for table in ("hub_state", "assignments", "sync_log"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TABLE notes")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = source.read_bytes()
    with open_project(tmp_path / "team.db") as team_db:
        report = merge_databases(team_db, [source])
        assert report.spans > 0
    assert source.read_bytes() == before
