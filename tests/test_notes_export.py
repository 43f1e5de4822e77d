"""Notes and the unsure flag: stored with the layer, permission-checked, in native ``meta``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import PermissionDenied
from annotator.core.model import Note
from annotator.services import annotate, notes
from annotator.services.datasets import export_native
from annotator.services.project import Project
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
