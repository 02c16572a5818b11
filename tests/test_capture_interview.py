"""The interview: state machine (order, conditions, back, progress, resume, typed input) and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.answers import load_answers
from assess.capture.interview import (
    ANSWER,
    BACK,
    FACT,
    HELP,
    INVALID,
    PRIORITY,
    QUESTION,
    QUIT,
    SKIP,
    Interview,
    load_for_resume,
)
from assess.cli import cli
from assess.errors import ValidationError
from assess.loading import load_questionnaire
from assess.resources import data_dir, questionnaire_paths

DATA = Path(__file__).parent / "data"
MINI = DATA / "questionnaires" / "mini" / "questionnaire.yaml"
SEARCH = ["--questionnaires", str(DATA / "questionnaires")]


def run(*args, input=None):
    return CliRunner().invoke(cli, [*SEARCH, *map(str, args)], input=input)


@pytest.fixture
def mini():
    return load_questionnaire(MINI)


def resolver(questionnaire):
    return lambda qid, version: questionnaire


def installed():
    """The questionnaires shipped with assess that load (some may still be in the making)."""
    found = []
    for path in questionnaire_paths(()):
        try:
            load_questionnaire(path)
        except Exception:  # an unfinished questionnaire is tested by its own tests
            continue
        found.append(path)
    return found


ALL_QUESTIONNAIRES = [pytest.param(MINI, id="mini")] + [pytest.param(p, id=p.parent.name) for p in installed()]


def typed_answer(step, lang="de"):
    """What a tester types at a step: a valid, non-default answer for every kind."""
    if step.kind == FACT:
        return {"name": "Prüfstadt", "population": "12.000", "state": "Bayern", "ags": "09162000",
                "respondent": "Erika Muster", "role": "2"}[step.key]
    if step.kind == PRIORITY:
        return "4"
    q = step.question
    if q.type == "single":
        return str(len(q.options))  # the top of the ladder
    if q.type == "multi":
        regular = [i for i, o in enumerate(q.options, 1) if not o.exclusive]
        return ",".join(map(str, regular[:2]))
    if q.type == "yesno":
        return "j" if lang == "de" else "y"
    if q.type == "number":
        return "3"
    return "Freitext mit Umlauten: äöü"


def simulate(questionnaire, lang="de"):
    """Walk an Interview as the CLI does, answering everything; return the typed lines and the result."""
    iv = Interview(questionnaire)
    lines, step = [], iv.resume_point()
    while step is not None:
        line = typed_answer(step, lang)
        action = iv.parse(step, line, lang)
        assert action.kind == ANSWER, (step, line, action)
        iv.answer(step, action.value)
        lines.append(line)
        step = iv.next_after(step)
    return lines, iv.answers


# --- the state machine ------------------------------------------------------------------------


def test_steps_are_facts_then_priorities_then_questions(mini):
    iv = Interview(mini)
    kinds = [s.kind for s in iv.steps]
    assert kinds == [FACT] * 6 + [PRIORITY] * 2 + [QUESTION] * len(mini.questions)
    assert iv.resume_point() == iv.step_for("name")


def test_progress_counts_only_questions_whose_condition_holds(mini):
    iv = Interview(mini)
    first = iv.step_for("str_strategy")
    assert iv.progress(first) == "Frage 1 von 7 · Strategie"
    assert iv.progress(first, "en") == "Question 1 of 7 · Strategy"
    iv.answer(first, "draft")  # opens str_goals
    assert iv.progress(iv.step_for("sec_backup")) == "Frage 5 von 8 · Sicherheit"
    assert iv.progress(iv.step_for("name")) == "Angaben zur Gemeinde (1 von 6)"
    assert iv.progress(iv.step_for("security")) == "Prioritäten (2 von 2) · Sicherheit"


def test_next_honours_conditions_and_back_goes_to_the_previous_asked_step(mini):
    iv = Interview(mini)
    strategy = iv.step_for("str_strategy")
    iv.answer(strategy, "none")
    budget = iv.next_after(strategy)
    assert budget.key == "str_budget"
    assert iv.next_after(budget).key == "str_notes"  # str_goals is skipped: no strategy
    assert iv.previous_before(iv.step_for("str_notes")).key == "str_budget"
    iv.answer(strategy, "adopted")
    assert iv.next_after(budget).key == "str_goals"
    assert iv.previous_before(strategy).key == "security"  # back from the first question: the last priority
    assert iv.previous_before(iv.first()) is None
    assert iv.next_after(iv.step_for("sec_staff")) is None


def test_resume_point_is_the_first_unanswered_question(mini):
    iv = Interview(mini)
    iv.answer(iv.step_for("name"), "Testdorf")
    assert iv.resume_point().key == "population"
    iv.answer(iv.step_for("population"), 3000)
    assert iv.resume_point().key == "state"  # optional facts are asked while nothing is answered yet
    iv.answer(iv.step_for("str_strategy"), "none")
    assert iv.resume_point().key == "str_budget"  # ... but do not bring a returning user back to the start
    for qid, value in (("str_budget", True), ("str_notes", "x"), ("sec_backup", "online"), ("sec_mfa", True),
                       ("sec_patch", False), ("sec_staff", "not_applicable")):
        iv.answer(iv.step_for(qid), value)
    assert iv.resume_point() is None  # str_goals is skipped, everything else answered
    assert iv.counts() == (7, 7)


def test_answers_keep_comments_and_are_saved_in_questionnaire_order(mini):
    iv = Interview(mini)
    iv.answer(iv.step_for("sec_backup"), "online")
    iv.answer(iv.step_for("str_strategy"), "draft")
    assert [a.question for a in iv.answers.answers] == ["str_strategy", "sec_backup"]
    iv.answer(iv.step_for("respondent"), "Erika")
    iv.answer(iv.step_for("role"), "IT")
    iv.answer(iv.step_for("strategy"), 5)
    assert iv.answers.respondents[0].name == "Erika" and iv.answers.respondents[0].role == "IT"
    assert iv.answers.priorities == (("strategy", 5),)


@pytest.mark.parametrize(
    "key, line, kind, value",
    [
        ("str_strategy", "2", ANSWER, "draft"),
        ("str_strategy", "Beschlossen", ANSWER, "adopted"),
        ("str_strategy", "4", INVALID, None),
        ("str_strategy", "w", ANSWER, "unknown"),
        ("str_strategy", "x", INVALID, None),  # not applicable is not offered here
        ("sec_staff", "x", ANSWER, "not_applicable"),
        ("sec_staff", "2,5", ANSWER, 2.5),
        ("sec_staff", "zwei", INVALID, None),
        ("str_goals", "1, 3", ANSWER, ("services", "skills")),
        ("str_goals", "1,4", INVALID, None),  # "Keine" is exclusive
        ("str_goals", "9", INVALID, None),
        ("str_budget", "j", ANSWER, True),
        ("str_budget", "nein", ANSWER, False),
        ("str_budget", "vielleicht", INVALID, None),
        ("str_notes", "w", ANSWER, "w"),  # free text takes any text
        ("str_notes", "?", HELP, None),
        ("str_notes", "z", BACK, None),
        ("str_notes", "", SKIP, None),
        ("str_notes", "q", QUIT, None),
        ("population", "12.000", ANSWER, 12000),
        ("population", "0", INVALID, None),
        ("population", "zwölf", INVALID, None),
        ("state", "bayern", ANSWER, "BY"),
        ("state", "Bavaria", INVALID, None),
        ("ags", "0916 2000", ANSWER, "09162000"),
        ("ags", "123", INVALID, None),
        ("role", "1", ANSWER, "Bürgermeister/in"),
        ("role", "Kämmerei", ANSWER, "Kämmerei"),
        ("strategy", "5", ANSWER, 5),
        ("strategy", "6", INVALID, None),
    ],
)
def test_typed_input(mini, key, line, kind, value):
    iv = Interview(mini)
    action = iv.parse(iv.step_for(key), line)
    assert action.kind == kind
    if kind == ANSWER:
        assert action.value == value
    if kind == INVALID:
        assert action.message


def test_invalid_input_messages_are_german_and_english(mini):
    iv = Interview(mini)
    step = iv.step_for("str_strategy")
    assert iv.parse(step, "7").message == "„7“ ist keine der Nummern 1 bis 3."
    assert iv.parse(step, "7", "en").message == "\"7\" is not one of the numbers 1 to 3."


def test_prompt_help_and_keys(mini):
    iv = Interview(mini)
    step = iv.step_for("sec_staff")
    assert "Wie viele Personen kümmern sich um IT?" in iv.prompt(step)
    assert "Bitte eine Zahl eingeben (Personen)." in iv.prompt(step)
    assert iv.keys(step) == "[? Hilfe · z zurück · Enter überspringen · w weiß nicht · x trifft nicht zu · q beenden]"
    assert "only" not in iv.help(iv.step_for("str_strategy"), "en")
    assert "asked because" in iv.help(iv.step_for("str_goals"), "en")


# --- resuming a file --------------------------------------------------------------------------


def test_load_for_resume_accepts_a_file_without_facts_yet(mini, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("questionnaire: mini@1.0\nmunicipality: {name: Testdorf}\nanswers: {str_budget: true}\n", encoding="utf-8")
    answers = load_for_resume(path, mini)
    assert answers.municipality.name == "Testdorf" and answers.municipality.population == 0
    assert Interview(mini, answers).resume_point().key == "population"


def test_load_for_resume_rejects_another_questionnaire_and_invalid_answers(mini, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("questionnaire: quickcheck@1.1\nmunicipality: {name: X, population: 5}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_for_resume(path, mini)
    assert str(info.value) == (f"{path}:1: this answer file is for 'quickcheck@1.1', but the interview is for 'mini@1.0'; "
                               "choose another output file or the matching questionnaire")
    path.write_text("questionnaire: mini@1.0\nanswers:\n  str_strategy: maybe\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_for_resume(path, mini)
    assert "'maybe' is not an option of question 'str_strategy'" in str(info.value)


# --- the command ------------------------------------------------------------------------------

FULL_INPUT = "\n".join([
    "Testdorf", "3000", "BY", "", "Erika", "2",  # facts (AGS skipped)
    "5", "",  # priorities (security skipped)
    "?", "2",  # str_strategy: help, then Entwurf
    "j",  # str_budget
    "1,3",  # str_goals (asked because of the draft)
    "",  # str_notes skipped
    "z", "z", "1,2",  # back twice to str_goals, change it
    "", "2",  # str_notes skipped again, sec_backup online
    "j", "n", "x",  # sec_mfa, sec_patch, sec_staff not applicable
]) + "\n"


def test_interview_asks_everything_and_saves_a_valid_file(tmp_path, mini):
    out = tmp_path / "antworten.yaml"
    result = run("interview", "mini", "-o", out, input=FULL_INPUT)
    assert result.exit_code == 0, result.output
    assert "Frage 1 von 7 · Strategie" in result.output
    assert "Frage 3 von 8 · Strategie" in result.output  # str_goals appeared after answering Entwurf
    assert "Zu dieser Frage gibt es keinen Hilfetext." in result.output
    assert "bisher: Onlinedienste; Kompetenzen" in result.output  # shown when going back
    assert "Fertig: 7 von 8 Fragen beantwortet" in result.output
    answers, _ = load_answers(out, resolver(mini))
    assert answers.municipality.name == "Testdorf" and answers.municipality.population == 3000
    assert answers.municipality.state == "BY"
    assert answers.respondents[0].name == "Erika" and answers.respondents[0].role == "Hauptamt"
    assert answers.priorities == (("strategy", 5),)
    values = {a.question: a.value for a in answers.answers}
    assert values == {"str_strategy": "draft", "str_budget": True, "str_goals": ("services", "processes"),
                      "sec_backup": "online", "sec_mfa": True, "sec_patch": False, "sec_staff": "not_applicable"}
    report = run("report", out, "-o", tmp_path / "r.html")
    assert report.exit_code == 0, report.output


def test_interview_resumes_at_the_first_unanswered_question(tmp_path, mini):
    out = tmp_path / "a.yaml"
    first = run("interview", "mini", "-o", out, input="Testdorf\n3000\n\n\n\n\n\n\n2\nj\n")
    assert first.exit_code == 130  # input ended: treated like Ctrl-C
    assert "Unterbrochen. Alle bisherigen Antworten sind in" in first.output
    assert f"Weiter mit: assess interview mini -o {out}" in first.output
    saved, _ = load_answers(out, resolver(mini))
    assert {a.question: a.value for a in saved.answers} == {"str_strategy": "draft", "str_budget": True}
    second = run("interview", "mini", "-o", out, input="3\nNotiz\n2\nj\nj\n1\n")
    assert second.exit_code == 0, second.output
    assert "Fortsetzung von" in second.output and "2 von 8 Fragen beantwortet" in second.output
    assert "Angaben zur Gemeinde" not in second.output
    assert second.output.index("Frage 3 von 8") < second.output.index("Welche Ziele")
    done, _ = load_answers(out, resolver(mini))
    assert done.answer("str_goals").value == ("skills",) and done.answer("sec_staff").value == 1
    third = run("interview", "mini", "-o", out, input="")
    assert third.exit_code == 0 and "Alle Fragen in" in third.output


def test_quit_keeps_everything_and_review_changes_nothing_on_enter(tmp_path, mini):
    out = tmp_path / "a.json"
    result = run("interview", "mini", "-o", out, "--lang", "en", input="Town\n1200\n\n\n\n\n\n\n3\nq\n")
    assert result.exit_code == 0, result.output
    assert "Question 1 of 7 · Strategy" in result.output and "Saved in" in result.output
    before = out.read_text(encoding="utf-8")
    assert before.lstrip().startswith("{")  # .json output is JSON
    review = run("interview", "mini", "-o", out, "--review", input="\n" * 30)
    assert review.exit_code == 0, review.output
    assert "bisher: Beschlossen" in review.output
    assert out.read_text(encoding="utf-8") == before


def test_required_facts_cannot_be_left_empty(tmp_path):
    out = tmp_path / "a.yaml"
    result = run("interview", "mini", "-o", out, input="\n\nTestdorf\n")
    assert "Diese Angabe wird für die Auswertung gebraucht." in result.output
    assert "Testdorf" in out.read_text(encoding="utf-8")


def test_an_unreadable_or_foreign_file_is_left_untouched(tmp_path):
    out = tmp_path / "a.yaml"
    out.write_text("questionnaire: mini@1.0\nanswers: [oops\n", encoding="utf-8")
    before = out.read_bytes()
    result = run("interview", "mini", "-o", out, input="x\n")
    assert result.exit_code == 1
    assert f"{out}:3: fehlerhaftes YAML" in result.output
    assert out.read_bytes() == before
    out.write_text("questionnaire: other@1.0\nmunicipality: {name: X, population: 1}\n", encoding="utf-8")
    result = run("interview", "mini", "-o", out, input="x\n")
    assert result.exit_code == 1
    assert "diese Antwortdatei gehört zu „other@1.0“, das Interview aber zu „mini@1.0“" in result.output


def test_an_interrupted_save_leaves_the_previous_file(tmp_path, mini, monkeypatch):
    """Ctrl-C while a file is being written: the old file stays complete, no temp file remains."""
    out = tmp_path / "a.yaml"
    run("interview", "mini", "-o", out, input="Testdorf\n3000\n\n\n\n\n\n\n2\n")
    before = out.read_text(encoding="utf-8")
    real_replace = os.replace

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    result = run("interview", "mini", "-o", out, input="j\n")
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.exit_code == 130
    assert out.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


@pytest.mark.parametrize("path", ALL_QUESTIONNAIRES)
def test_interview_answers_every_question_of_a_questionnaire(path, tmp_path):
    questionnaire = load_questionnaire(path)
    lines, expected = simulate(questionnaire)
    out = tmp_path / "answers.yaml"
    search = ["--questionnaires", str(path.parent.parent)]
    result = CliRunner().invoke(cli, [*search, "interview", str(path), "-o", str(out)], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output[-2000:]
    answers, _ = load_answers(out, resolver(questionnaire))
    assert {a.question: a.value for a in answers.answers} == {a.question: a.value for a in expected.answers}
    assert answers.municipality.population == 12000
    n = len([q for q in questionnaire.questions])
    assert f"von {n}" in result.output or n > len(expected.answers)  # conditions may hide some
    report = CliRunner().invoke(cli, [*search, "report", str(out), "-o", str(tmp_path / "r.md")])
    assert report.exit_code == 0, report.output


def test_installed_questionnaires_folder_exists():
    assert data_dir("questionnaires").is_dir()


def test_interview_takes_planned_in_progress_and_outdated_after_the_answer(tmp_path, mini):
    """„3 v 2008“: adopted but outdated; „n g“: no budget, but one is decided; „2 u 2027-06“: online backups,
    offline ones being set up until June 2027. A state where it cannot be is refused with the answer
    file's own message, and the file reads back through the one answer parser."""
    out = tmp_path / "stand.yaml"
    typed = "\n".join([
        "Testdorf", "3000", "", "", "", "",  # facts
        "", "",  # priorities
        "3 v 2008",  # str_strategy: adopted, outdated since 2008
        "n g",  # str_budget: no, but decided
        "1",  # str_goals
        "",  # str_notes
        "2 u 2027-13", "2 u 06/2027",  # sec_backup: a wrong month first
        "j g", "j",  # sec_mfa: already the best answer, so nothing can be planned
        "n", "x",
    ]) + "\n"
    result = run("interview", "mini", "-o", out, input=typed)
    assert result.exit_code == 0, result.output
    assert "Optional dahinter: g geplant/beschlossen · u in Umsetzung" in result.output
    assert "v Jahr vorhanden, aber veraltet" in result.output  # str_strategy is a document
    assert "„until“ muss ein Datum wie 2027-06-30 oder ein Monat wie 2027-06 sein, nicht „2027-13“" in result.output
    assert "ist schon die beste" in result.output
    answers, _ = load_answers(out, resolver(mini))
    strategy, budget, backup, mfa = (answers.answer(q) for q in ("str_strategy", "str_budget", "sec_backup", "sec_mfa"))
    assert (strategy.value, strategy.outdated, strategy.progress) == ("adopted", 2008, "")
    assert (budget.value, budget.progress, budget.toward) == (False, "planned", True)
    assert (backup.value, backup.progress, backup.toward, backup.until) == ("online", "in_progress", "offline", "2027-06")
    assert (mfa.value, mfa.progress) == (True, "")
    review = run("interview", "mini", "-o", out, "--review", input="\n" * 20)
    assert review.exit_code == 0, review.output
    assert "bisher: Beschlossen (vorhanden, aber veraltet (Stand 2008))" in review.output
    assert "bisher: Nur online (in Umsetzung bis 06/2027)" in review.output
    assert load_answers(out, resolver(mini))[0] == answers  # Enter keeps every state


