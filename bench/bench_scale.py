"""A million documents (``python -m bench --scale`` only; a plain run prints nothing here).

Set-up writes 1,000,000 generated documents (three real sentences each, one
in a thousand naming a person in one of several spellings) with their search
rows, and two curators' spans on every tenth document, straight into the
schema ``Store`` creates (bare ``executemany``; set-up only). Figures:

- the document list (model + panel shown, then five pages down) at
  1,000,000 documents against 100: goal <= 2;
- search for a rare name against a LIKE scan for one spelling (speed-up,
  goal >= 50), and the common-word figures, as in ``bench_search``;
- ``agreement`` and ``stats`` at a million documents against a one-minute
  budget: goal <= 1.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import Result
from bench.data import sentences

N_DOCS = int(os.environ.get("BENCH_SCALE_DOCS", "1000000"))
SMALL = 100
LAYERS = ("ali", "sara")


def build(db: Path, n_docs: int, spans_every: int = 10) -> None:
    """Documents, search rows and two layers of spans on every ``spans_every``-th document."""
    from annotator.core.arabic import index_fields_many
    from annotator.core.ids import document_id
    from annotator.services.project import open_project
    from annotator.store import documents, meta
    from bench.bench_search import NAME_FORMS

    rng = random.Random(11)
    pool = [s["text"] for s in sentences()]
    at = "2024-01-01T00:00:00+00:00"
    with open_project(db) as project:
        store = project.store
        with store.transaction():
            for layer in LAYERS:
                meta.ensure_annotator(store, layer)
        for first in range(1, n_docs + 1, 20_000):
            docs, texts, spans = [], [], []
            for seq in range(first, min(first + 20_000, n_docs + 1)):
                parts = rng.sample(pool, 3)
                if seq % 1000 == 500:
                    parts.insert(1, f"وقال {rng.choice(NAME_FORMS)} إن الاتفاق مهم.")
                text = f"{seq} " + " ".join(parts)
                doc_id = document_id(text)
                docs.append((doc_id, f"doc {seq}", text, "", "bench", "{}", doc_id, None, at, seq))
                texts.append(text)
                if seq % spans_every == 0:
                    for k, layer in enumerate(LAYERS):
                        for j in range(3):
                            start = 2 + 6 * j + (k if j == 2 else 0)  # one disagreement in three
                            spans.append(
                                (f"s_{seq}_{k}_{j}", doc_id, layer, start, start + 4, "PER",
                                 "manual", at, at)
                            )  # fmt: skip
            fields = index_fields_many(texts)
            with store.transaction(check_references=False):
                documents.insert(store, docs)
                documents.insert_search(
                    store, [(d[-1], *f) for d, f in zip(docs, fields, strict=True)]
                )
                store.conn.executemany(
                    'INSERT INTO spans (id, doc_id, layer, start, "end", label, origin,'
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    spans,
                )


def _list_time(db: Path, runs: int) -> float:
    """Median seconds to build and show the document list and scroll it five times."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from annotator.gui.app import ensure_app
    from annotator.gui.document_list import DocumentListModel, DocumentListPanel
    from annotator.services.project import open_project

    app = ensure_app()
    times = []
    with open_project(db) as project:
        for _ in range(runs):
            t0 = time.perf_counter()
            model = DocumentListModel(project, "ali")
            panel = DocumentListPanel(model)
            panel.resize(320, 800)
            panel.show()
            app.processEvents()
            bar = panel.table.verticalScrollBar()
            for _ in range(5):  # a page down each (the list fetches rows as it nears its end)
                bar.setValue(bar.value() + bar.pageStep())
                app.processEvents()
            times.append(time.perf_counter() - t0)
            panel.close()
            panel.deleteLater()
            app.processEvents()
    return statistics.median(times)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(quick: bool) -> list[Result]:
    """Nothing without ``--scale``."""
    return []


def run_scale() -> list[Result]:
    """The million-document figures."""
    from annotator.services import review
    from annotator.services.project import open_project
    from annotator.services.stats import corpus_stats
    from bench.bench_search import measure

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        os.environ.setdefault("XDG_CONFIG_HOME", str(tmp / "config"))
        small, big = tmp / "small.db", tmp / "big.db"
        build(small, SMALL, spans_every=1)
        t0 = time.perf_counter()
        build(big, N_DOCS)
        built = time.perf_counter() - t0
        _list_time(small, 1)  # warm Qt up
        list_small, list_big = _list_time(small, 5), _list_time(big, 5)
        out = [
            Result(
                f"document list open + 5 pages down, {N_DOCS:,} docs vs {SMALL}",
                list_big * 1000,
                list_small * 1000,
                "ms",
                2.0,
                note=f"median of 5; set-up wrote the database in {built:.0f} s",
            )
        ]
        out += [
            Result(  # the search figures, named with the corpus size
                r.name + f" at {N_DOCS:,} docs",
                r.value,
                r.baseline,
                r.unit,
                r.goal,
                r.higher_is_better,
                r.note,
                r.ratios,
            )
            for r in measure(big, 3)
        ]
        with open_project(big) as project:
            t_agree = _timed(lambda: review.agreement(project))
            t_stats = _timed(lambda: corpus_stats(project))
        for what, took in (("agreement", t_agree), ("stats", t_stats)):
            out.append(
                Result(
                    f"{what} at {N_DOCS:,} docs ({N_DOCS // 10:,} with two curators) vs 60 s",
                    took,
                    60.0,
                    "s",
                    1.0,
                )
            )
    return out
