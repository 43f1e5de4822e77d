"""Suggester plug-ins: batches, scores, --accept, errors; the spaCy plug-in of docs/plugins.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.datasets import native_records
from annotator.services.importing import import_paths
from annotator.services.project import Project
from tests.conftest import REPO
from tests.helpers import gold_reviewer, write_jsonl

DAYS = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس"]


def _tiny(project: Project, tmp_path: Path) -> Path:
    """Six short gold documents, each with a PER and a LOC; returns the database path."""
    recs = []
    for day in DAYS:
        text = f"وصل مارك أسبر إلى الرباط يوم {day}."
        a, b = text.index("مارك أسبر"), text.index("الرباط")
        spans = [
            {"start": a, "end": a + 9, "label": "PER"},
            {"start": b, "end": b + 6, "label": "LOC"},
        ]
        recs.append({"text": text, "layer": "gold", "spans": spans})
    import_paths(
        project, [write_jsonl(tmp_path / "tiny.jsonl", recs)], reviewer=gold_reviewer(project)
    )
    return project.store.path


def _write_module(folder: Path, name: str, code: str, monkeypatch) -> None:
    (folder / f"{name}.py").write_text(code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))


def _layer(project: Project, layer: str) -> list[tuple[str, int, int, str, str]]:
    out = []
    for rec in native_records(project, layer):
        out += [(rec["id"], s["start"], s["end"], s["label"], s["origin"]) for s in rec["spans"]]
    return out


BATCH = """
CALLS = []

def suggest(docs):
    CALLS.append([d.id for d in docs])
    out = []
    for d in docs:
        i = d.text.index("الرباط")
        j = d.text.index("مارك")
        out.append([
            {"start": i, "end": i + 6, "label": "LOC", "score": 0.9, "reason": "capital"},
            (j, j + 4, "PER", "first name", 0.2),
        ])
    return out

suggest.batch_size = 4
"""


def test_batch_plugin_scores_min_score_and_accept(
    project: Project, tmp_path: Path, monkeypatch, capsys
) -> None:
    db = _tiny(project, tmp_path)
    _write_module(tmp_path, "batch_plugin_a", BATCH, monkeypatch)
    argv = ["suggest", "--layer", "model", "--plugin", "batch_plugin_a:suggest", "--db", str(db)]
    assert main([*argv, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["suggestions"]
    assert len(listed) == 12 and {s["score"] for s in listed} == {0.9, 0.2}
    assert not any(s["reason"].startswith(("propagation", "cue")) for s in listed)
    import batch_plugin_a

    assert [len(c) for c in batch_plugin_a.CALLS] == [4, 2]  # batches of at most 4
    assert main([*argv, "--min-score", "0.5", "--accept"]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("accepted 6 suggestion(s) into layer model (origin suggested)")
    spans = _layer(project, "model")
    assert len(spans) == 6 and {(lab, o) for *_, lab, o in spans} == {("LOC", "suggested")}
    assert main([*argv, "--min-score", "0.5", "--accept"]) == 0  # nothing new the second time
    assert "accepted 0 suggestion(s)" in capsys.readouterr().out
    assert len(_layer(project, "model")) == 6


def test_plugin_that_raises_gives_one_line(
    project: Project, tmp_path: Path, monkeypatch, capsys
) -> None:
    db = _tiny(project, tmp_path)
    code = "def suggest(text, doc_id):\n    raise RuntimeError('model file\\nmissing')\n"
    _write_module(tmp_path, "broken_plugin_b", code, monkeypatch)
    argv = ["suggest", "--layer", "model", "--plugin", "broken_plugin_b:suggest", "--accept"]
    assert main([*argv, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert re.match(
        r"annotator: error: suggester plug-in 'broken_plugin_b:suggest' failed on d_\w+: "
        r"RuntimeError: model file missing\n",
        err,
    )
    assert _layer(project, "model") == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("def s(docs):\n    return [[]]\ns.batch_size = 10\n", "returned 1 result(s) for 6"),
        ("def s(t, d):\n    return [(0, 2, 'PER', '', 'high')]\n", "score must be a number"),
        ("def s(t, d):\n    return [(0, 2, 'NOPE')]\n", "unknown label 'NOPE'"),
        ("def s(t, d):\n    return [7]\n", "bad item 7"),
        ("import no_such_module_x\ndef s(t, d):\n    return []\n", "cannot load"),
    ],
)
def test_bad_plugins_refused(
    project: Project, tmp_path: Path, monkeypatch, capsys, code: str, message: str
) -> None:
    db = _tiny(project, tmp_path)
    name = f"bad_plugin_{abs(hash(code)) % 10**8}"
    _write_module(tmp_path, name, code, monkeypatch)
    assert main(["suggest", "--layer", "m", "--plugin", f"{name}:s", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_unknown_plugin_name(project: Project, tmp_path: Path, capsys) -> None:
    db = _tiny(project, tmp_path)
    assert main(["suggest", "--layer", "m", "--plugin", "nothing", "--db", str(db)]) == 1
    assert "unknown suggester plug-in 'nothing'" in capsys.readouterr().err


def test_spacy_plugin_from_the_docs_pre_annotates(
    project: Project, tmp_path: Path, monkeypatch, capsys
) -> None:
    pytest.importorskip("spacy")
    doc = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    plugin_code, train_code = re.findall(r"```python\n(.*?)```", doc, flags=re.S)
    db = _tiny(project, tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ner").mkdir()
    argv = ["export", "--format", "spacy", "--labels", "PER,ORG,LOC,MISC"]
    assert main([*argv, "--out", "ner/train.spacy", "--db", str(db)]) == 0
    exec(compile(train_code, "docs/plugins.md", "exec"), {})  # trains ./model
    _write_module(tmp_path, "spacy_suggester", plugin_code, monkeypatch)
    monkeypatch.setenv("ANNOTATOR_SPACY_MODEL", str(tmp_path / "model"))
    argv = ["suggest", "--layer", "spacy", "--plugin", "spacy_suggester:suggest", "--accept"]
    assert main([*argv, "--db", str(db)]) == 0
    assert "into layer spacy (origin suggested)" in capsys.readouterr().out
    gold = {k[:4] for k in _layer(project, "gold")}
    model = _layer(project, "spacy")
    assert model and all(origin == "suggested" for *_, origin in model)
    found = {k[:4] for k in model}
    assert len(found & gold) >= len(gold) // 2  # the tiny model learnt its tiny corpus


def test_accept_into_gold_needs_a_reviewer(
    project: Project, tmp_path: Path, monkeypatch, capsys
) -> None:
    from annotator.services.users import add_user

    db = _tiny(project, tmp_path)
    _write_module(tmp_path, "batch_plugin_g", BATCH, monkeypatch)
    argv = ["suggest", "--layer", "gold", "--plugin", "batch_plugin_g:suggest", "--db", str(db)]
    argv += ["--min-score", "0.5", "--accept"]
    assert main(argv) == 1
    assert "needs --annotator REVIEWER" in capsys.readouterr().err
    add_user(project, "amal", "curator")
    assert main([*argv, "--annotator", "amal"]) == 1
    assert "only reviewers write the gold layer" in capsys.readouterr().err
    before = len(_layer(project, "gold"))
    assert main([*argv, "--annotator", "lead"]) == 0  # the reviewer the gold import needed
    # the LOCs the plug-in scores 0.9 are gold already: nothing new
    assert "accepted 0 suggestion(s) into layer gold" in capsys.readouterr().out
    assert len(_layer(project, "gold")) == before
