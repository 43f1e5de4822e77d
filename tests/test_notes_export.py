"""Notes and the unsure flag: stored with the layer, permission-checked, in native ``meta``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import PermissionDenied, UserError
from annotator.core.model import Note
from annotator.services import annotate, browse, notes
from annotator.services.datasets import export_native
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_project
from annotator.store import documents


@pytest.fixture
def doc_id(sample_project: Project) -> str:
    annotate.register(sample_project, "amal")
    annotate.register(sample_project, "badr")
    return next(iter(documents.iter_documents(sample_project.store))).id


def test_notes_are_exported_in_native_meta(sample_project: Project, doc_id: str, tmp_path: Path):
    kept = annotate.add_span(sample_project, "amal", doc_id, 0, 3, "PER").span
    gone = annotate.add_span(sample_project, "amal", doc_id, 4, 8, "ORG").span
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", "", "مكرر؟"))
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", kept.id, "الاسم", True))
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", gone.id, "سيحذف"))
    annotate.delete_span(sample_project, "amal", gone.id)
    out = tmp_path / "amal.jsonl"
    export_native(sample_project, "amal", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    (rec,) = [r for r in records if r["id"] == doc_id]
    assert rec["meta"]["notes"] == [
        {"span": None, "note": "مكرر؟", "unsure": False},
        {"span": kept.id, "note": "الاسم", "unsure": True},
    ]
    assert all("notes" not in r["meta"] for r in records if r["id"] != doc_id)


def test_notes_are_per_layer_and_need_write_permission(sample_project: Project, doc_id: str):
    with pytest.raises(PermissionDenied):
        notes.set_note(sample_project, "badr", Note(doc_id, "amal", "", "x"))
    changes = notes.set_note(sample_project, "amal", Note(doc_id, "amal", "", "x"))
    assert changes.notes == (Note(doc_id, "amal", "", "x"),)
    assert not notes.set_note(sample_project, "amal", Note(doc_id, "amal", "", "x"))
    assert notes.note_of(sample_project, doc_id, "badr").empty
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", ""))  # empty: removed
    assert notes.notes_for(sample_project, doc_id, "amal") == {}


def test_a_reviewer_sees_every_layers_notes(sample_project: Project, doc_id: str) -> None:
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", "", "أ"))
    notes.set_note(sample_project, "badr", Note(doc_id, "badr", "s_x", "ب", True))
    got = notes.notes_of_document(sample_project, doc_id)
    assert got == {
        "amal": {"": Note(doc_id, "amal", "", "أ")},
        "badr": {"s_x": Note(doc_id, "badr", "s_x", "ب", True)},
    }


def _notes_by_span(path: Path) -> dict[str, list[tuple]]:
    """doc id -> its notes, each span named by (start, end, label): ids differ per database."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        keys = {s["id"]: (s["start"], s["end"], s["label"]) for s in rec["spans"]}
        got = [(keys.get(n["span"]), n["note"], n["unsure"]) for n in rec["meta"].get("notes", [])]
        out[rec["id"]] = sorted(got, key=repr)
        assert "notes" not in json.dumps({k: v for k, v in rec["meta"].items() if k != "notes"})
    return out


def test_native_import_reads_the_notes_back(sample_project: Project, doc_id: str, tmp_path: Path):
    span = annotate.add_span(sample_project, "amal", doc_id, 0, 3, "PER").span
    other = annotate.add_span(sample_project, "amal", doc_id, 4, 8, "ORG").span
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", "", "<b>مكرر؟</b>"))
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", span.id, "الاسم", True))
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", other.id, "", True))
    first = tmp_path / "first.jsonl"
    export_native(sample_project, "amal", first)
    with open_project(tmp_path / "other.db") as again:
        import_paths(again, [first])
        got = notes.notes_for(again, doc_id, "amal")
        assert got[""] == Note(doc_id, "amal", "", "<b>مكرر؟</b>")
        stored = {
            s.id: (s.start, s.end, s.label) for s in annotate.layer_spans(again, doc_id, "amal")
        }
        assert {stored[t]: (n.text, n.unsure) for t, n in got.items() if t} == {
            (0, 3, "PER"): ("الاسم", True),
            (4, 8, "ORG"): ("", True),
        }
        assert "notes" not in browse.get_document(again, doc_id).meta  # not kept as metadata
        second = tmp_path / "second.jsonl"
        export_native(again, "amal", second)
    assert _notes_by_span(second) == _notes_by_span(first)
    assert _notes_by_span(first)[doc_id]  # the round trip carried something


@pytest.mark.parametrize(
    ("notes_value", "problem"),
    [
        ("x", "must be a list"),
        (["x"], "must be an object"),
        ([{"span": "s_nope", "note": "x"}], "not the id of a span"),
        ([{"span": None, "note": 5}], "note must be text"),
        ([{"span": None, "note": "x" * (notes.MAX_NOTE + 1)}], "at most"),
        ([{"span": "a", "note": "x", "unsure": "yes"}], "true or false"),
    ],
)
def test_bad_notes_are_refused_with_the_line(
    project: Project, tmp_path: Path, notes_value, problem: str
) -> None:
    rec = {
        "text": "قال مارك أسبر",
        "layer": "amal",
        "spans": [{"id": "a", "start": 4, "end": 8, "label": "PER"}],
        "meta": {"notes": notes_value},
    }
    path = tmp_path / "bad.jsonl"
    path.write_text("{}\n".replace("{}", json.dumps({"text": "سطر أول"})) + json.dumps(rec) + "\n")
    with pytest.raises(UserError) as err:
        import_paths(project, [path])
    assert "bad.jsonl:2: " in str(err.value)
    assert problem in str(err.value)
    assert list(documents.iter_documents(project.store)) == []  # nothing written


def test_notes_on_a_stored_document_are_read_back_too(
    sample_project: Project, doc_id: str, tmp_path: Path
) -> None:
    span = annotate.add_span(sample_project, "amal", doc_id, 0, 3, "PER").span
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", span.id, "الاسم", True))
    out = tmp_path / "amal.jsonl"
    export_native(sample_project, "amal", out)
    notes.set_note(sample_project, "amal", Note(doc_id, "amal", span.id))  # removed
    assert notes.notes_for(sample_project, doc_id, "amal") == {}
    import_paths(sample_project, [out])  # the document was stored before: notes at the end
    assert notes.notes_for(sample_project, doc_id, "amal") == {
        span.id: Note(doc_id, "amal", span.id, "الاسم", True)
    }
