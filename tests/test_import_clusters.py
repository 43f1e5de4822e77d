"""Imported span edges inside a grapheme cluster are widened to whole characters.

Native JSONL, doccano, Label Studio and merge sources all bring spans whose
edges external tools put between a letter and its haraka, inside an emoji
ZWJ sequence or between the two halves of a flag. Import moves each such edge
outward, never empties or duplicates a span, and says how many edges it moved.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.errors import InputError
from annotator.core.ids import document_id
from annotator.core.span_edges import is_edge, widen
from annotator.core.tokens import clusters
from annotator.services import import_read
from annotator.services.datasets import native_records
from annotator.services.importing import import_paths
from annotator.services.merge import merge_databases
from annotator.services.project import Project, open_project
from tests.helpers import db_dump, write_jsonl

HARAKAT = "قال مُحَمَّدٌ اليوم"  # مُحَمَّدٌ: the last letter د carries a tanween (U+064C)
FAMILY = "صورة 👨\u200d👩\u200d👧 العائلة"
FLAG = "علم 🇲🇦 المغرب"


def _cut(text: str, piece: str, drop_end: int = 0, drop_start: int = 0) -> tuple[int, int]:
    """(start, end) of ``piece`` in ``text`` with code points cut off either edge."""
    start = text.index(piece)
    return start + drop_start, start + len(piece) - drop_end


def _spans(project: Project, layer: str = "ali") -> list[tuple[str, str]]:
    return sorted(
        (s["text"], s["label"]) for rec in native_records(project, layer) for s in rec["spans"]
    )


def test_an_end_between_a_letter_and_its_haraka_takes_the_haraka(
    project: Project, tmp_path: Path
) -> None:
    start, end = _cut(HARAKAT, "مُحَمَّدٌ", drop_end=1)  # ends between د and its tanween
    assert HARAKAT[start:end] == "مُحَمَّد"
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"text": "لا شيء", "layer": "ali", "spans": []},
            {
                "text": HARAKAT,
                "layer": "ali",
                "spans": [{"start": start, "end": end, "label": "PER"}],
            },
        ],
    )
    report = import_paths(project, [path])
    assert _spans(project) == [("مُحَمَّدٌ", "PER")]
    assert report.edges_widened == 1
    assert report.first_widened == f"{path}:2"
    assert report.summary().splitlines()[1] == (
        "1 span edge(s) fell inside a character (a letter and its marks, an emoji sequence "
        f"or a flag) and were widened to whole characters; first at {path}:2"
    )


def test_zwj_family_and_flag_are_taken_whole(project: Project, tmp_path: Path) -> None:
    fam = _cut(FAMILY, "👨\u200d👩\u200d👧", drop_end=2)  # ends after 👨‍👩
    flag = _cut(FLAG, "🇲🇦 المغرب", drop_start=1)  # starts between 🇲 and 🇦
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"text": FAMILY, "spans": [{"start": fam[0], "end": fam[1], "label": "MISC"}]},
            {"text": FLAG, "spans": [{"start": flag[0], "end": flag[1], "label": "LOC"}]},
        ],
    )
    report = import_paths(project, [path], annotator="ali")
    assert _spans(project) == sorted([("👨\u200d👩\u200d👧", "MISC"), ("🇲🇦 المغرب", "LOC")])
    assert report.edges_widened == 2
    assert report.first_widened == f"{path}:1"


def test_hf_bio_tokens_never_split_a_widened_cluster(
    project: Project, tmp_path: Path, capsys
) -> None:
    start, end = _cut(HARAKAT, "مُحَمَّدٌ", drop_end=1)
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [{"text": HARAKAT, "spans": [{"start": start, "end": end, "label": "PER"}]}],
    )
    db = project.store.path
    project.close()
    assert main(["import", str(path), "--annotator", "ali", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"widened to whole characters; first at {path}:1" in out
    target = tmp_path / "bio.jsonl"
    assert main(["export", "--format", "hf-bio", "--layer", "ali", "--out", str(target),
                 "--db", str(db)]) == 0  # fmt: skip
    [row] = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert row["tokens"] == ["قال", "مُحَمَّدٌ", "اليوم"]
    assert row["ner_tags"] == ["O", "B-PER", "O"]


def test_spans_that_become_one_are_one_and_keep_their_relation(
    project: Project, tmp_path: Path
) -> None:
    text = "قال مُحَمَّدٌ إن الاتفاق تاريخي"
    start, end = _cut(text, "مُحَمَّدٌ")
    claim = _cut(text, "الاتفاق تاريخي")
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "text": text,
                "layer": "ali",
                "spans": [
                    {"id": "a", "start": start, "end": end - 1, "label": "SOURCE"},  # cut
                    {"id": "b", "start": start, "end": end, "label": "SOURCE"},  # whole
                    {"id": "c", "start": claim[0], "end": claim[1], "label": "CLAIM"},
                ],
                "relations": [
                    {"label": "ATTRIBUTED_TO", "head": "c", "tail": "a"},
                    {"label": "ATTRIBUTED_TO", "head": "c", "tail": "b"},
                ],
                "meta": {"notes": [{"span": "a", "note": "المصدر", "unsure": True}]},
            }
        ],
    )
    report = import_paths(project, [path])
    assert report.edges_widened == 1
    assert report.spans_added == 2 and report.relations_added == 1
    [rec] = native_records(project, "ali")
    by_id = {s["id"]: s for s in rec["spans"]}
    assert sorted((s["text"], s["label"]) for s in rec["spans"]) == [
        ("الاتفاق تاريخي", "CLAIM"),
        ("مُحَمَّدٌ", "SOURCE"),
    ]
    [rel] = rec["relations"]
    assert (by_id[rel["head"]]["label"], by_id[rel["tail"]]["text"]) == ("CLAIM", "مُحَمَّدٌ")
    [note] = rec["meta"]["notes"]
    assert by_id[note["span"]]["text"] == "مُحَمَّدٌ"


def test_a_refused_line_after_a_widened_span_still_imports_nothing(
    project: Project, tmp_path: Path
) -> None:
    start, end = _cut(HARAKAT, "مُحَمَّدٌ", drop_end=1)
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"text": HARAKAT, "spans": [{"start": start, "end": end, "label": "PER"}]},
            {"text": HARAKAT + ".", "spans": [{"start": 0, "end": 99, "label": "PER"}]},
        ],
    )
    before = db_dump(project.store.path)
    with pytest.raises(InputError, match=":2: span 1"):
        import_paths(project, [path], annotator="ali")
    assert db_dump(project.store.path) == before


def test_the_first_widened_line_counts_lines_of_the_whole_file(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_read, "BATCH", 2)  # five lines: three batches
    start, end = _cut(HARAKAT, "مُحَمَّدٌ", drop_end=1)
    plain = [{"text": f"خبر رقم {i}", "spans": []} for i in range(4)]
    cut = {"text": HARAKAT, "spans": [{"start": start, "end": end, "label": "PER"}]}
    path = write_jsonl(tmp_path / "a.jsonl", [*plain, cut])
    other = write_jsonl(tmp_path / "b.jsonl", [{"text": FLAG, "spans": []}])
    report = import_paths(project, [path, other], annotator="ali")  # checked, then written
    assert (report.edges_widened, report.first_widened) == (1, f"{path}:5")


def test_label_studio_regions_are_widened(project: Project, tmp_path: Path) -> None:
    start, end = _cut(HARAKAT, "مُحَمَّدٌ", drop_end=1)
    task = {
        "data": {"text": HARAKAT},
        "annotations": [
            {
                "completed_by": {"email": "sara@example.org"},
                "result": [
                    {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                     "value": {"start": start, "end": end, "text": HARAKAT[start:end],
                               "labels": ["PER"]}}
                ],
            }
        ],
    }  # fmt: skip
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    report = import_paths(project, [path])
    assert _spans(project, "sara@example.org") == [("مُحَمَّدٌ", "PER")]
    assert report.edges_widened == 1


def test_doccano_labels_are_widened(project: Project, tmp_path: Path) -> None:
    flag = _cut(FLAG, "🇲🇦", drop_end=1)
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": FLAG, "label": [[*flag, "LOC"]]}])
    report = import_paths(project, [path], annotator="ali")
    assert _spans(project) == [("🇲🇦", "LOC")]
    assert report.edges_widened == 1


def test_clean_files_report_no_widening(project: Project, tmp_path: Path) -> None:
    start, end = _cut(HARAKAT, "مُحَمَّدٌ")
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [{"text": HARAKAT, "spans": [{"start": start, "end": end, "label": "PER"}]}],
    )
    report = import_paths(project, [path], annotator="ali")
    assert report.edges_widened == 0 and report.first_widened is None
    assert "\n" not in report.summary()


def _source_with_cut_spans(tmp_path: Path) -> tuple[Path, str]:
    """A curator's database whose spans were cut inside clusters by another tool."""
    source = tmp_path / "ali.db"
    text = "قال مُحَمَّدٌ إن الاتفاق تاريخي 🇲🇦"
    doc_file = write_jsonl(tmp_path / "doc.jsonl", [{"text": text, "spans": []}])
    with open_project(source) as proj:
        import_paths(proj, [doc_file])
    start, end = _cut(text, "مُحَمَّدٌ")
    claim = _cut(text, "الاتفاق تاريخي")
    flag = _cut(text, "🇲🇦")
    doc, at = document_id(text), "2030-01-01T00:00:00+00:00"
    conn = sqlite3.connect(source)
    with conn:
        row = "INSERT INTO spans VALUES (?, ?, 'ali', ?, ?, ?, 'manual', ?, ?, NULL)"
        conn.execute(row, ("s_a", doc, start, end - 1, "SOURCE", at, at))  # cut
        conn.execute(row, ("s_b", doc, start, end, "SOURCE", at, at))  # the same, whole
        conn.execute(row, ("s_c", doc, *claim, "CLAIM", at, at))
        conn.execute(row, ("s_d", doc, flag[0] + 1, flag[1], "LOC", at, at))  # half a flag
        conn.execute(
            "INSERT INTO relations VALUES ('r_1', ?, 'ali', 'ATTRIBUTED_TO', 's_c', 's_a', ?, ?,"
            " NULL)",
            (doc, at, at),
        )
        conn.execute("INSERT OR IGNORE INTO annotators VALUES ('ali', 'curator', ?)", (at,))
    conn.close()
    return source, text


