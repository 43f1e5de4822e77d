"""Small helpers shared by tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def db_dump(path: Path) -> list[str]:
    """Every row of every table as SQL text: equal dumps mean an unchanged database."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def write_jsonl(path: Path, records: list[object]) -> Path:
    """Write records one per line (objects as JSON, strings verbatim)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
