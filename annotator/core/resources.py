"""Where the bundled resources and sample corpus live.

The repository layout keeps ``resources/`` and ``corpus/`` beside the
package; ``ANNOTATOR_HOME`` points elsewhere (e.g. a packaged install).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding ``resources/`` and ``corpus/``."""
    env = os.environ.get("ANNOTATOR_HOME")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2]


def resource_path(name: str) -> Path:
    """Path of a file in ``resources/``."""
    return project_root() / "resources" / name


def sample_corpus_dir() -> Path:
    """The bundled sample articles loaded into a new default database."""
    return project_root() / "corpus"
