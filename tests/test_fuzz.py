"""Hostile input for every importer: random bytes and random JSON.

Never a traceback: either the file imports, or it is refused with an
``InputError`` naming the file, and the database is exactly as it was.
Longer runs: ANNOTATOR_LONG_TESTS=1.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.services.datasets import native_records
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from tests.helpers import db_dump

EXAMPLES = 400 if os.environ.get("ANNOTATOR_LONG_TESTS") == "1" else 40
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 60)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
SPAN = st.fixed_dictionaries(
    {"start": JSON_VALUES | st.integers(-2, 30), "end": JSON_VALUES | st.integers(-2, 30)},
    optional={"label": st.sampled_from(["PER", "ORG", "X", 3]), "text": st.text(max_size=5)},
)
RECORDS = st.fixed_dictionaries(
    {"text": st.text(min_size=0, max_size=30) | JSON_VALUES},
    optional={
        "spans": st.lists(SPAN, max_size=3) | JSON_VALUES,
        "label": st.lists(st.lists(JSON_VALUES, max_size=3), max_size=3) | JSON_VALUES,
        "entities": st.lists(st.dictionaries(st.text(max_size=12), JSON_VALUES), max_size=2),
        "relations": st.lists(JSON_VALUES, max_size=2),
        "layer": JSON_VALUES,
        "meta": JSON_VALUES,
        "answer": st.sampled_from(["accept", "reject", "ignore"]),
    },
)


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the sample corpus, copied fresh for each example."""
    path = tmp_path_factory.mktemp("fuzz") / "seed.db"
    with open_project(path) as project:
        from annotator.core.resources import sample_corpus_dir

        import_paths(project, [sample_corpus_dir()])
    return path


def _attempt(seed: Path, name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "p.db"
        shutil.copy(seed, db)
        src = Path(tmp) / name
        src.write_bytes(data)
        before = db_dump(db)
        with open_project(db) as project:
            try:
                import_paths(project, [src], annotator="fuzz")
            except InputError as exc:
                assert exc.path == str(src)
                assert "\n" not in str(exc)
                refused = True
            else:
                refused = False
                for rec in native_records(project, "fuzz"):  # what was stored is sound
                    for s in rec["spans"]:
                        assert 0 <= s["start"] < s["end"] <= len(rec["text"])
        if refused:
            assert db_dump(db) == before


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_as_text_file(seeded_db: Path, data: bytes) -> None:
    _attempt(seeded_db, "a.txt", data)


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_as_jsonl(seeded_db: Path, data: bytes) -> None:
    _attempt(seeded_db, "a.jsonl", data)


@FUZZ
@given(records=st.lists(RECORDS | JSON_VALUES, min_size=1, max_size=4))
def test_random_json_records(seeded_db: Path, records: list[object]) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    _attempt(seeded_db, "a.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))


@FUZZ
@given(text=st.text(max_size=200))
def test_random_unicode_text_file(seeded_db: Path, text: str) -> None:
    _attempt(seeded_db, "a.txt", text.encode("utf-8", "surrogatepass"))
