"""Offscreen grabs of the review window and the conflict panel, for docs/review.md.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/review_screenshots.py docs``
Builds a throw-away project with three curators' layers over two short
articles, opens the review window in English and in Arabic, and writes
``review-window-en.png``, ``review-window-ar.png`` and ``conflict-panel-ar.png``
into the folder given.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

T1 = "قال مارك أسبر إن الجيش في الرباط مستعد"
T2 = "ذكرت وكالة الأنباء أن الوزير زار القاهرة"
LAYERS = {
    ("ali", T1): [(4, 13, "PER"), (4, 13, "SOURCE"), (17, 22, "ORG"), (26, 32, "LOC")],
    ("sara", T1): [(4, 13, "PER"), (4, 13, "SOURCE"), (17, 22, "LOC"), (26, 32, "LOC")],
    ("omar", T1): [(4, 8, "PER"), (4, 13, "SOURCE"), (17, 22, "ORG")],
    ("ali", T2): [(5, 18, "ORG"), (33, 40, "LOC")],
    ("sara", T2): [(5, 18, "ORG"), (22, 28, "PER"), (33, 40, "LOC")],
}


def build(tmp: Path):
    """A project with the team's layers and the reviewer rana."""
    from annotator.services import review, users
    from annotator.services.importing import import_paths
    from annotator.services.project import open_project

    lines = []
    for (layer, text), keys in LAYERS.items():
        spans = [{"start": s, "end": e, "label": lab} for s, e, lab in keys]
        spans.append({"start": 17, "end": 38, "label": "CLAIM"}) if text == T1 else None
        lines.append(json.dumps({"text": text, "layer": layer, "spans": spans}, ensure_ascii=False))
    path = tmp / "team.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = open_project(tmp / "team.db")
    import_paths(project, [path])
    users.add_user(project, "rana", "reviewer")
    doc = review.reviewable_documents(project)[0]
    first, label = review.document_conflicts(project, doc)[:2]
    review.decide(project, "rana", first, "accept", side=1)
    review.decide(project, "rana", label, "accept", side=1)  # then thought better of it
    review.undo_decision(project, "rana", doc, label.id)
    return project


def main(out: Path) -> None:
    """Write the screenshots into ``out``."""
    from annotator.gui import i18n
    from annotator.gui.app import ensure_app
    from annotator.gui.review.conflict_panel import ConflictPanel
    from annotator.gui.review.window import ReviewWindow

    app = ensure_app()
    with tempfile.TemporaryDirectory() as tmp_name:
        project = build(Path(tmp_name))
        for lang in ("en", "ar"):
            i18n.set_language(lang)
            app.setLayoutDirection(i18n.direction())
            window = ReviewWindow(project, "rana")
            window.resize(1280, 640)
            window.show()
            window.select_conflict(1)  # the label conflict on الجيش
            app.processEvents()
            window.grab().save(str(out / f"review-window-{lang}.png"))
            window.close()
        panel = ConflictPanel(project)
        panel.resize(520, 460)
        panel.show()
        panel.show_at(review_doc(project), 19)
        app.processEvents()
        panel.grab().save(str(out / "conflict-panel-ar.png"))
        project.close()


def review_doc(project) -> str:
    """The first document to review."""
    from annotator.services import review

    return review.reviewable_documents(project)[0]


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
