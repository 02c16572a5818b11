"""Turn answers into question, dimension and overall scores, levels, coverage and traces (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from assess.conditions import holds
from assess.model import (NOT_APPLICABLE, UNKNOWN, Answer, AnswerSet, Cap, Dimension, Group, Question, Questionnaire,
                          written_at_once)

# Credit for answer states (documented in docs/method.md): a decided ("planned") improvement counts a
# quarter, one under way ("in_progress") half of the way from today's answer to the target; a document
# that exists but is outdated counts half of its answer's value.
PROGRESS_CREDIT = {"planned": 0.25, "in_progress": 0.5}
OUTDATED_CREDIT = 0.5

ANSWERED, UNKNOWN_STATUS, NOT_APPLICABLE_STATUS, SKIPPED, UNANSWERED, UNSCORED = (
    "answered", "unknown", "not_applicable", "skipped", "unanswered", "unscored",
)


@written_at_once
@dataclass(frozen=True)
class QuestionResult:
    """How one question counted: its status and, when answered, its score (0–1)."""

    question: Question
    status: str
    score: float | None = None
    answer: Answer | None = None


@dataclass(frozen=True)
class TraceRow:
    """One line of a dimension's explanation: a question or a group with how it counted."""

    depth: int
    kind: str  # question | group
    id: str
    status: str
    score: float | None  # 0–100
    weight: float
    aggregate: str = ""
    detail: str = ""  # e.g. "3 / 4" for a single choice


@dataclass(frozen=True)
class DimensionResult:
    """A dimension's score (0–100), level (after caps), coverage and the trace behind them."""

    dimension: Dimension
    score: float | None
    level: int | None
    uncapped_level: int | None
    applied_caps: tuple[Cap, ...]
    answered: int
    applicable: int
    questions: tuple[QuestionResult, ...]
    score_range: tuple[float, float] | None
    trace: tuple[TraceRow, ...]

    @property
    def coverage(self) -> float:
        """Answered ÷ applicable scored questions (1.0 when nothing is applicable)."""
        return self.answered / self.applicable if self.applicable else 1.0

    @property
    def unknown(self) -> tuple[QuestionResult, ...]:
        """Questions answered "don't know" — the knowledge gaps."""
        return tuple(r for r in self.questions if r.status == UNKNOWN_STATUS)


@dataclass(frozen=True)
class Scores:
    """The result of scoring one answer set."""

    questionnaire: Questionnaire
    answers: AnswerSet
    score: float | None
    level: int | None
    answered: int
    applicable: int
    dimensions: tuple[DimensionResult, ...]

    @property
    def coverage(self) -> float:
        """Answered ÷ applicable scored questions over the whole questionnaire."""
        return self.answered / self.applicable if self.applicable else 1.0

    def dimension(self, dimension_id: str) -> DimensionResult | None:
        """The result of one dimension."""
        return next((d for d in self.dimensions if d.dimension.id == dimension_id), None)

    @property
    def question_results(self) -> dict[str, QuestionResult]:
        """Every question's result by id."""
        return {r.question.id: r for d in self.dimensions for r in d.questions}


def question_score(question: Question, value) -> float | None:
    """The score (0–1) of an answer value, or None when the question is not scored."""
    if question.type == "single":
        top = question.top_value
        option = question.option(value)
        return option.value / top if option and top else 0.0
    if question.type == "multi":
        total = sum(o.value for o in question.options)
        ticked = sum(o.value for o in question.options if o.id in value)
        return ticked / total if total else 0.0
    if question.type == "yesno":
        return 1.0 if value is True else 0.0
    if question.type == "number" and question.bands:
        top = max(b.value for b in question.bands)
        reached = [b.value for b in question.bands if value >= b.min]
        return (reached[-1] / top) if reached and top else 0.0
    return None


def skipped_questions(questionnaire: Questionnaire, answers: AnswerSet) -> frozenset[str]:
    """Ids of questions whose 'ask only if' condition does not hold, in asking order."""
    skipped: set[str] = set()
    for question in questionnaire.questions:
        if question.when is not None and not holds(question.when, answers, frozenset(skipped)):
            skipped.add(question.id)
    return frozenset(skipped)


def score(questionnaire: Questionnaire, answers: AnswerSet, trace: bool = True) -> Scores:
    """Score an answer set against its questionnaire; without `trace`, the dimensions carry no trace
    rows and no ranges for "don't know" answers (the same scores, for a peer group that keeps only them)."""
    skipped = skipped_questions(questionnaire, answers)
    dimensions = tuple(_score_dimension(questionnaire, d, answers, skipped, trace) for d in questionnaire.dimensions)
    weighted = [(d.dimension.weight, d.score) for d in dimensions if d.score is not None]
    total_weight = sum(w for w, _ in weighted)
    overall = round(sum(w * s for w, s in weighted) / total_weight, 9) if total_weight else None
    level = questionnaire.level_for(overall).level if overall is not None else None
    return Scores(
        questionnaire=questionnaire,
        answers=answers,
        score=overall,
        level=level,
        answered=sum(d.answered for d in dimensions),
        applicable=sum(d.applicable for d in dimensions),
        dimensions=dimensions,
    )


