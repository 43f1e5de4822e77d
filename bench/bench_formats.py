"""Import of CoNLL and Label Studio files against native JSONL of the same corpus.

The corpus is imported from native JSONL, exported as CoNLL and as Label
Studio tasks by the app's own writers, and each file is imported into a
fresh database: the figure is the time of that import over the native
JSONL import of the same documents and spans (best of three each), so the
readers' extra parsing shows and the shared write path cancels out.
CoNLL spends its time on one Python step per token line (a JSONL record is
parsed in C), Label Studio on its bigger, nested records; the goals guard
against a reader getting slower, not against the formats' own cost.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import Result
from bench.data import native_corpus, write_jsonl


def _import(src: Path, db: Path) -> float:
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    with open_project(db) as project:
        t0 = time.perf_counter()
        report = import_paths(project, [src])
        elapsed = time.perf_counter() - t0
    assert report.spans_added > 0
    return elapsed


def _files(tmp: Path, n: int) -> dict[str, Path]:
    from annotator.services.datasets import ExportOptions, export_dataset
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    native = write_jsonl(native_corpus(n, 10), tmp / "corpus.jsonl")
    out = {"native": native}
    with open_project(tmp / "source.db") as project:
        import_paths(project, [native])
        for fmt, name in (("conll", "corpus.conll"), ("labelstudio", "corpus.json")):
            export_dataset(project, ExportOptions(fmt, tmp / name, layer="bench"))
            out[fmt] = tmp / name
    return out


def run(quick: bool) -> list[Result]:
    """Import 5,000 documents / 50,000 spans in each format (quick: 500 / 5,000)."""
    n = 500 if quick else 5_000
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        files = _files(Path(tmp), n)
        times = {
            fmt: min(_import(src, Path(tmp) / f"{fmt}{i}.db") for i in range(3))
            for fmt, src in files.items()
        }
    for fmt, goal in (("conll", 4.0), ("labelstudio", 3.0)):
        results.append(
            Result(
                f"import {n:,} docs / {10 * n:,} spans as {fmt} (s)",
                times[fmt],
                times["native"],
                "s",
                goal=goal,
                note=f"vs the same corpus as native JSONL ({n / times['native']:,.0f} docs/s)",
            )
        )
    return results
