"""Wire loading and the pure core together: an answer file in, an Assessment out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assess.advice import Advice, Comparison, advise, compare
from assess.answers import AnswerSet, load_answers
from assess.errors import AssessError
from assess.model import Questionnaire
from assess.resources import load_catalogue_for, resolve_questionnaire
from assess.scoring import Scores, score


@dataclass(frozen=True)
class Assessment:
    """Everything a report shows: answers, questionnaire, scores, advice and the comparison."""

    questionnaire: Questionnaire
    answers: AnswerSet
    scores: Scores
    advice: Advice
    comparison: Comparison | None = None


def assess_file(path: Path, search: tuple[Path, ...] = (), baseline: Path | None = None) -> Assessment:
    """Load, validate, score and advise an answer file, optionally compared with an earlier one."""
    resolve = lambda qid, version: resolve_questionnaire(qid, version, search)  # noqa: E731
    answers, questionnaire = load_answers(Path(path), resolve)
    scores = score(questionnaire, answers)
    catalogue = load_catalogue_for(questionnaire)
    comparison = None
    if baseline is not None:
        before, before_q = load_answers(Path(baseline), resolve)
        if before_q.id != questionnaire.id:
            raise AssessError(
                f"{baseline}: the baseline answers {before_q.ref}, but {path} answers {questionnaire.ref}; "
                "compare assessments made with the same questionnaire"
            )
        comparison = compare(scores, score(before_q, before), catalogue)
    return Assessment(questionnaire, answers, scores, advise(scores, catalogue), comparison)
