"""Questionnaire versions: answers of an earlier version carry over as the bundle declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.cli import cli
from assess.library import Library
from assess.migration import migrate_answers
from assess.model import Migration, QuestionMove
from assess.yamlfile import read_file

DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"

OLD_ANSWERS = DATA / "mini-answers.yaml"

MIGRATION = """
migrations:
  - from: "1.0"
    questions:
      str_budget: str_money
      str_notes: null
      sec_backup: {to: sec_backup, options: {online: online_only}}
      str_goals: {to: str_goals, options: {skills: null}}
"""


@pytest.fixture
def mini_v2(tmp_path):
    """The mini bundle in version 2.0: a renamed question, a removed one, a renamed and a removed option."""
    text = MINI.read_text(encoding="utf-8")
    text = text.replace('version: "1.0"', 'version: "2.0"' + MIGRATION, 1)
    text = text.replace("id: str_budget", "id: str_money")
    text = text.replace("{id: online, value: 1", "{id: online_only, value: 1")
    text = text.replace("in: [none, online]", "in: [none, online_only]")
    text = text.replace("          - {id: skills, value: 1, text: {de: Kompetenzen, en: Skills}}\n", "")
    start = text.index("      - id: str_notes")
    end = text.index("  - id: security")
    text = text[:start] + text[end:]
    bundle = tmp_path / "bundles" / "mini"
    bundle.mkdir(parents=True)
    (bundle / "questionnaire.yaml").write_text(text, encoding="utf-8")
    (bundle / "measures.yaml").write_text((MINI.parent / "measures.yaml").read_text(encoding="utf-8")
                                          .replace("online", "online_only").replace("skills", "services")
                                          .replace("str_budget", "str_money"), encoding="utf-8")
    return tmp_path / "bundles"


def test_migrate_carries_answers_over_and_names_what_is_dropped(mini_v2, tmp_path):
    out = tmp_path / "new.yaml"
    result = CliRunner().invoke(cli, ["--questionnaires", str(mini_v2), "migrate", str(OLD_ANSWERS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = read_file(out)
    assert data["questionnaire"] == "mini@2.0"
    answers = data["answers"]
    assert answers["str_money"] is True and "str_budget" not in answers
    assert answers["sec_backup"] == "online_only"
    assert answers["str_goals"] == ["services"]
    assert answers["sec_staff"] == "unknown" and answers["str_strategy"] == "draft"
    assert "option 'skills' no longer exists" in result.stderr or "Option „skills“" in result.stderr
    assert "mini@2.0" in result.stdout
    # the result is a valid answer file of the new version
    Library((mini_v2,)).read_answers(out)


def test_an_old_file_is_refused_with_a_hint_to_migrate(mini_v2):
    result = CliRunner().invoke(cli, ["--questionnaires", str(mini_v2), "score", str(OLD_ANSWERS)])
    assert result.exit_code == 1
    assert "assess migrate" in result.stderr


def test_a_baseline_of_the_earlier_version_is_compared_after_migration(mini_v2, tmp_path):
    new = tmp_path / "new.yaml"
    text = OLD_ANSWERS.read_text(encoding="utf-8").replace("mini@1.0", "mini@2.0").replace("str_budget", "str_money")
    text = text.replace("sec_backup: online", "sec_backup: offline").replace("[services, skills]", "[services]")
    new.write_text(text, encoding="utf-8")
    result = Library((mini_v2,)).assess_file(new, baseline=OLD_ANSWERS)
    assert result.comparison is not None
    security = next(c for c in result.comparison.changes if c.dimension.id == "security")
    assert security.before is not None and security.after > security.before


def test_a_migration_must_name_questions_and_options_of_the_new_version(mini_v2, tmp_path):
    path = mini_v2 / "mini" / "questionnaire.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("str_budget: str_money", "str_budget: str_cash")
                    .replace("online: online_only", "online: cloud"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "moves 'str_budget' to 'str_cash', which this questionnaire does not have" in result.stderr
    assert "'sec_backup' has no option 'cloud'" in result.stderr


def test_merged_questions_keep_the_first_answer_and_note_the_other():
    migration = Migration("1", (QuestionMove("a", ("c",)), QuestionMove("b", ("c",))))
    moved, notes = migrate_answers([("a", "x"), ("b", "y"), ("d", 1)], migration, "2")
    assert moved == [("c", "x", "a"), ("d", 1, "d")]
    assert len(notes) == 1 and "'b' was merged into 'c'" in notes[0].en


def test_a_split_question_gives_its_answer_to_each_part():
    migration = Migration("1", (QuestionMove("a", ("a1", "a2")),))
    moved, notes = migrate_answers([("a", {"value": True, "comment": "k"})], migration, "2")
    assert [m[0] for m in moved] == ["a1", "a2"] and all(m[1]["comment"] == "k" for m in moved) and not notes


def test_a_baseline_of_another_questionnaire_is_refused_naming_the_file(tmp_path):
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = CliRunner().invoke(cli, ["report", str(examples / "musterstadt.yaml"), "-o", str(tmp_path / "r.json"),
                                      "--baseline", str(examples / "musterstadt-quickcheck.yaml"), "--lang", "en"])
    assert result.exit_code == 1 and not (tmp_path / "r.json").exists()
    assert "musterstadt-quickcheck.yaml: the baseline answers quickcheck@" in result.stderr