def _question_result(question: Question, answers: AnswerSet, skipped) -> QuestionResult:
    answer = answers.answer(question.id)
    if question.id in skipped:
        return QuestionResult(question, SKIPPED, None, answer)
    if answer is None:
        return QuestionResult(question, UNANSWERED if question.scored else UNSCORED)
    if answer.value == UNKNOWN:
        return QuestionResult(question, UNKNOWN_STATUS, None, answer)
    if answer.value == NOT_APPLICABLE:
        return QuestionResult(question, NOT_APPLICABLE_STATUS, None, answer)
    if not question.scored:
        return QuestionResult(question, UNSCORED, None, answer)
    return QuestionResult(question, ANSWERED, answer_score(question, answer), answer)


def answer_score(question: Question, answer: Answer) -> float | None:
    """The score (0–1) of a real answer, with the documented credit for progress and outdated states."""
    value = question_score(question, answer.value)
    if value is None:
        return None
    if answer.outdated is not None:
        return value * OUTDATED_CREDIT
    if answer.progress and answer.toward is not None:
        target = question_score(question, answer.toward)
        if target is not None and target > value:
            return value + PROGRESS_CREDIT[answer.progress] * (target - value)
    return value


def _aggregate(aggregate: str, children: list[tuple[float, float]]) -> float | None:
    """Combine (weight, score 0–1) pairs; None when nothing counts."""
    if not children:
        return None
    if aggregate == "min":
        return min(s for _, s in children)
    if aggregate == "max":
        return max(s for _, s in children)
    if aggregate == "sum":
        return min(1.0, sum(w * s for w, s in children))
    total = sum(w for w, _ in children)
    if total == 0:
        return sum(s for _, s in children) / len(children)
    return sum(w * s for w, s in children) / total


def _node(items, aggregate: str, results: dict[str, QuestionResult], fill: float | None, trace: list | None, depth: int):
    """The score (0–1) of a node; `fill` scores unknown answers (None leaves them out)."""
    children = []
    for item in items:
        if isinstance(item, Group):
            row_index = len(trace) if trace is not None else 0
            value = _node(item.items, item.aggregate, results, fill, trace, depth + 1)
            if trace is not None:
                status = ANSWERED if value is not None else UNANSWERED
                trace.insert(row_index, TraceRow(depth, "group", item.id, status, _pct(value), item.weight, item.aggregate))
            if value is not None:
                children.append((item.weight, value))
            continue
        result = results[item.id]
        value = result.score
        if result.status == UNKNOWN_STATUS and fill is not None and item.scored:
            value = fill
        if trace is not None and (item.scored or result.status != UNSCORED):
            trace.append(TraceRow(depth, "question", item.id, result.status, _pct(result.score), item.weight, detail=_detail(result)))
        if value is not None:
            children.append((item.weight, value))
    return _aggregate(aggregate, children)


def _pct(value: float | None) -> float | None:
    # Rounding drops float noise such as 59.999999999999986, which would miss the level from 60.
    return None if value is None else round(100.0 * value, 9)


def _detail(result: QuestionResult) -> str:
    q = result.question
    if result.status != ANSWERED or result.answer is None:
        return ""
    value = result.answer.value
    if q.type == "single":
        return f"{q.option(value).value:g} / {max(o.value for o in q.options):g}"
    if q.type == "multi":
        ticked = sum(o.value for o in q.options if o.id in value)
        return f"{ticked:g} / {sum(o.value for o in q.options):g}"
    if q.type == "number":
        return f"{value:g}"
    return ""


def _score_dimension(questionnaire: Questionnaire, dimension: Dimension, answers: AnswerSet, skipped,
                     with_trace: bool = True) -> DimensionResult:
    results = {q.id: _question_result(q, answers, skipped) for q in dimension.questions}
    trace: list[TraceRow] | None = [] if with_trace else None
    value = _node(dimension.items, dimension.aggregate, results, None, trace, 0)
    score_value = _pct(value)
    scored = [r for r in results.values() if r.question.scored]
    applicable = [r for r in scored if r.status not in (SKIPPED, NOT_APPLICABLE_STATUS)]
    answered = [r for r in applicable if r.status == ANSWERED]
    score_range = None
    if with_trace and any(r.status == UNKNOWN_STATUS for r in applicable):
        low = _node(dimension.items, dimension.aggregate, results, 0.0, None, 0)
        high = _node(dimension.items, dimension.aggregate, results, 1.0, None, 0)
        score_range = (_pct(low), _pct(high))
    level = uncapped = None
    applied: tuple[Cap, ...] = ()
    if score_value is not None:
        uncapped = level = questionnaire.level_for(score_value).level
        applied = tuple(cap for cap in dimension.caps if holds(cap.when, answers, skipped))
        for cap in applied:
            level = min(level, cap.max_level)
        applied = tuple(cap for cap in applied if cap.max_level < uncapped)
    return DimensionResult(
        dimension=dimension,
        score=score_value,
        level=level,
        uncapped_level=uncapped,
        applied_caps=applied,
        answered=len(answered),
        applicable=len(applicable),
        questions=tuple(results[q.id] for q in dimension.questions),
        score_range=score_range,
        trace=tuple(trace or ()),
    )
