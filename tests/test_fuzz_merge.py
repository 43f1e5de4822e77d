"""Structure-aware fuzzing of merge sources: a real curator database, then forged rows.

Each example copies a curator's database and changes a few of its rows the
way a careless tool or a hostile person would (offsets, layers, labels,
document ids, roles, relation ends, texts). The merge must never raise
anything but a one-line UserError, and afterwards the target holds only
sound rows: spans inside their text with the target's labels in valid
layers, relations within one document and layer, no gold and no decision
without a reviewer, and the roles the target had. Longer runs:
ANNOTATOR_LONG_TESTS=1.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import UserError
from annotator.core.validate import layer_name_problem
from annotator.services.merge import merge_databases
from annotator.services.project import open_project
from annotator.services.users import add_user
from tests.test_merge import curator_db

LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"
FUZZ = settings(
    max_examples=300 if LONG else 25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VALUES = st.sampled_from(
    [-1, 0, 3, 10**18, 2**63 - 1, 1.5, "4", "", None, b"\xff\xfe", "x\x00y", "gold", "GOLD",
     " gold", "ali", "sara", "PER", "EVIL", "reviewer", "d_0000000000000000"]
)  # fmt: skip
OFFSETS = st.integers(-2, 60) | VALUES  # the texts are about 40 characters long
SPAN_COLUMNS = ["label", "layer", "doc_id", "id", "origin", "updated_at"]
EDITS = st.one_of(
    st.tuples(st.just("spans"), st.sampled_from(["start", '"end"']), OFFSETS),
    st.tuples(st.just("spans"), st.sampled_from(SPAN_COLUMNS), VALUES),
    st.tuples(st.just("relations"), st.sampled_from(["head", "tail", "layer", "label"]), VALUES),
    st.tuples(st.just("annotators"), st.sampled_from(["role", "name"]), VALUES),
    st.tuples(st.just("documents"), st.sampled_from(["text", "title", "meta", "id"]), VALUES),
    st.tuples(st.just("progress"), st.sampled_from(["layer", "status", "doc_id"]), VALUES),
)


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A curator's database and a team database that has a reviewer (lead) and ali."""
    tmp = tmp_path_factory.mktemp("mfuzz")
    source = curator_db(tmp, "a", "ali")
    target = tmp / "team.db"
    with open_project(target) as team:
        merge_databases(team, [source])
        add_user(team, "lead", "reviewer")
    return source, target


def _forge(db: Path, edits: list[tuple[str, str, object]], rows: list[int]) -> None:
    conn = sqlite3.connect(db)
    try:
        with conn:
            for (table, column, value), row in zip(edits, rows, strict=True):
                rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table}")]
                if not rowids:
                    continue
                conn.execute(
                    f"UPDATE OR IGNORE {table} SET {column} = ? WHERE rowid = ?",
                    (value, rowids[row % len(rowids)]),
                )
    except sqlite3.OperationalError:  # WITHOUT ROWID tables: change every row instead
        with conn:
            for table, column, value in edits:
                conn.execute(f"UPDATE OR IGNORE {table} SET {column} = ?", (value,))
    finally:
        conn.close()


def _assert_sound(target: Path, reviewer: str | None) -> None:
    conn = sqlite3.connect(target)
    try:
        labels = {r[0] for r in conn.execute("SELECT name FROM labels WHERE kind != 'relation'")}
        for layer, start, end, label, length in conn.execute(
            'SELECT s.layer, s.start, s."end", s.label, length(d.text) FROM spans s'
            " JOIN documents d ON d.id = s.doc_id"
        ):
            assert type(start) is int and type(end) is int and 0 <= start < end <= length
            assert label in labels
            assert layer == "gold" or layer_name_problem(layer) is None
            assert layer != "gold" or reviewer
        bad_links = conn.execute(
            "SELECT count(*) FROM relations r JOIN spans h ON h.id = r.head"
            " JOIN spans t ON t.id = r.tail WHERE h.doc_id != r.doc_id OR t.doc_id != r.doc_id"
            " OR h.layer != r.layer OR t.layer != r.layer"
        ).fetchone()[0]
        assert bad_links == 0
        dangling = conn.execute(
            "SELECT count(*) FROM spans WHERE doc_id NOT IN (SELECT id FROM documents)"
        ).fetchone()[0]
        assert dangling == 0
        roles = dict(conn.execute("SELECT name, role FROM annotators"))
        assert roles["lead"] == "reviewer" and roles["ali"] == "curator"
        assert [n for n, r in roles.items() if r == "reviewer"] == ["lead"]
        if reviewer is None:
            assert conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    finally:
        conn.close()


@FUZZ
@given(
    edits=st.lists(EDITS, min_size=1, max_size=5),
    rows=st.lists(st.integers(0, 50), min_size=5, max_size=5),
    reviewer=st.none() | st.just("lead"),
)
def test_forged_sources_leave_a_sound_target(databases, edits, rows, reviewer) -> None:
    source, target = databases
    with tempfile.TemporaryDirectory() as tmp:
        forged, team = Path(tmp) / "forged.db", Path(tmp) / "team.db"
        shutil.copy(source, forged)
        shutil.copy(target, team)
        _forge(forged, edits, rows[: len(edits)])
        with open_project(team) as project:
            try:
                merge_databases(project, [forged], reviewer=reviewer)
            except UserError as exc:
                assert "\n" not in str(exc)
        _assert_sound(team, reviewer)
