"""The export dialog drives the real export in a worker thread, with progress and cancel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.gui.export_dialog import ExportDialog
from annotator.services.importing import import_paths
from annotator.services.project import Project
from tests.conftest import require_wojood
from tests.helpers import gold_reviewer

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(project: Project, qtbot) -> ExportDialog:
    """An export dialog over a project holding Wojood in gold."""
    import_paths(project, [require_wojood()], annotator="gold", reviewer=gold_reviewer(project))
    dlg = ExportDialog(project)
    qtbot.addWidget(dlg)
    return dlg


def _pick(box, value: str) -> None:
    box.setCurrentIndex(box.findData(value))
    assert box.currentData() == value


def test_export_split_from_dialog(dialog: ExportDialog, qtbot, tmp_path: Path) -> None:
    _pick(dialog.formatBox, "hf-bio")
    _pick(dialog.layerBox, "gold")
    dialog.splitEdit.setText("train=.8,test=.2")
    dialog.seedBox.setValue(11)
    out = tmp_path / "ds"
    dialog.outEdit.setText(str(out))
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.exportButton, Qt.LeftButton)
    report = blocker.args[0]
    assert not report.cancelled and report.documents == 496
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["split"]["seed"] == 11 and manifest["format"] == "hf-bio"
    lines = sum(len((out / f"{n}.jsonl").read_text().splitlines()) for n in ("train", "test"))
    assert lines == 496
    assert dialog.progressBar.value() == dialog.progressBar.maximum()
    assert "496" in dialog.messageLabel.text()
    assert not dialog.is_running() and dialog.exportButton.isEnabled()


def test_cancel_leaves_no_file(dialog: ExportDialog, qtbot, tmp_path: Path) -> None:
    out = tmp_path / "out"
    dialog.splitEdit.setText("a=.5,b=.5")
    dialog.outEdit.setText(str(out))
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000) as blocker:
        dialog.start()
        dialog.cancel()  # the worker checks the flag before it renames anything
    assert blocker.args[0].cancelled
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []
    assert "nothing" in dialog.messageLabel.text().lower()


def test_bad_options_show_one_line(dialog: ExportDialog, qtbot, tmp_path: Path) -> None:
    dialog.outEdit.setText(str(tmp_path / "x.jsonl"))
    dialog.splitEdit.setText("train=.7,test=.7")
    with qtbot.waitSignal(dialog.exportFailed, timeout=5_000) as blocker:
        dialog.start()
    assert "sum to 1" in blocker.args[0] and "\n" not in blocker.args[0]
    assert not dialog.is_running()
    assert not (tmp_path / "x.jsonl").exists() and not list(tmp_path.glob(".*.tmp"))


def test_warnings_shown_as_plain_text(project: Project, qtbot, tmp_path: Path) -> None:
    from tests.helpers import write_jsonl

    recs = [{"text": "خبر أول.", "layer": "gold"}, {"text": "خبر ثان.", "layer": "gold"}]
    import_paths(
        project, [write_jsonl(tmp_path / "e.jsonl", recs)], reviewer=gold_reviewer(project)
    )
    dlg = ExportDialog(project)
    qtbot.addWidget(dlg)
    _pick(dlg.formatBox, "native")
    dlg.splitEdit.setText("train=1,dev=0")
    dlg.outEdit.setText(str(tmp_path / "ds"))
    with qtbot.waitSignal(dlg.exportFinished, timeout=30_000):
        dlg.start()
    text = dlg.messageLabel.text()
    assert "layer gold has no" in text and "split dev received no record" in text
    assert dlg.messageLabel.textFormat() == Qt.TextFormat.PlainText
    assert not (tmp_path / "ds" / "dev.jsonl").exists()
