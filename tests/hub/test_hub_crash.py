"""kill -9 in the middle of a push and of a pull, then sync again: nothing lost,
nothing twice.

The sync runs in a child process (the real command) that stops itself with
SIGKILL at a chosen point (``ANNOTATOR_SYNC_KILL``): right after the hub
committed push batch N, before the local log learnt of it; or after a pull
was applied locally, before the local commit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.model import GOLD
from annotator.services import annotate
from annotator.services.sync import KILL_ENV, status
from tests.hub.conftest import Hub
from tests.hub.team import REVIEWER, Team, hub_snapshot, layer_of, local_snapshot
from tests.hub.test_hub_sync import TEXTS, tag


def child_sync(team: Team, who: str, kill: str | None, batch: int = 3) -> int:
    """Run ``annotator sync`` for ``who`` in a child process; its exit status."""
    env = dict(os.environ)
    env.pop(KILL_ENV, None)
    if kill:
        env[KILL_ENV] = kill
    team.dbs[who].store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "sync",
            "--db",
            str(team.dbs[who].store.path),
            "--hub",
            team.urls[who],
            "--batch",
            str(batch),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode


def _hub_form(layer: dict) -> dict:
    """A local layer as the hub snapshot shows it (spans without their origin)."""
    return {**layer, "spans": [s[:5] for s in layer["spans"]]}


def many_edits(team: Team, who: str) -> None:
    """Enough spans, a link, deletions and statuses for several push batches."""
    project = team.dbs[who]
    words = TEXTS[1].split()
    pos = 0
    made = []
    for word in words:
        start = TEXTS[1].index(word, pos)
        pos = start + len(word)
        made.append(annotate.add_span(project, who, team.doc_ids[1], start, pos, "MISC").span)
    claim = tag(team, who, 0, "الاتفاق العسكري قريب من التوقيع", "CLAIM")
    source = tag(team, who, 0, "وزير الخارجية مارك أسبر", "SOURCE")
    annotate.add_relation(project, who, claim.id, source.id)
    for span in made[::3]:
        annotate.delete_span(project, who, span.id)
    annotate.set_status(project, who, team.doc_ids[1], "done")


LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"


@pytest.mark.parametrize("batch_n", [1, 2, 3, 5] if LONG else [3])
def test_kill_during_push_then_sync_again(hub: Hub, tmp_path: Path, batch_n: int) -> None:
    team = Team(hub, tmp_path)
    try:
        many_edits(team, "amal")
        expected = layer_of(local_snapshot(team.dbs["amal"]), "amal")
        assert child_sync(team, "amal", f"push:{batch_n}") == -signal.SIGKILL
        partial = hub_snapshot(hub)
        assert partial["documents"], "batch 1 (the documents) was committed"
        assert layer_of(partial, "amal") != _hub_form(expected), "the push was cut short"
        assert status(team.dbs["amal"]).pending > 0, "the log still holds what was not confirmed"
        assert child_sync(team, "amal", None) == 0
        assert layer_of(hub_snapshot(hub), "amal") == _hub_form(expected)
        assert status(team.dbs["amal"]).pending == 0
        # the reviewer gets each span once
        team.sync(REVIEWER)
        assert layer_of(local_snapshot(team.dbs[REVIEWER]), "amal") == expected
    finally:
        team.close()


def test_kill_during_pull_then_sync_again(hub: Hub, tmp_path: Path) -> None:
    team = Team(hub, tmp_path)
    try:
        many_edits(team, "amal")
        team.sync("amal")
        tag(team, REVIEWER, 1, "طنجة", "LOC", GOLD)
        before = local_snapshot(team.dbs[REVIEWER])
        assert child_sync(team, REVIEWER, "pull") == -signal.SIGKILL
        after_kill = local_snapshot(team.dbs[REVIEWER])
        assert after_kill == before, "a pull is applied whole or not at all"
        gold = layer_of(hub_snapshot(hub), GOLD)["spans"]
        assert len(gold) == 1, "the push before the pull was committed"
        assert child_sync(team, REVIEWER, None) == 0
        got = local_snapshot(team.dbs[REVIEWER])
        assert layer_of(got, "amal") == layer_of(local_snapshot(team.dbs["amal"]), "amal")
        assert len(layer_of(got, GOLD)["spans"]) == 1
        assert got["span_ids"] == len(got["spans"])
    finally:
        team.close()
