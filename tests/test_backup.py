"""``annotator backup``: a consistent copy, even while another connection writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import UserError
from annotator.services import annotate
from annotator.services.maintenance import backup_database, check_integrity
from annotator.services.project import Project, open_project
from annotator.store import documents


def test_backup_copies_everything(sample_project: Project, tmp_path: Path) -> None:
    annotate.register(sample_project, "amal")
    doc = next(iter(documents.iter_documents(sample_project.store)))
    annotate.add_span(sample_project, "amal", doc.id, 0, 4, "PER")
    out = backup_database(sample_project, tmp_path / "copy.db")
    with open_project(out) as copy:
        assert check_integrity(copy) == "ok"
        assert documents.count(copy.store) == 2
        assert len(annotate.layer_spans(copy, doc.id, "amal")) == 1


def test_backup_while_a_write_transaction_is_open(sample_project: Project, tmp_path: Path) -> None:
    other = sqlite3.connect(sample_project.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO annotators VALUES ('late', 'curator', 'now')")
    out = backup_database(sample_project, tmp_path / "copy.db")  # sees the committed state
    other.execute("COMMIT")
    other.close()
    with open_project(out) as copy:
        assert "late" not in {r[0] for r in copy.store.execute("SELECT name FROM annotators")}


def test_backup_cli_and_bad_target(
    sample_project: Project, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--out", str(tmp_path / "b.db"), "--db", str(db_path)]) == 0
    assert (tmp_path / "b.db").exists()
    assert main(["backup", "--out", str(tmp_path / "no" / "b.db"), "--db", str(db_path)]) == 1
    assert "cannot write" in capsys.readouterr().err
    with pytest.raises(UserError):
        backup_database(sample_project, db_path)
