"""Content checks that keep the shipped questionnaires and the measure catalogue sound."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields

import pytest

from assess.advice import advise
from assess.answers import Answer, AnswerSet, Municipality
from assess.loading import load_questionnaire
from assess.model import (
    SIZE_CLASS_MIN_POPULATION,
    AllOf,
    AnyOf,
    DimensionCondition,
    Not,
    QuestionCondition,
    SizeClassCondition,
    Text,
)
from assess.resources import catalogue_path, load_catalogue_for, questionnaire_paths
from assess.scoring import score

QUESTIONNAIRES = {p.parent.name: load_questionnaire(p) for p in questionnaire_paths()}


def test_the_shipped_questionnaires_are_installed():
    assert {"quickcheck", "digitalcheck"} <= set(QUESTIONNAIRES)


@pytest.fixture(scope="module")
def digitalcheck():
    return QUESTIONNAIRES["digitalcheck"]


@pytest.fixture(scope="module")
def catalogue(digitalcheck):
    return load_catalogue_for(digitalcheck)


def texts_of(obj, where=""):
    """Every Text inside a model object, with a path naming where it sits."""
    if isinstance(obj, Text):
        yield where, obj
    elif isinstance(obj, tuple):
        for index, item in enumerate(obj):
            yield from texts_of(item, f"{where}[{index}]")
    elif hasattr(obj, "__dataclass_fields__"):
        label = getattr(obj, "id", "") or type(obj).__name__
        for f in fields(obj):
            yield from texts_of(getattr(obj, f.name), f"{where}/{label}.{f.name}")


REQUIRED_TEXTS = (".title", ".text", ".name", ".help", ".reason", ".description", "steps[")


@pytest.mark.parametrize("name", sorted(QUESTIONNAIRES))
def test_every_text_exists_in_german_and_english(name):
    missing = [where for where, text in texts_of(QUESTIONNAIRES[name])
               if (text.de.strip() or text.en.strip()) and not (text.de.strip() and text.en.strip())]
    assert not missing, missing[:10]


def test_every_measure_text_exists_in_both_languages(catalogue):
    missing = [where for where, text in texts_of(catalogue.measures)
               if any(key in where for key in REQUIRED_TEXTS) and not (text.de.strip() and text.en.strip())]
    assert not missing, missing[:10]


@pytest.mark.parametrize("name", sorted(QUESTIONNAIRES))
def test_every_question_has_help_weight_and_source(name):
    for question in QUESTIONNAIRES[name].questions:
        assert question.help.de.strip() and question.help.en.strip(), question.id
        assert question.source.strip(), question.id
        assert question.weight > 0, question.id


@pytest.mark.parametrize("name", sorted(QUESTIONNAIRES))
def test_options_of_scored_single_choice_strictly_increase(name):
    for question in QUESTIONNAIRES[name].questions:
        if question.type == "single":
            values = [o.value for o in question.options]
            assert values == sorted(set(values)), question.id
            assert len(values) >= 3, f"{question.id}: a level-anchored question needs at least three options"


@pytest.mark.parametrize("name", sorted(QUESTIONNAIRES))
def test_no_two_questions_share_a_text(name):
    for lang in ("de", "en"):
        counts = Counter(getattr(q.text, lang).strip() for q in QUESTIONNAIRES[name].questions)
        assert [t for t, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("name", sorted(QUESTIONNAIRES))
def test_five_named_levels(name):
    levels = QUESTIONNAIRES[name].levels
    assert [lv.level for lv in levels] == [1, 2, 3, 4, 5]
    assert all(lv.description.de and lv.description.en for lv in levels)


def test_digitalcheck_size(digitalcheck):
    assert len(digitalcheck.dimensions) >= 10
    assert sum(1 for q in digitalcheck.questions if q.scored) >= 80


def test_quickcheck_is_a_faithful_subset_of_the_digitalcheck(digitalcheck):
    quick = QUESTIONNAIRES["quickcheck"]
    assert 15 <= len(quick.questions) <= 20
    assert {"str_leadership", "sec_dpo"} <= {q.id for q in quick.questions}
    assert not {"field_broadband", "part_online_participation"} & {q.id for q in quick.questions}
    assert [d.id for d in quick.dimensions] == [d.id for d in digitalcheck.dimensions]
    for question in quick.questions:
        full = digitalcheck.question(question.id)
        assert full is not None, question.id
        assert (question.text, question.type, question.options, question.bands) == (full.text, full.type, full.options, full.bands), question.id
    for dimension in quick.dimensions:
        assert dimension.targets == digitalcheck.dimension(dimension.id).targets


def test_both_questionnaires_share_one_catalogue(digitalcheck):
    assert catalogue_path(digitalcheck) == catalogue_path(QUESTIONNAIRES["quickcheck"])


def test_catalogue_size_and_coverage(catalogue, digitalcheck):
    assert len(catalogue.measures) >= 60
    per_dimension = Counter(m.dimension for m in catalogue.measures)
    for dimension in digitalcheck.dimensions:
        assert per_dimension[dimension.id] >= 4, dimension.id


def test_every_measure_is_complete(catalogue):
    for m in catalogue.measures:
        assert len(m.steps) >= 3, m.id
        assert m.source, m.id
        assert m.cost_max >= m.cost_min, m.id


def test_prerequisites_exist_and_have_no_cycle(catalogue):
    ids = {m.id for m in catalogue.measures}
    graph = {m.id: m.requires for m in catalogue.measures}
    for m in catalogue.measures:
        assert set(m.requires) <= ids, m.id
    done: set = set()

    def visit(node, path):
        assert node not in path, f"cycle: {' → '.join(path + (node,))}"
        if node in done:
            return
        for req in graph[node]:
            visit(req, path + (node,))
        done.add(node)

    for node in graph:
        visit(node, ())


def test_prerequisites_fit_the_size_classes(catalogue):
    """A prerequisite must be available wherever its dependant is, or the roadmap could not honour it."""
    by_id = {m.id: m for m in catalogue.measures}
    for m in catalogue.measures:
        for req in m.requires:
            assert set(m.size_classes) <= set(by_id[req].size_classes), f"{m.id} requires {req}"


# --- reachability -----------------------------------------------------------------------------


def lowest(question):
    if question.type == "single":
        return question.options[0].id
    if question.type == "multi":
        return (min(question.options, key=lambda o: o.value).id,)
    if question.type == "yesno":
        return False
    if question.type == "number":
        return question.bands[0].min if question.bands else 0
    return "–"


def value_for(question, cond: QuestionCondition):
    """An answer to `question` that satisfies `cond`, or None."""
    op, operand = cond.op, cond.operand
    options = [o.id for o in question.options]
    if op == "in":
        choice = next((v for v in operand if v in options), None)
        return None if choice is None else ((choice,) if question.type == "multi" else choice)
    if op == "not_in":
        choice = next((o for o in options if o not in operand), None)
        return None if choice is None else ((choice,) if question.type == "multi" else choice)
    if op == "includes":
        return tuple(operand if isinstance(operand, tuple) else (operand,))
    if op in ("equals", "at_least", "at_most"):
        return operand
    if op == "outdated":  # a document that exists: its best option (witness_answers marks it outdated)
        return max(question.options, key=lambda o: o.value).id
    return lowest(question)


OUTDATED = "outdated:"  # witness key prefix: the answer to this question is an outdated document


def witness_answers(witness: dict) -> tuple:
    """The answers of a witness, documents marked outdated where the condition asks for it."""
    return tuple(Answer(q, v, outdated=2010 if witness.get(OUTDATED + q) else None)
                 for q, v in witness.items() if not q.startswith(OUTDATED))


def satisfy(cond, questionnaire, answers: dict) -> dict | None:
    """Extend `answers` so that `cond` holds (a constructive witness), or None."""
    if isinstance(cond, AllOf):
        for part in cond.parts:
            answers = satisfy(part, questionnaire, answers)
            if answers is None:
                return None
        return answers
    if isinstance(cond, AnyOf):
        for part in cond.parts:
            found = satisfy(part, questionnaire, dict(answers))
            if found is not None:
                return found
        return None
    if isinstance(cond, Not):
        inner = cond.part
        if isinstance(inner, QuestionCondition) and inner.op in ("in", "not_in"):
            flipped = QuestionCondition(inner.question, "not_in" if inner.op == "in" else "in", inner.operand)
            return satisfy(flipped, questionnaire, answers)
        return answers
    if isinstance(cond, QuestionCondition):
        question = questionnaire.question(cond.question)
        if question is None:
            return None
        value = value_for(question, cond)
        if value is None or answers.get(question.id, value) != value:
            return None
        answers = dict(answers, **{question.id: value})
        if cond.op == "outdated":
            answers[OUTDATED + question.id] = True
        return satisfy(question.when, questionnaire, answers) if question.when else answers
    if isinstance(cond, DimensionCondition):
        dimension = questionnaire.dimension(cond.dimension)
        for question in dimension.questions:
            if question.scored and question.id not in answers and question.when is None:
                answers[question.id] = lowest(question)
        return answers
    if isinstance(cond, SizeClassCondition):
        return answers
    raise TypeError(cond)


def test_every_measure_is_reachable(catalogue, digitalcheck):
    unreachable = []
    for measure in catalogue.measures:
        witness = satisfy(measure.when, digitalcheck, {})
        size_class = measure.size_classes[0]
        population = max(SIZE_CLASS_MIN_POPULATION[size_class], 1000)
        if witness is not None:
            # dated within the measure's availability (an undated set sees every measure, and a successor
            # such as BundID after the state account would then be covered by its predecessor)
            date = measure.available_until or measure.available_from
            answer_set = AnswerSet("digitalcheck@1.1", Municipality("X", population),
                                   witness_answers(witness), date=date)
            advice = advise(score(digitalcheck, answer_set), catalogue)
            if measure.id in {r.measure.id for r in advice.recommendations}:
                continue
        unreachable.append(measure.id)
    assert unreachable == []


def test_top_answers_leave_little_to_recommend(catalogue, digitalcheck):
    """A municipality answering the highest option everywhere gets (almost) nothing recommended."""
    def highest(question):
        if question.type == "single":
            return question.options[-1].id
        if question.type == "multi":
            return tuple(o.id for o in question.options if not o.exclusive)
        if question.type == "yesno":
            return True
        if question.type == "number":
            return question.bands[-1].min if question.bands else 0
        return "x"

    answer_set = AnswerSet("digitalcheck@1.1", Municipality("X", 12000),
                           tuple(Answer(q.id, highest(q)) for q in digitalcheck.questions))
    advice = advise(score(digitalcheck, answer_set), catalogue)
    assert len(advice.recommendations) <= 3, [r.measure.id for r in advice.recommendations]


# --- the legal state: costs, funding, every question matters, dated sources ---------------------

import datetime as dt
import re

from assess.conditions import condition_questions
from assess.funding import STATES, programmes_for, shipped_table
from assess.yamlfile import read_file

YEAR = re.compile(r"\b(19|20)\d\d\b")


def test_every_measure_states_running_costs_and_staff_time(catalogue):
    raw = read_file(catalogue_path(QUESTIONNAIRES["digitalcheck"]))["measures"]
    missing = [m["id"] for m in raw if "cost_yearly" not in m or "staff_days" not in m]
    assert missing == []
    for m in catalogue.measures:
        assert m.cost_yearly_max >= m.cost_yearly_min and m.staff_days_max >= m.staff_days_min, m.id


def test_every_question_feeds_a_measure_or_says_why_not(catalogue, digitalcheck):
    used = set()
    for m in catalogue.measures:
        used |= set(condition_questions(m.when))
    silent = [q.id for q in digitalcheck.questions if q.id not in used and not (q.informational.de and q.informational.en)]
    assert silent == []


def test_measures_name_only_programmes_in_the_funding_table(catalogue):
    known = {p.id for p in shipped_table().programmes}
    assert [(m.id, p) for m in catalogue.measures for p in m.funding_programmes if p not in known] == []


def test_no_programme_is_shown_after_its_end_date(catalogue):
    table = shipped_table()
    days = {dt.date(2026, 12, 1)} | {p.valid_until + dt.timedelta(days=1) for p in table.programmes if p.valid_until}
    for day in sorted(days):
        for state in STATES:
            answers = AnswerSet("digitalcheck@1.1", Municipality("X", 5000, state=state), (), date=day.isoformat())
            for m in catalogue.measures:
                for p in programmes_for(m, answers):
                    assert p.valid_from <= day and (p.valid_until is None or day <= p.valid_until), (m.id, p.id, day)
                    assert p.serves(state), (m.id, p.id, state)
    # the expired Bavarian programme is really gone for an assessment dated today
    late = AnswerSet("digitalcheck@1.1", Municipality("X", 5000, state="BY"), (), date="2026-12-01")
    assert all(p.id != "by_digitales_rathaus" for m in catalogue.measures for p in programmes_for(m, late))


def test_every_programme_names_a_dated_source():
    for p in shipped_table().programmes:
        assert YEAR.search(p.source), p.id
        assert p.issuer.strip(), p.id


def test_every_source_names_a_year(catalogue, digitalcheck):
    undated = [q.id for q in digitalcheck.questions if q.source and not YEAR.search(q.source)]
    undated += [m.id for m in catalogue.measures if m.source and not YEAR.search(m.source)]
    assert undated == []
