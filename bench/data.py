"""Generated benchmark corpora built from real Arabic sentences (Wojood sample)."""

from __future__ import annotations

import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WOJOOD = REPO.parent / "shared" / "corpora" / "wojood" / "wojood.jsonl"
FALLBACK = [
    {"text": "قال وزير الدفاع الأميركي مارك أسبر في الرباط إن الاتفاق مهم", "spans": []},
    {"text": "وفقاً لما ذكرته سكاي نيوز فإن الجولة شملت الجزائر وتونس", "spans": []},
]
LABELS = ["PER", "ORG", "LOC", "MISC", "CLAIM", "SOURCE"]


def sentences() -> list[dict]:
    """Real annotated sentences (the shared Wojood sample, else two built-in ones)."""
    if WOJOOD.exists():
        return [json.loads(line) for line in WOJOOD.read_text(encoding="utf-8").splitlines()]
    return FALLBACK


def native_corpus(n_docs: int, spans_per_doc: int, seed: int = 7) -> list[dict]:
    """``n_docs`` distinct native records of 3 sentences with ``spans_per_doc`` spans each."""
    rng = random.Random(seed)
    pool = sentences()
    out = []
    for i in range(n_docs):
        parts = rng.sample(pool, 3)
        text = f"{i} " + " ".join(p["text"] for p in parts)
        spans = []
        keys = set()
        while len(spans) < spans_per_doc:
            start = rng.randrange(0, len(text) - 1)
            end = min(len(text), start + rng.randint(1, 30))
            label = rng.choice(LABELS)
            if (start, end, label) in keys:
                continue
            keys.add((start, end, label))
            spans.append({"start": start, "end": end, "label": label, "text": text[start:end]})
        out.append({"text": text, "layer": "bench", "spans": spans, "relations": []})
    return out


def write_jsonl(records: list[dict], path: Path) -> Path:
    """Write records as JSONL."""
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path
