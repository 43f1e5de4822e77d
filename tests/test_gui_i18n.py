"""Every interface string of the workspace has an Arabic translation.

Strings reach ``tr()`` either as literals (found by reading the source) or
from tables (actions, list columns, statuses, menu titles), checked here one
by one. Every module under ``annotator/gui`` is read, the review window and
the suggestions panel included.
"""

from __future__ import annotations

import ast
import importlib
import string
from pathlib import Path

import pytest

from annotator.core.model import STATUSES
from annotator.gui import i18n
from annotator.gui.actions import SPECS
from annotator.gui.document_list import COLUMNS
from annotator.gui.review.models import DocumentsModel, LabelsModel, PairsModel
from annotator.gui.span_panel import SpanTableModel
from annotator.services.review import ACTIONS
from tests.gui_helpers import make_window

GUI = Path(i18n.__file__).parent


def _tr_literals() -> list[tuple[str, int, str]]:
    """(file, line, text) of every string literal passed to tr() in the workspace."""
    found = []
    for path in sorted(GUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            arg = node.args[0]
            if name == "tr" and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((str(path.relative_to(GUI)), node.lineno, arg.value))
    return found


def test_the_scan_finds_the_known_strings() -> None:
    texts = {text for _f, _l, text in _tr_literals()}
    assert {"Export dataset", "Select some text first.", "Import finished"} <= texts
    assert len(texts) > 40


def test_every_literal_has_arabic() -> None:
    for path in sorted(GUI.rglob("*.py")):  # modules register their Arabic when imported
        parts = path.relative_to(GUI).with_suffix("").parts
        if parts[-1] != "__init__":
            importlib.import_module(".".join(("annotator", "gui", *parts)))
    missing = [f"{f}:{line}: {text!r}" for f, line, text in _tr_literals() if text not in i18n._AR]
    assert missing == []


@pytest.mark.parametrize(
    "texts",
    [
        [text for text, _keys in SPECS.values()],
        list(COLUMNS),
        list(SpanTableModel.HEADERS),
        list(STATUSES),
        ["claim", "source"],
        [*DocumentsModel.HEADERS, *PairsModel.HEADERS[2:], *LabelsModel.HEADERS],
        ["label", "boundary", "missing", "relation", *ACTIONS],
        ["Accept version", "Reject all", "Apply edit", "Accept everything unanimous"],
        ["Suggest", "Accept suggestion", "Reject suggestion", "Accept all of this label"],
    ],
    ids=[
        "actions",
        "document columns",
        "span columns",
        "statuses",
        "link ends",
        "review columns",
        "conflict kinds and decisions",
        "review actions",
        "suggestion actions",
    ],
)
def test_every_table_string_has_arabic(texts: list[str]) -> None:
    assert [t for t in texts if t not in i18n._AR] == []


def test_arabic_is_really_used_and_fields_survive() -> None:
    i18n.set_language("ar")
    try:
        assert i18n.tr("Export dataset") == "تصدير مجموعة البيانات"
        done = i18n.tr(
            "Exported {records} record(s) from {documents} document(s).", records=7, documents=3
        )
        assert "7" in done and "3" in done
        for english, arabic in i18n._AR.items():  # same {fields} in both languages
            assert _fields(english) == _fields(arabic), english
    finally:
        i18n.set_language("en")


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.gui
def test_every_menu_title_has_arabic(tmp_path: Path, qtbot) -> None:
    window, _ids = make_window(tmp_path, qtbot, ["نص قصير للتجربة"])
    assert [t for t in window.menus.menus if t not in i18n._AR] == []


def test_english_shows_statuses_as_words() -> None:
    assert i18n.tr("in_progress") == "In progress"
    assert i18n.tr("Import…") == "Import…"
