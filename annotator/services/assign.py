"""Handing out documents to curators on the hub, and watching their progress.

A reviewer assigns: a number of documents, or those matching a search, each
to k curators, near-duplicate clusters kept with the same curators (see
``core.assign``). Curators see their assignment after their next sync (the
document list's "Assigned to me"). ``hub_status`` gives each curator's
progress and their agreement with the others, read from the hub.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core import agreement
from annotator.core.assign import plan
from annotator.core.errors import UserError
from annotator.core.model import GOLD
from annotator.services.project import Project
from annotator.services.search import search
from annotator.store import hub, hub_assign, hub_people, synclog


@dataclass
class Assignment:
    """What one ``hub assign`` handed out."""

    pairs: list[tuple[str, str]]

    def per_curator(self) -> dict[str, int]:
        """curator -> documents newly assigned."""
        out: dict[str, int] = {}
        for _doc, curator in self.pairs:
            out[curator] = out.get(curator, 0) + 1
        return dict(sorted(out.items()))

    def summary(self) -> str:
        """One line for people."""
        docs = len({d for d, _ in self.pairs})
        if not self.pairs:
            return "nothing to assign: every chosen document has its curators"
        who = ", ".join(f"{c} {n}" for c, n in self.per_curator().items())
        return f"assigned {docs} document(s): {who}"


def assign(
    project: Project,
    url: str,
    *,
    curators: list[str] | None = None,
    per_document: int = 1,
    count: int | None = None,
    query: str | None = None,
) -> Assignment:
    """Assign documents on the hub (only a reviewer may); return the new pairs.

    ``query`` picks documents by the corpus search of this project; without
    it every document on the hub is a candidate, in the order they arrived.
    """
    if count is not None and count < 1:
        raise UserError("--count must be at least 1")
    with hub.connect(url) as conn:
        hub.hub_id(conn)
        user, role = hub.whoami(conn)
        if role != "reviewer":
            raise UserError(f"{user} is a curator: only reviewers assign documents")
        members = dict(hub_people.people(conn))
        names = curators or sorted(n for n, r in members.items() if r == "curator")
        unknown = [n for n in names if members.get(n) != "curator"]
        if unknown:
            raise UserError(f"not a curator on this hub: {', '.join(unknown)}")
        if not names:
            raise UserError("no curators on this hub yet (hub add-user NAME --role curator)")
        docs = hub_assign.documents(conn)
        if query is not None:
            wanted = {h.doc_id for h in search(project, query, limit=1_000_000)}
            docs = [d for d in docs if d[0] in wanted]
        try:
            pairs = plan(docs, names, per_document, hub_assign.assignments(conn), count)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        if pairs:
            hub_assign.add_assignments(conn, pairs)
    return Assignment(pairs)


def unassign(project: Project, url: str, curator: str, *, query: str | None = None) -> int:
    """Take documents back from ``curator`` (all, or those ``query`` finds); how many.

    The curator's list drops them at their next sync; their work stays.
    """
    with hub.connect(url) as conn:
        hub.hub_id(conn)
        user, role = hub.whoami(conn)
        if role != "reviewer":
            raise UserError(f"{user} is a curator: only reviewers assign documents")
        theirs = [d for d, who in hub_assign.assignments(conn).items() if curator in who]
        if query is not None:
            wanted = {h.doc_id for h in search(project, query, limit=1_000_000)}
            theirs = [d for d in theirs if d in wanted]
        return hub_assign.remove_assignments(conn, [(d, curator) for d in theirs])


@dataclass
class CuratorStatus:
    """One curator's figures on the hub."""

    name: str
    assigned: int = 0
    done: int = 0
    in_progress: int = 0
    skipped: int = 0
    spans: int = 0
    f1: float | None = None  # mean exact-match F1 with the other curators
    statuses: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        """Machine-readable form."""
        return {
            "name": self.name,
            "assigned": self.assigned,
            "done": self.done,
            "in_progress": self.in_progress,
            "skipped": self.skipped,
            "spans": self.spans,
            "f1": None if self.f1 is None else round(self.f1, 4),
        }


def hub_status(url: str) -> list[CuratorStatus]:
    """Per-curator progress and agreement (a curator sees only their own row)."""
    with hub.connect(url) as conn:
        hub.hub_id(conn)
        hub.whoami(conn)
        members = hub_people.people(conn)
        assigned = hub_assign.assignments(conn)
        progress = hub_assign.progress(conn)
        keys = hub_assign.span_keys(conn)
    layers = {ly for by_layer in keys.values() for ly in by_layer} | set(progress)
    names = sorted({n for n, r in members if r == "curator"} & (layers | _assignees(assigned)))
    curated = {d: {ly: k for ly, k in by.items() if ly != GOLD} for d, by in keys.items()}
    pairs, _ = agreement.span_agreement(curated, names)
    out = []
    for name in names:
        st = progress.get(name, {})
        scores = [p.f1 for p in pairs if name in (p.a, p.b) and p.f1 is not None]
        out.append(
            CuratorStatus(
                name,
                assigned=sum(1 for who in assigned.values() if name in who),
                done=st.get("done", 0),
                in_progress=st.get("in_progress", 0),
                skipped=st.get("skipped", 0),
                spans=sum(len(by.get(name, ())) for by in keys.values()),
                f1=sum(scores) / len(scores) if scores else None,
            )
        )
    return out


def _assignees(assigned: dict[str, set[str]]) -> set[str]:
    return set().union(*assigned.values()) if assigned else set()


def assigned_documents(project: Project, curator: str) -> list[str]:
    """Ids of the documents assigned to ``curator`` here (as of the last sync)."""
    return synclog.assigned(project.store, curator)
