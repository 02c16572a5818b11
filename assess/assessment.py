"""Wire loading and the pure core together: an answer file in, an Assessment out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assess.answers import AnswerSet, load_answers
from assess.model import Questionnaire
from assess.resources import resolve_questionnaire
from assess.scoring import Scores, score


@dataclass(frozen=True)
class Assessment:
    """Everything a report shows: the answers, their questionnaire and the scores."""

    questionnaire: Questionnaire
    answers: AnswerSet
    scores: Scores


def assess_file(path: Path, search: tuple[Path, ...] = ()) -> Assessment:
    """Load, validate and score an answer file; `search` adds questionnaire folders."""
    answers, questionnaire = load_answers(Path(path), lambda qid, version: resolve_questionnaire(qid, version, search))
    return Assessment(questionnaire, answers, score(questionnaire, answers))
