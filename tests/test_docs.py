"""The worked examples in the docs compute to the numbers the docs state."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.answers import Answer, AnswerSet, Municipality
from assess.loading import load_questionnaire
from assess.resources import find_questionnaire
from assess.scoring import score

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quickcheck():
    return load_questionnaire(find_questionnaire("quickcheck"))


def strategy(quickcheck, **answers):
    answer_set = AnswerSet("quickcheck@1.0", Municipality("X", 12000), tuple(Answer(q, v) for q, v in answers.items()))
    return score(quickcheck, answer_set).dimension("strategy")


def test_method_worked_example(quickcheck):
    text = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    named = strategy(quickcheck, str_strategy="draft", str_responsibility="named")
    assert round(named.score, 1) == 58.3 and named.level == 3
    assert "**58.3 points**" in text
    nobody = strategy(quickcheck, str_strategy="draft", str_responsibility="none")
    assert nobody.score == 25 and nobody.level == 2
    unknown = strategy(quickcheck, str_strategy="draft", str_responsibility="unknown")
    assert unknown.score == 50 and (unknown.answered, unknown.applicable) == (1, 2)
    assert unknown.score_range == (25, 75)
    assert "range 25–75" in text


def test_questionnaire_format_worked_example_is_the_real_fixture():
    text = (ROOT / "docs" / "questionnaire-format.md").read_text(encoding="utf-8")
    fixture = (ROOT / "tests" / "data" / "questionnaires" / "mini" / "questionnaire.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{fixture}```" in text


def test_questionnaire_format_explain_output_is_current():
    from click.testing import CliRunner

    from assess.cli import cli

    result = CliRunner().invoke(cli, ["--questionnaires", str(ROOT / "tests" / "data" / "questionnaires"), "explain",
                                      str(ROOT / "tests" / "data" / "mini-answers.yaml"), "--lang", "en"])
    assert result.exit_code == 0
    text = (ROOT / "docs" / "questionnaire-format.md").read_text(encoding="utf-8")
    shown = text.split("```text\n", 1)[1].split("```", 1)[0]
    for line in shown.splitlines():
        assert line in result.output, line
