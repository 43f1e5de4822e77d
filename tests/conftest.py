"""Shared fixtures: real SQLite files in tmp_path, offscreen Qt, isolated settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.resources import sample_corpus_dir
from annotator.services.project import Project, open_project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
WOJOOD = SHARED / "corpora" / "wojood" / "wojood.jsonl"


def require_wojood() -> Path:
    """The shared Wojood sample; the calling test is skipped when it is absent."""
    if not WOJOOD.exists():
        pytest.skip(f"shared Wojood sample not present at {WOJOOD}")
    return WOJOOD


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh database file (not yet created)."""
    return tmp_path / "project.db"


@pytest.fixture
def project(db_path: Path) -> Project:
    """An empty project on a real SQLite file."""
    proj = open_project(db_path)
    yield proj
    proj.close()


@pytest.fixture
def sample_project(project: Project) -> Project:
    """A project holding the two bundled sample articles."""
    from annotator.services.importing import import_paths

    import_paths(project, [sample_corpus_dir()])
    return project


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep QSettings and the default database away from the user's files."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)


@pytest.fixture
def team(project: Project, tmp_path: Path) -> Project:
    """Three curators' layers with known disagreements, and the reviewer "rana"."""
    from annotator.services.users import add_user
    from tests.test_agreement import load_team

    load_team(project, tmp_path)
    add_user(project, "rana", "reviewer")
    return project
