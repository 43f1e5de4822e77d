"""Label Studio tasks: import annotations, predictions and relations; export the same shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import InputError
from annotator.core.labels import load_schema
from annotator.core.readers.labelstudio import read_labelstudio
from annotator.services.datasets import ExportOptions, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from tests.helpers import db_dump, gold_reviewer

DATA = Path(__file__).parent / "data"
TASKS = DATA / "labelstudio_tasks.json"


def _keyed(project, layer: str) -> list[tuple]:
    """Spans (text, label, start, end) and relations by span key, of one layer."""
    out = []
    for rec in native_records(project, layer):
        key = {s["id"]: (s["start"], s["end"], s["label"]) for s in rec["spans"]}
        out.append(
            (
                rec["text"],
                sorted((s["label"], s["start"], s["end"], s["text"]) for s in rec["spans"]),
                sorted((r["label"], key[r["head"]], key[r["tail"]]) for r in rec["relations"]),
            )
        )
    return [o for o in out if o[1]]


def test_annotations_predictions_and_relations_are_read(tmp_path: Path) -> None:
    result = read_labelstudio(TASKS.read_bytes(), str(TASKS), load_schema())
    by_layer = {r.layer: r for r in result.records}
    assert set(by_layer) == {"ls-user-3", "sara@example.org", "ner-v2"}  # cancelled one skipped
    first = by_layer["ls-user-3"]
    spans = [(first.text[s.start : s.end], s.label) for s in first.spans]
    assert spans == [
        ("وزير الخارجية المغربي", "SOURCE"),
        ("وزير الخارجية المغربي", "PER"),  # one region with two labels: two spans
        ("الاتفاق تاريخي", "CLAIM"),
    ]
    [rel] = first.relations
    assert (rel.label, first.spans[rel.head].label, first.spans[rel.tail].label) == (
        "ATTRIBUTED_TO",
        "CLAIM",
        "SOURCE",
    )
    sara = by_layer["sara@example.org"]
    [rel] = sara.relations  # direction "left" and no label: the schema's one CLAIM -> SOURCE
    assert (sara.spans[rel.head].label, sara.spans[rel.tail].label) == ("CLAIM", "SOURCE")
    assert first.meta == {"title": "اتفاق", "source": "labelstudio_tasks.json"}
    assert result.warnings == [f"{TASKS}: 1 result(s) of type 'choices' ignored"]


def test_import_with_annotator_puts_every_annotation_in_that_layer(tmp_path: Path) -> None:
    with open_project(tmp_path / "p.db") as project:
        report = import_paths(project, [TASKS], annotator="amal")
        assert (report.documents_added, report.relations_added) == (2, 2)
        [(_, spans, rels), second] = _keyed(project, "amal")
        assert len(spans) == 5  # SOURCE 4-25 and 4-17, PER, LOC, CLAIM (once: same key)
        assert len(rels) == 2 and [s[0] for s in second[1]] == ["LOC", "PER"]


def _emoji_task(start: int, end: int, **extra) -> list[dict]:
    text = "😀 وصل مارك أسبر 🇲🇦 إلى الرباط"
    region = {"start": start, "end": end, "text": "الرباط", "labels": ["LOC"]} | extra
    return [{"data": {"text": text}, "annotations": [{"result": [
        {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text", "value": region}
    ]}]}]  # fmt: skip


def test_utf16_offsets_are_recognised_by_their_text(tmp_path: Path) -> None:
    text = _emoji_task(0, 1)[0]["data"]["text"]
    cp = text.index("الرباط")
    u16 = cp + 3  # the emoji and the flag's two letters are astral: three extra units
    src = tmp_path / "u16.json"
    src.write_text(json.dumps(_emoji_task(u16, u16 + 6)), encoding="utf-8")
    result = read_labelstudio(src.read_bytes(), str(src), load_schema(), layer="a")
    [span] = result.records[0].spans
    assert (span.start, span.end) == (cp, cp + 6)
    assert "fit the text only as UTF-16" in result.warnings[0]
    with pytest.raises(InputError, match="is outside the text"):
        read_labelstudio(src.read_bytes(), str(src), load_schema(), layer="a", offsets="codepoint")
    src.write_text(json.dumps(_emoji_task(cp, cp + 6)), encoding="utf-8")
    result = read_labelstudio(src.read_bytes(), str(src), load_schema(), layer="a")
    assert result.warnings == [] and result.records[0].spans[0].start == cp


@pytest.mark.parametrize(
    ("tasks", "problem"),
    [
        ([{"data": {"text": "وصل مارك"}, "annotations": [{"result": [{"type": "labels",
          "value": {"start": 4, "end": 8, "text": "مارك", "labels": ["PERSON"]}}]}]}],
         "task 1, annotation 1: span 1: unknown label 'PERSON'"),
        ([{"data": {"text": "وصل مارك"}, "annotations": [{"result": [{"type": "labels",
          "value": {"start": 3, "end": 8, "text": "مارك", "labels": ["PER"]}}]}]}],
         "task 1, annotation 1, result 1: span text 'مارك' differs"),
        ([{"data": {"text": "وصل مارك"}, "annotations": [{"result": [{"type": "labels",
          "value": {"start": 4, "end": 80, "labels": ["PER"]}}]}]}],
         "task 1, annotation 1, result 1: span [4, 80) is outside the text"),
        ([{"data": {"text": "  "}}], "task 1: the text is empty"),
        ([{"data": {"image": 1}}], 'task 1: no string "text" in "data"'),
        ([{"data": {"text": "ب"}, "annotations": [{"result": [
          {"type": "relation", "from_id": "x", "to_id": "y"}]}]}],
         "task 1, annotation 1: relation 1 names a region the annotation lacks"),
        ({"data": 3}, 'task 1: no "data" object'),
        ([{"data": {"text": "قال مارك"}, "annotations": [{"result": [
          {"id": "a", "type": "labels", "value": {"start": 0, "end": 3, "labels": ["CLAIM"]}},
          {"id": "b", "type": "labels", "value": {"start": 4, "end": 8, "labels": ["SOURCE"]}},
          {"type": "relation", "from_id": "a", "to_id": "b", "labels": ["says"]}]}]}],
         "relation 1: unknown relation 'says' (ATTRIBUTED_TO)"),
        ([], "the file holds no tasks"),
    ],
)  # fmt: skip
def test_bad_tasks_are_refused_in_one_line(tmp_path: Path, tasks, problem: str, capsys) -> None:
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "p.db"
    with open_project(db):
        pass
    before = db_dump(db)
    assert main(["import", str(src), "--annotator", "a", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert problem in err and err.count("\n") == 1 and "Traceback" not in err
    assert db_dump(db) == before


def test_json_min_and_jsonl_tasks(tmp_path: Path) -> None:
    text = "وصل مارك أسبر إلى الرباط"
    region = {"start": 4, "end": 13, "text": "مارك أسبر", "labels": ["PER"]}
    mini = [{"id": 1, "text": text, "annotator": "sara@example.org", "label": [region]}]
    a = read_labelstudio(json.dumps(mini).encode(), "m.json", load_schema())
    assert [(r.layer, r.spans[0].label) for r in a.records] == [("sara@example.org", "PER")]
    task = json.loads(TASKS.read_text(encoding="utf-8"))[1]
    lines = tmp_path / "tasks.jsonl"
    lines.write_text(json.dumps(task) + "\n" + json.dumps(task) + "\n", encoding="utf-8")
    with open_project(tmp_path / "p.db") as project:
        import_paths(project, [lines])  # .jsonl of Label Studio tasks is recognised
        assert [s[0] for s in _keyed(project, "ner-v2")[0][1]] == ["LOC", "PER"]


def test_export_has_the_label_studio_shape_and_imports_back(team, tmp_path: Path) -> None:
    from annotator.services.annotate import set_status

    first = next(native_records(team, "sara"))
    set_status(team, "sara", first["id"], "done")
    set_status(team, "ali", first["id"], "skipped")
    out = tmp_path / "ls.json"
    export_dataset(team, ExportOptions("labelstudio", out, layer="all"))
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(tasks, list) and tasks
    texts = [t["data"]["text"] for t in tasks]
    assert len(texts) == len(set(texts))  # one task per document
    seen_layers = set()
    for task in tasks:
        text = task["data"]["text"]
        layers = task["meta"]["layers"]
        assert len(layers) == len(task["annotations"]) == len(task["meta"]["statuses"])
        seen_layers |= set(layers)
        for ann in task["annotations"]:
            ids = set()
            for r in ann["result"]:
                if r["type"] == "labels":
                    v = r["value"]
                    assert text[v["start"] : v["end"]] == v["text"]
                    assert (r["from_name"], r["to_name"]) == ("label", "text")
                    ids.add(r["id"])
                else:
                    assert r["type"] == "relation" and {r["from_id"], r["to_id"]} <= ids
    assert any(len(t["annotations"]) > 1 for t in tasks)  # the team's layers side by side
    with open_project(tmp_path / "b.db") as again:
        import_paths(again, [out])
        for layer in sorted(seen_layers):
            assert _keyed(again, layer) == _keyed(team, layer)
        assert progress_of(again) == progress_of(team)
        assert {"done", "skipped"} <= set(progress_of(again).values())


def progress_of(project) -> dict:
    """(document text, layer) -> status of every layer's record."""
    return {
        (rec["text"], layer): rec["meta"]["status"]
        for layer in ("ali", "omar", "sara")
        for rec in native_records(project, layer)
    }


