"""Import: speed against a bare loader, growth, peak memory, and the write lock.

The baseline reads the same JSONL file, parses each line and inserts the
same document and span rows (the same columns the import stores: ids,
title, text, hash, meta, timestamps, origin) with ``executemany`` in one
transaction: WAL, synchronous=FULL, primary keys, and nothing else (no
validation, no dedupe index, no search index, no near-duplicate sketches).
The import does all of DESIGN §3's work. Runs take turns (bare, import,
bare, import…).

Figures:
- import / bare at 20,000 and 100,000 documents (10 spans each): goal <= 5;
- growth of the import's time per document from 20,000 to 100,000: <= 1.1;
- peak memory (RSS, in a fresh child process) of importing 100,000 small
  documents against 10,000 (``--scale``: 1,000,000 against 100,000, and
  <= 400 MB at a million): goal <= 1.3;
- the longest wait of an edit made by another process (one status change
  every 20 ms) during a 100,000-document import: goal <= 1 s.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Paired, Result, interleave
from bench.data import REPO, iter_native, write_jsonl

MIB = 1024


def _baseline(src: Path, db: Path) -> float:
    t0 = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT, text TEXT, raw_sha256 TEXT,"
        " meta TEXT, imported_at TEXT)"
    )
    conn.execute(
        'CREATE TABLE spans (id TEXT PRIMARY KEY, doc_id TEXT, layer TEXT, start INT, "end" INT,'
        " label TEXT, origin TEXT, created_at TEXT, updated_at TEXT)"
    )
    raw = src.read_bytes()
    raw_hash = hashlib.sha256(raw).hexdigest()
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    docs, spans = [], []
    for line in raw.decode("utf-8").split("\n"):
        if not line:
            continue
        rec = json.loads(line)
        text = rec["text"]
        doc_id = "d_" + hashlib.sha256(text.encode()).hexdigest()[:16]
        docs.append((doc_id, text[:120], text, raw_hash, json.dumps(rec.get("meta", {})), at))
        for i, s in enumerate(rec["spans"]):
            span_id = f"s_{doc_id}{i:06x}"
            row = (span_id, doc_id, rec["layer"], s["start"], s["end"], s["label"], "imported")
            spans.append((*row, at, at))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)", docs)
    conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", spans)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - t0


def _import(src: Path, db: Path) -> float:
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    with open_project(db) as project:  # schema creation is not part of the import
        t0 = time.perf_counter()
        report = import_paths(project, [src])
        elapsed = time.perf_counter() - t0
    assert report.documents_added > 0
    return elapsed


def _clean(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _speed(tmp: Path, n: int, runs: int) -> Paired:
    src = write_jsonl(iter_native(n, 10), tmp / f"corpus{n}.jsonl")

    def base(i: int) -> float:
        _clean(tmp / "b.db")
        return _baseline(src, tmp / "b.db")

    def ours(i: int) -> float:
        _clean(tmp / "a.db")
        return _import(src, tmp / "a.db")

    paired = interleave(base, ours, runs)
    src.unlink()
    return paired


# -- memory: a fresh child process imports one file and reports its peak RSS


def _small_corpus(path: Path, n: int) -> Path:
    """``n`` small documents (three sentences, two spans)."""
    return write_jsonl(iter_native(n, 2, seed=5), path)


def _peak_rss_kib(src: Path, db: Path) -> int:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_import", "--peak", str(src), str(db)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])["peak_kib"]


def _memory(tmp: Path, small: int, big: int) -> tuple[int, int]:
    peaks = []
    for n in (small, big):
        src = _small_corpus(tmp / f"small{n}.jsonl", n)
        _clean(tmp / "m.db")
        peaks.append(_peak_rss_kib(src, tmp / "m.db"))
        src.unlink()
        _clean(tmp / "m.db")
    return peaks[0], peaks[1]


def _memory_results(small: int, big: int, peaks: tuple[int, int], cap_mib: int | None) -> list:
    out = [
        Result(
            f"import peak memory, {big:,} vs {small:,} small docs",
            peaks[1] / MIB,
            peaks[0] / MIB,
            "MiB RSS",
            1.3,
            note="peak RSS of a fresh process that opens the project and imports one file",
        )
    ]
    if cap_mib:
        out.append(
            Result(
                f"import peak memory at {big:,} docs vs a {cap_mib} MiB budget",
                peaks[1] / MIB,
                cap_mib,
                "MiB",
                1.0,
            )
        )
    return out


# -- the write lock: another process edits while a big file is imported

_EDITOR = """
import sys, time, json
from pathlib import Path
from annotator.services import annotate
from annotator.services.project import open_project
db, stop, doc_id = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
project = open_project(db)
annotate.register(project, "editor")
waits, status = [], ["done", "in_progress"]
while not stop.exists():
    t0 = time.perf_counter()
    annotate.set_status(project, "editor", doc_id, status[len(waits) % 2])
    waits.append(time.perf_counter() - t0)
    time.sleep(0.02)
