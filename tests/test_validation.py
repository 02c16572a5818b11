"""`assess validate`: every problem is reported as `file:line: message`, and no input crashes it.

The files under tests/data are discovered, not listed: each file in `invalid/` and `warnings/`
names what it must produce in comment lines such as

    # expect: 7: duplicate question id 'q_a'

(line number, then the start of the message). Every error of an invalid file must be listed, so an
extra error fails the test as well as a missing one. Answer files there answer `mini@1.0` from
tests/data/questionnaires.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.cli import cli
from assess.errors import Problem
from assess.resources import data_dir, questionnaire_paths
from assess.validation import validate_file

DATA = Path(__file__).parent / "data"
SEARCH = DATA / "questionnaires"
MINI = SEARCH / "mini" / "questionnaire.yaml"
MINI_ANSWERS = DATA / "mini-answers.yaml"
EXPECT = re.compile(r"^# expect: (\d+): (.+)$")


def expectations(path: Path) -> list[tuple[int, str]]:
    """The (line, message start) pairs from a file's `# expect:` comment lines."""
    # Some files are deliberately not UTF-8; their expect lines are plain ASCII.
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return [(int(m[1]), m[2]) for m in map(EXPECT.match, lines) if m]


def run_validate(*paths: Path):
    """`assess --questionnaires tests/data/questionnaires validate PATHS` via CliRunner."""
    result = CliRunner().invoke(cli, ["--questionnaires", str(SEARCH), "validate", "--lang", "en", *map(str, paths)])
    # CliRunner reports an escaped exception as exit code 1 too: make sure it was a clean exit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def files(folder: str) -> list[Path]:
    return sorted((DATA / folder).glob("*.*"))


def ids(paths):
    return [p.name for p in paths]


# --- data-driven: invalid, warnings, valid ------------------------------------------------------


@pytest.mark.parametrize("path", files("invalid"), ids=ids(files("invalid")))
def test_invalid_file_reports_each_expected_error(path):
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect: LINE: message' comment"

    result = run_validate(path)

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for line, message in expected:
        prefix = f"{path}:{line}: {message}"
        assert any(out.startswith(prefix) for out in lines), f"missing: {prefix}\ngot:\n{result.stderr}"
    assert f"{path}: {len(expected)} error(s)" in lines, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("path", files("warnings"), ids=ids(files("warnings")))
def test_unknown_keys_warn_but_the_file_is_valid(path):
    expected = expectations(path)
    assert expected

    result = run_validate(path)

    assert result.exit_code == 0
    assert result.stdout == f"{path}: OK\n"
    assert result.stderr.splitlines() == [f"{path}:{line}: {message}" for line, message in expected]


@pytest.mark.parametrize("path", files("valid") + [MINI, MINI_ANSWERS], ids=ids(files("valid") + [MINI, MINI_ANSWERS]))
def test_valid_file_passes_without_any_warning(path):
    result = run_validate(path)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{path}: OK\n"
    assert result.stderr == ""


INSTALLED = questionnaire_paths() + [p for p in [data_dir("questionnaires") / "measures.yaml"] if p.is_file()]


@pytest.mark.parametrize("path", INSTALLED, ids=[f"{p.parent.name}/{p.name}" for p in INSTALLED])
def test_installed_files_are_valid_without_warnings(path):
    result = CliRunner().invoke(cli, ["validate", str(path)])

    assert result.exception is None, result.exc_info
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_several_files_are_all_checked_and_one_invalid_file_fails_the_run():
    invalid = DATA / "invalid" / "a-option-not-offered.yaml"

    result = run_validate(MINI_ANSWERS, invalid, MINI)

    assert result.exit_code == 1
    assert result.stdout == f"{MINI_ANSWERS}: OK\n{MINI}: OK\n"
    assert result.stderr.splitlines() == [
        f"{invalid}:6: 'maybe' is not an option of question 'str_strategy'; choose one of: none, draft, adopted, unknown",
        f"{invalid}: 1 error(s)",
    ]


def test_missing_file_and_folder_give_clean_errors(tmp_path):
    missing = tmp_path / "nope.yaml"

    result = run_validate(missing, tmp_path)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{missing}: file not found",
        f"{missing}: 1 error(s)",
        f"{tmp_path}: not a regular file (a pipe, device or folder); name an answer file, workbook or table",
        f"{tmp_path}: 1 error(s)",
    ]


def test_validate_needs_a_file_argument():
    result = CliRunner().invoke(cli, ["validate"])

    assert result.exit_code == 2
    assert "Missing argument 'FILES...'" in result.stderr


# --- the YAML boolean trap ----------------------------------------------------------------------

QUESTIONNAIRE_WITH_TITLE = """\
id: tiny
version: "1.0"
title: {{de: {word}, en: Tiny}}
levels:
  - {{level: 1, min_score: 0, name: {{de: Einstieg, en: Getting started}}}}
dimensions:
  - id: basics
    title: {{de: Grundlagen, en: Basics}}
    targets: {{landgemeinde: 1, kleinstadt: 1, mittelstadt: 1, grossstadt: 1}}
    items:
      - {{id: q_a, type: yesno, text: {{de: "Frage A?", en: "Question A?"}}}}
"""


@pytest.mark.parametrize(("word", "value"), [("No", False), ("no", False), ("yes", True), ("Yes", True),
                                             ("on", True), ("OFF", False), ("true", True), ("False", False)])
