"""Combine several respondents' answer sets into one, and find where their views diverge.

Rules, per question, over the respondents who gave a real answer (not "don't know" or "not
applicable"); each respondent's own value is kept in `Answer.by_respondent`:

- single choice: the options form a ladder (their listed order). `median` takes the lower median
  step (for an even number of respondents the lower of the two middle answers — an answer someone
  actually gave, erring on the cautious side); `mean` the mean step rounded half up; `min` the
  lowest step.
- multiple choice: each option counts as ticked (1) or not (0) per respondent and is combined like
  yes/no below; a "none of these" option is dropped when other options are ticked.
- yes/no: yes = 1, no = 0. `median` → yes when more than half say yes; `mean` → yes when at least
  half say yes; `min` → yes only when everybody says yes.
- number: the median (middle value, or the mean of the two middle values), mean or minimum.
- free text: the distinct texts, each prefixed with the respondent's name.
- if nobody gave a real answer: "not applicable" when everybody said so, otherwise "don't know".

Priorities and own targets combine like single-choice steps. The municipality's facts come from
the first file; differences in the others are reported as warnings.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Sequence

from assess.answers import Answer, AnswerSet, Respondent, Value
from assess.capture.common import is_special
from assess.errors import Problem, ValidationError
from assess.model import NOT_APPLICABLE, UNKNOWN, Dimension, Option, Question, Questionnaire, Text
from assess.scoring import skipped_questions

METHODS = ("median", "mean", "min")


@dataclass(frozen=True)
class MergeResult:
    """The combined answer set and warnings about facts that differed between the files."""

    answers: AnswerSet
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class View:
    """One respondent's answer to a single-choice question."""

    respondent: str
    role: str
    value: Value  # option id, "unknown" or "not_applicable"
    option: Option | None  # None for "unknown" / "not_applicable"
    step: int | None  # position on the option ladder, 0 = lowest; None when no option


@dataclass(frozen=True)
class Divergence:
    """A single-choice question whose respondents' answers lie `spread` option steps apart."""

    question: Question
    dimension: Dimension
    spread: int  # highest step − lowest step, ≥ the threshold (2 by default)
    lowest: Option
    highest: Option
    views: tuple[View, ...]  # every respondent's answer, in respondent order

    @property
    def values(self) -> tuple[tuple[str, Value], ...]:
        """(respondent, value) pairs — each respondent's answer, as kept in the merged file."""
        return tuple((v.respondent, v.value) for v in self.views)


