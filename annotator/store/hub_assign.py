"""SQL of assignments and progress on the hub (what a reviewer hands out and watches)."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.store.hub import HubError, one_line


def documents(conn) -> list[tuple[str, str]]:
    """(id, cluster) of every document on the hub, in the order they arrived."""
    return [tuple(r) for r in conn.execute("SELECT id, cluster FROM hub.documents ORDER BY seq")]


def assignments(conn) -> dict[str, set[str]]:
    """doc_id -> curators it is assigned to (live rows this person may see)."""
    out: dict[str, set[str]] = {}
    for doc_id, curator in conn.execute(
        "SELECT doc_id, curator FROM hub.assignments WHERE NOT deleted"
    ):
        out.setdefault(doc_id, set()).add(curator)
    return out


def add_assignments(conn, rows: Sequence[tuple[str, str]]) -> None:
    """Assign (doc_id, curator) pairs in one transaction (reviewers only: the server checks)."""
    import psycopg

    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO hub.assignments (doc_id, curator) VALUES (%s, %s)"
                " ON CONFLICT (doc_id, curator) DO UPDATE SET deleted = false,"
                " assigned_by = current_user, assigned_at = now() WHERE hub.assignments.deleted",
                rows,
            )
    except psycopg.Error as exc:
        raise HubError(f"the hub refused the assignment: {one_line(exc)}") from None


def remove_assignments(conn, rows: Sequence[tuple[str, str]]) -> int:
    """Take (doc_id, curator) assignments back in one transaction; how many were live."""
    import psycopg

    try:
        with conn.transaction(), conn.cursor() as cur:
            n = 0
            for doc_id, curator in rows:
                cur.execute(
                    "UPDATE hub.assignments SET deleted = true, assigned_by = current_user,"
                    " assigned_at = now() WHERE doc_id = %s AND curator = %s AND NOT deleted",
                    (doc_id, curator),
                )
                n += max(cur.rowcount, 0)
    except psycopg.Error as exc:
        raise HubError(f"the hub refused to take the assignment back: {one_line(exc)}") from None
    return n


def progress(conn) -> dict[str, dict[str, int]]:
    """layer -> status -> documents, for the layers this person may see."""
    out: dict[str, dict[str, int]] = {}
    for layer, status, n in conn.execute(
        "SELECT layer, status, count(*) FROM hub.progress WHERE NOT deleted GROUP BY layer, status"
    ):
        out.setdefault(layer, {})[status] = n
    return out


def span_keys(conn) -> dict[str, dict[str, list[tuple[int, int, str]]]]:
    """doc_id -> layer -> (start, end, label) of every live span this person may see."""
    out: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
    for doc_id, layer, start, end, label in conn.execute(
        'SELECT doc_id, layer, start, "end", label FROM hub.spans WHERE NOT deleted'
        ' ORDER BY doc_id, layer, start, "end", label'
    ):
        out.setdefault(doc_id, {}).setdefault(layer, []).append((start, end, label))
    return out
