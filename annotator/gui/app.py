"""Starting the GUI: the QApplication, the Arabic font, the curator, the window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QInputDialog, QMainWindow

from annotator.core.errors import UserError
from annotator.gui import i18n, settings
from annotator.gui.main_window import DEFAULT_FAMILY, MainWindow
from annotator.services import annotate
from annotator.services.project import Project, open_chosen, open_project

_fonts_loaded: list[str] = []


def ensure_app() -> QApplication:
    """The running QApplication, created (offscreen when there is no display) if needed."""
    app = QApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(sys.argv[:1])
        app.setApplicationName("annotator")
    register_fonts()
    return app


def register_fonts() -> list[str]:
    """Register the bundled Noto Sans Arabic face once; return the families added."""
    if _fonts_loaded:
        return _fonts_loaded
    try:
        import fontpkg_noto_sans_arabic as noto
    except ImportError:
        return _fonts_loaded
    for ttf in sorted(Path(noto.ROOT).rglob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(ttf))
        if font_id >= 0:
            _fonts_loaded.extend(QFontDatabase.applicationFontFamilies(font_id))
    return _fonts_loaded


def build_window(project: Project, annotator: str, lang: str | None = None) -> MainWindow:
    """A main window for ``annotator`` (registered as a curator if new) on ``project``."""
    annotate.register(project, annotator)
    i18n.set_language(i18n.language_for(lang or settings.language_choice()))
    i18n.install_qt_translation()
    family = DEFAULT_FAMILY if DEFAULT_FAMILY in register_fonts() else ""
    return MainWindow(project, annotator, family or QApplication.font().family())


def open_window(db_path: str | Path, annotator: str = "curator") -> QMainWindow:
    """Build and show the main window for a database and curator (no dialog, no event loop)."""
    ensure_app()
    project = open_project(db_path)
    try:
        window = build_window(project, annotator)
    except BaseException:
        project.close()
        raise
    window.show()
    return window


def ask_curator() -> str | None:
    """The remembered curator name, or ask for one (None if the user cancels)."""
    name = settings.curator_name()
    while not name:
        name, ok = QInputDialog.getText(
            None,
            i18n.tr("Who is annotating?"),
            i18n.tr("Your name (your own layer of annotations):"),
        )
        if not ok:
            return None
        name = name.strip()
    return name


def run(db_path: str | None, annotator: str | None, lang: str | None) -> int:
    """Open the GUI on the default (or given) database; return the exit status."""
    app = ensure_app()
    i18n.set_language(i18n.language_for(lang or settings.language_choice()))
    i18n.install_qt_translation()
    name = annotator or ask_curator()
    if not name:
        return 0
    project = open_chosen(db_path)
    try:
        window = build_window(project, name, lang)
    except UserError:
        project.close()
        raise
    settings.put("user/annotator", name)
    if lang:
        settings.put("ui/language", lang)
    window.show()
    return app.exec()
