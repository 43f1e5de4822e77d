"""Light or dark window colours: follow the system, or the user's setting.

``ui/theme`` in the settings is ``system`` (default), ``light`` or ``dark``.
With ``system`` the platform's colour scheme decides (Qt 6.5+
``QStyleHints.colorScheme``). Article span colours stay as the label schema
gives them; the text on them stays black so it reads on both.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from annotator.gui import settings

THEMES = ("system", "light", "dark")


def choice() -> str:
    """The theme setting (``system`` when unset or unknown)."""
    value = str(settings.settings().value("ui/theme", "system") or "system")
    return value if value in THEMES else "system"


def is_dark(theme: str | None = None) -> bool:
    """Whether the window should be dark for ``theme`` (default: the setting)."""
    theme = theme or choice()
    if theme != "system":
        return theme == "dark"
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    """A dark palette for every widget."""
    p = QPalette()
    window, base, text = QColor("#202124"), QColor("#17181a"), QColor("#e8eaed")
    for role, color in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, window),
        (QPalette.ColorRole.ToolTipBase, window),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#2d2f31")),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.Highlight, QColor("#3d6cb3")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.PlaceholderText, QColor("#9aa0a6")),
    ):
        p.setColor(role, color)
    return p


def apply_theme(theme: str | None = None) -> bool:
    """Give the application the light or dark palette; return True when dark."""
    app = QApplication.instance()
    dark = is_dark(theme)
    if app is not None:
        app.setPalette(dark_palette() if dark else app.style().standardPalette())
    return dark
