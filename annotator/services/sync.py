"""``annotator sync``: push this person's changes to the team hub, pull what they may see.

One sync is: connect as the person's own PostgreSQL role; push the local
change log in batches (each batch one hub transaction; the log entries it
carried are forgotten locally only after the hub committed it, so a crash
re-sends them and re-sending changes nothing); then pull every row written
since the local cursor in one hub snapshot and apply it in one local
transaction together with the new cursor. ``kill -9`` at any point leaves
both sides consistent, and the next sync finishes the job.

What is pushed: the person's own layer (spans, relations, progress, rejected
suggestions, notes and flags; deleted rows as tombstones), documents, and
for a reviewer also the gold layer, their decisions and the label schema
(new labels, and their edits of a label's names, colour and shortcut).
What is pulled: documents, labels, people and their roles, assignments,
and the layers the hub lets this person see (a curator: their own; a
reviewer: every layer, notes included).

The hub URL is remembered in the project (``hub_state``); a URL holding a
password is refused: libpq reads passwords from ``~/.pgpass`` (or
``PGPASSFILE``) and whole connection settings from ``~/.pg_service.conf``
(``service=NAME``).
"""

from __future__ import annotations

import os
import signal
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from annotator.core.errors import UserError
from annotator.core.model import GOLD
from annotator.services.project import Project
from annotator.store import hub, hub_labels, hub_sync, meta, sync_push, synclog
from annotator.store.db import now

BATCH = 10_000
#: Test hook: "push:N" stops the process with SIGKILL right after the hub
#: committed push batch N (before the local log is trimmed); "pull" does so
#: after a pull was applied but before the local commit.
KILL_ENV = "ANNOTATOR_SYNC_KILL"


_NOUNS = {
    "documents": "document(s)",
    "labels": "label(s)",
    "spans": "span(s)",
    "relations": "relation(s)",
    "progress": "progress row(s)",
    "decisions": "decision(s)",
    "assignments": "assignment(s)",
    "rejected": "rejected suggestion(s)",
    "notes": "note(s)",
}


