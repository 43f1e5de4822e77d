"""Arabic news annotator: tag entities, claims and sources in right-to-left text.

``from annotator import Project`` gives the Python API (``annotator.api``),
imported on first use so that ``import annotator`` stays light and no Qt is
ever imported by it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Project", "__version__"]

if TYPE_CHECKING:
    from annotator.api import Project


def __getattr__(name: str) -> object:
    if name == "Project":
        from annotator.api import Project

        return Project
    raise AttributeError(f"module 'annotator' has no attribute {name!r}")
