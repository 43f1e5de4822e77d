"""The table of which export options each format takes agrees with what the export refuses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.formats import FORMATS, OPTION_FORMATS, option_applies
from annotator.services.datasets import ExportOptions, plan
from annotator.services.project import Project

#: A value for each option that some formats refuse.
SET = {"labels": ("PER",), "offsets": "utf16", "max_tokens": 16, "negatives": True}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("option", sorted(SET))
def test_the_export_refuses_exactly_where_the_table_says(
    project: Project, fmt: str, option: str
) -> None:
    if fmt == "spacy" and importlib.util.find_spec("spacy") is None:
        pytest.skip("spaCy not installed")
    options = ExportOptions(fmt, Path("out"), **{option: SET[option]})
    if option_applies(option, fmt):
        plan(project, options)
    else:
        with pytest.raises(UserError, match=r"(not|does not apply)"):
            plan(project, options)


def test_every_limited_option_is_an_export_option() -> None:
    fields = set(ExportOptions.__dataclass_fields__)
    assert set(OPTION_FORMATS) == set(SET) and set(SET) <= fields
    assert all(set(formats) <= set(FORMATS) for formats in OPTION_FORMATS.values())
    assert option_applies("license", "spacy") and option_applies("split", "conll")
