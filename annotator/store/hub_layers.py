"""Each layer's spans in a partition of ``hub.spans`` of its own (hub schema v3).

Row-level security allows no ``COPY FROM`` into a table it guards, and
``COPY`` is how a push sends spans fast. So ``hub.spans`` is partitioned by
layer: one partition per person and one for gold. Row-level security stays
on ``hub.spans`` itself, where every read, edit and tombstone goes. The
partitions have none of their own; table privileges guard them instead:

- a person may insert (and nothing else) into their own layer's partition,
  a reviewer into gold's as well; nobody reads a partition directly;
- a partition's bound (``FOR VALUES IN (layer)``) lets no row of another
  layer in, so a curator's ``COPY`` can only ever add to their own layer.

A span's key on the hub is (layer, id): a partitioned table's keys hold its
partition column.
"""

from __future__ import annotations

import hashlib


def partition(layer: str) -> str:
    """The table (in schema ``hub``) holding ``layer``'s spans: named from an
    md5 of the layer, so any role name fits in PostgreSQL's 63 bytes."""
    return "spans_" + hashlib.md5(layer.encode("utf-8")).hexdigest()[:24]


_PARTITION_SQL = "'spans_' || left(md5(layer), 24)"  # the same name, in SQL

#: Hub schema v2 -> v3: hub.spans partitioned by layer, rows, xids and rules kept.
V3_SPANS_BY_LAYER = f"""
ALTER TABLE hub.spans RENAME TO spans_v2;
DROP POLICY see ON hub.spans_v2;
DROP POLICY add ON hub.spans_v2;
DROP POLICY edit ON hub.spans_v2;
DROP TRIGGER stamp ON hub.spans_v2;
ALTER INDEX hub.spans_xid RENAME TO spans_v2_xid;
ALTER INDEX hub.spans_pkey RENAME TO spans_v2_pkey;
CREATE TABLE hub.spans (
    id text NOT NULL,
    doc_id text NOT NULL,
    layer text NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    label text NOT NULL,
    origin text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    changed_at text NOT NULL,
    source_db text NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (layer, id)
) PARTITION BY LIST (layer);
CREATE INDEX spans_xid ON hub.spans (xid);
CREATE TRIGGER stamp BEFORE UPDATE ON hub.spans FOR EACH ROW EXECUTE FUNCTION hub.stamp();
CREATE FUNCTION hub.add_layer(layer text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS hub.%I PARTITION OF hub.spans FOR VALUES IN (%L)',
                   {_PARTITION_SQL}, layer);
    RETURN {_PARTITION_SQL};
END $$;
REVOKE ALL ON FUNCTION hub.add_layer(text) FROM PUBLIC;
SELECT hub.add_layer('gold');
SELECT hub.add_layer(name) FROM hub.people;
SELECT hub.add_layer(layer) FROM (SELECT DISTINCT layer FROM hub.spans_v2) AS old;
INSERT INTO hub.spans SELECT * FROM hub.spans_v2;
DROP TABLE hub.spans_v2;
ALTER TABLE hub.spans ENABLE ROW LEVEL SECURITY;
ALTER TABLE hub.spans FORCE ROW LEVEL SECURITY;
"""


def policies(reads: str, writes: str) -> str:
    """The row-level security of ``hub.spans`` (the same as every layered table)."""
    return f"""
CREATE POLICY see ON hub.spans FOR SELECT USING {reads};
CREATE POLICY add ON hub.spans FOR INSERT WITH CHECK {writes};
CREATE POLICY edit ON hub.spans FOR UPDATE USING {writes} WITH CHECK {writes};
"""


def grant_partitions(conn, name: str, role: str, columns: list[str]) -> None:
    """Give ``name`` insert on their own layer's partition (creating it), and on
    gold's when ``role`` is reviewer (taken away otherwise)."""
    from psycopg import sql

    if conn.execute("SELECT to_regproc('hub.add_layer')").fetchone()[0] is None:
        return  # a hub older than v3 (its upgrade grants these)
    ident = sql.Identifier(name)
    collist = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    own = conn.execute("SELECT hub.add_layer(%s)", (name,)).fetchone()[0]
    gold = sql.Identifier("hub", partition("gold"))
    conn.execute(
        sql.SQL("GRANT INSERT ({}) ON {} TO {}").format(collist, sql.Identifier("hub", own), ident)
    )
    if role == "reviewer":
        conn.execute(sql.SQL("GRANT INSERT ({}) ON {} TO {}").format(collist, gold, ident))
    else:
        conn.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(gold, ident))
