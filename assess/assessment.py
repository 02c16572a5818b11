"""The result of assessing one answer file: what every report shows."""

from __future__ import annotations

from dataclasses import dataclass

from assess.advice import Advice, Comparison
from assess.errors import Problem
from assess.model import AnswerSet, Questionnaire
from assess.peers import PeerGroup
from assess.scoring import Scores


@dataclass(frozen=True)
class Assessment:
    """Everything a report shows: answers, questionnaire, scores, advice and the comparison."""

    questionnaire: Questionnaire
    answers: AnswerSet
    scores: Scores
    advice: Advice
    comparison: Comparison | None = None
    peers: PeerGroup | None = None
    skipped_peers: tuple[Problem, ...] = ()  # peer files passed over, each with its reason (never in a report)