def test_export_offsets_utf16_for_older_label_studio(tmp_path: Path) -> None:
    text = _emoji_task(0, 1)[0]["data"]["text"]
    cp = text.index("الرباط")
    src = tmp_path / "in.json"
    src.write_text(json.dumps(_emoji_task(cp, cp + 6)), encoding="utf-8")
    with open_project(tmp_path / "p.db") as project:
        import_paths(project, [src], annotator="gold", reviewer=gold_reviewer(project))
        out = tmp_path / "u16.json"
        export_dataset(project, ExportOptions("labelstudio", out, offsets="utf16"))
        manifest = json.loads((tmp_path / "u16.manifest.json").read_text(encoding="utf-8"))
    [task] = json.loads(out.read_text(encoding="utf-8"))
    value = task["annotations"][0]["result"][0]["value"]
    assert (value["start"], value["end"]) == (cp + 3, cp + 9)
    assert task["annotations"][0]["ground_truth"] is True and manifest["offsets"] == "utf16"


def test_label_map_drops_a_region_and_its_relations() -> None:
    raw = TASKS.read_bytes()
    result = read_labelstudio(raw, str(TASKS), load_schema(), label_map={"CLAIM": ""})
    for rec in result.records:
        assert "CLAIM" not in {s.label for s in rec.spans} and rec.relations == ()
    renamed = read_labelstudio(raw, str(TASKS), load_schema(), label_map={"PER": "MISC"})
    assert "MISC" in {s.label for r in renamed.records for s in r.spans}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[" * 100_000 + "]" * 100_000, "not valid JSON (nested too deeply)"),
        ("{\n" + "[" * 50, "not valid JSON"),
        (json.dumps([{"data": {"text": "نص"}, "annotations": [{"completed_by": "x" * 80}]}]),
         "layer: layer name is 80 characters long (at most 64)"),
        (json.dumps([{"data": {"text": "نص"}, "annotations": [{"completed_by": "GOLD"}]}]),
         "'GOLD' is reserved"),
        (json.dumps([{"data": {"text": "نص\u0085"}}]), "the text holds a control character U+0085"),
        ('[{"data": {"text": "نص", "title": "\\ud800"}}]', "the metadata holds a lone surrogate"),
        ('[{"data": {"text": "نص"}, "score": NaN}]', "not valid JSON (NaN is not a number"),
    ],
)  # fmt: skip
def test_hostile_files_give_one_line(tmp_path: Path, capsys, content: str, problem: str) -> None:
    src = tmp_path / "hostile.json"
    src.write_text(content, encoding="utf-8")
    assert main(["import", str(src), "--db", str(tmp_path / "p.db")]) == 1
    err = capsys.readouterr().err
    assert problem in err and err.count("\n") == 1 and "Traceback" not in err
