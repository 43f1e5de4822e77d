"""Helpers for the GUI tests: a window over real documents, selecting by code points."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextCharFormat, QTextCursor

from annotator.gui import open_window
from annotator.services import annotate, browse
from annotator.services.importing import import_paths
from annotator.services.project import open_project


def u16(text: str, cp: int) -> int:
    """UTF-16 position of code point ``cp``, computed independently of the app."""
    return len(text[:cp].encode("utf-16-le")) // 2


def make_window(tmp_path: Path, qtbot, texts: list[str], annotator: str = "sara"):
    """A shown main window on a new database holding ``texts`` (in this order)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"{i:03}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "gui.db"
    with open_project(db) as project:
        import_paths(project, [folder])
    window = open_window(db, annotator=annotator)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window, [row.id for row in window.doc_model.rows]


def select_text(view, start: int, end: int) -> None:
    """Select code points [start, end) of the shown article with a Qt cursor."""
    text = view.toPlainText()
    cur = QTextCursor(view.document())
    cur.setPosition(u16(text, start))
    cur.setPosition(u16(text, end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cur)
    view.setFocus()


def stored(db: Path, doc_id: str, layer: str = "sara") -> list[tuple[int, int, str, str]]:
    """(start, end, label, text) of the spans the database holds, read afresh."""
    with open_project(db) as project:
        text = browse.get_document(project, doc_id).text
        return [
            (s.start, s.end, s.label, text[s.start : s.end])
            for s in annotate.layer_spans(project, doc_id, layer)
        ]


def stored_relations(db: Path, doc_id: str, layer: str = "sara") -> list[tuple[str, str]]:
    """(head label, tail label) of the stored relations."""
    with open_project(db) as project:
        spans = {s.id: s for s in annotate.layer_spans(project, doc_id, layer)}
        return [
            (spans[r.head].label, spans[r.tail].label)
            for r in annotate.layer_relations(project, doc_id, layer)
        ]


def formats_at(view, cp: int) -> list[QTextCharFormat]:
    """The formats the view's layout draws at code point ``cp`` (BMP text)."""
    block = view.document().findBlock(cp)
    rel = cp - block.position()
    return [
        QTextCharFormat(r.format)
        for r in block.layout().formats()
        if r.start <= rel < r.start + r.length
    ]


#: Two articles for the suggestion tests: a name tagged in the first is suggested in the second.
SUGGEST_FIRST = "😀 وصل مارك أسبر إلى الرباط."
SUGGEST_SECOND = "وقال مارك إسبر إن الزيارة ناجحة.\nوزار ومارك أسبر تونس، بحسب مصدر دبلوماسي مغربي."


def suggest_window(tmp_path: Path, qtbot):
    """A window on the second article, sara having tagged "مارك أسبر" in the first;
    (window, document ids, database path)."""
    window, ids = make_window(tmp_path, qtbot, [SUGGEST_FIRST, SUGGEST_SECOND])
    db = tmp_path / "gui.db"
    with open_project(db) as project:
        start = SUGGEST_FIRST.index("مارك أسبر")
        annotate.add_span(project, "sara", ids[0], start, start + 9, "PER")
    window.open_document(ids[1])
    return window, ids, db
