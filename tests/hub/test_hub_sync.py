"""Three curators and a reviewer sync through one hub in every order: same result.

Both rounds edit and delete on every side (curators in their layers, the
reviewer in gold); after everyone has synced twice, each file holds exactly
what it may see, the reviewer's copy of a curator's layer is that curator's
layer, and the outcome does not depend on who synced first.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from annotator.core.model import GOLD
from annotator.services import annotate
from annotator.services.hub_admin import init_hub
from tests.hub.conftest import Hub, PgServer
from tests.hub.team import (
    CURATORS,
    REVIEWER,
    TEXTS,
    Team,
    hub_snapshot,
    layer_of,
    local_snapshot,
)

ALL_ORDERS = list(itertools.permutations((*CURATORS, REVIEWER)))
#: Without ANNOTATOR_LONG_TESTS: the reviewer last, in between and first, the
#: curators in both directions; with it, all 24 orders.
SOME_ORDERS = [ALL_ORDERS[i] for i in (0, 14, 23)]


def at(doc: int, word: str) -> tuple[int, int]:
    """(start, end) of ``word`` in article ``doc``."""
    start = TEXTS[doc].index(word)
    return start, start + len(word)


def tag(team: Team, who: str, doc: int, word: str, label: str, layer: str | None = None):
    start, end = at(doc, word)
    project = team.dbs[who]
    return annotate.add_span(project, who, team.doc_ids[doc], start, end, label, layer=layer).span


def round_one(team: Team) -> dict:
    """Everyone annotates; returns spans the second round edits."""
    kept: dict = {}
    for who in CURATORS:
        tag(team, who, 0, "مارك أسبر", "PER")
        annotate.set_status(team.dbs[who], who, team.doc_ids[0], "done")
    kept["amal_loc"] = tag(team, "amal", 0, "الرباط", "LOC")
    tag(team, "bilal", 0, "الرباط", "LOC")
    tag(team, "camil", 0, "وزير الخارجية", "ORG")
    claim = tag(team, "amal", 0, "الاتفاق العسكري قريب من التوقيع", "CLAIM")
    source = tag(team, "amal", 0, "وزير الخارجية مارك أسبر", "SOURCE")
    annotate.add_relation(team.dbs["amal"], "amal", claim.id, source.id)
    kept["amal_claim"] = claim
    kept["bilal_per"] = annotate.layer_spans(team.dbs["bilal"], team.doc_ids[0], "bilal")
    tag(team, REVIEWER, 0, "مارك أسبر", "PER", GOLD)
    kept["gold_loc"] = tag(team, REVIEWER, 1, "طنجة", "LOC", GOLD)
    return kept


def round_two(team: Team, kept: dict) -> None:
    """Edits and deletions on every side."""
    amal = team.dbs["amal"]
    annotate.delete_span(amal, "amal", kept["amal_loc"].id)
    tag(team, "amal", 1, "طنجة", "LOC")
    gone = annotate.delete_span(amal, "amal", kept["amal_claim"].id)
    span, rels = gone.spans_removed[0], gone.relations_removed
    annotate.restore_span(amal, "amal", span, rels)  # undo: the same ids come back
    per = next(s for s in kept["bilal_per"] if s.label == "PER")
    annotate.delete_span(team.dbs["bilal"], "bilal", per.id)
    tag(team, "bilal", 0, "مارك أسبر", "PER")  # the same span again, under a new id
    annotate.set_status(team.dbs["camil"], "camil", team.doc_ids[0], "skipped")
    tag(team, "camil", 2, "الدار البيضاء", "LOC")  # after an emoji? before it: offsets hold
    tag(team, "camil", 2, "للقاء", "MISC")  # after the emoji
    rana = team.dbs[REVIEWER]
    annotate.delete_span(rana, REVIEWER, kept["gold_loc"].id)
    tag(team, REVIEWER, 1, "وزارة الدفاع المغربية", "ORG", GOLD)
    annotate.set_status(rana, REVIEWER, team.doc_ids[1], "done", layer=GOLD)


def run(team: Team, order: tuple[str, ...]) -> dict:
    kept = round_one(team)
    for who in order:
        team.sync(who)
    round_two(team, kept)
    for _ in range(2):
        for who in order:
            team.sync(who)
    return {
        "hub": hub_snapshot(team.hub),
        "reviewer": local_snapshot(team.dbs[REVIEWER]),
        **{who: local_snapshot(team.dbs[who]) for who in CURATORS},
    }


def check_consistent(result: dict) -> None:
    """Within one run: every file holds what it may see, and agrees with the hub."""
    hub, reviewer = result["hub"], result["reviewer"]
    for who in CURATORS:
        mine = result[who]
        assert {s[1] for s in mine["spans"]} == {who}, "curators are blind to other layers"
        assert {p[1] for p in mine["progress"]} == {who}
        assert layer_of(mine, who) == layer_of(reviewer, who)
        hub_layer = layer_of(hub, who)
        assert hub_layer["spans"] == [s[:5] for s in layer_of(mine, who)["spans"]]
        assert hub_layer["relations"] == layer_of(mine, who)["relations"]
        assert hub_layer["progress"] == layer_of(mine, who)["progress"]
        assert mine["documents"] == hub["documents"] == reviewer["documents"]
    assert layer_of(hub, GOLD)["spans"] == [s[:5] for s in layer_of(reviewer, GOLD)["spans"]]


def _orders() -> list[tuple[str, ...]]:
    return ALL_ORDERS if os.environ.get("ANNOTATOR_LONG_TESTS") == "1" else SOME_ORDERS


def test_every_order_twice_gives_one_result(pg_server: PgServer, tmp_path: Path) -> None:
    results = []
    for i, order in enumerate(_orders()):
        hub = Hub(pg_server, pg_server.create_database())
        init_hub(hub.admin_url)
        team = Team(hub, tmp_path / f"run{i}")
        try:
            result = run(team, order)
            check_consistent(result)
            for who in order:  # everything has settled: another round changes nothing
                report = team.sync(who)
                assert not any(report.pushed.values()), (who, report.pushed)
                assert not any(report.pulled.values()), (who, report.pulled)
        finally:
            team.close()
        results.append((order, result))
    first_order, first = results[0]
    for order, result in results[1:]:
        assert result == first, f"{order} differs from {first_order}"


def test_a_batch_read_in_many_parts_gives_the_same_result(
    pg_server: PgServer, tmp_path: Path, monkeypatch
) -> None:
    """Parts of one log entry each (every document its own part, applied by the
    worker while the next is read) end as one part per batch does."""
    from annotator.store import sync_push

    results = []
    for i, part in enumerate((sync_push.PART, 1)):
        monkeypatch.setattr(sync_push, "PART", part)
        hub = Hub(pg_server, pg_server.create_database())
        init_hub(hub.admin_url)
        team = Team(hub, tmp_path / f"part{i}")
        try:
            result = run(team, SOME_ORDERS[0])
            check_consistent(result)
            results.append(result)
        finally:
            team.close()
    assert results[0] == results[1]


def test_the_scenario_holds_what_it_should(hub: Hub, tmp_path: Path) -> None:
    team = Team(hub, tmp_path)
    try:
        result = run(team, (*CURATORS, REVIEWER))
    finally:
        team.close()
    amal = layer_of(result["amal"], "amal")
    assert [s[2:5] for s in amal["spans"] if s[4] == "LOC"] == [(*at(1, "طنجة"), "LOC")]
    assert len(amal["relations"]) == 1, "the undone delete brought the link back"
    camil_progress = {p[0]: p[2] for p in layer_of(result["camil"], "camil")["progress"]}
    assert camil_progress[team.doc_ids[0]] == "skipped"
    camil = {s[4]: s[2:4] for s in layer_of(result["camil"], "camil")["spans"]}
    assert camil["MISC"] == at(2, "للقاء")
    gold = layer_of(result["reviewer"], GOLD)["spans"]
    assert sorted(s[4] for s in gold) == ["ORG", "PER"]
    assert dict(result["hub"]["tombstones"]) == {"amal": 1, "bilal": 1, GOLD: 1}
    assert (team.doc_ids[1], GOLD, "done") in layer_of(result["hub"], GOLD)["progress"]


def test_sync_with_nothing_new_changes_nothing(hub: Hub, tmp_path: Path) -> None:
    team = Team(hub, tmp_path)
    try:
        round_one(team)
        for who in (*CURATORS, REVIEWER):
            team.sync(who)
        for who in (*CURATORS, REVIEWER):
            before = local_snapshot(team.dbs[who]), hub_snapshot(hub)
            report = team.sync(who)
            assert (local_snapshot(team.dbs[who]), hub_snapshot(hub)) == before, who
            assert not any(report.pushed.values()) and not any(report.pulled.values()), who
    finally:
        team.close()
