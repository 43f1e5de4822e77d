"""Offscreen grabs of the export dialog, for docs/export.md and docs/gui.md.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/export_screenshots.py docs``
Builds a throw-away project with one curated article, opens the export
dialog in English (hf-bio with a token limit, a split and a licence) and in
Arabic (attribution with negatives), and writes ``export-dialog-en.png`` and
``export-dialog-ar.png`` into the folder given. The settings go to a
temporary folder, so the user's remembered choices are neither read nor
changed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

TEXT = "قال وزير الدفاع مارك أسبر في الرباط إن الاتفاق مهم. الطقس جميل اليوم."


def build(tmp: Path):
    """A project with gold spans on one article and the reviewer rana."""
    from annotator.services import users
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    def span(piece: str, label: str, sid: str) -> dict:
        start = TEXT.index(piece)
        return {"id": sid, "start": start, "end": start + len(piece), "label": label}

    spans = [span("وزير الدفاع مارك أسبر", "SOURCE", "s"), span("الاتفاق مهم", "CLAIM", "c")]
    spans += [span("مارك أسبر", "PER", "p"), span("الرباط", "LOC", "l")]
    rels = [{"label": "ATTRIBUTED_TO", "head": "c", "tail": "s"}]
    record = {"text": TEXT, "layer": "gold", "spans": spans, "relations": rels}
    path = tmp / "news.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    project = open_project(tmp / "news.db")
    users.add_user(project, "rana", "reviewer")
    import_paths(project, [path], reviewer="rana")
    return project


def _pick(box, value: str) -> None:
    box.setCurrentIndex(box.findData(value))


def main(out: Path) -> None:
    """Write the screenshots into ``out``."""
    from annotator.gui import i18n
    from annotator.gui.app import ensure_app
    from annotator.gui.export_dialog import ExportDialog

    app = ensure_app()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
        project = build(tmp)
        for lang in ("en", "ar"):
            i18n.set_language(lang)
            app.setLayoutDirection(i18n.direction())
            dialog = ExportDialog(project, layer="gold")
            if lang == "en":
                _pick(dialog.formatBox, "hf-bio")
                dialog.maxTokensBox.setValue(128)
                dialog.splitEdit.setText("train=.8,dev=.1,test=.1")
                dialog.seedBox.setValue(7)
                dialog.outEdit.setText("datasets/ner")
            else:
                _pick(dialog.formatBox, "attribution")
                dialog.negativesCheck.setChecked(True)
                dialog.outEdit.setText("claims.jsonl")
            dialog.licenseBox.setEditText("CC-BY-4.0")
            dialog.resize(560, dialog.sizeHint().height())
            dialog.show()
            app.processEvents()
            dialog.grab().save(str(out / f"export-dialog-{lang}.png"))
            dialog.close()
        project.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