def test_typed_states_in_english_and_a_state_where_none_is_offered(mini):
    interview = Interview(mini)
    backup, goals = interview.step_for("sec_backup"), interview.step_for("str_goals")
    action = interview.parse(backup, "1 in progress by 2027-06-30", "en")
    assert action.kind == ANSWER and action.value.progress == "in_progress" and action.value.until == "2027-06-30"
    assert action.value.toward == "online"
    refused = interview.parse(interview.step_for("sec_backup"), "2 v 2008", "en")
    assert refused.kind == INVALID and "does not ask about a document" in refused.message
    assert interview.parse(goals, "1 g", "de").kind == INVALID  # multiple choice offers no state
    interview.answer(backup, action.value)
    assert interview.shown(backup) == "1 u 2027-06-30"
    interview.answer(backup, "none")  # answered again without a state: the state goes
    assert interview.answers.answer("sec_backup").progress == ""


def test_a_start_date_is_not_taken_for_a_due_date():
    from assess.capture.common import parse_answer_state

    assert parse_answer_state("in Umsetzung bis 06/2027") == {"progress": "in_progress", "until": "2027-06"}
    assert parse_answer_state("veraltet (Stand 2008)") == {"outdated": 2008}
    # "seit" says when the work began: it stays as typed, and the answer reader refuses it as a due date
    assert parse_answer_state("in Umsetzung seit 06/2020")["until"] == "seit 06/2020"
