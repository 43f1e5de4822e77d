"""SQL of the label schema on the hub: a reviewer's push of new and edited labels.

A reviewer pushes the whole schema on every sync, in one transaction: a
label the hub does not have is added; a label edited here (``changed_at``
set) replaces the hub's names, colour and shortcut when its change is newer
(``changed_at``, then ``source_db``, as for spans), so two reviewers' edits
settle the same way in every order and pushing again changes nothing. A
label's name, kind, position and a relation's ends never change (the hub
refuses it). Row-level security keeps curators from writing labels at all.
"""

from __future__ import annotations

from annotator.store.hub import HubError, load_psycopg, one_line
from annotator.store.hub_sync import LABEL_COLS

#: What an edit may change.
EDITABLE = ("name_en", "name_ar", "color", "shortcut")


def push(conn, rows: list[tuple], source_db: str) -> int:
    """Add new labels and apply newer edits (rows in ``LABEL_COLS`` order).

    A row with an empty ``changed_at`` (not edited here) only adds a label
    the hub lacks. Returns how many hub rows changed; HubError (nothing
    written) when the server refuses.
    """
    psycopg = load_psycopg()
    collist = ", ".join(f'"{c}"' for c in (*LABEL_COLS, "source_db"))
    marks = ", ".join(["%s"] * (len(LABEL_COLS) + 1))
    sets = ", ".join(f"{c} = excluded.{c}" for c in (*EDITABLE, "changed_at", "source_db"))
    insert = f"INSERT INTO hub.labels AS h ({collist}) VALUES ({marks})"
    newer = (
        f"{insert} ON CONFLICT (name) DO UPDATE SET {sets}"
        " WHERE (excluded.changed_at, excluded.source_db) > (h.changed_at, h.source_db)"
        " AND excluded.kind = h.kind"
        " AND (excluded.head, excluded.tail) IS NOT DISTINCT FROM (h.head, h.tail)"
    )
    changed = 0
    try:
        with conn.transaction(), conn.cursor() as cur:
            for row in rows:
                edited = bool(row[LABEL_COLS.index("changed_at")])
                sql = newer if edited else f"{insert} ON CONFLICT (name) DO NOTHING"
                cur.execute(sql, (*row, source_db))
                changed += max(cur.rowcount, 0)
    except psycopg.Error as exc:
        raise HubError(f"the hub refused the labels: {one_line(exc)}") from None
    return changed
