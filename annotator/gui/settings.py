"""Application settings (QSettings in an INI file) and the settings dialog.

The INI file lives in the user configuration directory, found afresh on
every call (``XDG_CONFIG_HOME`` is honoured), so tests and users keep
separate settings.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from annotator.gui.i18n import tr

DEFAULT_FONT_SIZE = 16
#: Interface languages, each named in its own language.
LANGUAGE_NAMES = {"ar": "العربية", "en": "English"}
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 48


def settings_path() -> Path:
    """Where the settings file is."""
    return Path(platformdirs.user_config_dir("annotator", appauthor=False)) / "annotator.ini"


def settings() -> QSettings:
    """The application's settings object."""
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def font_size() -> int:
    """The article font size in points."""
    value = settings().value("view/font_size", DEFAULT_FONT_SIZE)
    try:
        return max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, int(value)))
    except (TypeError, ValueError):
        return DEFAULT_FONT_SIZE


def font_family(default: str) -> str:
    """The article font family (``default`` until the user picks one)."""
    return str(settings().value("view/font_family", default) or default)


def language_choice() -> str | None:
    """The interface language chosen in settings, or None for the system's."""
    value = settings().value("ui/language", "")
    return str(value) if value else None


def curator_name() -> str | None:
    """The curator name remembered from the first start, or None."""
    value = settings().value("user/annotator", "")
    return str(value) if value else None


def put(key: str, value: object) -> None:
    """Store one setting."""
    s = settings()
    s.setValue(key, value)
    s.sync()


def group(prefix: str) -> dict[str, str]:
    """Every setting under ``prefix/`` as text, keyed without the prefix.

    The file may have been edited by hand: a value the INI reader splits at
    commas is joined again, and anything else becomes its text.
    """
    s = settings()
    s.beginGroup(prefix)
    out = {}
    for key in s.childKeys():
        value = s.value(key, "")
        out[key] = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    s.endGroup()
    return out


def put_group(prefix: str, values: dict[str, str]) -> None:
    """Store several text settings under ``prefix/`` at once."""
    s = settings()
    for key, value in values.items():
        s.setValue(f"{prefix}/{key}", value)
    s.sync()


class SettingsDialog(QDialog):
    """Language, article font and size; ``values()`` gives the choice."""

    def __init__(
        self,
        lang: str,
        family: str,
        size: int,
        parent: QWidget | None = None,
        theme: str = "system",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        form = QFormLayout(self)
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        for code, name in LANGUAGE_NAMES.items():  # each language named in itself
            self.language.addItem(name, code)
        self.language.setCurrentIndex(0 if lang == "ar" else 1)
        self.font = QFontComboBox()
        self.font.setCurrentFont(QFont(family))
        self.size = QSpinBox()
        self.size.setRange(MIN_FONT_SIZE, MAX_FONT_SIZE)
        self.size.setValue(size)
        self.theme = QComboBox()
        self.theme.setObjectName("themeChoice")
        for code, text in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme.addItem(tr(text), code)
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme)))
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Colours"), self.theme)
        form.addRow(tr("Font"), self.font)
        form.addRow(tr("Font size"), self.size)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, int]:
        """(language, font family, font size) as chosen."""
        return self.language.currentData(), self.font.currentFont().family(), self.size.value()

    def theme_choice(self) -> str:
        """``system``, ``light`` or ``dark`` as chosen."""
        return self.theme.currentData()
