"""Scoring against hand-computed cases, and properties that hold for any answers to any questionnaire.

The small questionnaires are built in the tests as plain data and go through the real loader, so
every case is also a valid questionnaire. Levels (unless a test says otherwise) are mini's: 1 from 0,
2 from 20, 3 from 40, 4 from 60, 5 from 80.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.answers import Answer, AnswerSet, Municipality
from assess.loading import condition_questions, load_questionnaire
from assess.model import NOT_APPLICABLE, UNKNOWN, Questionnaire
from assess.resources import questionnaire_paths
from assess.scoring import (
    ANSWERED,
    NOT_APPLICABLE_STATUS,
    SKIPPED,
    UNANSWERED,
    UNKNOWN_STATUS,
    UNSCORED,
    question_score,
    score,
)

DATA = Path(__file__).parent / "data"
MINI_PATH = DATA / "questionnaires" / "mini" / "questionnaire.yaml"
MINI = load_questionnaire(MINI_PATH)
TEXT = {"de": "Text", "en": "Text"}
LEVELS = [{"level": i + 1, "min_score": m, "name": {"de": f"Stufe {i + 1}", "en": f"Level {i + 1}"}}
          for i, m in enumerate((0, 20, 40, 60, 80))]
TARGETS = {"landgemeinde": 2, "kleinstadt": 3, "mittelstadt": 3, "grossstadt": 4}


# --- building questionnaires and answers -------------------------------------------------------


def yesno(qid, weight=1, **extra):
    return {"id": qid, "type": "yesno", "weight": weight, "text": TEXT, **extra}


def single(qid, values, weight=1, **extra):
    """A single choice whose options `o<value>` are worth `value`."""
    options = [{"id": f"o{v}", "value": v, "text": TEXT} for v in values]
    return {"id": qid, "type": "single", "weight": weight, "text": TEXT, "options": options, **extra}


def group(gid, aggregate, items, weight=1):
    return {"group": gid, "title": TEXT, "aggregate": aggregate, "weight": weight, "items": items}


def dimension(did, items, weight=1, aggregate="mean", caps=()):
    return {"id": did, "title": TEXT, "weight": weight, "aggregate": aggregate, "targets": TARGETS,
            "caps": list(caps), "items": items}


def build(tmp_path, *dimensions, levels=LEVELS) -> Questionnaire:
    """Load a questionnaire with these dimensions through the real loader."""
    data = {"id": "t", "version": "1", "title": TEXT, "levels": levels, "dimensions": list(dimensions)}
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_questionnaire(path)


def answers(questionnaire: Questionnaire, **values) -> AnswerSet:
    """An answer set; lists become the tuples of a multiple choice."""
    given_answers = tuple(Answer(qid, tuple(v) if isinstance(v, list) else v) for qid, v in values.items())
    return AnswerSet(questionnaire.ref, Municipality("Testdorf", 3000), given_answers)


MINI_ANSWERS = dict(str_strategy="draft", str_budget=True, str_goals=["services", "skills"], sec_backup="online",
                    sec_mfa=True, sec_patch=False, sec_staff=UNKNOWN)


# --- the mini questionnaire, by hand -----------------------------------------------------------


def test_mini_answers_score_as_computed_by_hand():
    result = score(MINI, answers(MINI, **MINI_ANSWERS))
    strategy, security = result.dimension("strategy"), result.dimension("security")

    # strategy: str_strategy draft 1/2 (weight 2), str_budget yes 1, str_goals (2 + 1) / 4 = 0.75;
    # str_notes is text and not scored: (2 × 0.5 + 1 + 0.75) / 4 = 0.6875.
    assert strategy.score == 68.75
    assert (strategy.level, strategy.answered, strategy.applicable, strategy.coverage) == (4, 3, 3, 1.0)
    # security: sec_backup online 1/2, group sec_baseline min(yes, no) = 0, sec_staff unknown left out.
    assert security.score == 25.0
    assert (security.level, security.answered, security.applicable, security.coverage) == (2, 3, 4, 0.75)
    assert [r.question.id for r in security.unknown] == ["sec_staff"]
    # overall: dimension weights 2 and 1.
    assert result.score == pytest.approx((2 * 68.75 + 25) / 3)
    assert round(result.score, 1) == 54.2
    assert (result.level, result.answered, result.applicable) == (3, 6, 7)


def test_mini_score_range_answers_dont_know_lowest_and_highest():
    result = score(MINI, answers(MINI, **MINI_ANSWERS))

    # sec_staff as 0: (0.5 + 0 + 0) / 3; as 1: (0.5 + 0 + 1) / 3.
    assert result.dimension("security").score_range == pytest.approx((100 / 6, 50.0))
    assert result.dimension("strategy").score_range is None


def test_mini_question_statuses():
    result = score(MINI, answers(MINI, **{**MINI_ANSWERS, "str_notes": "Notizen"}))
    statuses = {qid: r.status for qid, r in result.question_results.items()}

    assert statuses == {
        "str_strategy": ANSWERED, "str_budget": ANSWERED, "str_goals": ANSWERED, "str_notes": UNSCORED,
        "sec_backup": ANSWERED, "sec_mfa": ANSWERED, "sec_patch": ANSWERED, "sec_staff": UNKNOWN_STATUS,
    }
    assert result.question_results["str_goals"].score == 0.75


def test_nothing_answered_gives_no_score_and_no_level():
    result = score(MINI, answers(MINI))

    assert (result.score, result.level, result.answered, result.applicable, result.coverage) == (None, None, 0, 6, 0.0)  # str_goals is skipped
    assert [(d.score, d.level, d.coverage) for d in result.dimensions] == [(None, None, 0.0), (None, None, 0.0)]
    assert {r.status for r in result.question_results.values()} == {UNANSWERED, UNSCORED, SKIPPED}


def test_a_dimension_without_answers_is_left_out_of_the_overall_score():
    result = score(MINI, answers(MINI, sec_backup="offline", sec_mfa=True, sec_patch=True))

    assert result.dimension("strategy").score is None
    assert result.dimension("security").score == 100.0
    assert result.score == 100.0


# --- weights, "don't know", "not applicable" ---------------------------------------------------


def test_question_weights(tmp_path):
    q = build(tmp_path, dimension("d", [single("a", [0, 1, 2], weight=2), yesno("b", weight=1), yesno("c", weight=0)]))

    result = score(q, answers(q, a="o1", b=True, c=True))

    # (2 × 0.5 + 1 × 1 + 0 × 1) / (2 + 1 + 0)
    assert result.score == pytest.approx(200 / 3)


def test_unknown_leaves_the_score_but_stays_in_the_coverage_denominator(tmp_path):
    q = build(tmp_path, dimension("d", [yesno("a"), yesno("b", weight=3)]))

    d = score(q, answers(q, a=True, b=UNKNOWN)).dimension("d")

    assert d.score == 100.0
    assert (d.answered, d.applicable, d.coverage) == (1, 2, 0.5)
    assert d.score_range == pytest.approx((25.0, 100.0))  # b as no: 1 / 4; as yes: 4 / 4


def test_not_applicable_leaves_score_and_coverage_denominator(tmp_path):
    q = build(tmp_path, dimension("d", [yesno("a"), yesno("b", weight=3, allow_not_applicable=True)]))

    d = score(q, answers(q, a=False, b=NOT_APPLICABLE)).dimension("d")

    assert d.score == 0.0
    assert (d.answered, d.applicable, d.coverage) == (1, 1, 1.0)
    assert d.score_range is None
    assert d.questions[1].status == NOT_APPLICABLE_STATUS


def test_only_unknown_answers_give_no_score_but_a_range(tmp_path):
    q = build(tmp_path, dimension("d", [yesno("a"), yesno("b")]))

    d = score(q, answers(q, a=UNKNOWN, b=UNKNOWN)).dimension("d")

    assert (d.score, d.level, d.coverage) == (None, None, 0.0)
    assert d.score_range == (0.0, 100.0)


# --- conditions --------------------------------------------------------------------------------


def test_a_question_skipped_by_its_condition_leaves_the_denominator_even_when_answered():
    result = score(MINI, answers(MINI, str_strategy="none", str_budget=True, str_goals=["services"]))
    strategy = result.dimension("strategy")

    assert result.question_results["str_goals"].status == SKIPPED
    assert strategy.score == pytest.approx(100 / 3)  # (2 × 0 + 1) / 3, str_goals left out
    assert (strategy.answered, strategy.applicable) == (2, 2)


def test_questions_behind_an_unknown_gate_are_skipped():
    result = score(MINI, answers(MINI, str_strategy=UNKNOWN, str_budget=True, str_goals=["services"]))
    strategy = result.dimension("strategy")

    assert result.question_results["str_goals"].status == SKIPPED
    assert strategy.score == 100.0
    assert (strategy.answered, strategy.applicable) == (1, 2)
    assert strategy.score_range == pytest.approx((100 / 3, 100.0))


def test_a_question_shown_by_its_condition_counts():
    strategy = score(MINI, answers(MINI, str_strategy="adopted", str_goals=["nothing"])).dimension("strategy")

    assert strategy.score == pytest.approx(200 / 3)  # (2 × 1 + 0) / 3
    assert (strategy.answered, strategy.applicable) == (2, 3)


CONDITIONAL = [
    {"id": "n", "type": "number", "text": TEXT, "bands": [{"min": 0, "value": 0}, {"min": 1, "value": 1}]},
    single("s", [0, 1, 2]),
    {"id": "m", "type": "multi", "text": TEXT,
     "options": [{"id": "x", "text": TEXT}, {"id": "y", "text": TEXT}, {"id": "z", "text": TEXT}]},
    yesno("a", when={"question": "n", "at_least": 2}),
    yesno("b", when={"question": "n", "at_most": 2}),
    yesno("c", when={"all": [{"question": "s", "in": ["o1", "o2"]}, {"not": {"question": "m", "includes": "z"}}]}),
    yesno("d", when={"any": [{"question": "s", "equals": "o0"}, {"question": "m", "includes": ["x", "y"]}]}),
    yesno("e", when={"question": "a", "answered": True}),
    yesno("f", when={"question": "s", "not_in": ["o0"]}),
]


@pytest.mark.parametrize(("given_answers", "skipped"), [
    ({"n": 2, "s": "o1", "m": ["x", "y"]}, set()),
    ({"n": 3, "s": "o0", "m": ["z"]}, {"b", "c", "f"}),
    ({"n": 0, "s": "o2", "m": ["x", "z"], "a": True}, {"a", "c", "d", "e"}),
    ({"n": 5, "s": "o2", "m": ["y"], "a": False}, {"b", "d"}),
    ({}, {"a", "b", "c", "d", "e", "f"}),
    ({"n": UNKNOWN, "s": UNKNOWN, "m": UNKNOWN}, {"a", "b", "c", "d", "e", "f"}),
])
def test_conditions_combine_all_any_not_and_every_test(tmp_path, given_answers, skipped):
    q = build(tmp_path, dimension("dim", CONDITIONAL))
    full = {"a": True, "b": True, "c": True, "d": True, "e": True, "f": True, **given_answers}

    result = score(q, answers(q, **full))

    assert {qid for qid, r in result.question_results.items() if r.status == SKIPPED} == skipped


# --- groups ------------------------------------------------------------------------------------

# Children worth 1 (weight 0.5), 0.5 (weight 1) and 0 (weight 1), and one "don't know".
GROUP_CHILDREN = [yesno("g1", weight=0.5), single("g2", [0, 1, 2]), yesno("g3"), yesno("g4")]
GROUP_ANSWERS = dict(g1=True, g2="o1", g3=False, g4=UNKNOWN)


@pytest.mark.parametrize(("aggregate", "expected", "expected_range"), [
    ("mean", 40.0, (1 / 3.5 * 100, 2 / 3.5 * 100)),  # (0.5 × 1 + 1 × 0.5 + 0) / 2.5
    ("sum", 100.0, (100.0, 100.0)),                    # 0.5 × 1 + 1 × 0.5 + 0 = 1, capped at 1
    ("min", 0.0, (0.0, 0.0)),
    ("max", 100.0, (100.0, 100.0)),
])
def test_group_aggregates(tmp_path, aggregate, expected, expected_range):
    q = build(tmp_path, dimension("d", [group("g", aggregate, GROUP_CHILDREN)]))

    d = score(q, answers(q, **GROUP_ANSWERS)).dimension("d")

    assert d.score == pytest.approx(expected)
    assert d.score_range == pytest.approx(expected_range)
    assert d.trace[0].kind == "group" and d.trace[0].score == pytest.approx(expected)


def test_sum_below_one_is_not_capped(tmp_path):
    q = build(tmp_path, dimension("d", [group("g", "sum", [yesno("a", weight=0.25), yesno("b", weight=0.25)])]))

    assert score(q, answers(q, a=True, b=True)).dimension("d").score == 50.0


def test_nested_groups_with_weights_in_their_parent(tmp_path):
    inner = group("inner", "max", [yesno("c"), yesno("d")], weight=2)
    outer = group("outer", "min", [yesno("b"), inner], weight=3)
    q = build(tmp_path, dimension("dim", [yesno("a"), outer], aggregate="mean"))

    d = score(q, answers(q, a=False, b=True, c=False, d=True)).dimension("dim")

    # inner = max(0, 1) = 1; outer = min(1, 1) = 1; dimension = (1 × 0 + 3 × 1) / 4
    assert d.score == 75.0
    assert [(row.depth, row.kind, row.id) for row in d.trace] == [
        (0, "question", "a"), (0, "group", "outer"), (1, "question", "b"), (1, "group", "inner"),
        (2, "question", "c"), (2, "question", "d"),
    ]


def test_a_group_without_any_scored_child_is_left_out_of_its_parent(tmp_path):
    q = build(tmp_path, dimension("d", [yesno("a"), group("g", "min", [yesno("b"), yesno("c")], weight=5)]))

    d = score(q, answers(q, a=True, b=UNKNOWN)).dimension("d")

    assert d.score == 100.0
    assert d.score_range == pytest.approx((100 / 6, 100.0))  # g as min(0, –) = 0 or min(1, –) = 1, weight 5


def test_dimension_aggregate_applies_to_its_items(tmp_path):
    q = build(tmp_path, dimension("d", [yesno("a"), single("b", [0, 1, 3])], aggregate="min"))

    assert score(q, answers(q, a=True, b="o1")).dimension("d").score == pytest.approx(100 / 3)


# --- caps --------------------------------------------------------------------------------------


def test_cap_lowers_the_level_not_the_score_and_names_its_reason():
    result = score(MINI, answers(MINI, sec_backup="none", sec_mfa=True, sec_patch=True, sec_staff=3))
    security = result.dimension("security")

    assert security.score == pytest.approx(200 / 3)  # (0 + 1 + 1) / 3
    assert (security.uncapped_level, security.level) == (4, 2)
    assert [cap.reason.en for cap in security.applied_caps] == ["No offline backup"]
    assert [cap.reason.de for cap in security.applied_caps] == ["Kein Offline-Backup"]


def test_cap_that_does_not_lower_the_level_is_not_listed():
    security = score(MINI, answers(MINI, sec_backup="online", sec_mfa=False)).dimension("security")

    assert (security.score, security.uncapped_level, security.level, security.applied_caps) == (25.0, 2, 2, ())


def test_cap_does_not_hold_when_its_question_is_unknown():
    security = score(MINI, answers(MINI, sec_backup=UNKNOWN, sec_mfa=True, sec_patch=True)).dimension("security")

    assert (security.score, security.level, security.applied_caps) == (100.0, 5, ())


def test_the_lowest_of_several_caps_wins(tmp_path):
    caps = [{"when": {"question": "a", "equals": False}, "max_level": 3, "reason": TEXT},
            {"when": {"question": "b", "equals": False}, "max_level": 2, "reason": {"de": "B fehlt", "en": "No B"}}]
    q = build(tmp_path, dimension("d", [yesno("a"), yesno("b"), single("c", [0, 1], weight=8)], caps=caps))

    d = score(q, answers(q, a=False, b=False, c="o1")).dimension("d")

    assert (d.score, d.uncapped_level, d.level) == (80.0, 5, 2)
    assert [cap.max_level for cap in d.applied_caps] == [3, 2]


# --- question types ----------------------------------------------------------------------------


@pytest.mark.parametrize(("staff", "expected"), [
    (-1, 0.0), (0, 0.0), (0.5, 0.0), (1, 0.5), (2.99, 0.5), (3, 1.0), (250, 1.0),
])
def test_number_bands(staff, expected):
    assert question_score(MINI.question("sec_staff"), staff) == expected


@pytest.mark.parametrize(("ticked", "expected"), [
    ((), 0.0), (("services",), 0.5), (("processes", "skills"), 0.5),
    (("services", "processes", "skills"), 1.0), (("nothing",), 0.0), (("skills", "services"), 0.75),
])
def test_multi_choice_with_per_option_values(ticked, expected):
    # services 2, processes 1, skills 1, nothing 0 (exclusive): the ticked share of 4.
    assert question_score(MINI.question("str_goals"), ticked) == expected


def test_multi_choice_option_value_defaults_to_one(tmp_path):
    q = build(tmp_path, dimension("d", [{"id": "m", "type": "multi", "text": TEXT, "options": [
        {"id": "a", "text": TEXT}, {"id": "b", "text": TEXT}, {"id": "c", "value": 2, "text": TEXT}]}]))

    assert question_score(q.question("m"), ("a", "b")) == 0.5


@pytest.mark.parametrize(("option", "expected"), [("none", 0.0), ("draft", 0.5), ("adopted", 1.0)])
def test_single_choice_is_value_over_highest_value(option, expected):
    assert question_score(MINI.question("str_strategy"), option) == expected


def test_yes_no_text_and_number_without_bands(tmp_path):
    q = build(tmp_path, dimension("d", [yesno("a"), {"id": "t", "type": "text", "text": TEXT},
                                        {"id": "n", "type": "number", "text": TEXT}]))

    assert (question_score(q.question("a"), True), question_score(q.question("a"), False)) == (1.0, 0.0)
    assert question_score(q.question("t"), "irgendwas") is None
    assert question_score(q.question("n"), 7) is None
    d = score(q, answers(q, a=True, t="x", n=7)).dimension("d")
    assert (d.score, d.answered, d.applicable) == (100.0, 1, 1)


# --- overall and levels ------------------------------------------------------------------------


def test_overall_is_weighted_by_dimension_weight(tmp_path):
    q = build(tmp_path, dimension("a", [yesno("qa")], weight=3), dimension("b", [yesno("qb")], weight=1),
              dimension("c", [yesno("qc")], weight=0))

    result = score(q, answers(q, qa=True, qb=False, qc=True))

    assert result.score == 75.0  # (3 × 100 + 1 × 0 + 0 × 100) / 4
    assert result.level == 4


def test_a_score_exactly_on_a_threshold_reaches_that_level(tmp_path):
    # 0 + 0.6 + 0.7 + 0.8 + 0.9 over 5 is 0.6, but summed in floating point it is 0.59999999999999998.
    q = build(tmp_path, dimension("d", [single(f"q{i}", range(11)) for i in range(5)]))

    result = score(q, answers(q, q0="o0", q1="o6", q2="o7", q3="o8", q4="o9"))

    assert result.dimension("d").score == 60.0
    assert (result.dimension("d").level, result.level) == (4, 4)


@pytest.mark.parametrize(("value", "level"), [(0, 1), (19, 1), (20, 2), (39, 2), (40, 3), (60, 4), (79, 4), (80, 5), (100, 5)])
def test_levels_from_thresholds(tmp_path, value, level):
    q = build(tmp_path, dimension("d", [single("s", range(101))]))

    assert score(q, answers(q, s=f"o{value}")).dimension("d").level == level


# --- properties --------------------------------------------------------------------------------


def answer_value(question):
    """Any valid answer value for a question, "don't know" and "not applicable" where allowed."""
    if question.type == "single":
        values = [st.sampled_from([o.id for o in question.options])]
    elif question.type == "multi":
        plain = [o.id for o in question.options if not o.exclusive]
        exclusive = [o.id for o in question.options if o.exclusive]
        values = [st.lists(st.sampled_from(plain), unique=True).map(tuple)] if plain else []
        values += [st.sampled_from(exclusive).map(lambda option: (option,))] if exclusive else []
    elif question.type == "yesno":
        values = [st.booleans()]
    elif question.type == "number":
        values = [st.integers(-10, 100_000), st.floats(0, 1e9)]
    else:
        values = [st.text(max_size=10)]
    values += [st.just(UNKNOWN)] if question.allow_unknown else []
    values += [st.just(NOT_APPLICABLE)] if question.allow_not_applicable else []
    return st.one_of(values)


def answer_lists(questionnaire):
    """Lists of answers to any subset of the questions, in questionnaire order."""
    optional = {q.id: answer_value(q) for q in questionnaire.questions}
    return st.fixed_dictionaries({}, optional=optional).map(
        lambda chosen: [Answer(q.id, chosen[q.id]) for q in questionnaire.questions if q.id in chosen]
    )


def answer_set(questionnaire, answer_list):
    return AnswerSet(questionnaire.ref, Municipality("Testdorf", 3000), tuple(answer_list))


def summary(dimension_result):
    d = dimension_result
    return (d.score, d.level, d.uncapped_level, d.applied_caps, d.answered, d.applicable, d.score_range,
            tuple((r.question.id, r.status, r.score) for r in d.questions))


@functools.lru_cache(maxsize=None)
def installed(path):
    return load_questionnaire(path)


QUESTIONNAIRE_PATHS = [MINI_PATH] + questionnaire_paths()
PROPERTY = settings(max_examples=60, deadline=None)


def cross_dimension_questions(questionnaire):
    """Questions that conditions (ask-only-if or caps) of another dimension depend on, also indirectly."""
    found = set()
    for d in questionnaire.dimensions:
        own = {q.id for q in d.questions}
        conditions = [q.when for q in d.questions] + [cap.when for cap in d.caps]
        found |= {qid for c in conditions for qid in condition_questions(c) if qid not in own}
    # A question that decides whether such a question is asked reaches the other dimension too.
    while True:
        gates = {qid for q in questionnaire.questions if q.id in found for qid in condition_questions(q.when)}
        if gates <= found:
            return found
        found |= gates


@pytest.mark.parametrize("path", QUESTIONNAIRE_PATHS, ids=[p.parent.name for p in QUESTIONNAIRE_PATHS])
@PROPERTY
@given(data=st.data())
def test_scores_stay_between_0_and_100(path, data):
    questionnaire = installed(path)
    result = score(questionnaire, answer_set(questionnaire, data.draw(answer_lists(questionnaire))))
    top_level = len(questionnaire.levels)

    assert result.score is None or 0 <= result.score <= 100
    assert (result.level is None) == (result.score is None)
    assert result.level is None or 1 <= result.level <= top_level
    assert 0 <= result.coverage <= 1
    for d in result.dimensions:
        assert d.score is None or 0 <= d.score <= 100
        assert d.level is None or 1 <= d.level <= d.uncapped_level <= top_level
        assert 0 <= d.coverage <= 1
        if d.score_range is not None:
            low, high = d.score_range
            assert 0 <= low <= high <= 100
            assert d.score is None or low - 1e-6 <= d.score <= high + 1e-6
        for r in d.questions:
            assert r.score is None or 0 <= r.score <= 1


@pytest.mark.parametrize("path", QUESTIONNAIRE_PATHS, ids=[p.parent.name for p in QUESTIONNAIRE_PATHS])
@PROPERTY
@given(data=st.data())
def test_reordering_answers_changes_nothing(path, data):
    questionnaire = installed(path)
    answer_list = data.draw(answer_lists(questionnaire))
    shuffled = data.draw(st.permutations(answer_list))

    before = score(questionnaire, answer_set(questionnaire, answer_list))
    after = score(questionnaire, answer_set(questionnaire, shuffled))

    assert (after.score, after.level, after.answered, after.applicable) == (before.score, before.level, before.answered, before.applicable)
    assert [summary(d) for d in after.dimensions] == [summary(d) for d in before.dimensions]


@pytest.mark.parametrize("path", QUESTIONNAIRE_PATHS, ids=[p.parent.name for p in QUESTIONNAIRE_PATHS])
@PROPERTY
@given(data=st.data())
def test_not_applicable_in_one_dimension_never_changes_another(path, data):
    questionnaire = installed(path)
    # A condition may deliberately link dimensions; those questions are exempt.
    candidates = [q.id for q in questionnaire.questions if q.id not in cross_dimension_questions(questionnaire)]
    answer_list = data.draw(answer_lists(questionnaire))
    target = data.draw(st.sampled_from(candidates))
    home = questionnaire.dimension_of(target).id
    changed = [a for a in answer_list if a.question != target] + [Answer(target, NOT_APPLICABLE)]

    before = score(questionnaire, answer_set(questionnaire, answer_list))
    after = score(questionnaire, answer_set(questionnaire, changed))

    assert after.question_results[target].status in (NOT_APPLICABLE_STATUS, SKIPPED)
    for old, new in zip(before.dimensions, after.dimensions):
        if old.dimension.id != home:
            assert summary(new) == summary(old)


@pytest.mark.parametrize("kind", ["Answer", "QuestionResult"])
def test_a_result_written_at_once_takes_the_fields_own_parameters_and_defaults_and_stays_frozen(kind):
    import dataclasses
    import inspect

    from assess import model, scoring

    cls = getattr(model, kind, None) or getattr(scoring, kind)
    fields = dataclasses.fields(cls)
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
                                              for f in fields]
    first, second = fields[0].name, fields[1].name
    made = cls(**{first: "q", second: "a"})
    assert dataclasses.replace(made, **{second: "b"}) == cls("q", "b") and hash(made) == hash(cls("q", "a"))
    assert repr(made).startswith(f"{kind}({first}='q', {second}='a'")
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, second, "b")
    with pytest.raises(TypeError):
        cls("q")  # the required fields stay required
