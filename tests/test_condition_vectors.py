"""Conditions mean the same in Python and in the offline form's script: shared test vectors.

The vectors (tests/data/condition-vectors.json) are generated from assess.conditions.evaluate; after a
deliberate change of the condition semantics regenerate them with
    ASSESS_UPDATE_VECTORS=1 python -m pytest tests/test_condition_vectors.py
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

from assess.capture.form import condition_data
from assess.conditions import evaluate
from assess.model import NOT_APPLICABLE, UNKNOWN, AllOf, Answer, AnswerSet, AnyOf, Municipality, Not, QuestionCondition

VECTORS = Path(__file__).parent / "data" / "condition-vectors.json"


def _q(question, op, operand=None):
    return QuestionCondition(question, op, operand)


# Questions: s (single: a, b, c), m (multi: x, y, z), y (yes/no), n (number).
TESTS = [
    _q("s", "in", ("a", "b")), _q("s", "not_in", ("a",)), _q("s", "equals", "c"),
    _q("m", "in", ("x",)), _q("m", "not_in", ("x", "y")), _q("m", "includes", ("x", "y")), _q("m", "equals", ("z",)),
    _q("y", "equals", True), _q("y", "equals", False),
    _q("n", "at_least", 10), _q("n", "at_most", 10), _q("n", "equals", 0),
    _q("s", "answered", True), _q("s", "answered", False), _q("m", "answered", False), _q("n", "answered", True),
]
CONDITIONS = TESTS + [
    Not(TESTS[0]), Not(TESTS[7]), Not(TESTS[13]),
    AnyOf((TESTS[0], TESTS[7])), AllOf((TESTS[0], TESTS[7])),
    AnyOf((Not(TESTS[2]), TESTS[9])), AllOf((TESTS[5], Not(TESTS[10]))),
    Not(AnyOf((TESTS[1], TESTS[8]))), AllOf((AnyOf((TESTS[3], TESTS[12])), Not(TESTS[14]))),
]
VALUES = {
    "s": [None, UNKNOWN, NOT_APPLICABLE, "a", "c"],
    "m": [None, UNKNOWN, ("x",), ("x", "y"), ("z",), ()],
    "y": [None, UNKNOWN, True, False],
    "n": [None, NOT_APPLICABLE, 0, 10, 12.5],
}
SKIPPED = [frozenset(), frozenset({"s"}), frozenset({"y", "n"})]


def _answer_states():
    """A spread of answer states: every value of each question at least once, with the others varied."""
    names = list(VALUES)
    longest = max(len(v) for v in VALUES.values())
    states = []
    for shift in range(3):
        for i in range(longest):
            states.append({q: VALUES[q][(i + shift * (k + 1)) % len(VALUES[q])] for k, q in enumerate(names)})
    return states


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def generate() -> list[dict]:
    vectors = []
    for condition, answers, skipped in itertools.product(CONDITIONS, _answer_states(), SKIPPED):
        answer_set = AnswerSet("t@1", Municipality("T", 1000),
                               tuple(Answer(q, v) for q, v in answers.items() if v is not None))
        vectors.append({
            "condition": condition_data(condition),
            "answers": {q: _plain(v) for q, v in answers.items() if v is not None},
            "skipped": sorted(skipped),
            "expected": evaluate(condition, answer_set, skipped),
        })
    return vectors


def test_the_vectors_are_what_python_computes():
    vectors = generate()
    if os.environ.get("ASSESS_UPDATE_VECTORS"):
        VECTORS.write_text(json.dumps(vectors, ensure_ascii=False, indent=None) + "\n", encoding="utf-8")
    assert json.loads(VECTORS.read_text(encoding="utf-8")) == vectors, "regenerate the vectors (see module docstring)"
    verdicts = {v["expected"] for v in vectors}
    assert verdicts == {True, False, None}, "the vectors must cover all three verdicts"


@pytest.mark.browser
def test_the_form_script_agrees_with_python_on_every_vector(chromium, tmp_path, mini):
    from assess.capture.form import render_form

    page_file = tmp_path / "form.html"
    page_file.write_text(render_form(mini, "de"), encoding="utf-8")
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
        results = page.evaluate("""(vectors) => vectors.map((v) => {
            const skipped = {};
            v.skipped.forEach((q) => { skipped[q] = true; });
            return window.assessForm.evaluate(v.condition, v.answers, skipped);
        })""", vectors)
    finally:
        context.close()
    wrong = [(v["condition"], v["answers"], v["skipped"], v["expected"], got)
             for v, got in zip(vectors, results) if got != v["expected"]]
    assert not wrong, f"{len(wrong)} of {len(vectors)} differ, first: {wrong[0]}"
