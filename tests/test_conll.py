"""CoNLL / IOB import and export: nested columns, documents, detection of CoNLL-shaped .txt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import InputError
from annotator.core.labels import load_schema
from annotator.core.readers.conll import looks_like_conll, read_conll
from annotator.services.datasets import ExportOptions, export_dataset, native_records
from annotator.services.importing import import_paths
from annotator.services.project import open_project
from tests.conftest import SHARED
from tests.helpers import db_dump, gold_reviewer

DATA = Path(__file__).parent / "data"
NESTED = DATA / "nested.conll"
WOJOOD_LABELS = DATA / "wojood_labels.toml"
WOJOOD_DIR = SHARED / "corpora" / "wojood"


def _b_tags(path: Path) -> list[tuple[int, int, str]]:
    """(line, column, label) of every B- tag in a CoNLL file: one span each."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        fields = line.split()
        if fields and not fields[0].startswith(("#", "-DOCSTART-")):
            out += [(n, c, t[2:]) for c, t in enumerate(fields[1:]) if t.startswith("B-")]
    return out


def _spans(project, layer: str) -> list[tuple[str, str, int, int, str]]:
    return sorted(
        (rec["text"], s["label"], s["start"], s["end"], s["text"])
        for rec in native_records(project, layer)
        for s in rec["spans"]
    )


def test_nested_import_keeps_every_span_and_rebuilds_the_text(tmp_path: Path) -> None:
    schema = load_schema(WOJOOD_LABELS)
    result = read_conll(NESTED.read_bytes(), str(NESTED), schema, layer="amal")
    assert len(result.records) == 2  # two -DOCSTART- documents, sentences joined
    first, second = result.records
    assert first.text.split("\n")[0].startswith("وصل وفد منظمة الصحة العالمية إلى مدينة غزة")
    assert first.text.count("\n") == 1  # two sentences, one line each
    assert first.meta["title"] == "وفد منظمة الصحة العالمية في غزة"
    assert first.meta["url"] == "https://example.org/news/117"
    assert first.meta["original_id"] == "wafa-2024-0117"
    assert first.meta["tokens"] == "whitespace"
    got = {(first.text[s.start : s.end], s.label) for s in first.spans}
    assert ("وصل وفد منظمة الصحة العالمية", "ORG") in got
    assert ("منظمة الصحة العالمية", "ORG") in got  # the nested ORG of column 2
    assert ("غزة", "GPE") in got and ("مدينة غزة", "GPE") in got
    assert ("مكتب المنظمة الإقليمي", "ORG") in got  # third column
    assert ("وقال الدكتور أحمد المنظري مدير مكتب المنظمة الإقليمي", "PERS") in got
    assert len(first.spans) + len(second.spans) == len(_b_tags(NESTED))
    with open_project(tmp_path / "w.db", labels_file=WOJOOD_LABELS) as project:
        report = import_paths(project, [NESTED], annotator="amal")
        assert report.spans_added == len(_b_tags(NESTED)) == 10


def test_layer_comment_names_the_layer_without_annotator(tmp_path: Path) -> None:
    text = NESTED.read_text(encoding="utf-8").replace(
        "# doc_id = wafa-2024-0117", "# doc_id = wafa-2024-0117\n# layer = badr"
    )
    src = tmp_path / "layers.conll"
    src.write_text(text, encoding="utf-8")
    with open_project(tmp_path / "w.db", labels_file=WOJOOD_LABELS) as project:
        import_paths(project, [src])
        assert len(_spans(project, "badr")) == 8 and len(_spans(project, "amal")) == 2


def test_tag_schemes_iob1_and_bioes(tmp_path: Path) -> None:
    schema = load_schema()
    iob1 = "مارك I-PER\nأسبر I-PER\nفي O\nالرباط I-LOC\nوتونس I-LOC\n"
    bioes = "مارك B-PER\nأسبر E-PER\nفي O\nالرباط S-LOC\nوتونس S-LOC\n"
    iob2 = "مارك B-PER\nأسبر I-PER\nفي O\nالرباط B-LOC\nوتونس B-LOC\n"
    want = {(0, 9, "PER"), (13, 19, "LOC"), (20, 25, "LOC")}
    loose = {(0, 9, "PER"), (13, 25, "LOC")}  # IOB1: I-LOC after I-LOC continues
    for text, expected in ((iob1, loose), (bioes, want), (iob2, want)):
        rec = read_conll(text.encode(), "x.conll", schema, layer="a").records[0]
        assert rec.text == "مارك أسبر في الرباط وتونس"
        assert {(s.start, s.end, s.label) for s in rec.spans} == expected


