"""CoNLL ``--max-tokens``: blocks cut at sentence ends, nested columns re-opened together."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.cli import main
from annotator.services.datasets import ExportOptions, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_project
from tests.test_conll import NESTED, WOJOOD_LABELS
from tests.test_max_tokens import _wojood_like


def _blocks(path: Path) -> tuple[list[list[list[str]]], list[str]]:
    """The blank-line blocks of a CoNLL file (rows of token and tags) and its sent_id comments."""
    blocks: list[list[list[str]]] = []
    sent_ids: list[str] = []
    current: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        fields = line.split()
        if not fields:
            if current:
                blocks.append(current)
            current = []
        elif line.startswith("# sent_id = "):
            sent_ids.append(line.split(" = ", 1)[1])
        elif not fields[0].startswith(("#", "-DOCSTART-")):
            current.append(fields)
    if current:
        blocks.append(current)
    return blocks, sent_ids


def _label_texts(project: Project, layer: str) -> list[tuple[str, str]]:
    return sorted(
        (s["label"], s["text"]) for r in native_records(project, layer) for s in r["spans"]
    )


def test_blocks_end_at_sentences_and_import_back_the_same_spans(
    project: Project, tmp_path: Path
) -> None:
    _wojood_like(project, tmp_path)
    whole, cut = tmp_path / "whole.conll", tmp_path / "cut.conll"
    export_dataset(project, ExportOptions("conll", whole))
    report = export_dataset(project, ExportOptions("conll", cut, max_tokens=20))
    whole_blocks, none = _blocks(whole)
    blocks, sent_ids = _blocks(cut)
    assert none == [] and len(sent_ids) == len(blocks)
    assert len(whole_blocks) > len(blocks) > 2  # whole sentences packed, two docs cut
    assert all(len(b) <= 20 for b in blocks)
    assert [row for b in blocks for row in b] == [row for b in whole_blocks for row in b]
    ends = {b[-1][0] for b in whole_blocks}  # every cut is at a sentence end of the uncut file
    assert all(b[-1][0] in ends for b in blocks)
    assert report.reopened == 0  # the 10-token ORG fits in 20
    manifest = json.loads((tmp_path / "cut.manifest.json").read_text())
    assert manifest["max_tokens"] == 20 and manifest["reopened_spans"] == 0
    with open_project(tmp_path / "back.db") as back:
        import_paths(back, [cut], annotator="amal")
        assert _label_texts(back, "amal") == _label_texts(project, "gold")


def test_nested_levels_cut_together_and_counted(tmp_path: Path, capsys) -> None:
    db = tmp_path / "n.db"
    with open_project(db, labels_file=WOJOOD_LABELS) as project:
        import_paths(project, [NESTED], annotator="amal")
        whole, cut = tmp_path / "whole.conll", tmp_path / "cut.conll"
        export_dataset(project, ExportOptions("conll", whole, layer="amal"))
        report = export_dataset(project, ExportOptions("conll", cut, layer="amal", max_tokens=6))
        doc_id = next(r["id"] for r in native_records(project, "amal"))
    flat = [row for b in _blocks(whole)[0] for row in b]
    blocks, sent_ids = _blocks(cut)
    assert sent_ids[0] == f"{doc_id}/0" and all(len(b) <= 6 for b in blocks)
    # the 8-token PERS holds OCC and ORG: no boundary outside it fits, all three re-open
    assert ["المنظمة", "B-PERS", "B-OCC", "B-ORG"] in [row for b in blocks for row in b]
    at, reopened = 0, 0
    for b in blocks:
        assert [row[0] for row in b] == [row[0] for row in flat[at : at + len(b)]]
        if at:
            reopened += sum(t.startswith("I-") for t in flat[at][1:])
            assert all(not t.startswith("I-") for t in b[0][1:])
        at += len(b)
    assert report.reopened == reopened > 0
    argv = ["export", "--format", "conll", "--layer", "amal", "--max-tokens", "6", "--db", str(db)]
    assert main([*argv, "--out", str(tmp_path / "cli.conll")]) == 0
    assert f"{reopened} span(s) longer than --max-tokens" in capsys.readouterr().err
    assert (tmp_path / "cli.conll").read_text(encoding="utf-8") == cut.read_text(encoding="utf-8")
