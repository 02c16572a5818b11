"""The text catalogues: one per language, the same keys and placeholders in both."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from assess.texts import CATALOGUES, text


def _placeholders(value) -> set[str]:
    if isinstance(value, list):
        return set().union(*(_placeholders(v) for v in value))
    if isinstance(value, dict):  # plural forms: {"one": …, "other": …}
        return set().union(*(_placeholders(v) for v in value.values()))
    return {name for _, name, _, _ in string.Formatter().parse(value) if name}


def test_both_languages_have_the_same_keys_and_placeholders():
    de, en = CATALOGUES["de"], CATALOGUES["en"]
    assert set(de) == set(en)
    differing = [key for key in de if _placeholders(de[key]) != _placeholders(en[key])]
    assert not differing, differing
    assert all(de[key] and en[key] for key in de), "an empty text"


def test_a_text_is_filled_in_and_an_unknown_language_falls_back_to_german():
    assert text("cli.wrote_report", "de", path="b.html") == "b.html geschrieben"
    assert text("cli.wrote_report", "en", path="b.html") == "Wrote b.html"
    assert text("label.unknown", "fr") == "weiß nicht"


def test_a_plural_text_is_chosen_by_count_and_given_whole_without_it():
    from assess.texts import text
    assert text("cli.divergence", "de", count=1).endswith("bei 1 Frage:")
    assert text("cli.divergence", "de", count=3).endswith("bei 3 Fragen:")
    assert text("cli.divergence", "en", count=1).endswith("on 1 question:")
    assert text("form.downloaded", "de", count=0, file="a.yaml", open=0).endswith("Alle Fragen sind beantwortet.")
    assert set(text("form.progress", "de")) == {"one", "other"}  # for the form's script


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_key_is_written_twice_in_a_catalogue(lang):
    """A second entry silently replaces the first (the form's „Land“ label once became „Stand:“)."""
    import ast

    source = (Path(__file__).parent.parent / "assess" / "texts" / f"{lang}.py").read_text(encoding="utf-8")
    catalogue = next(node.value for node in ast.parse(source).body
                     if isinstance(node, ast.Assign) and node.targets[0].id == "TEXTS")
    keys = [key.value for key in catalogue.keys]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
