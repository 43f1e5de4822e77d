"""The export dialog's per-format options: max tokens, negatives, licence; shown where they apply.

Each test drives the real dialog (widgets, the Export button, the worker
thread) and reads the files the export wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.cli import main
from annotator.core.formats import FORMATS
from annotator.gui import export_choices, i18n, settings
from annotator.gui.export_dialog import ExportDialog
from annotator.services.importing import import_paths
from annotator.services.project import Project, open_project
from tests.helpers import gold_reviewer, write_jsonl
from tests.test_attribution_export import TEXT as NEWS
from tests.test_conll_max_tokens import _blocks
from tests.test_export_service import _span, read_jsonl
from tests.test_max_tokens import _wojood_like

pytestmark = pytest.mark.gui

#: The controls each format offers besides those every format has (docs/export.md).
OFFERED = {
    "native": {"labels"},
    "doccano": {"labels", "offsets"},
    "hf-bio": {"labels", "max_tokens"},
    "attribution": {"offsets", "negatives"},
    "spacy": {"labels"},
    "conll": {"labels", "max_tokens"},
    "labelstudio": {"labels", "offsets"},
}


@pytest.fixture
def news_project(project: Project, tmp_path: Path) -> Project:
    """Gold: twelve short sentences about one person, a long name, and a news item with claims."""
    _wojood_like(project, tmp_path)
    spans = [
        _span(NEWS, "وزير الخارجية", "SOURCE", "s1"),
        _span(NEWS, "الاتفاق تاريخي", "CLAIM", "c1"),
        _span(NEWS, "سكاي نيوز", "SOURCE", "s3"),
        _span(NEWS, "ارتفعت الأسعار", "CLAIM", "c3"),
    ]
    rels = [
        {"label": "ATTRIBUTED_TO", "head": c, "tail": s} for c, s in (("c1", "s1"), ("c3", "s3"))
    ]
    rec = {"text": NEWS, "layer": "gold", "spans": spans, "relations": rels}
    path = write_jsonl(tmp_path / "news.jsonl", [rec])
    import_paths(project, [path], reviewer=gold_reviewer(project))
    return project


def _dialog(project: Project, qtbot, layer: str | None = None) -> ExportDialog:
    dlg = ExportDialog(project, layer=layer)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _pick(box, value: str) -> None:
    box.setCurrentIndex(box.findData(value))
    assert box.currentData() == value


def _type(qtbot, widget, text: str) -> None:
    """Replace a line edit's (or spin box's, combo box's) text by typing."""
    edit = widget.lineEdit() if hasattr(widget, "lineEdit") else widget
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def _export(dlg: ExportDialog, qtbot, out: Path):
    """Click Export; the report once it has finished (a failure's message fails the test)."""
    dlg.outEdit.setText(str(out))
    outcome: list = []
    dlg.exportFinished.connect(outcome.append)
    dlg.exportFailed.connect(outcome.append)
    qtbot.mouseClick(dlg.exportButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outcome), timeout=30_000)
    dlg.exportFinished.disconnect(outcome.append)
    dlg.exportFailed.disconnect(outcome.append)
    report = outcome[0]
    assert not isinstance(report, str), report
    assert not report.cancelled
    return report


def _shown(dlg: ExportDialog) -> set[str]:
    return {opt for opt, widget in dlg.optional.items() if widget.isVisibleTo(dlg)}


def test_each_format_shows_the_options_it_takes(news_project: Project, qtbot) -> None:
    dlg = _dialog(news_project, qtbot)
    assert set(FORMATS) == set(OFFERED)
    for fmt, offered in OFFERED.items():
        _pick(dlg.formatBox, fmt)
        assert _shown(dlg) == offered, fmt
        label = dlg.form.labelForField(dlg.maxTokensBox)
        assert label.isVisibleTo(dlg) == ("max_tokens" in offered)
        assert dlg.licenseBox.isVisibleTo(dlg) and dlg.splitEdit.isVisibleTo(dlg)
    assert not dlg.seedBox.isEnabled()  # a seed means something only with a split
    _type(qtbot, dlg.splitEdit, "train=.5,test=.5")
    assert dlg.seedBox.isEnabled()