def merge(answer_sets: Sequence[AnswerSet], questionnaire: Questionnaire, method: str = "median",
          names: Sequence[str] | None = None) -> MergeResult:
    """Combine answer sets of one questionnaire into one that keeps every respondent's value.

    `names` (e.g. the file names) label respondents whose file names nobody. An input that is
    itself a merged file contributes each of its respondents. Raises ValidationError when the
    files are for different questionnaires or versions.
    """
    if method not in METHODS:
        raise ValueError(f"unknown merge method {method!r}")
    if not answer_sets:
        raise ValidationError([Problem("merge", None, Text("keine Antwortdateien angegeben", "no answer files given"))])
    first = answer_sets[0]
    problems = [
        Problem(s.path or f"file {i + 1}", None, Text(
                f"„questionnaire“ ist {s.questionnaire}, {first.path or 'die erste Datei'} gehört aber zu "
                f"{first.questionnaire}; zusammenführen lassen sich nur Antworten zu derselben Fragebogen-Version",
                f"'questionnaire' is {s.questionnaire}, but {first.path or 'the first file'} is for "
                f"{first.questionnaire}; only answers to the same questionnaire version can be merged"))
        for i, s in enumerate(answer_sets) if s.questionnaire != first.questionnaire
    ]
    if problems:
        raise ValidationError(problems)
    warnings = _fact_warnings(answer_sets)
    people = _people(answer_sets, names)  # (display name, role, answer set, name inside the set or None)
    answers = []
    for question in questionnaire.questions:
        values, comments, evidence, sources, states = [], [], [], set(), set()
        for name, _, source, inner in people:
            answer = source.answer(question.id)
            if answer is None:
                continue
            value = dict(answer.by_respondent).get(inner) if inner is not None else answer.value
            if value is None:
                continue
            values.append((name, value))
            states.add((answer.progress, answer.toward, answer.until, answer.outdated))
            if id(source) not in sources:  # a merged input's comment is already combined: take it once
                sources.add(id(source))
                comments.append((name, answer.comment))
                evidence.append((name, answer.evidence))
        if not values:
            continue
        combined = combine(question, [v for _, v in values], method, [n for n, _ in values])
        # A progress or outdated note is kept where every respondent gave the same value and the same note.
        progress, toward, until, outdated = next(iter(states)) if len(states) == 1 else ("", None, "", None)
        if any(v != combined for _, v in values):
            progress, toward, until, outdated = "", None, "", None
        answers.append(Answer(question.id, combined, _join(comments), _join(evidence), tuple(values),
                              progress, toward, until, outdated))
    respondents = tuple(Respondent(name, role) for name, role, _, _ in people)
    result = AnswerSet(
        questionnaire=first.questionnaire,
        municipality=first.municipality,
        answers=tuple(answers),
        date=max((s.date for s in answer_sets if s.date), default=""),
        respondents=respondents,
        priorities=_combine_levels([s.priorities for s in answer_sets], method, questionnaire),
        targets=_combine_levels([s.targets for s in answer_sets], method, questionnaire),
    )
    return MergeResult(result, tuple(warnings))


def combine(question: Question, values: Sequence[Value], method: str = "median", names: Sequence[str] = ()) -> Value:
    """The combined value of several respondents' answers to one question (rules: module docstring)."""
    real = [v for v in values if not is_special(v)]
    if not real:
        return NOT_APPLICABLE if values and all(v == NOT_APPLICABLE for v in values) else UNKNOWN
    if question.type == "single":
        ids = [o.id for o in question.options]
        return ids[_pick([ids.index(v) for v in real], method)]
    if question.type == "multi":
        chosen = tuple(o.id for o in question.options if _pick([1 if o.id in v else 0 for v in real], method))
        regular = tuple(i for i in chosen if not question.option(i).exclusive)
        return regular if regular else chosen[:1]
    if question.type == "yesno":
        return bool(_pick([1 if v else 0 for v in real], method))
    if question.type == "number":
        if method == "min":
            result = min(real)
        elif method == "mean":
            result = statistics.fmean(real)
        else:
            result = statistics.median(real)
        result = round(result, 2)
        return int(result) if float(result).is_integer() else result
    texts = list(dict.fromkeys(str(v) for v in real))
    if len(texts) == 1:
        return texts[0]
    labelled = [(n, str(v)) for n, v in zip(names, values) if not is_special(v)] if names else []
    seen, parts = set(), []
    for name, text in labelled or [("", t) for t in texts]:
        if text not in seen:
            seen.add(text)
            parts.append(f"{name}: {text}" if name else text)
    return " | ".join(parts)


def divergences(answer_set: AnswerSet, questionnaire: Questionnaire, min_spread: int = 2) -> list[Divergence]:
    """Single-choice questions where respondents' answers lie `min_spread` or more option steps apart.

    Reads the individual values kept in a merged answer file (`Answer.by_respondent`); questions a
    condition skips are left out. Sorted by spread (largest first), then in asking order. Each
    divergence is a conversation worth having in the town hall: who sees the municipality where.
    """
    skipped = skipped_questions(questionnaire, answer_set)
    roles = {r.name: r.role for r in answer_set.respondents}
    found = []
    for order, question in enumerate(questionnaire.questions):
        answer = answer_set.answer(question.id)
        if question.type != "single" or answer is None or question.id in skipped or len(answer.by_respondent) < 2:
            continue
        ids = [o.id for o in question.options]
        views = tuple(
            View(name, roles.get(name, ""), value, question.option(value) if value in ids else None,
                 ids.index(value) if value in ids else None)
            for name, value in answer.by_respondent
        )
        steps = [v.step for v in views if v.step is not None]
        if len(steps) < 2 or max(steps) - min(steps) < min_spread:
            continue
        divergence = Divergence(question, questionnaire.dimension_of(question.id), max(steps) - min(steps),
                                question.options[min(steps)], question.options[max(steps)], views)
        found.append((-divergence.spread, order, divergence))
    return [d for _, _, d in sorted(found, key=lambda item: item[:2])]