def test_without_markers_each_sentence_is_a_document() -> None:
    raw = "مارك B-PER\nقال O\n\nفي O\nالرباط B-LOC\n\n\nتونس B-LOC\n".encode()
    result = read_conll(raw, "s.conll", load_schema(), layer="a")
    assert [r.text for r in result.records] == ["مارك قال", "في الرباط", "تونس"]
    assert [r.meta["sentence"] for r in result.records] == [1, 2, 3]
    assert [r.line for r in result.records] == [1, 4, 8]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("مارك B-PER\nأسبر\n", "x.conll:2: token 'أسبر' has no tag"),
        ("مارك B-PER\nأسبر PER\n", "x.conll:2: column 2: 'PER' is not an IOB tag"),
        ("مارك B-PER\nأسبر O\nفي B-PLACE\n", "x.conll:3: unknown label 'PLACE'"),
        ("# doc_id = a\n\n", "x.conll: the file holds no tokens"),
    ],
)
def test_bad_files_are_refused_with_file_and_line(content: str, problem: str) -> None:
    with pytest.raises(InputError) as err:
        read_conll(content.encode(), "x.conll", load_schema(), layer="a")
    assert str(err.value).startswith(problem)


def test_conll_shaped_txt_is_refused_with_a_hint_or_read_as_conll(tmp_path: Path, capsys) -> None:
    src = tmp_path / "tagged.txt"
    src.write_text("مارك B-PER\nأسبر I-PER\nفي O\nالرباط B-LOC\n. O\n", encoding="utf-8")
    db = tmp_path / "p.db"
    before = None
    assert main(["import", str(src), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "looks like a CoNLL/IOB file" in err and "--format conll" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    before = db_dump(db)
    assert main(["import", str(src), "--db", str(db)]) == 1
    assert db_dump(db) == before  # nothing was written
    capsys.readouterr()
    assert (
        main(["import", str(src), "--format", "conll", "--annotator", "amal", "--db", str(db)]) == 0
    )
    assert "1 new document(s)" in capsys.readouterr().out
    with open_project(db) as project:
        assert _spans(project, "amal") == [
            ("مارك أسبر في الرباط .", "LOC", 13, 19, "الرباط"),
            ("مارك أسبر في الرباط .", "PER", 0, 9, "مارك أسبر"),
        ]


def test_prose_is_not_mistaken_for_conll() -> None:
    article = (DATA.parent.parent / "corpus").glob("*.txt")
    for path in article:
        assert not looks_like_conll(path.read_text(encoding="utf-8"))
    assert not looks_like_conll("قال O\nإن الاتفاق تاريخي\nوأضاف\n")


def _export(project, fmt: str, out: Path, layer: str = "gold") -> str:
    export_dataset(project, ExportOptions(fmt, out, layer=layer))
    return out.read_text(encoding="utf-8")


def test_export_writes_nested_columns_and_reimports_the_same(tmp_path: Path) -> None:
    with open_project(tmp_path / "a.db", labels_file=WOJOOD_LABELS) as a:
        import_paths(a, [NESTED], annotator="amal")
        first = _export(a, "conll", tmp_path / "a.conll", "amal")
        spans_a = _spans(a, "amal")
    assert "مكتب I-PERS I-OCC B-ORG" in first  # outer span first, one column per level
    assert first.startswith("-DOCSTART- O O O\n# doc_id = d_")
    assert "# url = https://example.org/news/117\n" in first
    with open_project(tmp_path / "b.db", labels_file=WOJOOD_LABELS) as b:
        import_paths(b, [tmp_path / "a.conll"])  # the layer comes from the file
        assert _spans(b, "amal") == spans_a
        assert _export(b, "conll", tmp_path / "b.conll", "amal") == first


def test_export_of_news_text_splits_sentences_and_tokens(tmp_path: Path) -> None:
    text = "قال وزير الخارجية: الاتفاق تاريخي. وأضاف أن بالرباط وفدا!\n\nسطر ثان"
    pieces = [("وزير الخارجية", "SOURCE"), ("الاتفاق تاريخي", "CLAIM"), ("الرباط", "LOC")]
    spans = [(text.index(p), text.index(p) + len(p), lab) for p, lab in pieces]
    src = tmp_path / "in.jsonl"
    record = {
        "text": text,
        "layer": "amal",
        "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
    }
    src.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with open_project(tmp_path / "a.db") as a:
        import_paths(a, [src])
        out = _export(a, "conll", tmp_path / "x.conll", "amal")
    body = out.split("\n\n", 1)[1]
    sentences = [s.split("\n") for s in body.strip("\n").split("\n\n")]
    assert [len(s) for s in sentences] == [7, 6, 2]  # . and ! and the line break end them
    assert sentences[0][:4] == ["قال O", "وزير B-SOURCE", "الخارجية I-SOURCE", ": O"]
    assert sentences[1][2:4] == ["ب O", "الرباط B-LOC"]  # split at the span edge
    assert sentences[0][4:6] == ["الاتفاق B-CLAIM", "تاريخي I-CLAIM"]


def test_relations_are_counted_as_not_written(tmp_path: Path, capsys) -> None:
    src = DATA / "sample_gold.jsonl"
    db = tmp_path / "g.db"
    with open_project(db) as project:
        import_paths(project, [src], reviewer=gold_reviewer(project))
    code = main(
        ["export", "--format", "conll", "--out", str(tmp_path / "g.conll"), "--db", str(db)]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "relation(s) or space-only span(s) not written" in err


def _wojood_files() -> list[Path]:
    files = [WOJOOD_DIR / "test.txt", WOJOOD_DIR / "val.txt"]
    if not all(f.exists() for f in files):
        pytest.skip(f"shared Wojood CoNLL files not present in {WOJOOD_DIR}")
    return files


def test_wojood_nested_import_keeps_every_span_and_round_trips(tmp_path: Path) -> None:
    files = _wojood_files()
    with open_project(tmp_path / "a.db", labels_file=WOJOOD_LABELS) as a:
        import_paths(a, files, annotator="gold", fmt="conll", reviewer=gold_reviewer(a))
        spans_a = _spans(a, "gold")
        expected = sum(len(_b_tags(f)) for f in files)
        # every B- tag is a span; the store keeps one of each (text, start, end, label)
        keyed = {(f.name, n, c) for f in files for n, c, _ in _b_tags(f)}
        assert len(keyed) == expected
        assert len(spans_a) == len(set(spans_a))
        assert expected - len(spans_a) == _duplicates(files)
        first = _export(a, "conll", tmp_path / "w.conll")
    with open_project(tmp_path / "b.db", labels_file=WOJOOD_LABELS) as b:
        import_paths(b, [tmp_path / "w.conll"], reviewer=gold_reviewer(b))
        assert _spans(b, "gold") == spans_a
        assert _export(b, "conll", tmp_path / "w2.conll") == first


def _duplicates(files: list[Path]) -> int:
    """Spans a set of (sentence text, start, end, label) holds once: repeated sentences."""
    schema = load_schema(WOJOOD_LABELS)
    seen: set = set()
    dup = 0
    for f in files:
        for rec in read_conll(f.read_bytes(), str(f), schema, layer="gold").records:
            for s in rec.spans:
                key = (rec.text, s.start, s.end, s.label)
                dup += key in seen
                seen.add(key)
    return dup


def test_label_map_renames_and_drops_labels(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    args = ["import", str(NESTED), "--annotator", "amal", "--db", str(db)]
    mapping = "PERS=PER,GPE=LOC,OCC=,DATE=,MONEY="
    assert main([*args, "--map", mapping]) == 0
    assert "7 span(s)" in capsys.readouterr().out  # 10 less OCC, DATE and MONEY
    with open_project(db) as project:
        got = {(s[4], s[1]) for s in _spans(project, "amal")}
    assert ("مدينة غزة", "LOC") in got and ("غزة", "LOC") in got
    assert ("وقال الدكتور أحمد المنظري مدير مكتب المنظمة الإقليمي", "PER") in got
    assert {label for _, label in got} == {"ORG", "LOC", "PER"}
    assert main([*args, "--map", "PERS"]) == 1
    assert "--map: 'PERS' is not OLD=NEW" in capsys.readouterr().err


def test_conll_u_comments_do_not_hide_the_shape() -> None:
    lines = []
    for i in range(1, 30):
        lines += [f"# sent_id = {i}", f"# text = مارك في الرباط {i}", "مارك B-PER", "في O", ""]
    assert looks_like_conll("\n".join(lines))


def test_a_hostile_layer_comment_is_refused() -> None:
    raw = ("-DOCSTART-\n# layer = " + "x" * 100 + "\n\nمارك B-PER\n").encode()
    with pytest.raises(InputError, match="layer: layer name is 100 characters long"):
        read_conll(raw, "x.conll", load_schema())


def test_a_document_without_tokens_is_left_out(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [{"text": "\u200f", "layer": "amal"}, {"text": "مارك في الرباط", "layer": "amal"}]
    src.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    with open_project(tmp_path / "a.db") as a:
        import_paths(a, [src])
        out = _export(a, "conll", tmp_path / "x.conll", "amal")
    assert out.count("-DOCSTART-") == 1 and "مارك O\nفي O\nالرباط O\n" in out
