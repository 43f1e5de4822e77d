"""The dataset card: a README.md beside an export, written from its manifest.

The front matter is the YAML block the Hugging Face Hub reads (licence,
language, task, the data files of each split); the body says what the
dataset holds (counts per split and label, labels, agreement), how it was
made (the command, the tool version, the database hash, the seed) and how to
load it with the manifest's features. Same manifest, same bytes.
"""

from __future__ import annotations

import json

_TASKS = {
    "native": "token-classification",
    "doccano": "token-classification",
    "hf-bio": "token-classification",
    "spacy": "token-classification",
    "attribution": "text-classification",
}


def _yaml_str(value: str) -> str:
    """A YAML scalar that is read back as the same string."""
    return json.dumps(value, ensure_ascii=False)


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
    return [
        "## Loading",
        "",
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
