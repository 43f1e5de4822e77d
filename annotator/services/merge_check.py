"""Checking every row of a merge source before it reaches the target.

A merge source is untrusted input, so its rows pass the same checks as an
import: a document's id is the hash of its text, and the text holds no
controls or lone surrogates; a span lies inside its text, carries a label
of the target's schema and a valid layer name; a relation is of a known
type and links two spans of its own document and layer with the labels
that type takes. Beyond import, a merge never moves an existing span or
relation to another document or layer, and brings rows of the gold layer
(spans, relations, progress) and review decisions only when a reviewer of
the target vouches for them (``--reviewer``). Every refused row is counted
under its reason; nothing refused is written.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from annotator.core import neardup
from annotator.core.ids import document_id
from annotator.core.labels import Schema
from annotator.core.model import GOLD, STATUSES
from annotator.core.span_edges import all_plain, widen
from annotator.core.validate import check_layer, clean_title, text_problem
from annotator.store import merge_source as msrc
from annotator.store.db import Store, now

ORIGINS = frozenset({"manual", "suggested", "imported", "adjudicated"})
_SIG_BYTES = neardup.NUM_PERM * 4
MAX_ID = 200


@dataclass
class Checked:
    """Accepted rows per table (``store.merge_source.COLUMNS`` order) and refused counts."""

    rows: dict[str, list[tuple]] = field(default_factory=dict)
    #: (table, reason) -> rows refused
    dropped: Counter = field(default_factory=Counter)
    #: span edges moved out to whole grapheme clusters, and the first span's id
    edges_widened: int = 0
    first_widened: str | None = None


def _is_str(*values: object) -> bool:
    return all(type(v) is str for v in values)


def _id_ok(value: object) -> bool:
    """A row id: a printable string (no controls, surrogates or line breaks), not too long."""
    return type(value) is str and 0 < len(value) <= MAX_ID and value.isprintable()


class SourceCheck:
    """Checks the rows of one attached source against the target."""

    def __init__(self, store: Store, src: str, schema: Schema, reviewer: str | None) -> None:
        self.store, self.src, self.schema, self.reviewer = store, src, schema, reviewer
        self.out = Checked()
        self.lengths: dict[str, int] = {}  # document id -> text length, target and accepted
        self._layer_reasons: dict[object, str | None] = {}
        self.aliases: dict[str, str] = {}  # staged span id -> the span it became

    def drop(self, table: str, reason: str) -> None:
        """Count one refused row."""
        self.out.dropped[(table, reason)] += 1

    def layer_reason(self, layer: object) -> str | None:
        """Why rows of ``layer`` may not come in, or None (cached per layer)."""
        try:
            return self._layer_reasons[layer]
        except KeyError:
            pass
        except TypeError:  # not hashable: never a layer name
            return "bad layer name"
        reason = None
        if check_layer(layer):
            reason = "bad layer name"
        elif layer == GOLD and self.reviewer is None:
            reason = "gold layer without --reviewer"
        self._layer_reasons[layer] = reason
        return reason

    def layer_refused(self, table: str, layer: object) -> bool:
        """True (and counted) when rows of ``layer`` may not come in."""
        reason = self.layer_reason(layer)
        if reason:
            self.drop(table, reason)
        return reason is not None

    def run(self) -> Checked:
        """Check every table of the source; stage documents and spans, return the rest.

        Documents and spans (the bulk of a merge) go to the stage here, spans
        checked in SQL; the other tables' accepted rows are returned.
        """
        tables = [t for t in msrc.COLUMNS if t != "spans"]
        rows = {t: msrc.source_rows(self.store, self.src, t) for t in tables}
        rows["rejected_suggestions"] = msrc.source_rows(
            self.store, self.src, "rejected_suggestions"
        )
        self._documents(rows.pop("documents"))
        msrc.stage(self.store, "documents", self.out.rows.pop("documents"))
        self._spans()
        referenced = {r[1] for r in rows["relations"]} | {r[2] for r in rows["decisions"]}
        referenced |= {r[0] for r in rows["progress"]} | {
            r[0] for r in rows["rejected_suggestions"]
        }
        known = {d for d in referenced if type(d) is str} - set(self.lengths)
        self.lengths.update(msrc.doc_lengths(self.store, known))
        self._relations(rows["relations"])
        self._progress(rows["progress"])
        self._decisions(rows["decisions"])
        self._rejected(rows["rejected_suggestions"])
        self._annotators(rows["annotators"])
        return self.out

    def _documents(self, rows: list[tuple]) -> None:
        accepted = []
        for seq, doc_id, title, text, raw, source, meta, cluster, sig, at in rows:
            if not _is_str(text) or text_problem(text) or not text.strip():
                self.drop("documents", "text with control characters, surrogates or none")
                continue
            if doc_id != document_id(text):
                self.drop("documents", "id is not the hash of its text")
                continue
            if type(seq) is not int or not _is_str(title, raw, source, meta, cluster, at):
                self.drop("documents", "a field of the wrong type")
                continue
            try:
                title = clean_title(title)
                parsed = json.loads(meta)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict) or text_problem(source):
                self.drop("documents", "bad title, source or meta")
                continue
            if not (type(sig) is bytes and len(sig) == _SIG_BYTES):
                sig = None
            accepted.append((seq, doc_id, title, text, raw, source, meta, cluster, sig, at))
            self.lengths[doc_id] = len(text)
        self.out.rows["documents"] = accepted

    def _doc_ok(self, table: str, doc_id: object) -> bool:
        if type(doc_id) is str and doc_id in self.lengths:
            return True
        self.drop(table, "document not in the source or the target")
        return False

    def _spans(self) -> None:
        """Check and stage the source's spans (in SQL: they are most of a merge)."""
        layers = msrc.distinct_values(self.store, self.src, "spans", "layer")
        refused = {layer: why for layer in layers if (why := self.layer_reason(layer))}
        for reason, n in msrc.stage_spans(self.store, self.src, refused, ORIGINS).items():
            self.out.dropped[("spans", reason)] += n
        self._widen_spans()

    def _widen_spans(self) -> None:
        """Move staged span edges that fall inside a grapheme cluster out to its edges.

        A span that becomes the same (document, layer, start, end, label) as
        another staged span is one span: it is unstaged and relations that
        named it name the one kept (``self.aliases``).
        """
        moved = []
        for text, rows in msrc.staged_spans_by_text(self.store):
            if all_plain(text):  # no marks, joiners or flags: every edge is whole
                continue
            for sid, doc_id, layer, start, end, label in rows:
                new_start, new_end = widen(text, start, end)
                if (new_start, new_end) != (start, end):
                    moved.append((sid, doc_id, layer, new_start, new_end, label))
                    self.out.edges_widened += (new_start != start) + (new_end != end)
        if not moved:
            return
        self.out.first_widened = min(m[0] for m in moved)
        keys = msrc.staged_span_keys(self.store, {m[1] for m in moved})
        current = {sid: key for key, sid in keys.items()}
        for sid, *new_key in sorted(moved):
            key = tuple(new_key)
            if keys.get(current.get(sid)) == sid:
                del keys[current[sid]]
            kept = keys.get(key)
            if kept is not None and kept != sid:
                msrc.unstage_span(self.store, sid)
                self.aliases[sid] = kept
            else:
                msrc.restage_span(self.store, sid, key[2], key[3])
                keys[key] = current[sid] = sid
        for sid, kept in self.aliases.items():  # a kept span may have become another
            while kept in self.aliases:
                kept = self.aliases[kept]
            self.aliases[sid] = kept

    def _relations(self, rows: list[tuple]) -> None:
        ends = {self.aliases.get(e, e) for r in rows for e in (r[4], r[5]) if type(e) is str}
        owners = {
            **msrc.span_owners(self.store, ends),
            **msrc.span_owners(self.store, ends, staged=True),
        }
        ids = {r[0] for r in rows if type(r[0]) is str}
        existing = msrc.relation_owners(self.store, ids)
        accepted = []
        for rid, doc_id, layer, label, head, tail, created, updated in rows:
            head, tail = self.aliases.get(head, head), self.aliases.get(tail, tail)
            if not _id_ok(rid) or not _is_str(created, updated):
                self.drop("relations", "a field of the wrong type")
                continue
            if self.layer_refused("relations", layer) or not self._doc_ok("relations", doc_id):
                continue
            kind = self.schema.relation(label) if type(label) is str else None
            if kind is None:
                self.drop("relations", "relation type the target does not have")
                continue
            h, t = owners.get(head), owners.get(tail)
            if h is None or t is None or h[:2] != (doc_id, layer) or t[:2] != (doc_id, layer):
                self.drop("relations", "end not a span of its document and layer")
                continue
            if (h[2], t[2]) != (kind.head, kind.tail):
                self.drop("relations", f"{label} must link a {kind.head} to a {kind.tail}")
                continue
            if rid in existing and existing[rid] != (doc_id, layer):
                self.drop("relations", "would move an existing relation to another layer")
                continue
            accepted.append((rid, doc_id, layer, label, head, tail, created, updated))
        self.out.rows["relations"] = accepted

    def _progress(self, rows: list[tuple]) -> None:
        accepted = []
        for doc_id, layer, status, updated in rows:
            if status not in STATUSES or not _is_str(updated):
                self.drop("progress", "a field of the wrong type")
            elif not self.layer_refused("progress", layer) and self._doc_ok("progress", doc_id):
                accepted.append((doc_id, layer, status, updated))
        self.out.rows["progress"] = accepted

    def _decisions(self, rows: list[tuple]) -> None:
        accepted = []
        for row in rows:
            did, who, doc_id, conflict, choice, at = row
            if self.reviewer is None:
                self.drop("decisions", "decisions without --reviewer")
            elif not _id_ok(did) or not _is_str(who, conflict, choice, at):
                self.drop("decisions", "a field of the wrong type")
            elif self._doc_ok("decisions", doc_id):
                accepted.append(row)
        self.out.rows["decisions"] = accepted

    def _rejected(self, rows: list[tuple]) -> None:
        accepted = []
        for row in rows:
            doc_id, layer, start, end, label, who, at = row
            if not _is_str(label, who, at) or type(start) is not int or type(end) is not int:
                self.drop("rejected_suggestions", "a field of the wrong type")
            elif check_layer(layer) or layer == GOLD:
                self.drop("rejected_suggestions", "bad layer name")
            elif self._doc_ok("rejected_suggestions", doc_id):
                accepted.append(row)
        self.out.rows["rejected_suggestions"] = accepted

    def _annotators(self, rows: list[tuple]) -> None:
        roles = msrc.annotator_roles(self.store)
        accepted, seen = [], set()
        for name, role, created in rows:
            if check_layer(name) or name == GOLD or not _is_str(created):
                self.drop("annotators", "bad annotator name")
                continue
            seen.add(name)
            if name in roles and role != roles[name]:
                self.drop("annotators", "role change not taken (a merge never changes a role)")
            elif name not in roles and role != "curator":
                self.drop("annotators", "role reviewer not taken (new names arrive as curators)")
            accepted.append((name, "curator", created))
        # Layers that hold accepted rows but have no annotator row: curators too.
        layers = msrc.staged_layers(self.store)
        layers |= {r[2] for r in self.out.rows["relations"]}
        layers |= {r[1] for r in self.out.rows["progress"]}
        for layer in sorted(layers - seen - {GOLD}):
            accepted.append((layer, "curator", now()))
            seen.add(layer)
        self.out.rows["annotators"] = accepted
