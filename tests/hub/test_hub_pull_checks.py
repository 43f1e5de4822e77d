"""Rows from the hub are untrusted: bad ones are skipped and named, the rest applied.

The hub's owner (a superuser here, past every policy) plants bad rows; a
reviewer's pull leaves them out with one line each and applies the rest.
Also: a reviewer's gold, decisions and labels reach another reviewer.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from annotator.core.model import GOLD, Label
from annotator.services import review
from annotator.services.project import open_project
from annotator.services.sync import sync
from annotator.store import meta
from tests.hub.conftest import Hub
from tests.hub.team import REVIEWER, TEXTS, Team, layer_of, local_snapshot
from tests.hub.test_hub_sync import tag

_SPAN = (
    'INSERT INTO hub.spans (id, doc_id, layer, start, "end", label, origin, created_at,'
    " updated_at, changed_at, source_db) VALUES (%s, %s, 'amal', %s, %s, %s, %s, 't', 't', 't',"
    " 'planted')"
)


def test_bad_rows_are_skipped_and_named(hub: Hub, tmp_path: Path) -> None:
    team = Team(hub, tmp_path)
    try:
        good = tag(team, "amal", 0, "مارك أسبر", "PER")
        team.sync("amal")
        doc = team.doc_ids[0]
        n = len(TEXTS[0]) + 1  # the stored text ends with no newline: past the end either way
        with psycopg.connect(hub.admin_url, autocommit=True) as conn:
            conn.execute(_SPAN, ("s_past_end", doc, 5, n + 5, "PER", "manual"))
            conn.execute(_SPAN, ("s_backwards", doc, 9, 3, "PER", "manual"))
            conn.execute(_SPAN, ("s_bad_label", doc, 0, 3, "NOPE", "manual"))
            conn.execute(_SPAN, ("s_bad_origin", doc, 0, 3, "PER", "<script>"))
            conn.execute(_SPAN, ("s_no_doc", "d_0000000000000000", 0, 3, "PER", "manual"))
            conn.execute(
                "INSERT INTO hub.documents (id, title, text, raw_sha256, source, meta, cluster,"
                " imported_at, source_db) VALUES ('d_0000000000000000', '', 'forged text', '',"
                " '', '{}', '', '', 'planted')"
            )
            conn.execute(
                "INSERT INTO hub.progress (doc_id, layer, status, updated_at, changed_at,"
                " source_db) VALUES (%s, 'amal', 'finished', 't', 't', 'planted')",
                (team.doc_ids[1],),
            )
        report = team.sync(REVIEWER)
        problems = "\n".join(report.skipped)
        for expected in (
            "span s_past_end",
            "span s_backwards",
            "unknown label 'NOPE'",
            "unknown origin '<script>'",
            "span s_no_doc",
            "document d_0000000000000000: its text does not hash to its id",
            "unknown status 'finished'",
        ):
            assert expected in problems, (expected, problems)
        assert len(report.skipped) == 7
        got = layer_of(local_snapshot(team.dbs[REVIEWER]), "amal")["spans"]
        assert [s[2:5] for s in got] == [(good.start, good.end, "PER")]
        assert "skipped span s_past_end" in report.summary()
    finally:
        team.close()


def test_gold_decisions_and_labels_reach_another_reviewer(hub: Hub, tmp_path: Path) -> None:
    team = Team(hub, tmp_path)
    try:
        for who in ("amal", "bilal"):
            tag(team, who, 0, "مارك أسبر", "PER")
            team.sync(who)
        rana = team.dbs[REVIEWER]
        with rana.store.transaction():
            meta.insert_labels(
                rana.store, [Label("EVT", "entity", "Event", "حدث", "#abc", "7")], []
            )
        rana.reload_schema()
        team.sync(REVIEWER)
        review.adjudicate_auto(rana, REVIEWER)
        tag(team, REVIEWER, 1, "طنجة", "EVT", GOLD)
        team.sync(REVIEWER)
        sami_url = hub.add("sami", "reviewer")
        with open_project(tmp_path / "sami.db") as sami:
            sync(sami, sami_url)
            mine = local_snapshot(sami)
            assert sami.schema.label("EVT") is not None, "the label schema came along"
        theirs = local_snapshot(rana)
        assert layer_of(mine, GOLD) == layer_of(theirs, GOLD)
        assert mine["decisions"] == theirs["decisions"] and mine["decisions"]
        # a curator never receives gold or decisions
        team.sync("amal")
        amal = local_snapshot(team.dbs["amal"])
        assert layer_of(amal, GOLD)["spans"] == [] and amal["decisions"] == []
        assert team.dbs["amal"].schema.label("EVT") is not None
    finally:
        team.close()


def test_rejected_suggestions_follow_their_curator(hub: Hub, tmp_path: Path) -> None:
    from annotator.core.suggest import Suggestion
    from annotator.services.suggest import reject

    team = Team(hub, tmp_path)
    try:
        start = TEXTS[0].index("الرباط")
        reject(
            team.dbs["amal"],
            "amal",
            Suggestion(team.doc_ids[0], start, start + 6, "LOC", "propagated", layer="amal"),
        )
        report = team.sync("amal")
        assert report.pushed.get("rejected") == 1
        with open_project(tmp_path / "amal-laptop2.db") as second:  # the same person elsewhere
            report = sync(second, team.urls["amal"])
            assert report.pulled["rejected"] == 1
            got = second.store.execute(
                'SELECT doc_id, layer, start, "end", label FROM rejected_suggestions'
            ).fetchall()
        assert got == [(team.doc_ids[0], "amal", start, start + 6, "LOC")]
        team.sync("bilal")
        assert team.sql("bilal", "SELECT count(*) FROM rejected_suggestions") == [(0,)]
        team.sync(REVIEWER)
        assert team.sql(REVIEWER, "SELECT count(*) FROM rejected_suggestions") == [(1,)]
        assert team.sync("amal").pushed == {}, "pushing again sends nothing"
    finally:
        team.close()


def test_two_reviewers_on_one_gold_span_newest_change_wins(hub: Hub, tmp_path: Path) -> None:
    """Whoever syncs first, the later change to a gold span is what both end with."""
    from annotator.services import annotate

    for first in ("rana", "sami"):
        team = Team(hub, tmp_path / first, corpus_for=(REVIEWER,))
        try:
            sami_url = hub.add("sami", "reviewer")
            gold = tag(team, REVIEWER, 0, "مارك أسبر", "PER", GOLD)
            team.sync(REVIEWER)
            with open_project(tmp_path / first / "sami.db") as sami:
                sync(sami, sami_url)
                annotate.delete_span(sami, "sami", gold.id)  # sami removes it at 10:00…
                rana = team.dbs[REVIEWER]
                gone = annotate.delete_span(rana, REVIEWER, gold.id)
                span, rels = gone.spans_removed[0], gone.relations_removed
                annotate.restore_span(rana, REVIEWER, span, rels)  # …rana keeps it at 10:05
                # Both happened within a millisecond here; give them the clock
                # times of two people working minutes apart.
                for project, at in (
                    (sami, "2030-01-01T10:00:00.000"),
                    (rana, "2030-01-01T10:05:00.000"),
                ):
                    project.store.execute("UPDATE sync_log SET at = ?", (at,))
                order = [(sami, sami_url), (rana, team.urls[REVIEWER])]
                if first == "rana":
                    order.reverse()
                for _ in range(2):
                    for project, url in order:
                        sync(project, url)
                for project in (sami, rana):
                    spans = layer_of(local_snapshot(project), GOLD)["spans"]
                    assert [s[4] for s in spans] == ["PER"], (first, project.store.path)
        finally:
            team.close()
        with psycopg.connect(hub.admin_url, autocommit=True) as conn:  # the next round afresh
            conn.execute("DELETE FROM hub.spans")


def test_a_push_the_hub_turns_down_brings_the_hub_row_back(hub: Hub, tmp_path: Path) -> None:
    """sami's clock runs ahead: rana's later change loses on the hub, and rana's
    file takes the hub's row, so the two files never drift apart."""
    from annotator.services import annotate

    team = Team(hub, tmp_path, corpus_for=(REVIEWER,))
    try:
        sami_url = hub.add("sami", "reviewer")
        gold = tag(team, REVIEWER, 0, "مارك أسبر", "PER", GOLD)
        team.sync(REVIEWER)
        with open_project(tmp_path / "sami.db") as sami:
            sync(sami, sami_url)
            annotate.delete_span(sami, "sami", gold.id)
            sami.store.execute("UPDATE sync_log SET at = '2099-01-01T00:00:00.000'")
            sync(sami, sami_url)  # the hub now holds sami's deletion, dated 2099
            rana = team.dbs[REVIEWER]
            team.sync(REVIEWER)  # rana has seen the deletion…
            assert layer_of(local_snapshot(rana), GOLD)["spans"] == []
            annotate.restore_span(rana, REVIEWER, gold, [])  # …and puts the span back, "earlier"
            report = team.sync(REVIEWER)
            assert report.pushed.get("spans") == 0, "the hub keeps the change dated later"
            assert layer_of(local_snapshot(rana), GOLD)["spans"] == [], "rana takes it too"
            sync(sami, sami_url)
            assert layer_of(local_snapshot(sami), GOLD) == layer_of(local_snapshot(rana), GOLD)
    finally:
        team.close()


def test_look_alike_layer_names_from_the_hub_are_skipped(hub: Hub, tmp_path: Path) -> None:
    """Names from the hub pass the checks an import makes: a layer or a person
    spelt with a Cyrillic letter among Latin ones is not taken in."""
    team = Team(hub, tmp_path)
    try:
        doc = team.doc_ids[0]
        forged = "g\u043eld"  # Cyrillic о
        with psycopg.connect(hub.admin_url, autocommit=True) as conn:
            conn.execute("SELECT hub.add_layer(%s)", (forged,))
            conn.execute(
                _SPAN.replace("'amal'", "%s"), ("s_forged", doc, forged, 0, 3, "PER", "manual")
            )
            conn.execute("INSERT INTO hub.people (name, role) VALUES ('r\u0430na', 'reviewer')")
        report = team.sync(REVIEWER)
        problems = "\n".join(report.skipped)
        assert "span s_forged" in problems and "Cyrillic" in problems
        assert "person 'r\u0430na'" in problems
        assert team.sql(REVIEWER, "SELECT count(*) FROM spans WHERE layer = ?", (forged,)) == [(0,)]
        assert "r\u0430na" not in meta.annotators(team.dbs[REVIEWER].store)
    finally:
        team.close()
