"""Evaluate structured conditions against answers, dimension results and size class (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from assess.model import (
    NOT_APPLICABLE,
    UNKNOWN,
    AllOf,
    AnyOf,
    DimensionCondition,
    Not,
    QuestionCondition,
    SizeClassCondition,
)

if TYPE_CHECKING:
    from assess.model import AnswerSet


def evaluate(condition, answers: AnswerSet, skipped=frozenset(), dimensions: Mapping | None = None,
             size_class: str = "", asked=None) -> bool | None:
    """Whether `condition` holds: True, False, or None when open answers decide it.

    A test on a question that is "don't know" or unanswered is open (None); on a question that is
    "not applicable", skipped by its own condition, or not part of the questionnaire (not in `asked`,
    when given) it is False. `answered` is always decided: it asks whether a real answer exists.
    A dimension without a score leaves its test open. all/any/not follow three-valued logic.
    `dimensions` maps dimension id to (score or None, level number or None).
    """
    if condition is None:
        return True
    if isinstance(condition, (AllOf, AnyOf)):
        results = [evaluate(p, answers, skipped, dimensions, size_class, asked) for p in condition.parts]
        decisive = isinstance(condition, AnyOf)  # one True decides any, one False decides all
        if decisive in results:
            return decisive
        return None if None in results else not decisive
    if isinstance(condition, Not):
        inner = evaluate(condition.part, answers, skipped, dimensions, size_class, asked)
        return None if inner is None else not inner
    if isinstance(condition, QuestionCondition):
        return _question_verdict(condition, answers, skipped, asked)
    if isinstance(condition, DimensionCondition):
        score, level = (dimensions or {}).get(condition.dimension, (None, None))
        if condition.op == "level_below":
            return None if level is None else level < condition.operand
        if score is None:
            return None
        return score < condition.operand if condition.op == "score_below" else score >= condition.operand
    if isinstance(condition, SizeClassCondition):
        return size_class in condition.size_classes
    raise TypeError(f"unknown condition {condition!r}")


def holds(condition, answers: AnswerSet, skipped=frozenset(), dimensions: Mapping | None = None,
          size_class: str = "", asked=None) -> bool:
    """Whether `condition` certainly holds (an open condition does not)."""
    return evaluate(condition, answers, skipped, dimensions, size_class, asked) is True


def _question_verdict(condition: QuestionCondition, answers: AnswerSet, skipped, asked) -> bool | None:
    qid = condition.question
    answer = answers.answer(qid)
    absent = qid in skipped or (asked is not None and qid not in asked)
    if condition.op == "answered":
        real = not absent and answer is not None and answer.value not in (UNKNOWN, NOT_APPLICABLE)
        return real == (condition.operand is not False)
    if absent or (answer is not None and answer.value == NOT_APPLICABLE):
        return False
    if answer is None or answer.value == UNKNOWN:
        return None
    value, op, operand = answer.value, condition.op, condition.operand
    if op == "outdated":  # the document exists but is out of date (the answer names its year)
        return (answer.outdated is not None) == (operand is not False)
    if op == "in":
        return value in operand if not isinstance(value, tuple) else any(v in operand for v in value)
    if op == "not_in":
        return value not in operand if not isinstance(value, tuple) else not any(v in operand for v in value)
    if op == "equals":
        return value == operand or (isinstance(value, tuple) and value == tuple(operand if isinstance(operand, tuple) else (operand,)))
    if op == "includes":
        wanted = operand if isinstance(operand, tuple) else (operand,)
        return isinstance(value, tuple) and all(w in value for w in wanted)
    if op in ("at_least", "at_most"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return value >= operand if op == "at_least" else value <= operand
    raise ValueError(f"unknown condition operator {op!r}")


def matched_questions(condition, answers: AnswerSet, skipped=frozenset(), dimensions=None, size_class: str = "",
                      asked=None) -> list[str]:
    """The question ids whose tests made `condition` hold — the evidence for a recommendation."""
    if condition is None or not holds(condition, answers, skipped, dimensions, size_class, asked):
        return []
    if isinstance(condition, QuestionCondition):
        return [condition.question] if condition.op != "answered" else []
    if isinstance(condition, (AllOf, AnyOf)):
        found = []
        for part in condition.parts:
            for qid in matched_questions(part, answers, skipped, dimensions, size_class, asked):
                if qid not in found:
                    found.append(qid)
        return found
    return []


def condition_questions(condition) -> list[str]:
    """Question ids a condition refers to."""
    if condition is None:
        return []
    if isinstance(condition, QuestionCondition):
        return [condition.question]
    if isinstance(condition, (AllOf, AnyOf)):
        return [q for part in condition.parts for q in condition_questions(part)]
    if isinstance(condition, Not):
        return condition_questions(condition.part)
    return []


def condition_dimensions(condition) -> list[str]:
    """Dimension ids a condition refers to."""
    if isinstance(condition, DimensionCondition):
        return [condition.dimension]
    if isinstance(condition, (AllOf, AnyOf)):
        return [d for part in condition.parts for d in condition_dimensions(part)]
    if isinstance(condition, Not):
        return condition_dimensions(condition.part)
    return []
