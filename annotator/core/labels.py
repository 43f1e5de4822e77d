"""The label schema: spans' labels and relation types, read from TOML."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from annotator.core.model import Label, RelationType
from annotator.core.resources import resource_path

KINDS = ("entity", "claim", "source")
_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class SchemaError(ValueError):
    """A label schema file that cannot be used; the message names the problem."""


@dataclass(frozen=True)
class Schema:
    """Span labels in shortcut order plus relation types."""

    labels: tuple[Label, ...]
    relations: tuple[RelationType, ...]

    def label(self, name: str) -> Label | None:
        """The label called ``name``, or None."""
        return next((lab for lab in self.labels if lab.name == name), None)

    def relation(self, name: str) -> RelationType | None:
        """The relation type called ``name``, or None."""
        return next((rel for rel in self.relations if rel.name == name), None)

    @cached_property
    def label_names(self) -> frozenset[str]:
        """Names of all span labels."""
        return frozenset(lab.name for lab in self.labels)


def load_schema(path: Path | None = None) -> Schema:
    """Read and check a labels TOML file (default: ``resources/labels.toml``)."""
    path = path or resource_path("labels.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SchemaError(f"{path}: {exc}") from None
    return parse_schema(data, str(path))


def parse_schema(data: dict, where: str = "schema") -> Schema:
    """Build a Schema from parsed TOML, checking names, kinds, colours, keys."""
    labels: list[Label] = []
    for i, raw in enumerate(data.get("labels", []), 1):
        try:
            lab = Label(
                name=str(raw["name"]),
                kind=raw["kind"],
                name_en=str(raw.get("name_en", raw["name"])),
                name_ar=str(raw.get("name_ar", raw["name"])),
                color=str(raw.get("color", "#cccccc")),
                shortcut=str(raw.get("shortcut", "")),
            )
        except (KeyError, TypeError) as exc:
            raise SchemaError(f"{where}: label {i} lacks {exc}") from None
        if not _NAME.match(lab.name):
            raise SchemaError(f"{where}: label name {lab.name!r} must be A-Z, 0-9 or _")
        if lab.kind not in KINDS:
            raise SchemaError(f"{where}: label {lab.name} has unknown kind {lab.kind!r}")
        if not _COLOR.match(lab.color):
            raise SchemaError(f"{where}: label {lab.name} colour {lab.color!r} is not #rrggbb")
        if len(lab.shortcut) > 1:
            raise SchemaError(f"{where}: label {lab.name} shortcut must be one key")
        labels.append(lab)
    names = [lab.name for lab in labels]
    if len(set(names)) != len(names) or not names:
        raise SchemaError(f"{where}: label names must be unique and at least one given")
    relations: list[RelationType] = []
    for raw in data.get("relations", []):
        try:
            rel = RelationType(
                name=str(raw["name"]),
                head=str(raw["head"]),
                tail=str(raw["tail"]),
                name_en=str(raw.get("name_en", raw["name"])),
                name_ar=str(raw.get("name_ar", raw["name"])),
                shortcut=str(raw.get("shortcut", "")),
            )
        except (KeyError, TypeError) as exc:
            raise SchemaError(f"{where}: relation lacks {exc}") from None
        if rel.head not in names or rel.tail not in names:
            raise SchemaError(f"{where}: relation {rel.name} links unknown labels")
        relations.append(rel)
    return Schema(tuple(labels), tuple(relations))
