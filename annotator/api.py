"""The Python API: a project's documents and annotations for notebooks and scripts.

``from annotator import Project`` imports no Qt; pandas and ``datasets`` are
imported only by the methods that return their objects (``to_pandas``,
``to_hf``). Everything goes through the same services as the CLI, so
``to_hf`` gives exactly what ``annotator export`` writes, loaded with the
manifest's features. See docs/api.md.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import UserError
from annotator.core.model import GOLD
from annotator.services import datasets as _datasets
from annotator.services.project import Project as _Project
from annotator.services.project import open_project

_JSON_FORMATS = ("native", "doccano", "hf-bio", "attribution")


class Project:
    """An annotation database opened for reading from Python."""

    def __init__(self, project: _Project) -> None:
        self._project = project

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Open the database at ``path``; FileNotFoundError if there is none.

        A file this process may not write is opened read-only (as the CLI's
        reading commands do): every method here only reads.
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such database")
        return cls(open_project(path, create=False, read_only=True))

    @property
    def labels(self) -> list[str]:
        """Label names of the project's schema, in schema order."""
        return [lab.name for lab in self._project.schema.labels]

    def layers(self) -> list[str]:
        """Layer names: gold first, then each curator's layer."""
        return _datasets.layer_names(self._project)

    def documents(self) -> list[dict]:
        """Every document (id, title, source, cluster, text, meta), in import order."""
        return [
            {
                "id": d.id,
                "title": d.title,
                "source": d.source,
                "cluster": d.cluster,
                "text": d.text,
                "meta": dict(d.meta),
            }
            for d in _datasets.iter_documents(self._project)
        ]

    def records(self, layer: str = GOLD, format: str = "native", **options: Any) -> list[dict]:
        """The records ``annotator export --format FORMAT --layer LAYER`` writes (one file).

        ``options`` are those of ``ExportOptions`` (``labels``, ``status``,
        ``max_tokens``, ``negatives``, ``offsets``…). Raises UserError for bad
        options or an export with nothing in it.
        """
        if format not in _JSON_FORMATS:
            raise UserError(f"records() gives JSON formats ({', '.join(_JSON_FORMATS)})")
        with tempfile.TemporaryDirectory(prefix="annotator-") as tmp:
            out = Path(tmp) / "records.jsonl"
            self.export(format, out, layer=layer, **options)
            with out.open(encoding="utf-8") as fh:
                return [json.loads(line) for line in fh]

    def iter_spans(self, layer: str = GOLD) -> Iterator[dict]:
        """One dict per span of ``layer``: document, offsets, label, text, origin."""
        for rec in _datasets.native_records(self._project, layer):
            for s in rec["spans"]:
                yield {
                    "doc_id": rec["id"],
                    "layer": layer,
                    "span_id": s["id"],
                    "start": s["start"],
                    "end": s["end"],
                    "label": s["label"],
                    "text": s["text"],
                    "origin": s["origin"],
                    "title": rec["meta"]["title"],
                }

    def to_pandas(self, layer: str = GOLD):
        """A ``pandas.DataFrame`` with one row per span of ``layer`` (see ``iter_spans``)."""
        import pandas as pd

        columns = ["doc_id", "layer", "span_id", "start", "end", "label", "text", "origin"]
        return pd.DataFrame(list(self.iter_spans(layer)), columns=[*columns, "title"])

    def export(self, format: str, out: str | Path, **options: Any) -> _datasets.ExportReport:
        """Write an export as ``annotator export`` does; return its report.

        What the CLI prints as warnings (an empty layer, a split with no
        record, spans dropped or cut) comes as ``UserWarning``s.
        """
        opts = _datasets.ExportOptions(format=format, out=Path(out), **options)
        report = _datasets.export_dataset(self._project, opts)
        notes = list(report.warnings)
        if report.dropped:
            notes.append(f"{report.dropped} overlapping or empty span(s) dropped")
        if report.reopened:
            notes.append(f"{report.reopened} span(s) cut between records (re-opened with B-)")
        for note in notes:
            warnings.warn(note, UserWarning, stacklevel=2)
        return report

    def to_hf(
        self,
        format: str = "hf-bio",
        layer: str = GOLD,
        split: str | None = None,
        seed: int = 0,
        **options: Any,
    ):
        """A ``datasets.DatasetDict`` of the export (one ``train`` split without ``split``).

        The data is written to a temporary folder, loaded into memory with the
        manifest's features (so hf-bio ``ner_tags`` are a ClassLabel), and
        the folder removed. Splits that receive no record are left out.
        """
        if format not in _JSON_FORMATS:
            raise UserError(f"to_hf() takes a JSON format ({', '.join(_JSON_FORMATS)})")
        from datasets import DatasetDict, Features, load_dataset

        with tempfile.TemporaryDirectory(prefix="annotator-hf-") as tmp:
            folder = Path(tmp) / "export"
            report = self.export(
                format, folder, layer=layer, split=split or "train=1", seed=seed, **options
            )
            manifest = json.loads(Path(report.manifest).read_text(encoding="utf-8"))
            files = {name: str(folder / f) for name, f in manifest["files"].items()}
            features = Features.from_dict(manifest["features"])
            loaded = load_dataset(
                "json",
                data_files=files,
                features=features,
                cache_dir=str(Path(tmp) / "cache"),
                keep_in_memory=True,
            )
            return DatasetDict({name: loaded[name] for name in files})

    def close(self) -> None:
        """Close the database."""
        self._project.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
