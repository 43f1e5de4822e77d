"""Structure-aware fuzzing: almost-valid native, doccano and Prodigy records.

Random bytes rarely get past the JSON parser; these strategies build records
that are valid but for one or two fields (an offset off by one, a list where
an integer belongs, a look-alike of ``gold``, a control character in the
text, a relation to a span of another record, …), so every check of the
importer is reached. Each file either imports, and then every stored span
lies inside its text with a known label in a valid layer, or is refused with
one line naming the file, and the database is unchanged. Longer runs:
ANNOTATOR_LONG_TESTS=1.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError, UserError
from annotator.core.model import GOLD
from annotator.core.validate import is_gold_like, layer_name_problem
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from annotator.services.users import add_user
from tests.helpers import db_dump

LONG = os.environ.get("ANNOTATOR_LONG_TESTS") == "1"
FUZZ = settings(
    max_examples=1000 if LONG else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LABELS = ["PER", "ORG", "LOC", "MISC", "CLAIM", "SOURCE"]
ALPHABET = st.sampled_from([*"قال مارك أسبر إن الجيش في الرباط", *"😀\U0001f1f2\u064ea<>\n\t"])
HOSTILE_CHARS = st.sampled_from(["\x00", "\x07", "\x1b", "\x85", "\ud800", "\udfff", "\u200b"])
TEXT = st.builds(
    lambda s, bad, pos: s if bad is None else s[:pos] + bad + s[pos:],
    st.text(ALPHABET, min_size=1, max_size=30).filter(str.strip),
    st.none() | st.none() | st.none() | HOSTILE_CHARS,
    st.integers(0, 30),
)
BAD_NUMBERS = st.sampled_from([-1, 10**30, 10**300, 1.0, "3", True, None, [1], {"a": 1}])
LAYERS = st.sampled_from(
    ["amal", "badr", "amal", "gold", " gold", "GOLD", "Gold", "ｇｏｌｄ", "x" * 100, "", " ",
     "ali\u200b", "a\nb", 5, None, ["amal"]]
)  # fmt: skip


def _offsets(draw, length: int) -> tuple[object, object]:
    start = draw(st.integers(0, max(0, length - 1)))
    end = draw(st.integers(start + 1, length + 1))  # length + 1: one past the end
    if draw(st.integers(0, 9)) == 0:
        start = draw(BAD_NUMBERS)
    if draw(st.integers(0, 9)) == 0:
        end = draw(BAD_NUMBERS)
    if draw(st.integers(0, 19)) == 0:
        start, end = end, start
    return start, end


def _label(draw) -> object:
    if draw(st.integers(0, 9)):
        return draw(st.sampled_from(LABELS))
    return draw(st.sampled_from(["per", "PERSON", "", 3, None, "<b>PER</b>", "ATTRIBUTED_TO"]))


@st.composite
def native_records(draw) -> dict:
    text = draw(TEXT)
    n = draw(st.integers(0, 3))
    spans = []
    for i in range(n):
        start, end = _offsets(draw, len(text))
        span = {"id": f"s{i}", "start": start, "end": end, "label": _label(draw)}
        if draw(st.booleans()) and type(start) is int and type(end) is int:
            span["text"] = text[start:end] if draw(st.integers(0, 4)) else text[:1]
        spans.append(span)
    rec: dict = {"text": text, "spans": spans}
    if n >= 2 and draw(st.booleans()):
        head, tail = draw(st.sampled_from(["s0", "s1", "s9", 0, None])), "s1"
        rec["relations"] = [{"label": draw(st.sampled_from(["ATTRIBUTED_TO", "X"])),
                             "head": head, "tail": tail}]  # fmt: skip
    if draw(st.booleans()):
        rec["layer"] = draw(LAYERS)
    if draw(st.booleans()):
        rec["meta"] = draw(
            st.sampled_from([{"title": "<img src='file:///dev/zero'>"}, {"status": "done"},
                             {"title": "a\u0000b"}, [], "x", {"status": ["done"]}])
        )  # fmt: skip
    return rec


@st.composite
def doccano_records(draw) -> dict:
    text = draw(TEXT)
    if draw(st.booleans()):
        items = []
        for _ in range(draw(st.integers(0, 3))):
            start, end = _offsets(draw, len(text))
            item: object = [start, end, _label(draw)]
            if draw(st.integers(0, 14)) == 0:
                item = draw(st.sampled_from([[start, end], {"start": start}, "PER", 5]))
            items.append(item)
        return {"text": text, "label": items if draw(st.integers(0, 14)) else 5}
    ents = []
    for i in range(draw(st.integers(0, 3))):
        start, end = _offsets(draw, len(text))
        ents.append({"id": i, "start_offset": start, "end_offset": end, "label": _label(draw)})
    rels: object = [
        {"from_id": draw(st.sampled_from([0, 1, 7, "0", None])), "to_id": 1,
         "type": draw(st.sampled_from(["ATTRIBUTED_TO", 4]))}
        for _ in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    if draw(st.integers(0, 9)) == 0:
        rels = draw(st.sampled_from([5, "x", {"a": 1}, [5]]))
    return {"text": text, "entities": ents, "relations": rels}


@st.composite
def prodigy_records(draw) -> dict:
    text = draw(TEXT)
    spans = []
    for _ in range(draw(st.integers(0, 3))):
        start, end = _offsets(draw, len(text))
        spans.append({"start": start, "end": end, "label": _label(draw)})
    rec: dict = {"text": text, "spans": spans, "answer": draw(st.sampled_from(
        ["accept", "accept", "reject", "ignore", ["accept"]]))}  # fmt: skip
    if len(spans) >= 2:
        head = {"start": spans[0]["start"], "end": spans[0]["end"]}
        if draw(st.integers(0, 4)) == 0:
            head["start"] = draw(BAD_NUMBERS)
        rec["relations"] = [
            {
                "label": "ATTRIBUTED_TO",
                "head_span": head,
                "child": 1,
                "child_span": {"start": spans[1]["start"], "end": spans[1]["end"]},
            }
        ]
    return rec  # fmt: skip


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with a curator's document and a reviewer (rana), copied for each example."""
    path = tmp_path_factory.mktemp("sfuzz") / "seed.db"
    src = path.parent / "seed.jsonl"
    src.write_text(json.dumps({"text": "قال مارك أسبر", "layer": "amal"}) + "\n", "utf-8")
    with open_project(path) as project:
        import_paths(project, [src])
        add_user(project, "rana", "reviewer")
    return path


