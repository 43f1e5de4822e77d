"""Assignments: a reviewer hands out documents; curators see theirs after sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.services.assign import assign, assigned_documents, hub_status
from annotator.services.browse import ListFilter, list_page
from tests.hub.conftest import Hub
from tests.hub.team import CURATORS, REVIEWER, Team
from tests.hub.test_hub_sync import tag


@pytest.fixture
def team(hub: Hub, tmp_path: Path) -> Team:
    """The reviewer holds the corpus and has synced it; curators start empty."""
    team = Team(hub, tmp_path, corpus_for=(REVIEWER,))
    team.sync(REVIEWER)
    yield team
    team.close()


def test_assignment_shows_in_the_curators_list_after_sync(team: Team) -> None:
    done = assign(team.dbs[REVIEWER], team.urls[REVIEWER], curators=["amal"], count=2)
    assert {c for _, c in done.pairs} == {"amal"} and len(done.pairs) == 2
    amal = team.dbs["amal"]
    assert list_page(amal, "amal", flt=ListFilter(assigned=True)) == []
    team.sync("amal")
    rows = list_page(amal, "amal", flt=ListFilter(assigned=True))
    assert [r.id for r in rows] == [d for d, _ in done.pairs]
    assert len(list_page(amal, "amal")) == 3, "every document is there, assigned or not"
    team.sync("bilal")
    assert list_page(team.dbs["bilal"], "bilal", flt=ListFilter(assigned=True)) == []
    assert assigned_documents(team.dbs["bilal"], "amal") == [], "blind to others' work"


def test_k_curators_per_document_balanced(team: Team) -> None:
    done = assign(team.dbs[REVIEWER], team.urls[REVIEWER], per_document=2)
    assert len(done.pairs) == 2 * len(team.doc_ids)
    for who in CURATORS:
        team.sync(who)
    got = {who: assigned_documents(team.dbs[who], who) for who in CURATORS}
    assert sum(len(v) for v in got.values()) == 6
    assert max(map(len, got.values())) - min(map(len, got.values())) <= 1
    again = assign(team.dbs[REVIEWER], team.urls[REVIEWER], per_document=2)
    assert again.pairs == [], "assigning again adds nothing"


def test_assign_by_query(team: Team) -> None:
    done = assign(team.dbs[REVIEWER], team.urls[REVIEWER], query="طنجة", curators=["camil"])
    assert [d for d, _ in done.pairs] == [team.doc_ids[1]]


def test_a_curator_may_not_assign(team: Team) -> None:
    team.sync("amal")
    with pytest.raises(UserError, match="only reviewers assign"):
        assign(team.dbs["amal"], team.urls["amal"])


def test_status_shows_progress_and_agreement(team: Team) -> None:
    assign(team.dbs[REVIEWER], team.urls[REVIEWER], per_document=2)
    for who in ("amal", "bilal"):
        team.sync(who)
        tag(team, who, 0, "مارك أسبر", "PER")
        team.sync(who)
    rows = {r.name: r for r in hub_status(team.urls[REVIEWER])}
    assert rows["amal"].spans == rows["bilal"].spans == 1
    assert rows["amal"].in_progress == 1 and rows["amal"].assigned == 2
    assert rows["amal"].f1 == rows["bilal"].f1 == 1.0
    mine = hub_status(team.urls["amal"])
    assert [r.name for r in mine] == ["amal"], "a curator sees only their own figures"


def test_unassigned_documents_leave_the_curators_list(team: Team) -> None:
    from annotator.services.assign import unassign

    rana = team.dbs[REVIEWER]
    assign(rana, team.urls[REVIEWER], curators=["amal"])
    team.sync("amal")
    assert len(assigned_documents(team.dbs["amal"], "amal")) == 3
    assert unassign(rana, team.urls[REVIEWER], "amal", query="طنجة") == 1
    team.sync("amal")
    assert team.doc_ids[1] not in assigned_documents(team.dbs["amal"], "amal")
    assert len(assigned_documents(team.dbs["amal"], "amal")) == 2
    again = assign(rana, team.urls[REVIEWER], curators=["amal"])
    assert again.pairs == [(team.doc_ids[1], "amal")], "it can be handed out again"