def test_hf_bio_records_hold_at_most_max_tokens(news_project: Project, qtbot, tmp_path) -> None:
    dlg = _dialog(news_project, qtbot)
    _pick(dlg.formatBox, "hf-bio")
    assert dlg.maxTokensBox.value() == 0 and dlg.maxTokensBox.text() == "No limit"
    whole = tmp_path / "whole.jsonl"
    _export(dlg, qtbot, whole)
    _type(qtbot, dlg.maxTokensBox, "6")
    assert dlg.maxTokensBox.value() == 6
    out = tmp_path / "cut.jsonl"
    report = _export(dlg, qtbot, out)
    records, uncut = read_jsonl(out), read_jsonl(whole)
    assert max(len(r["tokens"]) for r in uncut) > 6
    assert all(0 < len(r["tokens"]) <= 6 for r in records)
    assert len(records) > len(uncut) == 3
    assert [t for r in records for t in r["tokens"]] == [t for r in uncut for t in r["tokens"]]
    manifest = json.loads((tmp_path / "cut.manifest.json").read_text(encoding="utf-8"))
    assert manifest["max_tokens"] == 6 and manifest["reopened_spans"] == report.reopened
    assert "--max-tokens 6" in (tmp_path / "cut.README.md").read_text(encoding="utf-8")
    assert report.reopened == 1  # the 8-token organisation name
    assert "1 span(s) longer than the token limit" in dlg.messageLabel.text()


def test_conll_blocks_hold_at_most_max_tokens(news_project: Project, qtbot, tmp_path) -> None:
    dlg = _dialog(news_project, qtbot)
    _pick(dlg.formatBox, "conll")
    dlg.maxTokensBox.setValue(12)
    _export(dlg, qtbot, tmp_path / "cut.conll")
    blocks, sent_ids = _blocks(tmp_path / "cut.conll")
    assert blocks and all(len(b) <= 12 for b in blocks)
    assert len(sent_ids) == len(blocks) > 3


def test_negatives_and_licence_reach_the_files(news_project: Project, qtbot, tmp_path) -> None:
    dlg = _dialog(news_project, qtbot)
    _pick(dlg.formatBox, "attribution")
    _export(dlg, qtbot, tmp_path / "claims.jsonl")
    assert all(r["has_claim"] for r in read_jsonl(tmp_path / "claims.jsonl"))
    qtbot.mouseClick(dlg.negativesCheck, Qt.MouseButton.LeftButton)
    assert dlg.negativesCheck.isChecked()
    _type(qtbot, dlg.licenseBox, "CC-BY-SA-4.0")
    _export(dlg, qtbot, tmp_path / "all.jsonl")
    records = read_jsonl(tmp_path / "all.jsonl")
    negatives = [r["sentence"]["text"] for r in records if not r["has_claim"]]
    assert "الطقس جميل اليوم." in negatives
    assert len(records) == 2 + len(negatives)
    card = (tmp_path / "all.README.md").read_text(encoding="utf-8")
    assert 'license: "CC-BY-SA-4.0"' in card and "--negatives" in card
    manifest = json.loads((tmp_path / "all.manifest.json").read_text(encoding="utf-8"))
    assert manifest["license"] == "CC-BY-SA-4.0" and manifest["negatives"] is True
    unknown = json.loads((tmp_path / "claims.manifest.json").read_text(encoding="utf-8"))
    assert unknown["license"] is None


def test_a_hidden_option_is_not_sent(news_project: Project, qtbot, tmp_path) -> None:
    """Values set for one format stay in their controls but do not reach another format."""
    dlg = _dialog(news_project, qtbot)
    _pick(dlg.formatBox, "hf-bio")
    dlg.maxTokensBox.setValue(5)
    dlg.labelsEdit.setText("PER")
    _pick(dlg.formatBox, "attribution")  # the service refuses --max-tokens and --labels here
    dlg.negativesCheck.setChecked(True)
    _pick(dlg.offsetsBox, "utf16")
    _export(dlg, qtbot, tmp_path / "a.jsonl")
    manifest = json.loads((tmp_path / "a.manifest.json").read_text(encoding="utf-8"))
    assert "max_tokens" not in manifest and manifest["negatives"] is True
    _pick(dlg.formatBox, "native")  # the service refuses --negatives and utf16 here
    _export(dlg, qtbot, tmp_path / "n.jsonl")
    manifest = json.loads((tmp_path / "n.manifest.json").read_text(encoding="utf-8"))
    assert "negatives" not in manifest and manifest["offsets"] == "codepoint"
    assert manifest["labels"] == ["PER"]
    assert dlg.maxTokensBox.value() == 5 and dlg.negativesCheck.isChecked()


