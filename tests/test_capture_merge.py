"""Merging respondents: the combination rules per type and method, kept values, and divergences."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.answers import Answer, AnswerSet, Municipality, Respondent, load_answers
from assess.capture.merge import Divergence, combine, divergences, merge
from assess.cli import cli
from assess.errors import ValidationError
from assess.loading import load_questionnaire
from assess.scoring import score

DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]


@pytest.fixture(scope="module")
def mini():
    return load_questionnaire(MINI)


def person(name, role="", answers=None, priorities=(), path="", population=3000, town="Testdorf", ref="mini@1.0"):
    return AnswerSet(ref, Municipality(town, population), tuple(Answer(q, v) for q, v in (answers or {}).items()),
                     "2026-11-20", (Respondent(name, role),) if name or role else (), tuple(priorities), path=path)


# --- combining one question -----------------------------------------------------------------------


@pytest.mark.parametrize("values, method, expected", [
    (["none", "adopted", "draft"], "median", "draft"),
    (["none", "adopted"], "median", "none"),  # even count: the lower middle answer
    (["none", "adopted"], "mean", "draft"),
    (["none", "draft", "draft", "adopted"], "mean", "draft"),  # mean step 1.0
    (["draft", "adopted"], "mean", "adopted"),  # 1.5 rounds half up
    (["draft", "adopted", "adopted"], "min", "draft"),
    (["unknown", "adopted", "none", "adopted"], "median", "adopted"),  # "don't know" does not vote
    (["unknown", "unknown"], "median", "unknown"),
])
def test_single_choice_uses_the_option_ladder(mini, values, method, expected):
    assert combine(mini.question("str_strategy"), values, method) == expected


@pytest.mark.parametrize("values, method, expected", [
    ([True, False, True], "median", True),
    ([True, False], "median", False),  # yes needs more than half
    ([True, False], "mean", True),  # ... at least half
    ([True, True, False], "min", False),  # ... everybody
    (["unknown", True], "min", True),
])
def test_yes_no(mini, values, method, expected):
    assert combine(mini.question("str_budget"), values, method) is expected


def test_multiple_choice_ticks_by_the_same_rule(mini):
    q = mini.question("str_goals")
    values = [("services", "skills"), ("services",), ("processes", "skills")]
    assert combine(q, values, "median") == ("services", "skills")  # ticked by 2 of 3
    assert combine(q, values, "min") == ()  # nothing ticked by all
    assert combine(q, [("services",), ("processes",)], "mean") == ("services", "processes")
    assert combine(q, [("nothing",), ("nothing",), ("services",)], "median") == ("nothing",)
    assert combine(q, [("nothing",), ("services",)], "mean") == ("services",)  # "none" dropped beside others


def test_numbers_and_free_text(mini):
    staff = mini.question("sec_staff")
    assert combine(staff, [1, 2, 6], "median") == 2
    assert combine(staff, [1, 2], "median") == 1.5
    assert combine(staff, [1, 2, 6], "mean") == 3
    assert combine(staff, [1.5, 2, 6], "min") == 1.5
    assert combine(staff, ["not_applicable", "not_applicable"], "median") == "not_applicable"
    assert combine(staff, ["not_applicable", "unknown"], "median") == "unknown"
    assert combine(staff, ["not_applicable", 4], "median") == 4
    notes = mini.question("str_notes")
    assert combine(notes, ["gleich", "gleich"]) == "gleich"
    assert combine(notes, ["a", "b", "a"], names=["Erika", "Max", "Ida"]) == "Erika: a | Max: b"


# --- merging answer sets -------------------------------------------------------------------------


def test_merge_keeps_every_respondents_value(mini):
    sets = [
        person("Erika", "Hauptamt", {"str_strategy": "none", "sec_staff": 2}, [("strategy", 5)]),
        person("Max", "IT", {"str_strategy": "adopted", "sec_staff": "unknown", "sec_mfa": True}, [("strategy", 2)]),
        person("Ida", "Bürgermeister/in", {"str_strategy": "draft"}, [("strategy", 4)]),
    ]
    result = merge(sets, mini).answers
    assert result.respondents == (Respondent("Erika", "Hauptamt"), Respondent("Max", "IT"),
                                  Respondent("Ida", "Bürgermeister/in"))
    assert result.answer("str_strategy").value == "draft"
    assert result.answer("str_strategy").by_respondent == (("Erika", "none"), ("Max", "adopted"), ("Ida", "draft"))
    assert result.answer("sec_staff").value == 2
    assert result.answer("sec_staff").by_respondent == (("Erika", 2), ("Max", "unknown"))
    assert result.answer("sec_mfa").by_respondent == (("Max", True),)
    assert result.priorities == (("strategy", 4),)
    assert result.municipality == Municipality("Testdorf", 3000)
    assert score(mini, result).score is not None


def test_respondents_are_named_by_name_role_or_file(mini):
    sets = [person("", "", {"str_budget": True}), person("", "IT", {"str_budget": True}),
            person("Max", "IT", {"str_budget": False}), person("Max", "", {"str_budget": False})]
    result = merge(sets, mini, names=["hauptamt", "x", "y", "z"]).answers
    assert [r.name for r in result.respondents] == ["hauptamt", "IT", "Max", "Max (2)"]


def test_a_merged_file_can_be_merged_again(mini, tmp_path):
    first = merge([person("Erika", "", {"str_strategy": "none"}), person("Max", "", {"str_strategy": "adopted"})], mini).answers
    path = tmp_path / "teil.yaml"
    from assess.answers import save_answers

    save_answers(first, path)
    reloaded, _ = load_answers(path, lambda qid, version: mini)
    again = merge([reloaded, person("Ida", "", {"str_strategy": "draft"})], mini).answers
    assert again.answer("str_strategy").by_respondent == (("Erika", "none"), ("Max", "adopted"), ("Ida", "draft"))
    assert again.answer("str_strategy").value == "draft"


def test_comments_say_who_wrote_them(mini):
    a = person("Erika", "", {})
    a = a.with_answer(Answer("str_budget", True, comment="im Haushalt 2027"))
    b = person("Max", "", {}).with_answer(Answer("str_budget", True, comment="nur IT"))
    assert merge([a, b], mini).answers.answer("str_budget").comment == "Erika: im Haushalt 2027; Max: nur IT"


def test_only_one_questionnaire_version_can_be_merged(mini):
    with pytest.raises(ValidationError) as info:
        merge([person("A", path="a.yaml"), person("B", path="b.yaml", ref="mini@0.9")], mini)
    assert str(info.value) == ("b.yaml: 'questionnaire' is mini@0.9, but a.yaml is for mini@1.0; "
                               "only answers to the same questionnaire version can be merged")


def test_differing_facts_are_warnings(mini):
    result = merge([person("A", path="a.yaml"), person("B", path="b.yaml", population=3100, town="testdorf")], mini)
    assert [str(w) for w in result.warnings] == [
        "b.yaml: warning: the population is '3100', but a.yaml says '3000'; the merged file uses '3000'"]


# --- divergences ------------------------------------------------------------------------------------


def test_divergences_list_two_or_more_steps_apart(mini):
    sets = [person("Erika", "Hauptamt", {"str_strategy": "none", "sec_backup": "online", "str_budget": True}),
            person("Max", "IT", {"str_strategy": "adopted", "sec_backup": "offline", "str_budget": False}),
            person("Ida", "", {"str_strategy": "unknown", "sec_backup": "offline"})]
    merged = merge(sets, mini).answers
    found = divergences(merged, mini)
    assert len(found) == 1
    d = found[0]
    assert isinstance(d, Divergence)
    assert (d.question.id, d.dimension.id, d.spread, d.lowest.id, d.highest.id) == ("str_strategy", "strategy", 2, "none", "adopted")
    assert [(v.respondent, v.role, v.value, v.step) for v in d.views] == [
        ("Erika", "Hauptamt", "none", 0), ("Max", "IT", "adopted", 2), ("Ida", "", "unknown", None)]
    assert d.values == (("Erika", "none"), ("Max", "adopted"), ("Ida", "unknown"))
    assert [x.question.id for x in divergences(merged, mini, min_spread=1)] == ["str_strategy", "sec_backup"]


def test_divergences_leave_out_skipped_questions_and_single_answers(mini):
    # str_goals is not single choice; a gate answered "none" by the merged view skips its detail
    merged = merge([person("A", "", {"str_strategy": "none"}), person("B", "", {"str_strategy": "none"})], mini).answers
    assert divergences(merged, mini) == []
    assert divergences(person("A", "", {"str_strategy": "none"}), mini) == []  # not a merged file


# --- the command ---------------------------------------------------------------------------------------


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text("questionnaire: mini@1.0\nmunicipality: {name: Testdorf, population: 3000}\n" + text, encoding="utf-8")
    return path


def test_merge_command(tmp_path):
    a = write(tmp_path, "buergermeisterin.yaml", "respondents: [{name: Ida Roth, role: Bürgermeister/in}]\n"
              "answers: {str_strategy: adopted, sec_backup: none}\n")
    b = write(tmp_path, "hauptamt.yaml", "answers: {str_strategy: none, sec_backup: offline}\n")
    c = write(tmp_path, "it.yaml", "respondents: [{name: Max, role: IT}]\nanswers: {str_strategy: draft, sec_backup: online}\n")
    out = tmp_path / "gemeinsam.yaml"
    result = CliRunner().invoke(cli, [*SEARCH, "merge", str(a), str(b), str(c), "-o", str(out), "--method", "min"])
    assert result.exit_code == 0, result.output
    assert (f"{out} geschrieben: 3 Dateien, 3 Personen (Ida Roth (Bürgermeister/in), hauptamt, Max (IT)), Methode min."
            in result.output)
    assert "Unterschiedliche Einschätzungen (zwei Stufen oder mehr) bei 2 Fragen:" in result.output
    assert "  Strategie · Gibt es eine Digitalstrategie?\n    Beschlossen: Ida Roth (Bürgermeister/in)\n    Nein: hauptamt\n" \
        in result.output
    merged, _ = load_answers(out, lambda qid, version: load_questionnaire(MINI))
    assert merged.answer("str_strategy").value == "none" and merged.answer("sec_backup").value == "none"
    again = CliRunner().invoke(cli, [*SEARCH, "merge", str(a), str(b), "-o", str(out)])
    assert again.exit_code == 1 and "gibt es schon" in again.output
    report = CliRunner().invoke(cli, [*SEARCH, "report", str(out), "-o", str(tmp_path / "r.html")])
    assert report.exit_code == 0, report.output


def test_merge_command_lists_each_diverging_answer_once_with_everybody_who_gave_it(tmp_path):
    files = [write(tmp_path, f"p{i}.yaml", f"respondents: [{{name: P{i}}}]\nanswers: {{str_strategy: {value}}}\n")
             for i, value in enumerate(["adopted", "none", "adopted", "adopted"])]
    result = CliRunner().invoke(cli, [*SEARCH, "merge", *map(str, files), "-o", str(tmp_path / "m.yaml")])
    assert result.exit_code == 0, result.output
    assert "Gibt es eine Digitalstrategie?\n    Beschlossen: P0, P2, P3\n    Nein: P1\n" in result.output


def test_merge_command_warns_about_differing_facts_in_the_chosen_language(tmp_path):
    a = write(tmp_path, "a.yaml", "answers: {str_strategy: adopted}\n")
    b = tmp_path / "b.yaml"
    b.write_text("questionnaire: mini@1.0\nmunicipality: {name: Testdorf, population: 3100}\n"
                 "answers: {str_strategy: adopted}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*SEARCH, "merge", str(a), str(b), "-o", str(tmp_path / "m.yaml")])
    assert result.exit_code == 0, result.output
    assert "warning: the population" not in result.output and "3100" in result.output


def test_merge_command_names_an_invalid_file(tmp_path):
    a = write(tmp_path, "a.yaml", "answers: {str_strategy: adopted}\n")
    b = write(tmp_path, "b.yaml", "answers: {str_strategy: vielleicht}\n")
    result = CliRunner().invoke(cli, [*SEARCH, "merge", str(a), str(b), "-o", str(tmp_path / "m.yaml")])
    assert result.exit_code == 1
    assert f"{b}:3: „vielleicht“ ist keine Antwortmöglichkeit der Frage „str_strategy“" in result.output
    assert not (tmp_path / "m.yaml").exists()


def test_merge_without_disagreement_in_english(tmp_path):
    a = write(tmp_path, "a.yaml", "answers: {str_strategy: adopted}\n")
    b = write(tmp_path, "b.yaml", "answers: {str_strategy: draft}\n")
    result = CliRunner().invoke(cli, [*SEARCH, "merge", str(a), str(b), "-o", str(tmp_path / "m.json"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "No views differ by two levels or more." in result.output
    assert (tmp_path / "m.json").read_text(encoding="utf-8").startswith("{")


def test_merge_keeps_a_progress_or_outdated_note_only_where_everybody_agrees(mini):
    from dataclasses import replace

    def with_state(answer_set, qid, **state):
        return answer_set.with_answer(replace(answer_set.answer(qid), **state))

    erika = with_state(person("Erika", "Hauptamt", {"sec_backup": "online", "str_strategy": "adopted"}),
                       "sec_backup", progress="planned", toward="offline")
    max_ = with_state(person("Max", "IT", {"sec_backup": "online", "str_strategy": "adopted"}),
                      "sec_backup", progress="planned", toward="offline")
    erika = with_state(erika, "str_strategy", outdated=2015)
    merged = merge([erika, max_], mini).answers
    backup = merged.answer("sec_backup")
    assert (backup.value, backup.progress, backup.toward) == ("online", "planned", "offline")
    assert merged.answer("str_strategy").outdated is None  # only Erika called it outdated


def test_many_files_are_read_on_all_cores_with_the_same_result_and_the_first_error_in_order(tmp_path, monkeypatch):
    from assess import forking
    from assess.errors import ValidationError
    from assess.library import Library

    source = Path(__file__).resolve().parent.parent / "examples" / "musterstadt.yaml"
    files = []
    for i in range(8):
        files.append(tmp_path / f"person-{i}.yaml")
        files[-1].write_text(source.read_text(encoding="utf-8").replace("Musterstadt", f"Musterstadt {i}"), encoding="utf-8")
    library = Library()
    monkeypatch.setattr(forking, "cores", lambda: 3)
    monkeypatch.setattr(forking, "FORK_FROM", 10**9)
    one_by_one = library.read_many(files)
    monkeypatch.setattr(forking, "FORK_FROM", 2)
    shared = library.read_many(files)
    assert [a for a, _ in shared] == [a for a, _ in one_by_one] and [a.municipality.name for a, _ in shared][:2] == [
        "Musterstadt 0", "Musterstadt 1"]
    assert all(q is one_by_one[0][1] for _, q in shared)  # the questionnaire is this process's own, not a copy
    files[1].write_text("questionnaire: digitalcheck@1.1\nmunicipality: {name: X}\n", encoding="utf-8")
    files[6].write_text("questionnaire: [\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        library.read_many(files)
    assert all(p.path == str(files[1]) for p in error.value.problems)