print(json.dumps(waits))
"""


def _lock_wait(tmp: Path, n: int) -> tuple[float, float, int]:
    """(longest, median edit time, edits) while ``n`` documents are imported."""
    from annotator.core.ids import document_id
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    db, stop = tmp / "lock.db", tmp / "stop"
    _clean(db)
    first = write_jsonl([{"text": "وثيقة يعدلها محرر آخر أثناء الاستيراد"}], tmp / "one.jsonl")
    src = write_jsonl(iter_native(n, 10, seed=9), tmp / "lock.jsonl")
    with open_project(db) as project:
        import_paths(project, [first])
        env = dict(os.environ, PYTHONPATH=str(REPO))
        doc_id = document_id("وثيقة يعدلها محرر آخر أثناء الاستيراد")
        editor = subprocess.Popen(
            [sys.executable, "-c", _EDITOR, str(db), str(stop), doc_id],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        time.sleep(1.0)  # the editor is up and editing
        import_paths(project, [src])
        stop.touch()
        waits = json.loads(editor.communicate()[0])
    src.unlink()
    return max(waits), statistics.median(waits), len(waits)


def run(quick: bool) -> list[Result]:
    """Import speed at two sizes, growth, memory and lock wait (quick: small sizes)."""
    small, big = (2_000, 10_000) if quick else (20_000, 100_000)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        fast = _speed(tmp, small, 3)
        slow = _speed(tmp, big, 2 if quick else 3)
        peaks = _memory(tmp, small // 2, big)
        longest, typical, edits = _lock_wait(tmp, big)
    per_doc_small = [t / small for t in fast.ours]
    per_doc_big = [t / big for t in slow.ours]
    growth = tuple(b / statistics.median(per_doc_small) for b in per_doc_big)
    return [
        fast.result(f"import {small:,} docs / {10 * small:,} spans vs bare loader", 5.0),
        slow.result(f"import {big:,} docs / {10 * big:,} spans vs bare loader", 5.0),
        Result(
            f"import time per document, {big:,} vs {small:,} docs",
            statistics.median(per_doc_big) * 1e6,
            statistics.median(per_doc_small) * 1e6,
            "µs/doc",
            1.1,
            ratios=growth,
        ),
        *_memory_results(small // 2, big, peaks, None),
        Result(
            f"longest edit wait from another process during a {big:,}-doc import vs 1 s",
            longest,
            1.0,
            "s",
            1.0,
            note=f"{edits} status edits, median {typical * 1000:.1f} ms",
        ),
    ]


def run_scale() -> list[Result]:
    """Peak memory importing 1,000,000 small documents against 100,000."""
    with tempfile.TemporaryDirectory() as name:
        peaks = _memory(Path(name), 100_000, 1_000_000)
    return _memory_results(100_000, 1_000_000, peaks, 400)


def _peak_main(src: str, db: str) -> None:
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    with open_project(db) as project:
        import_paths(project, [src])
    print(json.dumps({"peak_kib": _high_water_kib()}))


def _high_water_kib() -> int:
    """Peak RSS of this process: ``VmHWM`` (``ru_maxrss`` may keep the forking parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


if __name__ == "__main__":
    if sys.argv[1:2] == ["--peak"]:
        _peak_main(sys.argv[2], sys.argv[3])
    else:
        for r in run(quick=False):
            print(f"{r.name}: {r.value:.2f}{r.unit} vs {r.baseline:.2f}{r.unit} = {r.ratio:.2f}x")
