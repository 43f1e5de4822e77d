"""Every bad input the hostile pass found, through the real command line.

Each case: exit status 1, exactly one line on stderr naming the file, the
line and the problem, no traceback, and the database byte-for-byte the same
rows as before (a good file given first is not imported either).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from tests.helpers import db_dump

TEXT = "قال مارك أسبر"
GOOD = {"text": TEXT, "layer": "amal", "spans": [{"start": 4, "end": 13, "label": "PER"}]}


def _line(record: object) -> str:
    return json.dumps(record, ensure_ascii=False)


def _raw(text: str) -> bytes:
    """A JSONL file whose second line is ``text`` verbatim (after one good record)."""
    return (_line(GOOD | {"text": TEXT + " أيضا"}) + "\n" + text + "\n").encode()


def _rec(**change: object) -> bytes:
    return _raw(_line(GOOD | change))


# (case id, bytes, extra CLI arguments, text expected in the message, line)
CASES = [
    ("lone-surrogate", _raw('{"text": "\\ud800 نص"}'), [], "lone surrogate U+D800", 2),
    (
        "surrogate-in-meta",
        _raw('{"text": "نص", "meta": {"title": "x\\udfff"}}'),
        [],
        "lone surrogate U+DFFF",
        2,
    ),
    ("nul-in-text", _raw('{"text": "نص\\u0000"}'), [], "NUL character at offset 2", 2),
    ("bell-in-text", _raw('{"text": "نص\\u0007"}'), [], "control character U+0007", 2),
    ("c1-in-text", _raw('{"text": "نص\\u0085"}'), [], "control character U+0085", 2),
    ("raw-c1-in-text", _raw('{"text": "نص\u0085"}'), [], "control character U+0085", 2),
    (
        "huge-integer-offset",
        _raw(
            '{"text": "نص", "layer": "a", "spans": [{"start": 0, "end": 1%s, "label": "PER"}]}'
            % ("0" * 5000)
        ),
        [],
        "Exceeds the limit",
        2,
    ),
    (
        "big-integer-offset",
        _rec(spans=[{"start": 0, "end": 10**300, "label": "PER"}]),
        [],
        "outside the text",
        2,
    ),
    (
        "deep-nesting",
        _raw('{"text": "نص", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        [],
        "nested too deeply",
        2,
    ),
    ("nan", _raw('{"text": "نص", "meta": {"x": NaN}}'), [], "NaN is not a number", 2),
    (
        "doccano-relations-not-a-list",
        _raw(_line({"text": TEXT, "entities": [], "relations": 5})),
        ["--annotator", "amal"],
        '"relations" must be a list',
        2,
    ),
    (
        "prodigy-head-start-a-list",
        _rec(
            spans=[
                {"start": 4, "end": 13, "label": "SOURCE"},
                {"start": 0, "end": 3, "label": "CLAIM"},
            ],
            relations=[
                {
                    "label": "ATTRIBUTED_TO",
                    "head_span": {"start": [0], "end": 3},
                    "child_span": {"start": 4, "end": 13},
                    "child": 0,
                }
            ],
        ),
        [],
        "points at a span the record lacks",
        2,
    ),
    ("layer-spaced-gold", _rec(layer=" gold"), [], "surrounding spaces", 2),
    ("layer-GOLD", _rec(layer="GOLD"), [], "'GOLD' is reserved", 2),
    ("layer-fullwidth-gold", _rec(layer="ｇｏｌｄ"), [], "is reserved", 2),
    ("layer-huge", _rec(layer="x" * 100_000), [], "100000 characters long", 2),
    ("layer-zero-width", _rec(layer="ali\u200b"), [], "control character U+200B", 2),
    ("layer-not-a-string", _rec(layer=["ali"]), [], "must be a string", 2),
    ("gold-record-without-reviewer", _rec(layer="gold"), [], "--reviewer NAME", None),
    (
        "gold-annotator-without-reviewer",
        _raw(_line(GOOD)),
        ["--annotator", "gold"],
        "--reviewer NAME",
        None,
    ),
    ("gold-with-a-curator", _rec(layer="gold"), ["--reviewer", "amal"], "amal is a curator", None),
]


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A database with one curator (amal) and one document of hers."""
    db = tmp_path / "p.db"
    seed = tmp_path / "seed.jsonl"
    seed.write_text(_line(GOOD) + "\n", encoding="utf-8")
    with open_project(db) as project:
        import_paths(project, [seed])
    return db


@pytest.mark.parametrize(
    ("data", "extra", "expected", "line"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_bad_input_is_one_line_and_changes_nothing(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
    extra: list[str],
    expected: str,
    line: int | None,
) -> None:
    good = tmp_path / "a-good.jsonl"
    good.write_text(_line({"text": "نص سليم تماما", "layer": "amal"}) + "\n", encoding="utf-8")
    bad = tmp_path / "b-bad.jsonl"
    bad.write_bytes(data)
    before = db_dump(seeded)
    code = main(["import", str(good), str(bad), "--db", str(seeded), *extra])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1, err
    assert expected in err
    if line is not None:
        assert err.startswith(f"annotator: error: {bad}:{line}: ")
    assert len(err) < 400
    assert db_dump(seeded) == before


def test_the_real_command_prints_no_traceback(seeded: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(_line({"text": "نص سليم", "layer": "amal"}) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(CASES[0][1])
    before = db_dump(seeded)
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(good), str(bad), "--db", str(seeded)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert f"{bad}:2: " in proc.stderr
    assert db_dump(seeded) == before


def test_gold_import_with_a_reviewer_of_the_target(seeded: Path, tmp_path: Path, capsys) -> None:
    bad_free = tmp_path / "gold.jsonl"
    bad_free.write_text(_line(GOOD | {"layer": "gold"}) + "\n", encoding="utf-8")
    assert main(["users", "add", "rana", "--role", "reviewer", "--db", str(seeded)]) == 0
    args = ["import", str(bad_free), "--db", str(seeded), "--reviewer", "rana"]
    assert main(args) == 0
    assert "1 span(s)" in capsys.readouterr().out


def test_titles_lose_their_control_characters(project, tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    rec = {"text": "نص", "meta": {"title": "سطر\nثان\t<b>x</b>\u0007"}}
    src.write_text(_line(rec) + "\n", encoding="utf-8")
    import_paths(project, [src])
    title = project.store.execute("SELECT title FROM documents").fetchone()[0]
    assert title == "سطر ثان <b>x</b>"


def test_allowed_controls_in_text_are_kept(project, tmp_path: Path) -> None:
    src = tmp_path / "t.jsonl"
    text = "سطر\tأول\r\nسطر\fثان"
    src.write_text(_line({"text": text}) + "\n", encoding="utf-8")
    import_paths(project, [src])
    assert project.store.execute("SELECT text FROM documents").fetchone()[0] == text
