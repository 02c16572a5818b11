"""The JSON Schemas for editors agree with the files assess accepts, and catch typical mistakes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from assess.resources import questionnaire_paths

jsonschema = pytest.importorskip("jsonschema")

SCHEMAS = Path(__file__).resolve().parent.parent / "assess" / "schemas"
DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"


def load(path: Path):
    """A YAML or JSON file as JSON data: YAML dates become ISO strings, as editors see them."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def validator(name: str):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(name: str, path: Path) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(load(path))]


@pytest.mark.parametrize("name", ["questionnaire", "answers"])
def test_schema_is_a_valid_draft_2020_12_schema(name):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))

    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


QUESTIONNAIRES = [MINI] + questionnaire_paths() + sorted((DATA / "valid").glob("questionnaire*.yaml"))


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=[f"{p.parent.name}/{p.name}" for p in QUESTIONNAIRES])
def test_questionnaires_match_the_schema(path):
    assert errors("questionnaire", path) == []


ANSWER_FILES = ([DATA / "mini-answers.yaml"] + sorted((DATA / "valid").glob("answers*.*"))
                + sorted(Path(__file__).resolve().parent.parent.glob("examples/*.yaml")))


@pytest.mark.parametrize("path", ANSWER_FILES, ids=[f"{p.parent.name}/{p.name}" for p in ANSWER_FILES])
def test_answer_files_match_the_schema(path):
    assert errors("answers", path) == []


@pytest.mark.parametrize(("name", "file", "expected"), [
    ("questionnaire", "invalid/q-missing-version.yaml", ": 'version' is a required property"),
    ("questionnaire", "invalid/q-wrong-question-type.yaml", "dimensions/0/items/0/type: 'choice' is not one of"),
    ("questionnaire", "invalid/q-invalid-id.yaml", "id: 'Tiny-Check' does not match"),
    ("questionnaire", "invalid/q-text-one-language.yaml", "dimensions/0/title: 'Grundlagen' is not of type 'object'"),
    ("questionnaire", "invalid/q-options-string.yaml", "dimensions/0/items/0/options: 'none, some, all' is not of type 'array'"),
    ("questionnaire", "invalid/q-text-no.yaml", "dimensions/0/items/0/options/0/text/en: False is not of type 'string'"),
    ("questionnaire", "invalid/q-condition-without-test.yaml", "dimensions/0/items/1/when: "),
    ("questionnaire", "warnings/q-typo-weight.yaml", "dimensions/0/items/0: Additional properties are not allowed ('wieght' was unexpected)"),
    ("answers", "invalid/a-answers-list.yaml", "answers: [1, 2] is not of type 'object', 'null'"),
    ("answers", "invalid/a-population-zero.yaml", "municipality/population: 0 is less than the minimum of 1"),
    ("answers", "invalid/a-population-text.yaml", "municipality/population: 'about 3000' is not of type 'integer'"),
    ("answers", "invalid/a-ags-octal.yaml", "municipality/ags: 262656 is not of type 'string'"),
    ("answers", "invalid/a-questionnaire-without-version.yaml", "questionnaire: 'mini' does not match"),
    ("answers", "invalid/a-priority-out-of-range.yaml", "priorities/strategy: 7 is greater than the maximum of 5"),
    ("answers", "invalid/a-missing-municipality.yaml", ": 'municipality' is a required property"),
    ("answers", "invalid/a-bad-date.yaml", "date: '23.11.2026' is not a 'date'"),
    ("answers", "warnings/a-typo-comment.yaml", ": Additional properties are not allowed ('municipalty' was unexpected)"),
])
def test_schema_catches_typical_mistakes(name, file, expected):
    found = errors(name, DATA / file)

    assert any(error.startswith(expected) for error in found), found


def test_schemas_are_inside_the_package():
    # Inside assess/, so they ship in the wheel (tests/test_packaging.py checks the wheel itself).
    import assess

    package = Path(assess.__file__).resolve().parent
    assert {p.name for p in (package / "schemas").glob("*.json")} >= {"questionnaire.schema.json", "answers.schema.json"}


def test_measures_schema_is_valid_and_shares_the_questionnaire_definitions():
    measures = json.loads((SCHEMAS / "measures.schema.json").read_text(encoding="utf-8"))
    questionnaire = json.loads((SCHEMAS / "questionnaire.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(measures)
    for name in ("id", "text", "scalar", "question_condition"):
        assert measures["$defs"][name] == questionnaire["$defs"][name], name


CATALOGUES = [Path(__file__).resolve().parent.parent / "questionnaires" / "measures.yaml",
              DATA / "questionnaires" / "mini" / "measures.yaml"]


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parent.name for p in CATALOGUES])
def test_catalogues_match_the_schema(path):
    assert errors("measures", path) == []


def test_measures_schema_catches_a_wrong_effort(tmp_path):
    path = tmp_path / "m.yaml"
    text = (DATA / "questionnaires" / "mini" / "measures.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("effort: M", "effort: medium", 1), encoding="utf-8")
    assert any("effort: 'medium' is not one of" in e for e in errors("measures", path))
