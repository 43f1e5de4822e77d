"""The export dialog's remembered choices, in the settings file.

The user's habits (format, split, seed, offsets, max tokens, negatives) are
kept under ``[export]`` for every database. What belongs to one project
(output path, licence, labels, status, layer) is kept per database, so one
project's output path is never offered for another, where an export would
overwrite that project's dataset.
"""

from __future__ import annotations

from annotator.gui import settings
from annotator.services.project import Project

GROUP = "export"
#: Remembered per database.
PROJECT_KEYS = ("layer", "status", "labels", "license", "out")


def project_group(project: Project) -> str:
    """The settings group of the choices remembered for this database."""
    return f"{GROUP}/" + str(project.store.path.resolve()).replace("/", "|")


def load(project: Project) -> dict[str, str]:
    """The remembered choices for ``project`` (text, as stored; the caller checks them)."""
    habits = {k: v for k, v in settings.group(GROUP).items() if k not in PROJECT_KEYS}
    return habits | settings.group(project_group(project))


def save(project: Project, values: dict[str, str]) -> None:
    """Remember ``values`` (control name -> text) for next time."""
    mine = {k: v for k, v in values.items() if k in PROJECT_KEYS}
    settings.put_group(GROUP, {k: v for k, v in values.items() if k not in PROJECT_KEYS})
    settings.put_group(project_group(project), mine)
