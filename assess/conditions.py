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
    from assess.answers import AnswerSet


def holds(condition, answers: AnswerSet, skipped=frozenset(), dimensions: Mapping | None = None, size_class: str = "") -> bool:
    """Whether `condition` holds.

    A test on a question that is unanswered, unknown, not applicable or in `skipped` does not hold.
    `dimensions` maps dimension id to (score or None, level number or None) for measure conditions.
    """
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return all(holds(p, answers, skipped, dimensions, size_class) for p in condition.parts)
    if isinstance(condition, AnyOf):
        return any(holds(p, answers, skipped, dimensions, size_class) for p in condition.parts)
    if isinstance(condition, Not):
        return not holds(condition.part, answers, skipped, dimensions, size_class)
    if isinstance(condition, QuestionCondition):
        return _question_holds(condition, answers, skipped)
    if isinstance(condition, DimensionCondition):
        score, level = (dimensions or {}).get(condition.dimension, (None, None))
        if condition.op == "level_below":
            return level is not None and level < condition.operand
        if score is None:
            return False
        return score < condition.operand if condition.op == "score_below" else score >= condition.operand
    if isinstance(condition, SizeClassCondition):
        return size_class in condition.size_classes
    raise TypeError(f"unknown condition {condition!r}")


def _question_holds(condition: QuestionCondition, answers: AnswerSet, skipped) -> bool:
    answer = answers.answer(condition.question)
    real = not (condition.question in skipped or answer is None or answer.value in (UNKNOWN, NOT_APPLICABLE))
    if condition.op == "answered":
        return real == (condition.operand is not False)
    if not real:
        return False
    value, op, operand = answer.value, condition.op, condition.operand
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


def matched_questions(condition, answers: AnswerSet, skipped=frozenset(), dimensions=None, size_class: str = "") -> list[str]:
    """The question ids whose tests made `condition` hold — the evidence for a recommendation."""
    if condition is None or not holds(condition, answers, skipped, dimensions, size_class):
        return []
    if isinstance(condition, QuestionCondition):
        return [condition.question]
    if isinstance(condition, (AllOf, AnyOf)):
        found = []
        for part in condition.parts:
            for qid in matched_questions(part, answers, skipped, dimensions, size_class):
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
