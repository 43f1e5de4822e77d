"""What .txt import strips: spaces and tabs at line ends and around the text, nothing else."""

from __future__ import annotations

from pathlib import Path

from annotator.core.text import clean
from annotator.services.importing import import_paths
from annotator.services.project import Project
from annotator.store import documents


def test_no_break_space_and_bidi_mark_at_line_end_are_kept() -> None:
    raw = "  \n\tسطر أول\u00a0\r\nسطر ثان\u200f  \t\nثالث \n\n"
    assert clean(raw, []) == "سطر أول\u00a0\nسطر ثان\u200f\nثالث"


def test_blank_lines_inside_collapse_to_one() -> None:
    assert clean("أ\n \t\n\n\nب", []) == "أ\n\nب"


def test_import_keeps_a_trailing_no_break_space(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("خبر عاجل\u00a0\r\nنص الخبر \n", encoding="utf-8")
    import_paths(project, [path])
    (doc,) = list(documents.iter_documents(project.store))
    assert doc.text == "خبر عاجل\u00a0\nنص الخبر"