def test_unquoted_yes_no_words_in_a_text_say_quote_it(tmp_path, word, value):
    path = tmp_path / "q.yaml"
    path.write_text(QUESTIONNAIRE_WITH_TITLE.format(word=word), encoding="utf-8")

    problems = validate_file(path)

    assert [str(p) for p in problems] == [
        f"{path}:3: 'de' in 'title' in the questionnaire reads as yes/no ({value}), not as text: "
        "YAML turns yes/no/on/off into true/false. Put the text in quotes."
    ]


@pytest.mark.parametrize("word", ["ja", "nein", "Ja", "y", "n", '"No"', "'on'"])
def test_german_words_and_quoted_booleans_are_text(tmp_path, word):
    # PyYAML reads only the YAML 1.1 words yes/no/on/off/true/false as booleans; ja/nein stay text.
    path = tmp_path / "q.yaml"
    path.write_text(QUESTIONNAIRE_WITH_TITLE.format(word=word), encoding="utf-8")

    assert validate_file(path) == []


# --- robustness: nothing raises, whatever the file ---------------------------------------------

KEYS = (
    "id", "version", "title", "de", "en", "levels", "level", "min_score", "name", "dimensions", "items",
    "group", "type", "options", "value", "text", "weight", "when", "question", "in", "not_in", "equals",
    "at_least", "includes", "answered", "all", "any", "not", "caps", "max_level", "reason", "targets",
    "landgemeinde", "bands", "min", "aggregate", "exclusive", "allow_unknown", "allow_not_applicable",
    "questionnaire", "municipality", "population", "ags", "state", "answers", "priorities", "respondents",
    "role", "date", "comment", "evidence", "measures", "dimension", "steps", "cost", "requires",
    "str_strategy", "str_budget", "str_goals", "sec_staff", "sec_backup",
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 200), st.floats(), st.text(max_size=4),
    st.sampled_from(["mini@1.0", "mini@2.0", "mini", "draft", "unknown", "not_applicable", "single", "multi",
                     "yesno", "number", "text", "mean", "min", "services", "nothing", "BY", "2026-11-23"]),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)),
    max_leaves=25,
)
YAMLISH = st.lists(
    st.sampled_from(list("ab01:-[]{},#&*!|>'\"%@?`. \n\t\x00ü") + ["yes", "no", "id: ", "questionnaire: mini@1.0\n",
                                                                 "dimensions:\n", "  - ", "answers:\n"]),
    max_size=60,
).map("".join)
BASES = [yaml.safe_load(MINI.read_text(encoding="utf-8")), yaml.safe_load(MINI_ANSWERS.read_text(encoding="utf-8"))]
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _paths(data, prefix=()):
    """Every location inside nested plain data, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _replace(data, path, value):
    if not path:
        return value
    if isinstance(data, dict):
        return {k: _replace(v, path[1:], value) if k == path[0] else v for k, v in data.items()}
    return [_replace(v, path[1:], value) if i == path[0] else v for i, v in enumerate(data)]


def assert_clean(problems, path):
    assert all(isinstance(p, Problem) and p.path in (str(path), str(MINI)) for p in problems), problems
    for problem in problems:
        assert isinstance(problem.line, int) or problem.line is None
        assert str(problem) and problem.render("de")


@FUZZ
@given(text=YAMLISH)
def test_validate_file_never_raises_on_yamlish_text(tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")

    assert_clean(validate_file(path, (SEARCH,)), path)


@FUZZ
@given(document=st.dictionaries(st.sampled_from(KEYS), DOCUMENTS, max_size=6))
def test_validate_file_never_raises_on_random_structures(tmp_path, document):
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    assert_clean(validate_file(path, (SEARCH,)), path)


@FUZZ
@given(data=st.data())
def test_validate_file_never_raises_when_one_part_of_a_valid_file_is_replaced(tmp_path, data):
    base = data.draw(st.sampled_from(BASES))
    where = data.draw(st.sampled_from(list(_paths(base))))
    document = _replace(base, where, data.draw(DOCUMENTS))
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    assert_clean(validate_file(path, (SEARCH,)), path)


@pytest.mark.parametrize("path", files("invalid") + files("warnings"), ids=ids(files("invalid") + files("warnings")))
def test_every_problem_speaks_german_too(path):
    """Every problem of a broken answer file, questionnaire or catalogue exists in German (the default)."""
    from assess.model import Text

    problems = validate_file(path, (SEARCH,))
    assert problems
    for problem in problems:
        assert isinstance(problem.message, Text) and problem.message.de, f"no German text: {problem}"
    result = CliRunner().invoke(cli, ["--questionnaires", str(SEARCH), "validate", str(path)])
    errors = len([p for p in problems if not p.warning])
    expected = [p.render("de") for p in problems] + ([f"{path}: {errors} Fehler"] if errors else [])
    assert result.stderr.splitlines() == expected


def test_yes_no_questions_take_the_german_words(tmp_path):
    from assess.answers import load_answers
    from assess.resources import resolve_questionnaire

    path = tmp_path / "a.yaml"
    path.write_text("questionnaire: mini@1.0\nmunicipality: {name: Testdorf, population: 3000}\n"
                    "answers: {str_budget: ja, sec_mfa: Nein, sec_patch: yes}\n", encoding="utf-8")
    answers, _ = load_answers(path, lambda qid, version: resolve_questionnaire(qid, version, (SEARCH,)))
    assert [(a.question, a.value) for a in answers.answers] == [("str_budget", True), ("sec_mfa", False), ("sec_patch", True)]
