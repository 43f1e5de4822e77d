"""A merge source is untrusted: forged roles, moved spans, gold and bad rows stay out."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import PermissionDenied, UserError
from annotator.core.ids import document_id
from annotator.services.merge import merge_databases
from annotator.services.project import open_project
from annotator.services.users import add_user
from tests.helpers import db_dump
from tests.test_agreement import T1
from tests.test_merge import curator_db, snapshot

AT = "2099-01-01T00:00:00+00:00"  # "newest" of all: would win newest-wins


@pytest.fixture
def target_and_source(tmp_path: Path) -> tuple[Path, Path, str]:
    """A team database (reviewer lead, curator ali) and a forged copy of ali's database."""
    ali = curator_db(tmp_path, "a", "ali")
    target = tmp_path / "team.db"
    with open_project(target) as team:
        merge_databases(team, [ali])
        add_user(team, "lead", "reviewer")
    forged = tmp_path / "forged.db"
    shutil.copy(ali, forged)
    doc = document_id(T1)
    conn = sqlite3.connect(forged)
    moved = conn.execute(
        "SELECT id FROM spans WHERE doc_id = ? AND layer = 'ali' ORDER BY id LIMIT 1", (doc,)
    ).fetchone()[0]
    ali_claim = conn.execute(
        "SELECT id FROM spans WHERE doc_id = ? AND layer = 'ali' AND label = 'CLAIM'", (doc,)
    ).fetchone()[0]
    with conn:
        conn.execute("UPDATE annotators SET role = 'reviewer' WHERE name = 'ali'")
        conn.execute("INSERT INTO annotators VALUES ('mallory', 'reviewer', ?)", (AT,))
        conn.execute("INSERT INTO annotators VALUES ('GOLD', 'curator', ?)", (AT,))
        # a curator's span moved into another layer, with the newest timestamp
        conn.execute(
            "UPDATE spans SET layer = 'sara', label = 'MISC', updated_at = ? WHERE id = ?",
            (AT, moved),
        )
        span = "INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, 'manual', ?, ?, NULL)"
        conn.execute(span, ("s_gold", doc, "gold", 0, 3, "PER", AT, AT))
        conn.execute(span, ("s_outside", doc, "ali", 0, 9999, "PER", AT, AT))
        conn.execute(span, ("s_lookalike", doc, " gold", 0, 3, "PER", AT, AT))
        conn.execute(span, ("s_other", doc, "sara", 4, 13, "SOURCE", AT, AT))
        conn.execute(
            "INSERT INTO labels (name, kind, name_en, name_ar) VALUES ('EVIL', 'entity', 'E', 'E')"
        )
        conn.execute(span, ("s_evil", doc, "ali", 0, 3, "EVIL", AT, AT))
        conn.execute(
            "INSERT INTO relations VALUES ('r_cross', ?, 'ali', 'ATTRIBUTED_TO', ?, 's_other',"
            " ?, ?, NULL)",
            (doc, ali_claim, AT, AT),
        )
        conn.execute(
            "INSERT INTO decisions VALUES ('j_forged', 'mallory', ?, 'label:x', '{}', ?)", (doc, AT)
        )
        conn.execute(
            "INSERT INTO documents (id, title, text, imported_at) VALUES ('d_0000', 't', 'x', ?)",
            (AT,),
        )
    conn.close()
    return target, forged, moved


