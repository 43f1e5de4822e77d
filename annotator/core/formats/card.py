"""The dataset card: a README.md beside an export, written from its manifest.

The front matter is the YAML block the Hugging Face Hub reads (licence,
language, task, the data files of each split and their features, so that
``load_dataset(folder)`` types every column as the manifest does); the body says what the
dataset holds (counts per split and label, labels, agreement), how it was
made (the command, the tool version, the database hash, the seed) and how to
load it with the manifest's features. Same manifest, same bytes.
"""

from __future__ import annotations

import json
import re

_TASKS = {
    "native": "token-classification",
    "doccano": "token-classification",
    "hf-bio": "token-classification",
    "spacy": "token-classification",
    "attribution": "text-classification",
}


def _yaml_str(value: object) -> str:
    """A YAML scalar that is read back as the same string."""
    return json.dumps(value, ensure_ascii=False)


def yaml_features(features: dict) -> list[dict]:
    """``features`` (the manifest's dict) in the Hub card's ``dataset_info.features`` shape."""
    return [{"name": name, **_yaml_type(f)} for name, f in features.items()]


def _yaml_type(f: object) -> dict:
    if isinstance(f, list):
        inner = _yaml_type(f[0])
        return {"list": inner["dtype"] if list(inner) == ["dtype"] else inner.get("struct", inner)}
    assert isinstance(f, dict)
    kind = f.get("_type")
    if kind == "Value":
        return {"dtype": f["dtype"]}
    if kind == "Json":
        return {"dtype": "json"}
    if kind == "ClassLabel":
        return {"class_label": {"names": {str(i): n for i, n in enumerate(f["names"])}}}
    return {"struct": yaml_features(f)}


def _yaml_key(key: str) -> str:
    return key if re.fullmatch(r"[a-z_]+", key) else _yaml_str(key)


def _yaml_lines(obj: object, indent: int = 0) -> list[str]:
    """Block YAML of nested dicts, lists and strings; values and odd keys double-quoted."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if isinstance(value, dict | list):
                out.append(f"{pad}{_yaml_key(key)}:")
                out += _yaml_lines(value, indent + (0 if isinstance(value, list) else 2))
            else:
                out.append(f"{pad}{_yaml_key(key)}: {_yaml_str(value)}")
        return out
    assert isinstance(obj, list)
    for item in obj:
        if isinstance(item, dict) and item:
            inner = _yaml_lines(item, indent + 2)
            out.append(f"{pad}- {inner[0].lstrip()}")
            out += inner[1:]
        else:
            out.append(f"{pad}- {_yaml_str(item)}")
    return out


def render_card(manifest: dict, command: str) -> str:
    """The card's Markdown for ``manifest``; ``command`` is the export command line."""
    fmt = manifest["format"]
    files: dict[str, str] = manifest.get("files") or {}
    lines = ["---", f"license: {_yaml_str(manifest.get('license') or 'unknown')}"]
    lines += ["language:", "- ar", "task_categories:", f"- {_TASKS.get(fmt, 'other')}"]
    if fmt != "spacy" and files:
        lines += ["configs:", "- config_name: default", "  data_files:"]
        for split, name in files.items():
            lines += [f"  - split: {_yaml_str(split)}", f"    path: {_yaml_str(name)}"]
    if manifest.get("features"):
        front = {"dataset_info": {"features": yaml_features(manifest["features"])}}
        lines += _yaml_lines(front)
    lines += ["---", "", f"# Arabic news annotations ({fmt}, layer {manifest['layer']})", ""]
    lines += [
        f"Exported by annotator {manifest['tool']['version']} from a database with content "
        f"hash `{manifest['database']['content_sha256'][:16]}…`.",
        "",
        "## How it was made",
        "",
        "```",
        command,
        "```",
        "",
    ]
    split = manifest.get("split")
    if split:
        lines += [
            f"Split by document with seed {split['seed']}; near-duplicate articles "
            "are kept in one split.",
            "",
        ]
    lines += _counts(manifest)
    lines += ["## Labels", "", ", ".join(manifest["labels"]) or "(none)", ""]
    lines += _agreement(manifest)
    lines += ["## Licence", "", manifest.get("license") or "Not stated by the exporter.", ""]
    lines += _loading(manifest, files)
    return "\n".join(lines)


def _counts(manifest: dict) -> list[str]:
    labels = manifest["labels"]
    out = ["## Counts", "", "| split | documents | records | " + " | ".join(labels) + " |"]
    out.append("|---" * (3 + len(labels)) + "|")
    for name, c in manifest["counts"].items():
        cells = [str(c["documents"]), str(c["records"])]
        cells += [str(c["labels"].get(lab, 0)) for lab in labels]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")
    empty = manifest.get("empty_splits") or []
    if empty:
        out += [f"Empty splits, not written: {', '.join(empty)}.", ""]
    return out


def _agreement(manifest: dict) -> list[str]:
    if "agreement" not in manifest:
        return ["## Agreement", "", "Only one curator layer: no agreement figures.", ""]
    agreement = manifest["agreement"]
    if agreement is None:
        return ["## Agreement", "", manifest.get("agreement_note", ""), ""]
    out = ["## Agreement", "", f"Curator layers: {', '.join(agreement['layers'])}.", ""]
    for pair in agreement.get("pairs", []):
        a, b = pair.get("a", "?"), pair.get("b", "?")
        out.append(f"- {a} / {b}: exact-match F1 {pair.get('f1')}")
    alpha = agreement.get("alpha")
    if alpha:
        out.append(f"- Krippendorff's alpha: {json.dumps(alpha, ensure_ascii=False)}")
    out.append("")
    return out


def _loading(manifest: dict, files: dict[str, str]) -> list[str]:
    if manifest["format"] == "spacy":
        first = next(iter(files.values()), "train.spacy")
        return [
            "## Loading",
            "",
            "```python",
            "import spacy",
            "from spacy.tokens import DocBin",
            "",
            'nlp = spacy.blank("ar")',
            f'docs = list(DocBin().from_disk("{first}").get_docs(nlp.vocab))',
            "```",
            "",
        ]
    manifest_name = "manifest.json" if manifest.get("split") else "<name>.manifest.json"
    folder = []
    if manifest.get("split"):
        folder = [
            "This folder loads as it is: the front matter above names the files and",
            "the features of every column.",
            "",
            "```python",
            "from datasets import load_dataset",
            "",
            'ds = load_dataset("path/to/this/folder")',
            "```",
            "",
            "Or with the manifest's features:",
            "",
        ]
    return [
        "## Loading",
        "",
        *folder,
        "Run from this folder (file names in the manifest are relative to it):",
        "",
        "```python",
        "import json",
        "from datasets import Features, load_dataset",
        "",
        f'manifest = json.load(open("{manifest_name}", encoding="utf-8"))',
        'features = Features.from_dict(manifest["features"])',
        'ds = load_dataset("json", data_files=manifest["files"], features=features)',
        "```",
        "",
    ]
