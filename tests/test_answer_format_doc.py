"""docs/answer-format.md: its examples are valid answer files and its worked example scores as written."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from assess.library import Library
from assess.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "answer-format.md"
SEARCH = (ROOT / "tests" / "data" / "questionnaires",)
BLOCK = re.compile(r"^```(yaml|json)\n(.*?)^```", re.S | re.M)
HEAD = {"questionnaire": "mini@1.0", "municipality": {"name": "Testdorf", "population": 3000}}


def blocks(language: str) -> list[str]:
    return [text for lang, text in BLOCK.findall(DOC.read_text(encoding="utf-8")) if lang == language]


def plain(data):
    """YAML data as JSON would hold it (dates as ISO strings)."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def answer_file_examples():
    """Each YAML/JSON example as a complete answer file; snippets with only `answers` get a head."""
    examples = []
    for lang in ("yaml", "json"):
        for index, text in enumerate(blocks(lang)):
            data = yaml.safe_load(text)
            if isinstance(data, dict) and ("answers" in data or "questionnaire" in data):
                examples.append(pytest.param(lang, text if "questionnaire" in data else None, data, id=f"{lang}-{index}"))
    return examples


@pytest.mark.parametrize(("lang", "text", "data"), answer_file_examples())
def test_every_example_is_a_valid_answer_file(tmp_path, lang, text, data):
    path = tmp_path / f"example.{lang}"
    path.write_text(text if text is not None else json.dumps({**HEAD, **plain(data)}), encoding="utf-8")

    assert [str(p) for p in validate_file(path, SEARCH)] == []


def test_the_complete_example_is_the_same_in_yaml_and_json():
    yaml_example, json_example = blocks("yaml")[0], blocks("json")[0]

    assert plain(yaml.safe_load(yaml_example)) == json.loads(json_example)


def test_the_worked_example_scores_as_written(tmp_path):
    path = tmp_path / "example.yaml"
    path.write_text(blocks("yaml")[0], encoding="utf-8")

    scores = Library(SEARCH).assess_file(path).scores
    strategy, security = scores.dimension("strategy"), scores.dimension("security")

    assert (strategy.score, strategy.level, strategy.answered, strategy.applicable) == (68.75, 4, 3, 3)
    assert (security.score, security.level, security.answered, security.applicable) == (25.0, 2, 3, 4)
    assert security.score_range == pytest.approx((16.7, 50.0), abs=0.05)
    assert (round(scores.score, 1), scores.level, scores.answered, scores.applicable) == (54.2, 3, 6, 7)
    text = DOC.read_text(encoding="utf-8")
    for written in ("**68.75**", "**25**", "**54.2**", "16.7", "coverage 6 of 7 = 86 %"):
        assert written in text