@dataclass
class SyncReport:
    """What one sync did."""

    hub: str
    user: str
    role: str
    pushed: dict[str, int] = field(default_factory=dict)
    pulled: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: layer -> spans and links changed here in a layer that is not this user's
    #: (a curator's only layer on the hub is their own): not pushed
    not_pushed: dict[str, int] = field(default_factory=dict)
    pending: int = 0
    at: str = ""

    def summary(self) -> str:
        """One line for people (plus one line per pulled row that was refused)."""

        def part(counts: dict[str, int]) -> str:
            shown = [f"{n} {_NOUNS.get(t, t)}" for t, n in counts.items() if n]
            return ", ".join(shown) or "nothing"

        line = (
            f"synced {self.user} ({self.role}) with {self.hub}: pushed {part(self.pushed)};"
            f" pulled {part(self.pulled)}"
        )
        for problem in self.skipped:
            line += f"\n  skipped {problem}"
        for layer, n in self.not_pushed.items():
            line += (
                f"\n  not pushed: {n} change(s) in the layer {layer!r}; only your own layer"
                f" ({self.user}) goes to the hub (tag under the name you sync as)"
            )
        return line

    def to_json(self) -> dict:
        """Machine-readable form."""
        return {
            "hub": self.hub,
            "user": self.user,
            "role": self.role,
            "pushed": self.pushed,
            "pulled": self.pulled,
            "skipped": self.skipped,
            "not_pushed": self.not_pushed,
            "pending": self.pending,
            "at": self.at,
        }


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the project knows of its hub, for a status bar."""

    url: str | None
    last_sync: str | None
    pending: int


def remembered_url(project: Project) -> str | None:
    """The hub URL this project syncs with, if one was given before."""
    return synclog.state(project.store).get("url")


def status(project: Project) -> SyncState:
    """URL, time of the last sync and the number of changes waiting to be pushed."""
    st = synclog.state(project.store)
    user = st.get("user")
    layers = None
    if user:
        layers = [user, GOLD] if st.get("role") == "reviewer" else [user]
    count = synclog.pending(project.store, layers) if "tracking" in st else 0
    return SyncState(st.get("url"), st.get("last_sync"), count)


def check_url(url: str) -> str:
    """``url`` stripped; UserError when it holds a password (never stored in the project)."""
    url = url.strip()
    if not url:
        raise UserError("give the hub's URL: annotator sync --hub postgresql://NAME@HOST/DB")
    if hub.has_password(url):
        raise UserError(
            "the hub URL holds a password: put it in ~/.pgpass (or $PGPASSFILE) or a"
            " ~/.pg_service.conf entry instead, so it is never stored in the project"
        )
    return url


def sync(
    project: Project,
    url: str | None = None,
    *,
    batch: int = BATCH,
    progress: Callable[[int, int, str], object] | None = None,
) -> SyncReport:
    """Push local changes to the hub and pull what this person may see.

    ``url`` is remembered for the next time; without it the remembered one
    is used. ``progress(done, total, label)`` hears of each pushed batch
    (changes sent so far, changes to send). Raises UserError (HubError) with
    one line when the hub cannot be reached or refuses; what was committed
    before stays committed on both sides.
    """
    store = project.store
    url = check_url(url or remembered_url(project) or "")
    with hub.connect(url) as conn:
        hub_id = hub.hub_id(conn)
        user, role = hub.whoami(conn)
        db_id = _prepare(project, url, hub_id, user, role)
        report = SyncReport(hub=_display(url), user=user, role=role)
        layers = {user, GOLD} if role == "reviewer" else {user}
        report.pushed, confirm = _push(
            project, conn, layers, role, user, db_id, batch, report, progress
        )
        pulled = hub_sync.pull(conn, synclog.state(store).get("cursor", "0"), db_id)
    report.at = now()
    from annotator.services.sync_apply import apply_pull  # the sync's machinery: on first sync

    report.pulled, skipped = apply_pull(
        project, pulled, user, role, _die_if("pull"), confirm_push=confirm, synced_at=report.at
    )
    report.skipped.extend(skipped)
    report.pending = synclog.pending(store, sorted(layers))
    return report


def _display(url: str) -> str:
    return url.split("?", 1)[0] if "://" in url else url


def _prepare(project: Project, url: str, hub_id: str, user: str, role: str) -> str:
    """Remember the hub; on a first sync with it, log every row for a full push."""
    store = project.store
    st = synclog.state(store)
    known = {"url": url, "hub_id": hub_id, "user": user, "role": role}
    if "tracking" in st and all(st.get(k) == v for k, v in known.items()) and st.get("db_id"):
        return st["db_id"]  # nothing new to remember: no write
    with store.transaction():
        st = synclog.state(store)
        db_id = st.get("db_id") or uuid.uuid4().hex
        if st.get("hub_id") != hub_id or "tracking" not in st:
            synclog.start_tracking(store)
            synclog.set_state(store, hub_id=hub_id, cursor="0")
        synclog.set_state(store, url=url, db_id=db_id, user=user, role=role)
        meta.ensure_annotator(store, user, role)
    return db_id


def _push(
    project: Project,
    conn,
    layers: set[str],
    role: str,
    user: str,
    db_id: str,
    batch: int,
    report: SyncReport,
    progress: Callable[[int, int, str], object] | None = None,
) -> tuple[dict[str, int], Callable[[], None]]:
    """Send the change log, ``batch`` entries per hub transaction.

    Returns hub rows changed by table, and the confirmation of the last batch
    for the caller to run inside the pull's local transaction. Entries are
    forgotten only after the hub committed them: a crash in between sends
    them again, which changes nothing.
    """
    store = project.store
    sent: Counter[str] = Counter()
    upto = synclog.last_seq(store)  # before the labels: a later edit waits for next time
    if role == "reviewer":
        edited = synclog.label_edits(store, upto)
        project.reload_schema()  # as stored now: edits since ``upto`` carry no older time
        sent["labels"] = hub_labels.push(conn, _label_rows(project, edited), db_id)
        if edited:  # the hub has them (or a newer edit, which the pull brings)
            with store.transaction():
                synclog.drop_label_edits(store, upto)
    fresh_after = synclog.state(store).get("last_sync", "")  # spans since: new to the hub
    total = synclog.count_upto(store, upto) if progress else 0
    done = n = 0
    while span := synclog.next_batch(store, upto, batch):
        first, last = span
        decider = user if role == "reviewer" else None
        if role == "curator":
            for layer, count in synclog.other_layers(store, first, last, sorted(layers)).items():
                report.not_pushed[layer] = report.not_pushed.get(layer, 0) + count
        parts = sync_push.push_parts(
            store, first, last, sorted(layers), decider, db_id, fresh_after
        )
        changed, newer = hub_sync.push(conn, (hub_sync.Batch(**p) for p in parts), db_id)
        sent.update(changed)
        n += 1
        _die_if(f"push:{n}")()
        confirm = _confirm(project, first, last, newer, report)
        if progress:
            done = min(total, done + batch)
            progress(done, total, "pushing")
        if last >= upto:  # the last batch: confirmed in the pull's transaction
            return dict(sent), confirm
        with store.transaction():
            confirm()
    return dict(sent), lambda: None


def _confirm(project: Project, first: int, last: int, newer: dict, report: SyncReport):
    """What the local file does once the hub committed a batch (in a transaction):
    take the hub's rows it turned down, forget the batch's log entries."""

    def confirm() -> None:
        if newer:  # the hub kept later changes from elsewhere: take them here
            from annotator.services.sync_apply import apply_rows

            apply_rows(project, newer, last, report.skipped)
        synclog.drop_log(project.store, first, last)

    return confirm


def _label_rows(project: Project, edited: dict[str, str]) -> list[tuple]:
    """The schema as hub rows; a label edited here carries the time of its last edit."""
    rows = [
        (lab.name, lab.kind, lab.name_en, lab.name_ar, lab.color, lab.shortcut, None, None, i)
        for i, lab in enumerate(project.schema.labels)
    ]
    n = len(rows)
    rows += [
        (r.name, "relation", r.name_en, r.name_ar, "#000000", r.shortcut, r.head, r.tail, n + i)
        for i, r in enumerate(project.schema.relations)
    ]
    return [(*row, edited.get(row[0], "")) for row in rows]


def _die_if(point: str):
    """The kill hook for ``point`` (a no-op unless the test hook names it)."""

    def die() -> None:
        if os.environ.get(KILL_ENV) == point:
            os.kill(os.getpid(), signal.SIGKILL)

    return die
