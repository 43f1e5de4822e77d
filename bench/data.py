"""Generated benchmark corpora built from Arabic news sentences.

The sentences are the shared Wojood sample (real, human-annotated) when it
is next to the repository, else a generated fallback of a few thousand
distinct news-style sentences (names, organisations, places, reporting
verbs, with tashkeel, hamza forms and clitics as real text has them) whose
entity spans are known by construction.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WOJOOD = REPO.parent / "shared" / "corpora" / "wojood" / "wojood.jsonl"
LABELS = ["PER", "ORG", "LOC", "MISC", "CLAIM", "SOURCE"]
FALLBACK_SIZE = 3_000

# Not "مارك أسبر": bench_search plants that name as its rare one.
_PEOPLE = [
    "محمد بن سلمان",
    "عبد الفتاح السيسي",
    "إيمانويل ماكرون",
    "أنطونيو غوتيريش",
    "رجب طيب أردوغان",
    "ناصر بوريطة",
    "سامح شكري",
    "عائشة الحسيني",
    "فاطمة الزهراء",
    "يوسف الشاهد",
    "إسماعيل هنية",
    "ليلى بن علي",
    "خالد العُمَري",
    "نبيل عمرو",
]
_ORGS = [
    "وزارة الدفاع",
    "الأمم المتحدة",
    "منظمة الصحة العالمية",
    "جامعة الدول العربية",
    "البنك الدولي",
    "صندوق النقد الدولي",
    "وكالة الأنباء الفرنسية",
    "سكاي نيوز عربية",
    "مجلس الأمن",
    "الاتحاد الأوروبي",
    "حلف شمال الأطلسي",
    "البرلمان التونسي",
]
_PLACES = [
    "الرباط",
    "القاهرة",
    "تونس",
    "الجزائر",
    "بيروت",
    "عمّان",
    "الرياض",
    "دمشق",
    "بغداد",
    "الخرطوم",
    "طرابلس",
    "الدوحة",
    "أبو ظبي",
    "نواكشوط",
    "غزة",
    "القدس",
]
_VERBS = ["قال", "أكد", "أعلن", "صرّح", "أوضح", "نفى", "أشار", "كشف"]
_TOPICS = [
    "إن الاتفاق مهم للمنطقة",
    "أن المفاوضات ستستأنف الأسبوع المقبل",
    "أن الأسعار ارتفعت بنسبة كبيرة",
    "أن الحكومة ستقدم خطة جديدة للإصلاح",
    "إن الوضع الأمني تحسن في الأشهر الأخيرة",
    "أن الانتخابات ستجرى في موعدها",
    "أن المساعدات الإنسانية وصلت إلى المتضررين",
    "إن التعاون الاقتصادي سيتوسع",
    "أن اللقاء تناول القضايا الإقليمية",
    "أن عدد الإصابات تراجع خلال الأسبوع",
]
_TIMES = ["اليوم", "أمس", "مساء الثلاثاء", "صباح الأحد", "يوم الخميس", "خلال مؤتمر صحفي"]


def _fallback(n: int, seed: int = 3) -> list[dict]:
    """``n`` distinct generated news sentences with their PER/ORG/LOC spans."""
    rng = random.Random(seed)
    out: list[dict] = []
    seen: set[str] = set()
    while len(out) < n:
        person, org, place = rng.choice(_PEOPLE), rng.choice(_ORGS), rng.choice(_PLACES)
        parts = [
            (rng.choice(_VERBS), None),
            (" ", None),
            (person, "PER"),
            ("، ممثل ", None),
            (org, "ORG"),
            ("، في ", None),
            (place, "LOC"),
            (f" {rng.choice(_TIMES)} {rng.choice(_TOPICS)}", None),
        ]
        if rng.random() < 0.5:
            parts += [("، وفقاً لما ذكرته ", None), (rng.choice(_ORGS), "ORG")]
        parts.append((rng.choice([" .", ".", " ، حسب المصادر ."]), None))
        text, spans = "", []
        for piece, label in parts:
            if label:
                spans.append(
                    {"start": len(text), "end": len(text) + len(piece), "label": label,
                     "text": piece}
                )  # fmt: skip
            text += piece
        if text in seen:
            continue
        seen.add(text)
        out.append({"text": text, "spans": spans, "relations": [], "meta": {"source": "gen"}})
    return out


def sentences() -> list[dict]:
    """Real annotated sentences (the shared Wojood sample, else the generated fallback)."""
    if WOJOOD.exists():
        return [json.loads(line) for line in WOJOOD.read_text(encoding="utf-8").splitlines()]
    return _fallback(FALLBACK_SIZE)


def native_corpus(n_docs: int, spans_per_doc: int, seed: int = 7) -> list[dict]:
    """``n_docs`` distinct native records of 3 sentences with ``spans_per_doc`` spans each."""
    return list(iter_native(n_docs, spans_per_doc, seed))


def iter_native(n_docs: int, spans_per_doc: int, seed: int = 7, sentences_per_doc: int = 3):
    """``native_corpus`` one record at a time (for corpora too big to hold)."""
    rng = random.Random(seed)
    pool = sentences()
    for i in range(n_docs):
        parts = rng.sample(pool, sentences_per_doc)
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
        yield {"text": text, "layer": "bench", "spans": spans, "relations": []}


def write_jsonl(records, path: Path) -> Path:
    """Write records (any iterable) as JSONL."""
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path