def _attempt(seed: Path, records: list[dict], annotator: str | None, reviewer: str | None):
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "p.db"
        shutil.copy(seed, db)
        src = Path(tmp) / "in.jsonl"
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        src.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
        before = db_dump(db)
        with open_project(db) as project:
            try:
                import_paths(project, [src], annotator=annotator, reviewer=reviewer)
            except UserError as exc:
                event(f"refused: {type(exc).__name__}")
                assert "\n" not in str(exc) and len(str(exc)) < 500
                if isinstance(exc, InputError):
                    assert exc.path == str(src)
                refused = True
            else:
                refused = False
                event("imported")
                _assert_sound(project)
        if refused:
            assert db_dump(db) == before


def _assert_sound(project) -> None:
    rows = project.store.execute(
        'SELECT s.layer, s.start, s."end", s.label, length(d.text) FROM spans s'
        " JOIN documents d ON d.id = s.doc_id"
    ).fetchall()
    names = project.schema.label_names
    for layer, start, end, label, length in rows:
        assert 0 <= start < end <= length
        assert label in names
        assert layer == GOLD or (layer_name_problem(layer) is None and not is_gold_like(layer))
    for (text,) in project.store.execute("SELECT text FROM documents"):
        assert not any(ord(c) < 9 or 0xD800 <= ord(c) <= 0xDFFF for c in text)


RECORDS = st.one_of(native_records(), doccano_records(), prodigy_records())


@FUZZ
@given(
    records=st.lists(RECORDS, min_size=1, max_size=4),
    annotator=st.none() | st.sampled_from(["amal", "gold", " gold", "GOLD"]),
    reviewer=st.none() | st.sampled_from(["rana", "amal", "nobody"]),
)
def test_almost_valid_records(seeded_db: Path, records, annotator, reviewer) -> None:
    _attempt(seeded_db, records, annotator, reviewer)
