"""Native export throughput against a bare sqlite3 + json loop over the same rows.

Setup inserts generated documents and spans (real Arabic sentences, see
``bench/data.py``) straight into the schema ``Store`` creates. The baseline
then reads each document, queries its spans, relations and status with
plain ``sqlite3`` and writes one ``json.dumps`` line per document (no
checks, no manifest, no atomic rename). The export does all of its work:
option checks, span checks, the database content hash, the manifest and
the temporary-file rename.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import Result, interleave
from bench.data import native_corpus

LAYER = "gold"


def _build(db: Path, n_docs: int, spans_per_doc: int) -> int:
    """A project database with ``n_docs`` documents and their gold spans; return span count."""
    from annotator.core.ids import document_id
    from annotator.services.project import open_project

    open_project(db).close()  # schema and labels
    conn = sqlite3.connect(db, isolation_level=None)
    docs, spans, progress = [], [], []
    at = "2024-01-01T00:00:00+00:00"
    for seq, rec in enumerate(native_corpus(n_docs, spans_per_doc), 1):
        doc_id = document_id(rec["text"])
        docs.append((doc_id, f"doc {seq}", rec["text"], "", "bench", "{}", doc_id, at, seq))
        for i, s in enumerate(rec["spans"]):
            sid = f"s_{seq:08d}{i:04d}"
            spans.append((sid, doc_id, LAYER, s["start"], s["end"], s["label"], at, at))
        progress.append((doc_id, LAYER, "done" if seq % 2 else "in_progress", at))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO documents (id, title, text, raw_sha256, source, meta, cluster, imported_at,"
        " seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        docs,
    )
    conn.executemany(
        'INSERT INTO spans (id, doc_id, layer, start, "end", label, created_at, updated_at)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        spans,
    )
    conn.executemany(
        "INSERT INTO progress (doc_id, layer, status, updated_at) VALUES (?, ?, ?, ?)", progress
    )
    conn.execute("COMMIT")
    conn.close()
    return len(spans)


def _baseline(db: Path, out: Path) -> float:
    t0 = time.perf_counter()
    conn = sqlite3.connect(db)
    with out.open("w", encoding="utf-8") as fh:
        for doc_id, text, title, source, cluster, meta in conn.execute(
            "SELECT id, text, title, source, cluster, meta FROM documents ORDER BY seq"
        ).fetchall():
            spans = conn.execute(
                'SELECT id, start, "end", label FROM spans WHERE doc_id = ? AND layer = ?'
                ' ORDER BY start, "end", label',
                (doc_id, LAYER),
            ).fetchall()
            rels = conn.execute(
                "SELECT label, head, tail FROM relations WHERE doc_id = ? AND layer = ?",
                (doc_id, LAYER),
            ).fetchall()
            row = conn.execute(
                "SELECT status FROM progress WHERE doc_id = ? AND layer = ?", (doc_id, LAYER)
            ).fetchone()
            record = {
                "id": doc_id,
                "text": text,
                "layer": LAYER,
                "spans": [
                    {"id": i, "start": s, "end": e, "label": lab, "text": text[s:e]}
                    for i, s, e, lab in spans
                ],
                "relations": [{"label": lab, "head": h, "tail": t} for lab, h, t in rels],
                "meta": {"title": title, "source": source, "cluster": cluster,
                         "status": row[0] if row else "todo", **json.loads(meta)},
            }  # fmt: skip
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    conn.close()
    return time.perf_counter() - t0


def _export(db: Path, out: Path) -> float:
    from annotator.services.datasets import ExportOptions, export_dataset
    from annotator.services.project import open_project

    with open_project(db) as project:
        t0 = time.perf_counter()
        report = export_dataset(project, ExportOptions("native", out, layer=LAYER))
        elapsed = time.perf_counter() - t0
    assert report.records > 0
    return elapsed


def run(quick: bool) -> list[Result]:
    """Native export of 20,000 documents / 200,000 spans (quick: 1,000 / 10,000)."""
    n_docs = 1_000 if quick else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        n_spans = _build(db, n_docs, 10)
        _baseline(db, folder / "warm.jsonl")  # the page cache is warm for both sides
        paired = interleave(
            lambda i: _baseline(db, folder / f"base{i}.jsonl"),
            lambda i: _export(db, folder / f"ours{i}.jsonl"),
            3,
        )
        assert (folder / "base0.jsonl").stat().st_size > 0
    return [
        paired.result(
            f"export native {n_docs} docs / {n_spans} spans vs bare loop",
            3.0,
            note="bare sqlite3 + json.dumps loop over the same rows; runs take turns",
        )
    ]


if __name__ == "__main__":
    for r in run(quick=False):
        print(f"{r.name}: {r.value:.2f}{r.unit} vs {r.baseline:.2f}{r.unit} = {r.ratio:.2f}x")