def test_the_dialog_writes_what_the_command_writes(news_project: Project, qtbot, tmp_path) -> None:
    dlg = _dialog(news_project, qtbot)
    _pick(dlg.formatBox, "hf-bio")
    dlg.maxTokensBox.setValue(9)
    dlg.splitEdit.setText("train=.5,test=.5")
    dlg.seedBox.setValue(3)
    dlg.licenseBox.setEditText("CC-BY-4.0")
    (tmp_path / "gui").mkdir()
    _export(dlg, qtbot, tmp_path / "gui" / "ds")
    argv = ["export", "--format", "hf-bio", "--max-tokens", "9", "--split", "train=.5,test=.5"]
    argv += ["--seed", "3", "--license", "CC-BY-4.0", "--out", str(tmp_path / "cli" / "ds")]
    (tmp_path / "cli").mkdir()
    assert main([*argv, "--db", str(news_project.store.path)]) == 0
    gui = sorted(p.relative_to(tmp_path / "gui") for p in (tmp_path / "gui").rglob("*.*"))
    cli = sorted(p.relative_to(tmp_path / "cli") for p in (tmp_path / "cli").rglob("*.*"))
    assert gui == cli and len(gui) == 4  # train, test, manifest, card
    for name in gui:
        assert (tmp_path / "gui" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()


def test_choices_are_remembered(news_project: Project, qtbot, tmp_path) -> None:
    dlg = _dialog(news_project, qtbot)
    _pick(dlg.formatBox, "conll")
    _pick(dlg.statusBox, "in_progress")
    dlg.maxTokensBox.setValue(7)
    dlg.licenseBox.setEditText("ODC-By-1.0")
    dlg.splitEdit.setText("train=.5,test=.5")
    dlg.seedBox.setValue(42)
    _export(dlg, qtbot, tmp_path / "ds")
    dlg.close()
    again = _dialog(news_project, qtbot, layer="gold")
    assert (
        again.formatBox.currentData() == "conll" and again.statusBox.currentData() == "in_progress"
    )
    assert again.maxTokensBox.value() == 7 and again.seedBox.value() == 42
    assert again.licenseBox.currentText() == "ODC-By-1.0"
    assert again.splitEdit.text() == "train=.5,test=.5"
    assert again.outEdit.text() == str(tmp_path / "ds")
    assert _shown(again) == OFFERED["conll"]


def test_another_database_gets_the_habits_not_the_output(
    news_project: Project, qtbot, tmp_path
) -> None:
    dlg = _dialog(news_project, qtbot)
    _pick(dlg.formatBox, "hf-bio")
    dlg.maxTokensBox.setValue(9)
    dlg.labelsEdit.setText("PER")
    dlg.licenseBox.setEditText("CC0-1.0")
    _export(dlg, qtbot, tmp_path / "mine.jsonl")
    with open_project(tmp_path / "other.db") as other:
        there = _dialog(other, qtbot)
        assert there.formatBox.currentData() == "hf-bio" and there.maxTokensBox.value() == 9
        assert there.outEdit.text() == "" and there.licenseBox.currentText() == ""
        assert there.labelsEdit.text() == ""
        there.close()
    back = _dialog(news_project, qtbot)
    assert back.outEdit.text() == str(tmp_path / "mine.jsonl")
    assert back.licenseBox.currentText() == "CC0-1.0" and back.labelsEdit.text() == "PER"


def test_refused_options_are_not_remembered(news_project: Project, qtbot, tmp_path) -> None:
    dlg = _dialog(news_project, qtbot)
    _pick(dlg.formatBox, "hf-bio")
    dlg.splitEdit.setText("train=.7,test=.7")
    dlg.outEdit.setText(str(tmp_path / "ds"))
    with qtbot.waitSignal(dlg.exportFailed, timeout=5_000):
        dlg.start()
    assert export_choices.load(news_project) == {}


def test_bad_remembered_values_fall_back(news_project: Project, qtbot) -> None:
    settings.put_group(
        export_choices.GROUP,
        {"format": "xml", "max_tokens": "-4", "seed": "many", "negatives": "yes", "out": "x"},
    )
    own = export_choices.project_group(news_project)
    settings.put(f"{own}/labels", ["PER", "LOC"])  # as a hand-edited INI reads
    dlg = _dialog(news_project, qtbot)
    assert dlg.formatBox.currentData() == "native"
    assert dlg.maxTokensBox.value() == 0 and dlg.seedBox.value() == 0
    assert not dlg.negativesCheck.isChecked()
    assert dlg.labelsEdit.text() == "PER,LOC"
    assert dlg.outEdit.text() == ""  # an output path is only taken from this database's group


def test_arabic_interface(news_project: Project, qtbot) -> None:
    i18n.set_language("ar")
    try:
        dlg = _dialog(news_project, qtbot)
        _pick(dlg.formatBox, "attribution")
        form = dlg.form
        assert form.labelForField(dlg.negativesCheck).text() == "الأمثلة السلبية"
        assert dlg.negativesCheck.text() == "الجمل الخالية من الادعاءات سجلاتٍ أيضاً"
        assert form.labelForField(dlg.licenseBox).text() == "الترخيص"
        assert dlg.licenseBox.lineEdit().placeholderText() == "غير معروف"
        _pick(dlg.formatBox, "hf-bio")
        assert form.labelForField(dlg.maxTokensBox).text() == "أقصى عدد كلمات في السجل"
        assert dlg.maxTokensBox.text() == "بلا حد"
    finally:
        i18n.set_language("en")
