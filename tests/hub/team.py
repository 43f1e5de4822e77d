"""A team on a hub for the sync tests: curators and a reviewer on their own files.

Snapshots are read straight from the files and the hub (by content, not by
random ids), so two runs that should agree can be compared.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

from annotator.services import annotate
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_project
from annotator.services.sync import sync
from tests.hub.conftest import Hub

CURATORS = ("amal", "bilal", "camil")
REVIEWER = "rana"
TEXTS = (
    "قال وزير الخارجية مارك أسبر في الرباط إن الاتفاق العسكري قريب من التوقيع.",
    "أعلنت وزارة الدفاع المغربية أن المناورات المشتركة تبدأ الأسبوع المقبل في طنجة.",
    "ذكرت وكالة الأنباء أن الوفد الأميركي وصل إلى الدار البيضاء صباح اليوم 😀 للقاء.",
)


def write_corpus(folder: Path) -> Path:
    """The same three articles as .txt files (one corpus for everyone)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(TEXTS):
        (folder / f"{i}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


class Team:
    """Four people, four local files, one hub."""

    def __init__(self, hub: Hub, tmp: Path, *, corpus_for: tuple[str, ...] | None = None) -> None:
        self.hub = hub
        self.tmp = tmp
        self.urls = {n: hub.add(n, "curator") for n in CURATORS}
        self.urls[REVIEWER] = hub.add(REVIEWER, "reviewer")
        corpus = write_corpus(tmp / "corpus")
        self.dbs: dict[str, Project] = {}
        for name in (*CURATORS, REVIEWER):
            project = open_project(tmp / f"{name}.db")
            if corpus_for is None or name in corpus_for:
                import_paths(project, [corpus], annotator=None)
            annotate.register(project, name, "reviewer" if name == REVIEWER else "curator")
            self.dbs[name] = project
        self.doc_ids = [d for (d,) in self.sql(REVIEWER, "SELECT id FROM documents ORDER BY seq")]

    def sync(self, name: str):
        """One sync of ``name``'s file with the hub."""
        return sync(self.dbs[name], self.urls[name])

    def sql(self, name: str, query: str, params: tuple = ()) -> list[tuple]:
        """Rows of a read-only query on ``name``'s file."""
        return self.dbs[name].store.execute(query, params).fetchall()

    def close(self) -> None:
        """Close every file."""
        for project in self.dbs.values():
            project.close()


def local_snapshot(path: Path | Project) -> dict:
    """Content of a local file: spans, links, progress, documents, assignments."""
    conn = sqlite3.connect(path.store.path if isinstance(path, Project) else path)
    try:
        keys = {
            i: (d, ly, s, e, lab)
            for i, d, ly, s, e, lab in conn.execute(
                'SELECT id, doc_id, layer, start, "end", label FROM spans'
            )
        }
        return {
            "documents": sorted(r[0] for r in conn.execute("SELECT id FROM documents")),
            "spans": sorted((*keys[i], o) for i, o in conn.execute("SELECT id, origin FROM spans")),
            "span_ids": len(keys),
            "relations": sorted(
                (d, ly, lab, keys[h][2:], keys[t][2:])
                for d, ly, lab, h, t in conn.execute(
                    "SELECT doc_id, layer, label, head, tail FROM relations"
                )
            ),
            "progress": sorted(conn.execute("SELECT doc_id, layer, status FROM progress")),
            "decisions": sorted(
                conn.execute("SELECT reviewer, doc_id, conflict, choice FROM decisions")
            ),
            "assignments": sorted(conn.execute("SELECT doc_id, curator FROM assignments")),
        }
    finally:
        conn.close()


def layer_of(snapshot: dict, layer: str) -> dict:
    """The part of a snapshot that belongs to one layer."""
    return {
        "spans": [s for s in snapshot["spans"] if s[1] == layer],
        "relations": [r for r in snapshot["relations"] if r[1] == layer],
        "progress": [p for p in snapshot["progress"] if p[1] == layer],
    }


def hub_snapshot(hub: Hub) -> dict:
    """Content of the hub as its owner sees it: live rows by content, tombstones counted."""
    with psycopg.connect(hub.admin_url) as conn:
        keys = {
            i: (d, ly, s, e, lab)
            for i, d, ly, s, e, lab in conn.execute(
                'SELECT id, doc_id, layer, start, "end", label FROM hub.spans WHERE NOT deleted'
            )
        }
        return {
            "documents": sorted(r[0] for r in conn.execute("SELECT id FROM hub.documents")),
            "spans": sorted(keys.values()),
            "tombstones": sorted(
                conn.execute(
                    "SELECT layer, count(*) FROM hub.spans WHERE deleted GROUP BY layer"
                ).fetchall()
            ),
            "relations": sorted(
                (d, ly, lab, keys[h][2:], keys[t][2:])
                for d, ly, lab, h, t in conn.execute(
                    "SELECT doc_id, layer, label, head, tail FROM hub.relations WHERE NOT deleted"
                )
            ),
            "progress": sorted(
                tuple(r)
                for r in conn.execute(
                    "SELECT doc_id, layer, status FROM hub.progress WHERE NOT deleted"
                )
            ),
        }