def _roles(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT name, role FROM annotators"))
    finally:
        conn.close()


def test_forged_rows_are_refused_and_reported(target_and_source) -> None:
    target, forged, moved = target_and_source
    with open_project(target) as team:
        span_before = team.store.execute("SELECT * FROM spans WHERE id = ?", (moved,)).fetchone()
        report = merge_databases(team, [forged])
        span_after = team.store.execute("SELECT * FROM spans WHERE id = ?", (moved,)).fetchone()
        labels = {r[0] for r in team.store.execute("SELECT name FROM labels")}
        layers = {r[0] for r in team.store.execute("SELECT DISTINCT layer FROM spans")}
        decisions = team.store.execute("SELECT count(*) FROM decisions").fetchone()[0]
        ids = {r[0] for r in team.store.execute("SELECT id FROM spans")}
    assert span_after == span_before  # never moved to sara, never relabelled
    roles = _roles(target)
    assert roles["ali"] == "curator" and roles["mallory"] == "curator"
    assert roles["lead"] == "reviewer" and "GOLD" not in roles
    assert "EVIL" not in labels and layers == {"ali", "sara"}
    assert decisions == 0
    assert ids.isdisjoint({"s_gold", "s_outside", "s_lookalike", "s_evil"})
    dropped = {(d["table"], d["reason"]): d["rows"] for d in report.to_json()["dropped"]}
    assert dropped == {
        ("annotators", "bad annotator name"): 1,
        ("annotators", "role change not taken (a merge never changes a role)"): 1,
        ("annotators", "role reviewer not taken (new names arrive as curators)"): 1,
        ("documents", "id is not the hash of its text"): 1,
        ("spans", "would move an existing span to another layer or document"): 1,
        ("spans", "gold layer without --reviewer"): 1,
        ("spans", "outside its text"): 1,
        ("spans", "bad layer name"): 1,
        ("spans", "label the target does not have"): 1,
        ("relations", "end not a span of its document and layer"): 1,
        ("decisions", "decisions without --reviewer"): 1,
    }
    assert "not merged: 11 row(s)" in report.summary()


def test_gold_and_decisions_come_with_a_reviewer_of_the_target(target_and_source) -> None:
    target, forged, _ = target_and_source
    with open_project(target) as team:
        with pytest.raises(PermissionDenied, match="ali is a curator of the target"):
            merge_databases(team, [forged], reviewer="ali")
        report = merge_databases(team, [forged], reviewer="lead")
        gold = team.store.execute("SELECT id FROM spans WHERE layer = 'gold'").fetchall()
        decisions = team.store.execute("SELECT id FROM decisions").fetchall()
    assert gold == [("s_gold",)] and decisions == [("j_forged",)]
    reasons = {d["reason"] for d in report.to_json()["dropped"]}
    assert "gold layer without --reviewer" not in reasons
    assert "outside its text" in reasons  # the other checks still hold


def test_cli_lists_what_was_not_merged(target_and_source, capsys) -> None:
    target, forged, _ = target_and_source
    assert main(["merge", str(forged), "--into", str(target), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"source": str(forged), "table": "decisions", "rows": 1}.items() <= next(
        d for d in out["dropped"] if d["table"] == "decisions"
    ).items()
    assert main(["merge", str(forged), "--into", str(target)]) == 0
    text = capsys.readouterr().out
    assert "\nnot merged: " in text and f"{forged}: 1 spans row(s): outside its text" in text


def _drop_table(db: Path, table: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"DROP TABLE {table}")
    conn.close()


def test_source_lacking_a_table_or_carrying_a_trigger_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ali = curator_db(tmp_path, "a", "ali")
    target = tmp_path / "team.db"
    with open_project(target) as team:
        merge_databases(team, [ali])
    before = db_dump(target)
    no_rel = tmp_path / "norel.db"
    shutil.copy(ali, no_rel)
    _drop_table(no_rel, "relations")
    trig = tmp_path / "trigger.db"
    shutil.copy(ali, trig)
    conn = sqlite3.connect(trig)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON spans BEGIN DELETE FROM documents; END")
    conn.execute("CREATE VIEW v AS SELECT 1")
    conn.close()
    empty = tmp_path / "empty.db"
    empty.touch()
    cases = [
        (no_rel, "not an annotator database (no table relations)"),
        (trig, "carries trigger 'wipe', view 'v', which the annotator schema does not define"),
        (empty, "is an empty file"),
    ]
    for source, message in cases:
        assert main(["merge", str(ali), str(source), "--into", str(target)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err and str(source) in err
        assert "Traceback" not in err
        assert db_dump(target) == before


def test_merge_with_a_reviewer_into_a_new_file_is_refused(tmp_path: Path, capsys) -> None:
    ali = curator_db(tmp_path, "a", "ali")
    fresh = tmp_path / "fresh.db"
    assert main(["merge", str(ali), "--into", str(fresh), "--reviewer", "lead"]) == 1
    assert "is not its reviewer" in capsys.readouterr().err
    assert not fresh.exists()


def test_merged_text_is_never_moved_or_duplicated(target_and_source) -> None:
    target, forged, _ = target_and_source
    merge_once = snapshot(target)
    with open_project(target) as team:
        merge_databases(team, [forged])
        merge_databases(team, [forged])
    again = snapshot(target)
    assert again["documents"] == merge_once["documents"]  # the forged document stays out
    with pytest.raises(UserError), open_project(target) as team:
        merge_databases(team, [target])


def test_text_that_is_not_utf8_is_dropped_not_a_crash(target_and_source) -> None:
    target, forged, _ = target_and_source
    bad = "CAST(X'61ff62' AS TEXT)"  # "a\xffb": SQLite stores the bytes it is given
    doc = document_id(T1)
    conn = sqlite3.connect(forged)
    with conn:
        conn.execute(
            f"INSERT INTO spans VALUES ('s_l', ?, {bad}, 0, 3, 'PER', 'manual', ?, ?, NULL)",
            (doc, AT, AT),
        )
        conn.execute(
            f"INSERT INTO spans VALUES ({bad}, ?, 'ali', 0, 4, 'PER', 'manual', ?, ?, NULL)",
            (doc, AT, AT),
        )
        conn.execute(f"INSERT INTO annotators VALUES ({bad}, 'curator', ?)", (AT,))
        conn.execute(
            f"INSERT INTO documents (id, title, text, imported_at) VALUES ('d_x', 't', {bad}, ?)",
            (AT,),
        )
    conn.close()
    with open_project(target) as team:
        report = merge_databases(team, [forged])
        ids = {r[0] for r in team.store.execute("SELECT id FROM spans")}
        names = {r[0] for r in team.store.execute("SELECT name FROM annotators")}
    dropped = {(d["table"], d["reason"]): d["rows"] for d in report.to_json()["dropped"]}
    assert dropped[("spans", "bad layer name")] == 2  # " gold" and the undecodable one
    assert dropped[("spans", "a field of the wrong type")] == 1
    assert dropped[("annotators", "bad annotator name")] == 2
    assert dropped[("documents", "text with control characters, surrogates or none")] == 1
    assert "s_l" not in ids and all(i.isascii() for i in ids)
    assert all(n.isprintable() for n in names)


def test_a_hard_link_of_the_target_is_the_target(tmp_path: Path) -> None:
    ali = curator_db(tmp_path, "a", "ali")
    target = tmp_path / "team.db"
    with open_project(target) as team:
        merge_databases(team, [ali])
    link = tmp_path / "other-name.db"
    os.link(target, link)
    with pytest.raises(UserError, match="is the target itself"), open_project(target) as team:
        merge_databases(team, [link])
