"""SQL for labels, annotators, progress and the events journal."""

from __future__ import annotations

import json
from collections.abc import Sequence

from annotator.core.model import Label, Note, RelationType
from annotator.store.db import Store, now


def labels(store: Store) -> tuple[list[Label], list[RelationType]]:
    """The project's span labels (in shortcut order) and relation types."""
    spans: list[Label] = []
    rels: list[RelationType] = []
    for name, kind, en, ar, color, key, head, tail in store.execute(
        "SELECT name, kind, name_en, name_ar, color, shortcut, head, tail FROM labels"
        " ORDER BY position, name"
    ):
        if kind == "relation":
            rels.append(RelationType(name, head, tail, en, ar, key))
        else:
            spans.append(Label(name, kind, en, ar, color, key))
    return spans, rels


def has_labels(store: Store) -> bool:
    """Whether the project has a label schema yet."""
    return store.execute("SELECT 1 FROM labels LIMIT 1").fetchone() is not None


def insert_labels(
    store: Store, labels_: Sequence[Label], relations: Sequence[RelationType]
) -> None:
    """Store a label schema, or add labels to it (in their order, after those stored)."""
    columns = ("name", "kind", "name_en", "name_ar", "color", "shortcut", "head", "tail")
    rows = [
        (lab.name, lab.kind, lab.name_en, lab.name_ar, lab.color, lab.shortcut, None, None)
        for lab in labels_
    ]
    rows += [
        (r.name, "relation", r.name_en, r.name_ar, "#000000", r.shortcut, r.head, r.tail)
        for r in relations
    ]
    first = store.execute("SELECT coalesce(max(position) + 1, 0) FROM labels").fetchone()[0]
    # Plain SQL, not sqlite-utils: importing it pulls pandas in (~0.4 s, ~90 MB).
    store.conn.executemany(
        f"INSERT OR IGNORE INTO labels ({', '.join(columns)}, position)"
        f" VALUES ({', '.join('?' * (len(columns) + 1))})",
        [(*row, first + i) for i, row in enumerate(rows)],
    )


#: Label columns an edit may change (a label's name and kind never change).
LABEL_EDITABLE = ("name_en", "name_ar", "color", "shortcut")


def update_label(store: Store, name: str, values: dict[str, str]) -> None:
    """Set some of ``LABEL_EDITABLE`` of label ``name``."""
    cols = [c for c in LABEL_EDITABLE if c in values]
    if cols:
        store.execute(
            f"UPDATE labels SET {', '.join(f'{c} = ?' for c in cols)} WHERE name = ?",
            (*(values[c] for c in cols), name),
        )


def annotators(store: Store) -> dict[str, str]:
    """name -> role of every registered annotator."""
    return dict(store.execute("SELECT name, role FROM annotators ORDER BY name").fetchall())


def set_annotator(store: Store, name: str, role: str) -> None:
    """Register an annotator or change their role."""
    store.execute(
        "INSERT INTO annotators (name, role, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET role = excluded.role",
        (name, role, now()),
    )


def ensure_annotator(store: Store, name: str, role: str = "curator") -> str:
    """Register ``name`` with ``role`` unless known; return their role."""
    store.execute(
        "INSERT OR IGNORE INTO annotators (name, role, created_at) VALUES (?, ?, ?)",
        (name, role, now()),
    )
    return store.execute("SELECT role FROM annotators WHERE name = ?", (name,)).fetchone()[0]


def status(store: Store, doc_id: str, layer: str) -> str:
    """Progress status of a document in a layer (``todo`` when never set)."""
    row = store.execute(
        "SELECT status FROM progress WHERE doc_id = ? AND layer = ?", (doc_id, layer)
    ).fetchone()
    return row[0] if row else "todo"


def set_status(store: Store, rows: Sequence[tuple[str, str, str]]) -> None:
    """Set (doc_id, layer, status) progress rows."""
    at = now()
    store.conn.executemany(
        "INSERT INTO progress (doc_id, layer, status, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(doc_id, layer) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at",
        [(d, layer, s, at) for d, layer, s in rows],
    )


def add_status(store: Store, rows: Sequence[tuple[str, str, str]]) -> None:
    """Set (doc_id, layer, status) rows only where no status is stored yet."""
    at = now()
    store.conn.executemany(
        "INSERT OR IGNORE INTO progress (doc_id, layer, status, updated_at) VALUES (?, ?, ?, ?)",
        [(d, layer, s, at) for d, layer, s in rows],
    )


def status_counts(store: Store, layer: str) -> dict[str, int]:
    """How many documents have each status in a layer (documents never set: todo)."""
    counts = dict(
        store.execute(
            "SELECT status, count(*) FROM progress WHERE layer = ? GROUP BY status", (layer,)
        ).fetchall()
    )
    total = store.execute("SELECT count(*) FROM documents").fetchone()[0]
    counts["todo"] = total - sum(v for k, v in counts.items() if k != "todo")
    return counts


def log_event(
    store: Store,
    who: str,
    action: str,
    doc_id: str | None = None,
    before: object = None,
    after: object = None,
) -> None:
    """Append one entry to the events journal (before/after as JSON)."""
    store.execute(
        "INSERT INTO events (at, who, action, doc_id, before, after) VALUES (?, ?, ?, ?, ?, ?)",
        (
            now(),
            who,
            action,
            doc_id,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ),
    )


def notes_for(store: Store, doc_id: str, layer: str) -> dict[str, Note]:
    """target -> note of one document layer ("" is the document's own note)."""
    rows = store.execute(
        "SELECT target, note, unsure FROM notes WHERE doc_id = ? AND layer = ?", (doc_id, layer)
    )
    return {t: Note(doc_id, layer, t, text, bool(unsure)) for t, text, unsure in rows}


def notes_of_layers(
    store: Store, layers: Sequence[str] | None = None, doc_id: str | None = None
) -> dict[tuple, Note]:
    """(doc_id, layer, target) -> note, for export (of ``layers``, or all; one document or all)."""
    if doc_id is None:
        rows = store.execute("SELECT doc_id, layer, target, note, unsure FROM notes")
    else:
        rows = store.execute(
            "SELECT doc_id, layer, target, note, unsure FROM notes WHERE doc_id = ?", (doc_id,)
        )
    wanted = None if layers is None else set(layers)
    return {
        (d, layer, t): Note(d, layer, t, text, bool(u))
        for d, layer, t, text, u in rows
        if wanted is None or layer in wanted
    }


def put_note(store: Store, note: Note) -> None:
    """Store a note (an empty one is deleted)."""
    if note.empty:
        store.execute(
            "DELETE FROM notes WHERE doc_id = ? AND layer = ? AND target = ?",
            (note.doc_id, note.layer, note.target),
        )
        return
    store.execute(
        "INSERT INTO notes (doc_id, layer, target, note, unsure, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id, layer, target) DO UPDATE SET"
        " note = excluded.note, unsure = excluded.unsure, updated_at = excluded.updated_at",
        (note.doc_id, note.layer, note.target, note.text, int(note.unsure), now()),
    )


def recent_events(store: Store, who: str, limit: int) -> list[tuple]:
    """The last ``limit`` journal entries written by ``who``, oldest first."""
    rows = store.execute(
        "SELECT id, action, doc_id, before, after FROM events WHERE who = ?"
        " ORDER BY id DESC LIMIT ?",
        (who, limit),
    ).fetchall()
    return [
        (i, action, doc, json.loads(b) if b else None, json.loads(a) if a else None)
        for i, action, doc, b, a in reversed(rows)
    ]
