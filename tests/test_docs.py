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
    answer_set = AnswerSet("quickcheck@1.1", Municipality("X", 12000), tuple(Answer(q, v) for q, v in answers.items()))
    return score(quickcheck, answer_set).dimension("strategy")


def test_method_worked_example(quickcheck):
    text = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    named = strategy(quickcheck, str_strategy="draft", str_responsibility="named")
    assert round(named.score, 1) == 58.3 and named.level == 3
    assert "**58.3 points**" in text
    nobody = strategy(quickcheck, str_strategy="draft", str_responsibility="none")
    assert nobody.score == 25 and nobody.level == 2
    unknown = strategy(quickcheck, str_strategy="draft", str_responsibility="unknown")
    assert unknown.score == 50 and (unknown.answered, unknown.applicable) == (1, 3)
    assert "coverage 1 of 3" in text
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


def _guide_commands() -> list[list[str]]:
    """The `assess …` lines in the code blocks of the German guide, as argument lists."""
    import shlex

    text = (ROOT / "docs" / "anleitung.md").read_text(encoding="utf-8")
    blocks = text.split("```bash\n")[1:]
    lines = [line for block in blocks for line in block.split("```", 1)[0].splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("assess ")]


def test_the_german_guide_commands_exist_with_their_options():
    """Every command of docs/anleitung.md names a real command with real options (checked without running)."""
    import click

    from assess.cli import cli

    commands = _guide_commands()
    assert len(commands) >= 10
    for args in commands:
        ctx = cli.make_context("assess", list(args), resilient_parsing=True)
        command, rest = cli, list(args)
        while isinstance(command, click.Group):
            name, command, rest = command.resolve_command(ctx, rest)
            assert command is not None, f"no such command in the guide: assess {' '.join(args)}"
            ctx = command.make_context(name, rest, parent=ctx, resilient_parsing=True)
        assert not ctx.args, f"unexpected arguments in the guide: assess {' '.join(args)}"


def test_the_german_guide_commands_run_on_a_sample_town(tmp_path, monkeypatch):
    """The guide's non-interactive commands work as written (interview and workshop import need a person)."""
    import shutil

    from click.testing import CliRunner

    from assess.cli import cli

    examples = ROOT / "examples"
    shutil.copy(examples / "musterstadt.yaml", tmp_path / "antworten.yaml")
    shutil.copy(examples / "musterstadt.yaml", tmp_path / "antworten-2026.yaml")
    shutil.copy(examples / "musterstadt-2024.yaml", tmp_path / "antworten-2025.yaml")
    monkeypatch.chdir(tmp_path)
    ran = []
    for args in _guide_commands():
        if args[0] in ("interview", "merge") or args[:2] == ["sheet", "import"]:
            continue
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, f"assess {' '.join(args)}\n{result.output}"
        ran.append(args[0])
    assert {"list", "demo", "form", "sheet", "validate", "report"} <= set(ran)
    for name in ("fragebogen.html", "workshop.xlsx", "bericht.html", "bericht.pdf", "bericht-2026.html"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert "seit 2024" in (tmp_path / "bericht-2026.html").read_text(encoding="utf-8")