# --- helpers ------------------------------------------------------------------------------------


def _pick(steps: Sequence[int], method: str) -> int:
    """Combine whole-number steps: lower median, mean rounded half up, or minimum."""
    ordered = sorted(steps)
    if method == "min":
        return ordered[0]
    if method == "mean":
        return int(math.floor(sum(ordered) / len(ordered) + 0.5))
    return ordered[(len(ordered) - 1) // 2]


def _people(answer_sets: Sequence[AnswerSet], names: Sequence[str] | None):
    """(display name, role, answer set, name inside a merged set or None) for every respondent."""
    people, used = [], set()

    def unique(name: str) -> str:
        base, n = name, 2
        while name in used:
            name, n = f"{base} ({n})", n + 1
        used.add(name)
        return name

    for index, s in enumerate(answer_sets):
        fallback = names[index] if names and index < len(names) else f"{index + 1}"
        inner = list(dict.fromkeys(n for a in s.answers for n, _ in a.by_respondent))
        if inner:  # already a merged file: keep each of its respondents
            roles = {r.name: r.role for r in s.respondents}
            people += [(unique(n), roles.get(n, ""), s, n) for n in inner]
            continue
        named = [r for r in s.respondents if r.name or r.role]
        if len(named) == 1:
            label = named[0].name or named[0].role
            people.append((unique(label), named[0].role, s, None))
        elif named:
            label = " & ".join(r.name or r.role for r in named)
            role = " & ".join(dict.fromkeys(r.role for r in named if r.role))
            people.append((unique(label), role, s, None))
        else:
            people.append((unique(fallback), "", s, None))
    return people


def _fact_warnings(answer_sets: Sequence[AnswerSet]) -> list[Problem]:
    first = answer_sets[0]
    warnings = []
    for s in answer_sets[1:]:
        for field, label in (("name", Text("der Name der Gemeinde", "municipality name")),
                             ("population", Text("die Einwohnerzahl", "population")), ("ags", Text("der AGS", "AGS"))):
            mine, theirs = getattr(s.municipality, field), getattr(first.municipality, field)
            if mine and theirs and str(mine).strip().lower() != str(theirs).strip().lower():
                warnings.append(Problem(s.path or "answers", None, Text(
                    f"hier ist {label.de} „{mine}“, in {first.path or 'der ersten Datei'} aber „{theirs}“; "
                    f"die zusammengeführte Datei übernimmt „{theirs}“",
                    f"the {label.en} is '{mine}', but {first.path or 'the first file'} says "
                    f"'{theirs}'; the merged file uses '{theirs}'"), warning=True))
    return warnings


def _combine_levels(per_file, method: str, questionnaire: Questionnaire) -> tuple[tuple[str, int], ...]:
    result = []
    for dimension in questionnaire.dimensions:
        values = [dict(p)[dimension.id] for p in per_file if dimension.id in dict(p)]
        if values:
            result.append((dimension.id, _pick(values, method)))
    return tuple(result)


def _join(pairs) -> str:
    """Texts from several respondents: one text as is, several prefixed with who wrote them."""
    texts = [(n, t) for n, t in pairs if t]
    if len({t for _, t in texts}) <= 1:
        return texts[0][1] if texts else ""
    return "; ".join(f"{n}: {t}" for n, t in texts)

