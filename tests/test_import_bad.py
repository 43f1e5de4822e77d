"""Every kind of bad input: exit 1, one line naming file (and line), nothing changed."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import InputError
from annotator.services.importing import import_paths
from annotator.services.project import Project
from tests.helpers import db_dump

GOOD = {"text": "قال مارك أسبر", "spans": [{"start": 4, "end": 13, "label": "PER"}]}


def _line(record: object) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def _bad_span(**change: object) -> bytes:
    span = {"start": 4, "end": 13, "label": "PER"} | change
    return _line(GOOD) + _line({"text": GOOD["text"] + ".", "spans": [span]})


# (case id, file name, bytes, text expected in the message, line expected or None)
BAD_INPUTS = [
    ("invalid-utf8", "a.txt", "مارك".encode() + b"\n\xff\xfe oops", "not valid UTF-8", 2),
    ("empty", "a.txt", b"", "empty", None),
    ("blank", "a.txt", b"  \n\n\t\n", "blank", None),
    ("nul-bytes", "a.txt", "نص\n".encode() + b"abc\x00def", "NUL", 2),
    ("binary", "a.txt", bytes(range(1, 40)) * 3, "binary", 1),
    ("empty-jsonl", "a.jsonl", b"\n\n", "blank", None),
    ("invalid-utf8-jsonl", "a.jsonl", _line(GOOD) + b'{"text": "\xc3\x28"}\n', "UTF-8", 2),
    ("not-json", "a.jsonl", _line(GOOD) + b"{not json\n", "not valid JSON", 2),
    ("not-an-object", "a.jsonl", _line(GOOD) + b"[1, 2]\n", "JSON object", 2),
    ("string-record", "a.jsonl", b'"just text"\n', "JSON object", 1),
    ("no-text", "a.jsonl", _line(GOOD) + _line({"spans": []}), '"text"', 2),
    ("text-not-string", "a.jsonl", _line({"text": 5}), '"text"', 1),
    ("span-outside", "a.jsonl", _bad_span(end=99), "outside the text", 2),
    ("span-negative", "a.jsonl", _bad_span(start=-1), "outside the text", 2),
    ("end-before-start", "a.jsonl", _bad_span(start=9, end=4), "end <= start", 2),
    ("empty-span", "a.jsonl", _bad_span(start=4, end=4), "end <= start", 2),
    ("float-offset", "a.jsonl", _bad_span(start=4.0), "must be an integer", 2),
    ("string-offset", "a.jsonl", _bad_span(end="13"), "must be an integer", 2),
    ("bool-offset", "a.jsonl", _bad_span(start=True), "must be an integer", 2),
    ("unknown-label", "a.jsonl", _bad_span(label="PERSON"), "unknown label", 2),
    ("text-mismatch", "a.jsonl", _bad_span(text="مارك"), "differs from the slice", 2),
    (
        "doccano-outside",
        "a.jsonl",
        _line(GOOD) + _line({"text": "نص", "label": [[0, 5, "PER"]]}),
        "outside the text",
        2,
    ),
    (
        "doccano-bad-label",
        "a.jsonl",
        _line({"text": "نص قصير", "label": [[0, 2, "NAME"]]}),
        "unknown label",
        1,
    ),
    (
        "relation-to-missing-span",
        "a.jsonl",
        _line(GOOD | {"relations": [{"label": "ATTRIBUTED_TO", "head": "x", "tail": "y"}]}),
        "span id",
        1,
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "expected", "line"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS],
)
def test_bad_input_is_refused_and_nothing_changes(
    sample_project: Project,
    db_path: Path,
    tmp_path: Path,
    name: str,
    data: bytes,
    expected: str,
    line: int | None,
) -> None:
    good = tmp_path / "in" / "0-good.jsonl"  # a valid file beside the bad one
    good.parent.mkdir()
    good.write_bytes(_line({"text": "نص سليم تماما", "spans": []}))
    bad = tmp_path / "in" / name
    bad.write_bytes(data)
    before = db_dump(db_path)
    with pytest.raises(InputError) as info:
        import_paths(sample_project, [good.parent], annotator="amal")
    err = info.value
    assert err.path == str(bad)
    assert expected in err.problem
    assert err.line == line
    assert "\n" not in str(err)
    assert db_dump(db_path) == before


def test_cli_reports_one_line_and_exit_status_1(
    sample_project: Project, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(_bad_span(end=99))
    before = db_dump(db_path)
    assert main(["import", str(bad), "--annotator", "amal", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{bad}:2:" in err and "outside the text" in err
    assert db_dump(db_path) == before


def test_no_traceback_from_the_real_command(tmp_path: Path, db_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(bad), "--db", str(db_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("annotator: error: ") and str(bad) in proc.stderr


def test_utf8_bom_and_utf16_jsonl_are_valid(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(codecs.BOM_UTF8 + _line(GOOD))
    (tmp_path / "b.jsonl").write_bytes(
        json.dumps(GOOD | {"text": GOOD["text"] + "!"}, ensure_ascii=False).encode("utf-16")
    )
    report = import_paths(project, [tmp_path], annotator="amal")
    assert (report.documents_added, report.spans_added) == (2, 2)


def test_missing_path_is_a_user_error(project: Project, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_paths(project, [tmp_path / "nope.txt"])