def test_merge_widens_cut_edges_and_keeps_relations(project: Project, tmp_path: Path) -> None:
    source, _ = _source_with_cut_spans(tmp_path)
    report = merge_databases(project, [source])
    assert (report.edges_widened, report.first_widened) == (2, f"{source}: span s_a")
    assert "2 span edge(s) fell inside a character" in report.summary()
    assert _spans(project) == sorted(
        [("الاتفاق تاريخي", "CLAIM"), ("مُحَمَّدٌ", "SOURCE"), ("🇲🇦", "LOC")]
    )
    [rec] = native_records(project, "ali")
    by_id = {s["id"]: s for s in rec["spans"]}
    [rel] = rec["relations"]
    assert by_id[rel["tail"]]["text"] == "مُحَمَّدٌ"
    again = tmp_path / "again.db"
    shutil.copy(source, again)
    assert merge_databases(project, [again]).changed == 0  # merging twice changes nothing


CUT_PLUGIN = """
def suggest(text, doc_id):
    start = text.index("مُحَمَّدٌ")
    return [(start, start + len("مُحَمَّدٌ") - 1, "PER")]  # ends before the tanween
"""


def test_plugin_suggestions_are_widened(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import_paths(project, [write_jsonl(tmp_path / "a.jsonl", [{"text": HARAKAT}])])
    (tmp_path / "cut_plugin.py").write_text(CUT_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    db = str(project.store.path)
    argv = ["suggest", "--layer", "ali", "--plugin", "cut_plugin:suggest", "--json", "--db", db]
    assert main(argv) == 0
    [item] = json.loads(capsys.readouterr().out)["suggestions"]
    assert item["text"] == "مُحَمَّدٌ"


_PIECES = st.sampled_from(
    ["ب", "م", "ا", "\u064e", "\u0651", "\u064c", "👨", "\u200d", "👩", "🇲", "🇦", "👍", "🏽",
     "\ufe0f", " ", "\r\n", "\u200f", "a", "\u0600"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30), st.data())
def test_widened_edges_are_cluster_edges_and_hold_the_span(pieces, data) -> None:
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    new_start, new_end = widen(text, start, end)
    edges = {0, len(text)} | {e for _, e in clusters(text)}
    assert new_start in edges and new_end in edges
    assert new_start <= start < end <= new_end
    assert all(is_edge(text, p) == (p in edges) for p in range(len(text) + 1))
